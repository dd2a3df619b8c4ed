// The Posts rows of the HTTP contract (docs/api.md, "Posts — /api/posts"):
// success shapes, every listed error, the order of checks on protected
// endpoints, and that text comes back exactly as it was sent.
import type { ValidationDetail } from '../../src/errors.js';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { PostResponseBody } from '../../src/schemas/posts.js';
import type { UserPrivateBody } from '../../src/schemas/users.js';
import {
  POST_RESPONSE_FIELDS,
  createPost,
  expect401,
  expect422At,
  expectDetail,
  publicProfile,
  signedInUser,
  useTestApp,
  type Headers,
} from '../helpers/index.js';

const context = useTestApp();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const ISO_UTC_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:00)$/;
const GARBAGE = { authorization: 'Bearer not.a.real-token' };

async function appAnd() {
  return (await context()).app;
}

function send(app: App, method: Method, url: string, headers: Headers = {}, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function getPost(app: App, id: number) {
  return send(app, 'GET', `/api/posts/${id}`);
}

/**
 * Asserts the exact PostResponse shape, with a UserPublic author (no email)
 * and the content rendered (docs/api.md, "Publishing": `content_html`): the
 * contents here are one line of plain words, so one paragraph.
 */
function expectPostResponse(
  body: PostResponseBody,
  expected: { title: string; content: string; owner: { id: number; username: string } },
) {
  expect(Object.keys(body).sort()).toEqual(POST_RESPONSE_FIELDS);
  expect(Number.isInteger(body.id)).toBe(true);
  expect(body.id).toBeGreaterThan(0);
  expect(body.title).toBe(expected.title);
  expect(body.content).toBe(expected.content);
  expect(expected.content).toMatch(/^[\w ]+$/);
  expect(body.content_html).toBe(`<p>${expected.content}</p>\n`);
  expect(body.user_id).toBe(expected.owner.id);
  expect(typeof body.date_posted).toBe('string');
  expect(body.date_posted).toMatch(ISO_UTC_WITH_ZONE);
  expect(Number.isNaN(Date.parse(body.date_posted))).toBe(false);
  expect(Object.keys(body.author).sort()).toEqual(['id', 'image_file', 'image_path', 'username']);
  expect(body.author).not.toHaveProperty('email');
  expect(body.author).toEqual(publicProfile(expected.owner));
}

describe('POST /api/posts', () => {
  it('answers 201 with a PostResponse owned by the caller', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const before = Date.now();
    const response = await send(app, 'POST', '/api/posts', user.headers, { title: 'Hello', content: 'World' });
    const after = Date.now();
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const post = response.json<PostResponseBody>();
    expectPostResponse(post, { title: 'Hello', content: 'World', owner: user });
    const posted = Date.parse(post.date_posted);
    expect(posted).toBeGreaterThanOrEqual(before - 1000);
    expect(posted).toBeLessThanOrEqual(after + 1000);

    // And it can be read back, identically.
    const read = await getPost(app, post.id);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(post);
  });

  it('ignores a user_id in the body: the owner is always the caller', async () => {
    const app = await appAnd();
    const caller = await signedInUser(app);
    const other = await signedInUser(app);
    const response = await send(app, 'POST', '/api/posts', caller.headers, {
      title: 'Mine',
      content: 'x',
      user_id: other.id,
    });
    expect(response.statusCode).toBe(201);
    const post = response.json<PostResponseBody>();
    expect(post.user_id).toBe(caller.id);
    expect(post.author.id).toBe(caller.id);
    expect(post.author.username).toBe(caller.username);
    expect((await getPost(app, post.id)).json<PostResponseBody>().user_id).toBe(caller.id);
    // The other user may not edit it; the caller may.
    expect((await send(app, 'PATCH', `/api/posts/${post.id}`, other.headers, { title: 'x' })).statusCode).toBe(403);
    expect((await send(app, 'PATCH', `/api/posts/${post.id}`, caller.headers, { title: 'y' })).statusCode).toBe(200);
  });

  it('answers 401 "Not authenticated" with WWW-Authenticate: Bearer without a token, and creates nothing', async () => {
    const app = await appAnd();
    const before = (await send(app, 'GET', '/api/posts')).json<{ total: number }>().total;
    const response = await send(app, 'POST', '/api/posts', {}, { title: 'Anon', content: 'x' });
    expect401(response, 'Not authenticated');
    expect((await send(app, 'GET', '/api/posts')).json<{ total: number }>().total).toBe(before);
  });

  it('answers 401 with WWW-Authenticate: Bearer for a garbage token', async () => {
    const app = await appAnd();
    expect401(await send(app, 'POST', '/api/posts', GARBAGE, { title: 'Anon', content: 'x' }));
    expect401(await send(app, 'POST', '/api/posts', { authorization: 'Bearer' }, { title: 'Anon', content: 'x' }));
    expect401(
      await send(app, 'POST', '/api/posts', { authorization: 'Basic dXNlcjpwYXNz' }, { title: 'Anon', content: 'x' }),
    );
  });

  it('answers 401 before validating the body', async () => {
    const app = await appAnd();
    expect401(await send(app, 'POST', '/api/posts', {}, { title: '' }), 'Not authenticated');
  });

  const invalidBodies: [string, Record<string, unknown>, (string | number)[], string][] = [
    ['empty title', { title: '', content: 'x' }, ['body', 'title'], 'string_too_short'],
    ['101-character title', { title: 't'.repeat(101), content: 'x' }, ['body', 'title'], 'string_too_long'],
    ['missing title', { content: 'x' }, ['body', 'title'], 'missing'],
    ['numeric title', { title: 123, content: 'x' }, ['body', 'title'], 'string_type'],
    ['empty content', { title: 't', content: '' }, ['body', 'content'], 'string_too_short'],
    [
      'content over 100,000 characters',
      { title: 't', content: 'c'.repeat(100_001) },
      ['body', 'content'],
      'string_too_long',
    ],
    ['missing content', { title: 't' }, ['body', 'content'], 'missing'],
  ];

  it.each(invalidBodies)('answers 422 for %s', async (_name, payload, loc, type) => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const before = (await send(app, 'GET', `/api/users/${user.id}/posts`)).json<{ total: number }>().total;
    const response = await send(app, 'POST', '/api/posts', user.headers, payload);
    expect422At(response, loc);
    const item = response
      .json<{ detail: ValidationDetail[] }>()
      .detail.find((d) => JSON.stringify(d.loc) === JSON.stringify(loc));
    expect(item?.type).toBe(type);
    expect((await send(app, 'GET', `/api/users/${user.id}/posts`)).json<{ total: number }>().total).toBe(before);
  });

  it('lists every invalid field in one 422', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const response = await send(app, 'POST', '/api/posts', user.headers, {});
    expect422At(response, ['body', 'title']);
    expect422At(response, ['body', 'content']);
  });

  it('accepts a 100-character title and a 100,000-character content', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const title = 'T'.repeat(100);
    const content = 'C'.repeat(100_000);
    const response = await send(app, 'POST', '/api/posts', user.headers, { title, content });
    expect(response.statusCode).toBe(201);
    const post = response.json<PostResponseBody>();
    expectPostResponse(post, { title, content, owner: user });
    const read = (await getPost(app, post.id)).json<PostResponseBody>();
    expect(read.title.length).toBe(100);
    expect(read.content.length).toBe(100_000);
  });

  const payloads: [string, string, string][] = [
    ['HTML', '<script>alert(1)</script>', '<img src=x onerror="alert(\'xss\')"> &amp; &lt;b&gt; </textarea>'],
    ['SQL', "'; DROP TABLE posts; --", 'Robert\'); DROP TABLE users;-- " OR 1=1 -- /* */ %_ \\'],
    ['emoji', 'Emoji 😀🎉 👨‍👩‍👧‍👦 🏳️‍🌈', 'Flags 🇫🇷🇯🇵 and skin tones 👍🏽 and astral 𝕳𝖊𝖑𝖑𝖔'],
    ['RTL', 'مرحبا بالعالم שלום', 'Mixed \u202Eevil\u202C text ‏with RLM‏ and עברית 123'],
    [
      'combining',
      'e\u0301 vs \u00e9, Z\u0351\u0361a\u0352lgo',
      'n\u0303 a\u030A \u1100\u1161\u11A8 zero\u200Bwidth\u200Djoiner \uFEFF BOM',
    ],
  ];

  it.each(payloads)('returns %s text byte-for-byte', async (_name, title, content) => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const created = await send(app, 'POST', '/api/posts', user.headers, { title, content });
    expect(created.statusCode).toBe(201);
    const post = created.json<PostResponseBody>();
    expect(Buffer.from(post.title, 'utf8').equals(Buffer.from(title, 'utf8'))).toBe(true);
    expect(Buffer.from(post.content, 'utf8').equals(Buffer.from(content, 'utf8'))).toBe(true);

    const read = (await getPost(app, post.id)).json<PostResponseBody>();
    expect(Buffer.from(read.title, 'utf8').equals(Buffer.from(title, 'utf8'))).toBe(true);
    expect(Buffer.from(read.content, 'utf8').equals(Buffer.from(content, 'utf8'))).toBe(true);

    const listed = (await send(app, 'GET', `/api/users/${user.id}/posts`)).json<{ posts: PostResponseBody[] }>();
    const inList = listed.posts.find((p) => p.id === post.id);
    expect(inList?.title).toBe(title);
    expect(inList?.content).toBe(content);

    // The tables are intact after the SQL-looking payloads.
    expect((await send(app, 'GET', '/api/posts')).statusCode).toBe(200);
    expect((await send(app, 'GET', `/api/users/${user.id}`)).statusCode).toBe(200);
  });
});

describe('GET /api/posts/{post_id}', () => {
  it('answers 200 with the PostResponse', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const created = await createPost(app, user.headers, 'Read me', 'Body text');
    const response = await getPost(app, created.id);
    expect(response.statusCode).toBe(200);
    const post = response.json<PostResponseBody>();
    expectPostResponse(post, { title: 'Read me', content: 'Body text', owner: user });
    expect(post.id).toBe(created.id);
  });

  it('needs no authentication', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const created = await createPost(app, user.headers);
    expect((await getPost(app, created.id)).statusCode).toBe(200);
  });

  it('answers 404 "Post not found" for an id that does not exist', async () => {
    const app = await appAnd();
    const user = await signedInUser(app);
    const created = await createPost(app, user.headers);
    expectDetail(await getPost(app, created.id + 10_000), 404, 'Post not found');
  });

  it.each(['99999999999', '2147483648', '9007199254740993', '0', '-1'])(
    'answers 404 (not 500) for the integer id %s',
    async (id) => {
      const app = await appAnd();
      expectDetail(await send(app, 'GET', `/api/posts/${id}`), 404, 'Post not found');
    },
  );

  it.each(['abc', '1.5', '1e', '12abc'])('answers 422 with loc ["path", "post_id"] for %s', async (id) => {
    const app = await appAnd();
    expect422At(await send(app, 'GET', `/api/posts/${id}`), ['path', 'post_id']);
  });
});

describe('PUT /api/posts/{post_id}', () => {
  it('answers 200 with the fully replaced post for its owner', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Old title', 'Old content');
    const original = (await getPost(app, created.id)).json<PostResponseBody>();
    const response = await send(app, 'PUT', `/api/posts/${created.id}`, owner.headers, {
      title: 'New title',
      content: 'New content',
    });
    expect(response.statusCode).toBe(200);
    const post = response.json<PostResponseBody>();
    expectPostResponse(post, { title: 'New title', content: 'New content', owner });
    expect(post.id).toBe(created.id);
    expect(post.date_posted).toBe(original.date_posted);
    expect((await getPost(app, created.id)).json<PostResponseBody>()).toEqual(post);
  });

  it('ignores a user_id in the body', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const other = await signedInUser(app);
    const created = await createPost(app, owner.headers);
    const response = await send(app, 'PUT', `/api/posts/${created.id}`, owner.headers, {
      title: 'a',
      content: 'b',
      user_id: other.id,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<PostResponseBody>().user_id).toBe(owner.id);
    expect((await getPost(app, created.id)).json<PostResponseBody>().author.id).toBe(owner.id);
  });

  it('answers 403 "Not authorized to update this post" for another user, and changes nothing', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const other = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Keep', 'Keep this');
    const response = await send(app, 'PUT', `/api/posts/${created.id}`, other.headers, {
      title: 'Hijack',
      content: 'Hijacked',
    });
    expectDetail(response, 403, 'Not authorized to update this post');
    const after = (await getPost(app, created.id)).json<PostResponseBody>();
    expect(after.title).toBe('Keep');
    expect(after.content).toBe('Keep this');
  });

  it('answers 404 "Post not found" for a missing post', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    expectDetail(
      await send(app, 'PUT', '/api/posts/987654', owner.headers, { title: 'a', content: 'b' }),
      404,
      'Post not found',
    );
    expectDetail(
      await send(app, 'PUT', '/api/posts/99999999999', owner.headers, { title: 'a', content: 'b' }),
      404,
      'Post not found',
    );
  });

  it('answers 401 without a token or with a garbage token', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Keep', 'Keep');
    expect401(
      await send(app, 'PUT', `/api/posts/${created.id}`, {}, { title: 'a', content: 'b' }),
      'Not authenticated',
    );
    expect401(await send(app, 'PUT', `/api/posts/${created.id}`, GARBAGE, { title: 'a', content: 'b' }));
    expect((await getPost(app, created.id)).json<PostResponseBody>().title).toBe('Keep');
  });

  it('answers 422 when content is missing (PUT needs both fields)', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Keep', 'Keep');
    expect422At(await send(app, 'PUT', `/api/posts/${created.id}`, owner.headers, { title: 'Only title' }), [
      'body',
      'content',
    ]);
    expect422At(await send(app, 'PUT', `/api/posts/${created.id}`, owner.headers, { content: 'Only content' }), [
      'body',
      'title',
    ]);
    expect422At(await send(app, 'PUT', `/api/posts/${created.id}`, owner.headers, { title: '', content: 'x' }), [
      'body',
      'title',
    ]);
    expect422At(await send(app, 'PUT', `/api/posts/abc`, owner.headers, { title: 'a', content: 'b' }), [
      'path',
      'post_id',
    ]);
    expect((await getPost(app, created.id)).json<PostResponseBody>().title).toBe('Keep');
  });

  describe('order of checks: 401, then 422, then 404, then 403', () => {
    it('no token and a bad body: 401', async () => {
      const app = await appAnd();
      const owner = await signedInUser(app);
      const created = await createPost(app, owner.headers);
      expect401(await send(app, 'PUT', `/api/posts/${created.id}`, {}, { title: '' }), 'Not authenticated');
      expect401(await send(app, 'PUT', '/api/posts/987654', {}, { title: '' }), 'Not authenticated');
      expect401(await send(app, 'PUT', '/api/posts/abc', {}, { title: '' }), 'Not authenticated');
    });

    it('owner token and a bad body on a missing post: 422', async () => {
      const app = await appAnd();
      const owner = await signedInUser(app);
      expect422At(await send(app, 'PUT', '/api/posts/987654', owner.headers, { title: 'a' }), ['body', 'content']);
    });

    it('another user and a bad body on an existing post: 422 (validation before ownership)', async () => {
      const app = await appAnd();
      const owner = await signedInUser(app);
      const other = await signedInUser(app);
      const created = await createPost(app, owner.headers);
      expect422At(await send(app, 'PUT', `/api/posts/${created.id}`, other.headers, { title: 'a' }), [
        'body',
        'content',
      ]);
    });

    it('a valid body on a missing post: 404', async () => {
      const app = await appAnd();
      const user = await signedInUser(app);
      expectDetail(
        await send(app, 'PUT', '/api/posts/987654', user.headers, { title: 'a', content: 'b' }),
        404,
        'Post not found',
      );
    });

    it("a valid body on another user's post: 403", async () => {
      const app = await appAnd();
      const owner = await signedInUser(app);
      const other = await signedInUser(app);
      const created = await createPost(app, owner.headers);
      expectDetail(
        await send(app, 'PUT', `/api/posts/${created.id}`, other.headers, { title: 'a', content: 'b' }),
        403,
        'Not authorized to update this post',
      );
    });
  });
});

describe('PATCH /api/posts/{post_id}', () => {
  it('changes only the title, keeping the content', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Old title', 'Kept content');
    const response = await send(app, 'PATCH', `/api/posts/${created.id}`, owner.headers, { title: 'New title' });
    expect(response.statusCode).toBe(200);
    expectPostResponse(response.json<PostResponseBody>(), { title: 'New title', content: 'Kept content', owner });
    expectPostResponse((await getPost(app, created.id)).json<PostResponseBody>(), {
      title: 'New title',
      content: 'Kept content',
      owner,
    });
  });

  it('changes only the content, keeping the title', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Kept title', 'Old content');
    const response = await send(app, 'PATCH', `/api/posts/${created.id}`, owner.headers, { content: 'New content' });
    expect(response.statusCode).toBe(200);
    expectPostResponse(response.json<PostResponseBody>(), { title: 'Kept title', content: 'New content', owner });
    expectPostResponse((await getPost(app, created.id)).json<PostResponseBody>(), {
      title: 'Kept title',
      content: 'New content',
      owner,
    });
  });

  it('changes both fields at once', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'a', 'b');
    const response = await send(app, 'PATCH', `/api/posts/${created.id}`, owner.headers, { title: 'c', content: 'd' });
    expect(response.statusCode).toBe(200);
    expectPostResponse(response.json<PostResponseBody>(), { title: 'c', content: 'd', owner });
  });

  it('answers 200 and leaves the post unchanged for an empty object', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Same', 'Same content');
    const before = (await getPost(app, created.id)).json<PostResponseBody>();
    const response = await send(app, 'PATCH', `/api/posts/${created.id}`, owner.headers, {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(before);
    expect((await getPost(app, created.id)).json()).toEqual(before);
  });

  it('ignores a user_id in the body', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const other = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Mine', 'Mine');
    const response = await send(app, 'PATCH', `/api/posts/${created.id}`, owner.headers, { user_id: other.id });
    expect(response.statusCode).toBe(200);
    expect(response.json<PostResponseBody>().user_id).toBe(owner.id);
    expect((await getPost(app, created.id)).json<PostResponseBody>().user_id).toBe(owner.id);
  });

  it('answers 403 "Not authorized to update this post" for another user, and changes nothing', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const other = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Keep', 'Keep this');
    expectDetail(
      await send(app, 'PATCH', `/api/posts/${created.id}`, other.headers, { title: 'Hijack' }),
      403,
      'Not authorized to update this post',
    );
    expectDetail(
      await send(app, 'PATCH', `/api/posts/${created.id}`, other.headers, {}),
      403,
      'Not authorized to update this post',
    );
    const after = (await getPost(app, created.id)).json<PostResponseBody>();
    expect(after.title).toBe('Keep');
    expect(after.content).toBe('Keep this');
  });

  it('answers 404 "Post not found" for a missing post', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    expectDetail(await send(app, 'PATCH', '/api/posts/987654', owner.headers, { title: 'x' }), 404, 'Post not found');
    expectDetail(await send(app, 'PATCH', '/api/posts/99999999999', owner.headers, {}), 404, 'Post not found');
  });

  it('answers 401 without a token or with a garbage token', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Keep', 'Keep');
    expect401(await send(app, 'PATCH', `/api/posts/${created.id}`, {}, { title: 'x' }), 'Not authenticated');
    expect401(await send(app, 'PATCH', `/api/posts/${created.id}`, GARBAGE, { title: 'x' }));
    expect401(await send(app, 'PATCH', `/api/posts/${created.id}`, {}, { title: '' }), 'Not authenticated');
    expect((await getPost(app, created.id)).json<PostResponseBody>().title).toBe('Keep');
  });

  const invalidPatches: [string, Record<string, unknown>, (string | number)[]][] = [
    ['empty title', { title: '' }, ['body', 'title']],
    ['101-character title', { title: 'x'.repeat(101) }, ['body', 'title']],
    ['numeric title', { title: 5 }, ['body', 'title']],
    ['null title', { title: null }, ['body', 'title']],
    ['empty content', { content: '' }, ['body', 'content']],
    ['content over 100,000 characters', { content: 'c'.repeat(100_001) }, ['body', 'content']],
  ];

  it.each(invalidPatches)('answers 422 for %s and changes nothing', async (_name, payload, loc) => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Keep', 'Keep');
    expect422At(await send(app, 'PATCH', `/api/posts/${created.id}`, owner.headers, payload), loc);
    const after = (await getPost(app, created.id)).json<PostResponseBody>();
    expect([after.title, after.content]).toEqual(['Keep', 'Keep']);
  });

  it('answers 422 for a bad path id and a bad body on a missing post (before 404)', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    expect422At(await send(app, 'PATCH', '/api/posts/1.5', owner.headers, { title: 'x' }), ['path', 'post_id']);
    expect422At(await send(app, 'PATCH', '/api/posts/987654', owner.headers, { title: '' }), ['body', 'title']);
  });
});

describe('DELETE /api/posts/{post_id}', () => {
  it('answers 204 with no body, and the post is gone', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers);
    const response = await send(app, 'DELETE', `/api/posts/${created.id}`, owner.headers);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectDetail(await getPost(app, created.id), 404, 'Post not found');
    const listed = (await send(app, 'GET', `/api/users/${owner.id}/posts`)).json<{
      posts: PostResponseBody[];
      total: number;
    }>();
    expect(listed.posts.map((p) => p.id)).not.toContain(created.id);
    expect(listed.total).toBe(0);
    // Deleting it again: 404.
    expectDetail(await send(app, 'DELETE', `/api/posts/${created.id}`, owner.headers), 404, 'Post not found');
  });

  it('answers 403 "Not authorized to delete this post" for another user, and the post is still there', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const other = await signedInUser(app);
    const created = await createPost(app, owner.headers, 'Stay', 'Still here');
    expectDetail(
      await send(app, 'DELETE', `/api/posts/${created.id}`, other.headers),
      403,
      'Not authorized to delete this post',
    );
    const after = await getPost(app, created.id);
    expect(after.statusCode).toBe(200);
    expectPostResponse(after.json<PostResponseBody>(), { title: 'Stay', content: 'Still here', owner });
  });

  it('answers 404 "Post not found" for a missing post', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    expectDetail(await send(app, 'DELETE', '/api/posts/987654', owner.headers), 404, 'Post not found');
    expectDetail(await send(app, 'DELETE', '/api/posts/99999999999', owner.headers), 404, 'Post not found');
  });

  it('answers 401 without a token or with a garbage token, and the post is still there', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers);
    expect401(await send(app, 'DELETE', `/api/posts/${created.id}`), 'Not authenticated');
    expect401(await send(app, 'DELETE', `/api/posts/${created.id}`, GARBAGE));
    expect401(await send(app, 'DELETE', '/api/posts/987654'), 'Not authenticated');
    expect((await getPost(app, created.id)).statusCode).toBe(200);
  });

  it('answers 422 for a non-integer id', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    expect422At(await send(app, 'DELETE', '/api/posts/abc', owner.headers), ['path', 'post_id']);
  });

  it('a deleted token owner cannot act: the token answers 401', async () => {
    const app = await appAnd();
    const owner = await signedInUser(app);
    const created = await createPost(app, owner.headers);
    expect((await send(app, 'DELETE', `/api/users/${owner.id}`, owner.headers)).statusCode).toBe(204);
    expect401(await send(app, 'DELETE', `/api/posts/${created.id}`, owner.headers));
    // The user's posts went with the account.
    expectDetail(await getPost(app, created.id), 404, 'Post not found');
  });
});

describe('the author embedded in posts', () => {
  it('shows the new username after the author renames', async () => {
    const app = await appAnd();
    const author = await signedInUser(app);
    const first = await createPost(app, author.headers, 'First', 'x');
    const second = await createPost(app, author.headers, 'Second', 'y');
    const newName = `${author.username}renamed`;
    const renamed = await send(app, 'PATCH', `/api/users/${author.id}`, author.headers, { username: newName });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<UserPrivateBody>().username).toBe(newName);

    for (const id of [first.id, second.id]) {
      const post = (await getPost(app, id)).json<PostResponseBody>();
      expect(post.author).toEqual(publicProfile({ id: author.id, username: newName }));
    }
    const mine = (await send(app, 'GET', `/api/users/${author.id}/posts`)).json<{ posts: PostResponseBody[] }>();
    expect(mine.posts.map((p) => p.id).sort()).toEqual([first.id, second.id].sort());
    expect(mine.posts.every((p) => p.author.username === newName)).toBe(true);
    const all = (await send(app, 'GET', '/api/posts?limit=100')).json<{ posts: PostResponseBody[] }>();
    const inAll = all.posts.filter((p) => p.user_id === author.id);
    expect(inAll.length).toBe(2);
    expect(inAll.every((p) => p.author.username === newName)).toBe(true);
    // And the updated post response embeds the current name too.
    const patched = (
      await send(app, 'PATCH', `/api/posts/${first.id}`, author.headers, { title: 'First!' })
    ).json<PostResponseBody>();
    expect(patched.author.username).toBe(newName);
  });
});
