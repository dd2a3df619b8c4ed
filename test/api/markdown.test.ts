// Posts are Markdown (docs/api.md, "Publishing", "Markdown"): every
// PostResponse carries `content_html`, "the rendered HTML, the same that the
// pages show", while `content` stays the source as it was written. Hostile
// Markdown (test/helpers/xss.ts) comes out safe through the API and on the
// post page; the editors' preview renders what the post would store; posts
// written before Markdown are rendered the first time they are read, and kept.
import type { Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { RENDERER_VERSION } from '../../src/markdown/index.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import {
  decode,
  defined,
  expect401,
  expect422At,
  expectHtml,
  ofType,
  useTestApp,
  webUser,
  type Headers,
} from '../helpers/index.js';
import { assertSafeHtml, XSS_PAYLOADS } from '../helpers/xss.js';

// A public origin of its own, so that the corpus's look-alike hosts mean something.
const ORIGIN = 'https://blog.example';
const context = useTestApp({ PUBLIC_URL: ORIGIN });

async function appAnd() {
  return (await context()).app;
}

/** Every construct the contract names, with what it must render to. */
const RICH = [
  '# Notes',
  '',
  'Some **bold**, _italic_ and ~~struck~~ text.',
  '',
  '| Left | Centre |',
  '|:-----|:------:|',
  '| a    | b      |',
  '',
  '- [x] done',
  '- [ ] to do',
  '',
  'See https://example.com and [home](/), <b>not bold</b>.',
  '',
  '[bad](javascript:alert(1)) ![pixel](https://evil.example/p.gif) ![logo](/static/logo.png)',
].join('\n');
const RICH_HTML = [
  // A post's headings start one level below the page's title (docs/api.md, Publishing as built).
  '<h2>Notes</h2>',
  '<p>Some <strong>bold</strong>, <em>italic</em> and <s>struck</s> text.</p>',
  '<table>',
  '<thead>',
  '<tr>',
  '<th class="text-start">Left</th>',
  '<th class="text-center">Centre</th>',
  '</tr>',
  '</thead>',
  '<tbody>',
  '<tr>',
  '<td class="text-start">a</td>',
  '<td class="text-center">b</td>',
  '</tr>',
  '</tbody>',
  '</table>',
  '<ul class="task-list-container">',
  '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled checked aria-label="Done" /> done</li>',
  '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled aria-label="Not done" /> to do</li>',
  '</ul>',
  // An autolink leaves the site (rel), a link to the site does not; raw HTML is text.
  '<p>See <a href="https://example.com" rel="nofollow ugc noopener">https://example.com</a> and <a href="/">home</a>, &lt;b&gt;not bold&lt;/b&gt;.</p>',
  // The javascript: link keeps its text only; another site's image becomes its alt text.
  '<p>bad pixel <img src="/static/logo.png" alt="logo" /></p>',
  '',
].join('\n');

/** Source whose bytes Markdown would normalise (CRLF, tabs, trailing spaces, escapes, entities, combining marks). */
const QUIRKY = '  # Title   \r\n\r\n*\titem  \r\n\\*not emphasis\\* &amp; &copy; 🙂 e\u0301 \u202eright-to-left\n\n\n';

async function send(
  app: App,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  headers: Headers = {},
  payload?: object,
) {
  return app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
}

async function created(app: App, headers: Headers, content: string, title = 'A post') {
  const response = await send(app, 'POST', '/api/posts', headers, { title, content });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<PostResponseBody>();
}

async function read(app: App, id: number) {
  const response = await send(app, 'GET', `/api/posts/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PostResponseBody>();
}

async function page(app: App, url: string) {
  const response = await send(app, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PostPageBody>();
}

async function preview(app: App, headers: Headers, content: string) {
  const response = await send(app, 'POST', '/api/posts/preview', headers, { content });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json<{ content_html: string }>();
  expect(Object.keys(body)).toEqual(['content_html']);
  return body.content_html;
}

/** The post's row as stored. */
function row(app: App, id: number) {
  return app.db
    .selectFrom('posts')
    .select(['content', 'content_html', 'render_version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A post written the way posts were before Markdown: no rendering stored. */
async function legacyPost(app: App, userId: number, content: string) {
  const { id } = await app.db
    .insertInto('posts')
    .values({
      title: 'Written before Markdown',
      content,
      user_id: userId,
      date_posted: new Date().toISOString(),
      content_html: null,
      render_version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

const sameBytes = (a: string, b: string) => Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'));

async function author(app: App) {
  return webUser(app, 'md');
}

describe('content_html in every PostResponse', () => {
  it('POST /api/posts answers the rendering beside the source, and stores it', async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, RICH);
    expect(post.content).toBe(RICH);
    expect(post.content_html).toBe(RICH_HTML);
    expect(await row(app, post.id)).toEqual({
      content: RICH,
      content_html: RICH_HTML,
      render_version: RENDERER_VERSION,
    });
  });

  it("GET one, the list and the user's list show the same content and content_html", async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, RICH);
    expect(await read(app, post.id)).toEqual(post);
    const all = await page(app, '/api/posts?limit=100');
    expect(all.posts.find((p) => p.id === post.id)).toEqual(post);
    expect((await page(app, `/api/users/${user.id}/posts`)).posts).toEqual([post]);
  });

  it('returns the Markdown source byte for byte, through create, read, lists, PUT and PATCH', async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, QUIRKY);
    expect(sameBytes(post.content, QUIRKY)).toBe(true);
    expect(sameBytes((await read(app, post.id)).content, QUIRKY)).toBe(true);
    const listed = defined((await page(app, `/api/users/${user.id}/posts`)).posts[0]);
    expect(sameBytes(listed.content, QUIRKY)).toBe(true);
    expect(sameBytes((await row(app, post.id)).content, QUIRKY)).toBe(true);

    const replaced = `${QUIRKY}\r\n> quoted`;
    const put = await send(app, 'PUT', `/api/posts/${post.id}`, user.headers, { title: 'T', content: replaced });
    expect(put.statusCode).toBe(200);
    expect(sameBytes(put.json<PostResponseBody>().content, replaced)).toBe(true);
    const patched = `${replaced}  `;
    const patch = await send(app, 'PATCH', `/api/posts/${post.id}`, user.headers, { content: patched });
    expect(patch.statusCode).toBe(200);
    expect(sameBytes(patch.json<PostResponseBody>().content, patched)).toBe(true);
    expect(sameBytes((await read(app, post.id)).content, patched)).toBe(true);
  });

  it('PUT renders the new content', async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, 'Plain first');
    const response = await send(app, 'PUT', `/api/posts/${post.id}`, user.headers, {
      title: 'Rich now',
      content: RICH,
    });
    expect(response.statusCode).toBe(200);
    const put = response.json<PostResponseBody>();
    expect([put.title, put.content, put.content_html]).toEqual(['Rich now', RICH, RICH_HTML]);
    expect(await read(app, post.id)).toEqual(put);
    expect((await row(app, post.id)).content_html).toBe(RICH_HTML);
  });

  it('PATCH of the title alone keeps content and content_html', async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, RICH);
    const stored = await row(app, post.id);
    const response = await send(app, 'PATCH', `/api/posts/${post.id}`, user.headers, { title: 'Renamed' });
    expect(response.statusCode).toBe(200);
    const patched = response.json<PostResponseBody>();
    expect(patched).toEqual({ ...post, title: 'Renamed', updated_at: ofType(String) });
    expect(await read(app, post.id)).toEqual(patched);
    expect(await row(app, post.id)).toEqual(stored);
  });

  it('PATCH of the content renders it again', async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, RICH, 'Kept title');
    const response = await send(app, 'PATCH', `/api/posts/${post.id}`, user.headers, { content: 'New **words**' });
    expect(response.statusCode).toBe(200);
    const patched = response.json<PostResponseBody>();
    expect(patched).toEqual({
      ...post,
      content: 'New **words**',
      content_html: '<p>New <strong>words</strong></p>\n',
      excerpt: 'New words',
      updated_at: ofType(String),
    });
    expect(await read(app, post.id)).toEqual(patched);
    expect(await row(app, post.id)).toEqual({
      content: 'New **words**',
      content_html: '<p>New <strong>words</strong></p>\n',
      render_version: RENDERER_VERSION,
    });
  });
});

/**
 * The post's card on a page: the HTML of its content region exactly as the
 * page holds it, the shape of the page around that region, and the source in
 * the edit form (the author's view).
 */
function postOnPage(html: string, postId: number) {
  const document = parseDocument(html, { withStartIndices: true, withEndIndices: true });
  const articles = DomUtils.findAll(
    (element) => element.name === 'article' && element.attribs['data-post-id'] === String(postId),
    document.children,
  );
  expect(articles, `the card of post ${postId}`).toHaveLength(1);
  const bodies = DomUtils.findAll(
    (element) => element.attribs['data-field'] === 'content',
    defined(articles[0]).children,
  );
  expect(bodies, `the content of post ${postId}`).toHaveLength(1);
  const body = defined(bodies[0]);
  const inside = new Set(DomUtils.findAll(() => true, body.children));
  // Every element outside the post's content, with the names of its attributes:
  // content that broke out of its region would add to them.
  const around = DomUtils.findAll((element) => !inside.has(element), document.children).map(
    (element: Element) => `${element.name}[${Object.keys(element.attribs).sort().join(' ')}]`,
  );
  const editor = DomUtils.findOne(
    (element) => element.name === 'textarea' && element.attribs.name === 'content',
    document.children,
  );
  const first = body.children[0];
  const last = body.children.at(-1);
  return {
    body: first && last ? html.slice(defined(first.startIndex), defined(last.endIndex) + 1) : '',
    around,
    editor: editor ? decode(DomUtils.textContent(editor)) : undefined,
  };
}

// The API refuses NUL in any text (test/api/hostile-input.test.ts): those payloads never become posts.
const hasNul = (markdown: string) => markdown.includes('\u0000');
const STORABLE = XSS_PAYLOADS.filter((payload) => !hasNul(payload.markdown));

describe('the XSS corpus (test/helpers/xss.ts)', () => {
  it('payloads holding NUL are refused with 422, as any text with NUL is', async () => {
    const app = await appAnd();
    const user = await author(app);
    const refused = XSS_PAYLOADS.filter((payload) => hasNul(payload.markdown));
    expect(refused.length).toBeLessThan(3);
    for (const { markdown } of refused) {
      expect422At(await send(app, 'POST', '/api/posts', user.headers, { title: 'NUL', content: markdown }), [
        'body',
        'content',
      ]);
    }
  });

  it('through POST /api/posts: every content_html is safe and every content comes back unchanged', async () => {
    const app = await appAnd();
    const user = await author(app);
    const posts = await Promise.all(
      STORABLE.map(({ name, markdown }) => created(app, user.headers, markdown, `XSS: ${name}`.slice(0, 100))),
    );
    const readBack = await Promise.all(posts.map((post) => read(app, post.id)));
    const listed = [
      ...(await page(app, `/api/users/${user.id}/posts?limit=100`)).posts,
      ...(await page(app, `/api/users/${user.id}/posts?limit=100&skip=100`)).posts,
    ];
    expect(listed).toHaveLength(STORABLE.length);
    STORABLE.forEach(({ name, markdown }, index) => {
      const post = defined(posts[index]);
      expect(sameBytes(post.content, markdown), name).toBe(true);
      assertSafeHtml(post.content_html, ORIGIN);
      expect(readBack[index], name).toEqual(post);
      expect(
        listed.find((p) => p.id === post.id),
        name,
      ).toEqual(post);
    });
  });

  it('all of it in one long post (rendered off the event loop) is safe too, and equals its preview', async () => {
    const app = await appAnd();
    const user = await author(app);
    const everything = STORABLE.map((payload) => payload.markdown).join('\n\n');
    expect(everything.length).toBeGreaterThan(4_000);
    const post = await created(app, user.headers, everything);
    expect(sameBytes(post.content, everything)).toBe(true);
    assertSafeHtml(post.content_html, ORIGIN);
    expect(await preview(app, user.headers, everything)).toBe(post.content_html);
    expect((await row(app, post.id)).content_html).toBe(post.content_html);
  });

  it('on the post page GET /posts/{id}: the post body is its safe content_html, and the page around it is intact', async () => {
    const app = await appAnd();
    const user = await author(app);
    const baselinePost = await created(app, user.headers, 'A harmless post');
    const hostile = await Promise.all(
      STORABLE.map(({ name, markdown }) => created(app, user.headers, markdown, `XSS: ${name}`.slice(0, 100))),
    );
    // Seen by anyone, and by the author (whose page also holds the source, in the edit form).
    for (const cookies of [undefined, user.cookies]) {
      const view = async (id: number) =>
        postOnPage(expectHtml(await app.inject({ url: `/posts/${id}`, ...(cookies && { cookies }) }), 200), id);
      const baseline = await view(baselinePost.id);
      const pages = await Promise.all(hostile.map((post) => view(post.id)));
      STORABLE.forEach(({ name, markdown }, index) => {
        const post = defined(hostile[index]);
        const shown = defined(pages[index]);
        assertSafeHtml(shown.body, ORIGIN);
        expect(shown.body, `${name}: the page shows content_html`).toBe(post.content_html);
        expect(shown.around, `${name}: the page around the post`).toEqual(baseline.around);
        expect(shown.editor, `${name}: the edit form's source`).toBe(cookies ? markdown : undefined);
      });
    }
  });
});

describe('POST /api/posts/preview', () => {
  it('answers 401 "Not authenticated" without a token, before validating the body', async () => {
    const app = await appAnd();
    expect401(await send(app, 'POST', '/api/posts/preview', {}, { content: 'x' }), 'Not authenticated');
    expect401(await send(app, 'POST', '/api/posts/preview', {}, { content: '' }), 'Not authenticated');
    expect401(await send(app, 'POST', '/api/posts/preview', { authorization: 'Bearer not.a.token' }, { content: 'x' }));
  });

  it("answers 422 for a missing, empty or over-long content (the post's own limits)", async () => {
    const app = await appAnd();
    const user = await author(app);
    expect422At(await send(app, 'POST', '/api/posts/preview', user.headers, {}), ['body', 'content']);
    expect422At(await send(app, 'POST', '/api/posts/preview', user.headers, { content: '' }), ['body', 'content']);
    expect422At(await send(app, 'POST', '/api/posts/preview', user.headers, { content: 'c'.repeat(100_001) }), [
      'body',
      'content',
    ]);
  });

  it('answers exactly what a post with that content stores, and saves nothing', async () => {
    const app = await appAnd();
    const user = await author(app);
    const countPosts = async () =>
      Number(
        (
          await app.db
            .selectFrom('posts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countPosts();
    const contents = ['Just words', RICH, QUIRKY, `${'long line '.repeat(500)}\n\n**end**`, 'c'.repeat(100_000)];
    const previews = await Promise.all(contents.map((content) => preview(app, user.headers, content)));
    expect(defined(previews[1])).toBe(RICH_HTML);
    expect(await countPosts()).toBe(before);
    for (const [index, content] of contents.entries()) {
      const post = await created(app, user.headers, content);
      expect(post.content_html).toBe(previews[index]);
      expect((await row(app, post.id)).content_html).toBe(previews[index]);
    }
  });
});

describe('posts written before Markdown', () => {
  it('a post without a rendering is rendered when read, and the rendering is stored', async () => {
    const app = await appAnd();
    const user = await author(app);
    const id = await legacyPost(app, user.id, 'Some **old** post');
    expect(await row(app, id)).toMatchObject({ content_html: null, render_version: 0 });
    const post = await read(app, id);
    expect(post.content).toBe('Some **old** post');
    expect(post.content_html).toBe('<p>Some <strong>old</strong> post</p>\n');
    expect(await row(app, id)).toEqual({
      content: 'Some **old** post',
      content_html: post.content_html,
      render_version: RENDERER_VERSION,
    });
    expect(await read(app, id)).toEqual(post);
  });

  it('plain text with line breaks shows as paragraphs with <br>, as before Markdown', async () => {
    const app = await appAnd();
    const user = await author(app);
    const id = await legacyPost(app, user.id, 'First line\nsecond line\n\nA new paragraph');
    const html = (await read(app, id)).content_html;
    const document = parseDocument(html);
    const paragraphs = DomUtils.findAll((element) => element.name === 'p', document.children);
    expect(paragraphs.map((p) => DomUtils.textContent(p))).toEqual(['First line\nsecond line', 'A new paragraph']);
    expect(DomUtils.findAll((element) => element.name === 'br', defined(paragraphs[0]).children)).toHaveLength(1);
    expect(DomUtils.findAll(() => true, document.children).map((element) => element.name)).toEqual(['p', 'br', 'p']);
  });

  it('lists and the post page render such posts too, and store them', async () => {
    const app = await appAnd();
    const user = await author(app);
    const inList = await legacyPost(app, user.id, 'Listed _before_');
    const inUserList = await legacyPost(app, user.id, 'Listed by user _before_');
    const onPage = await legacyPost(app, user.id, 'Paged <b>before</b>');
    const all = await page(app, '/api/posts?limit=100');
    expect(all.posts.find((p) => p.id === inList)?.content_html).toBe('<p>Listed <em>before</em></p>\n');
    const mine = await page(app, `/api/users/${user.id}/posts?limit=100`);
    expect(mine.posts.find((p) => p.id === inUserList)?.content_html).toBe('<p>Listed by user <em>before</em></p>\n');
    const html = expectHtml(await app.inject(`/posts/${onPage}`), 200);
    expect(postOnPage(html, onPage).body).toBe('<p>Paged &lt;b&gt;before&lt;/b&gt;</p>\n');
    for (const id of [inList, inUserList, onPage]) {
      expect((await row(app, id)).render_version).toBe(RENDERER_VERSION);
    }
    expect((await row(app, onPage)).content_html).toBe('<p>Paged &lt;b&gt;before&lt;/b&gt;</p>\n');
  });

  it('a rendering by an older renderer version is rendered again and replaced', async () => {
    const app = await appAnd();
    const user = await author(app);
    const post = await created(app, user.headers, 'Fresh *again*');
    await app.db
      .updateTable('posts')
      .set({ content_html: '<p>an old rendering</p>', render_version: RENDERER_VERSION - 1 })
      .where('id', '=', post.id)
      .execute();
    expect((await read(app, post.id)).content_html).toBe('<p>Fresh <em>again</em></p>\n');
    expect(await row(app, post.id)).toEqual({
      content: 'Fresh *again*',
      content_html: '<p>Fresh <em>again</em></p>\n',
      render_version: RENDERER_VERSION,
    });
  });

  it('renderStale renders every post without a current rendering (after an upgrade), and leaves the others', async () => {
    const app = await appAnd();
    const user = await author(app);
    const legacy = [];
    for (let index = 0; index < 7; index += 1) legacy.push(await legacyPost(app, user.id, `Old _${index}_`));
    const older = await created(app, user.headers, 'Older *renderer*');
    await app.db
      .updateTable('posts')
      .set({ content_html: '<p>old</p>', render_version: RENDERER_VERSION - 1 })
      .where('id', '=', older.id)
      .execute();
    // A newer instance's rendering (a rolling upgrade) stays.
    const newer = await created(app, user.headers, 'Newer');
    await app.db
      .updateTable('posts')
      .set({ content_html: '<p>newer</p>', render_version: RENDERER_VERSION + 1 })
      .where('id', '=', newer.id)
      .execute();

    // Batches of 3: several rounds, and the last one short.
    expect(await app.services.posts.renderStale({ batch: 3 })).toBeGreaterThanOrEqual(8);
    for (const [index, id] of legacy.entries()) {
      expect(await row(app, id)).toEqual({
        content: `Old _${index}_`,
        content_html: `<p>Old <em>${index}</em></p>\n`,
        render_version: RENDERER_VERSION,
      });
    }
    expect((await row(app, older.id)).content_html).toBe('<p>Older <em>renderer</em></p>\n');
    expect(await row(app, newer.id)).toMatchObject({
      content_html: '<p>newer</p>',
      render_version: RENDERER_VERSION + 1,
    });
    expect(await app.services.posts.renderStale()).toBe(0);
  });

  it('renderStale stops between batches when asked to', async () => {
    const app = await appAnd();
    const user = await author(app);
    await app.services.posts.renderStale();
    for (let index = 0; index < 4; index += 1) await legacyPost(app, user.id, `Stopped ${index}`);
    let batches = 0;
    const rendered = await app.services.posts.renderStale({ batch: 2, stopped: () => batches++ > 0 });
    expect(rendered).toBe(2);
    expect(await app.services.posts.renderStale()).toBe(2);
  });

  it('a rendering made on read is not stored over a content that changed meanwhile', async () => {
    const app = await appAnd();
    const user = await author(app);
    const id = await legacyPost(app, user.id, 'The content now');
    await app.repositories.posts.storeRendering(id, 'The content when it was read', {
      html: '<p>The content when it was read</p>\n',
      excerpt: 'The content when it was read',
      version: RENDERER_VERSION,
    });
    expect(await row(app, id)).toEqual({ content: 'The content now', content_html: null, render_version: 0 });
  });
});
