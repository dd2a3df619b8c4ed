// Search (docs/api.md, "Publishing", Search): GET /api/posts?q= finds the
// published posts holding every word of q in the title or the content (whole
// words, case-insensitive, `word*` a prefix), title matches first, then newest
// first (date_posted desc, then id desc). The fixed corpus below gives the
// same expected id lists on SQLite and on PostgreSQL: this file runs on both.
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import { createPost, expect422At, signedInUser, useTestApp, type SignedIn } from '../helpers/index.js';

const context = useTestApp();
let app: App;

async function search(q: string, query = ''): Promise<PostPageBody> {
  const response = await app.inject(`/api/posts?q=${encodeURIComponent(q)}${query}`);
  expect(response.statusCode, `${JSON.stringify(q)}: ${response.body}`).toBe(200);
  return response.json<PostPageBody>();
}
const ids = (page: PostPageBody) => page.posts.map((post) => post.id);

/** The fixed corpus: label, title, content, day of January 2024 (C and D share one), status. */
const CORPUS = [
  ['A', 'Garden notes', 'The river runs past the garden.', 5],
  ['B', 'River walk', 'A quiet garden by the river.', 3],
  ['C', 'Gardening tips', 'Water the plants every morning.', 4],
  ['D', 'Morning coffee', 'Coffee in the garden, then the river.', 4],
  ['E', 'Ancient river garden', 'Nothing else.', 1],
  ['F', 'Garden river draft', 'garden river, never published', 7, 'draft'],
  ['G', 'Punctuation', 'e-mail someone@example.com or see http://example.org/a_path (café, Straße)', 2],
  ['H', 'Numbers 2024', 'Version 1.5, v2 and 10x faster.', 6],
] as const;

/** Query → the labels it finds, in the contract's order. */
const EXPECTED: [string, string[]][] = [
  ['garden', ['A', 'E', 'D', 'B']], // title matches (A, E) newest first, then content matches (D, B); C's "Gardening" is another word
  ['GARDEN', ['A', 'E', 'D', 'B']],
  ['river garden', ['E', 'A', 'D', 'B']], // only E has both in the title
  ['garden river', ['E', 'A', 'D', 'B']],
  ['garden*', ['A', 'C', 'E', 'D', 'B']],
  ['gar* riv*', ['E', 'A', 'D', 'B']],
  ['the', ['A', 'D', 'C', 'B']], // C and D share a date: the higher id first
  ['morning', ['D', 'C']],
  ['river -garden', ['E', 'A', 'D', 'B']], // "-" is no operator: both words are needed
  ['"garden" OR zebra', []],
  ['example', ['G']],
  ['com', ['G']],
  ['mail', ['G']],
  ['path', ['G']],
  ['café', ['G']],
  ['CAFÉ', ['G']],
  ['straße', ['G']],
  ['2024', ['H']],
  ['1', ['H']],
  ['10x', ['H']],
  ['v2', ['H']],
  ['nothing', ['E']],
  ['draft', []],
  ['never published', []],
  ['zebra', []],
  ['gardens', []],
  ['***', []],
  ['!!!', []],
];

describe('the fixed corpus', () => {
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    ({ app } = await context());
    const author = await app.repositories.users.create({
      username: `corpus${process.pid}`,
      email: `corpus${process.pid}@example.com`,
      passwordHash: 'not-a-real-hash',
    });
    for (const [label, title, content, day, status = 'published'] of CORPUS) {
      const { id } = await app.db
        .insertInto('posts')
        .values({
          title,
          content,
          status,
          user_id: author.id,
          date_posted: new Date(Date.UTC(2024, 0, day)).toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      idOf.set(label, id);
    }
  });

  it.each(EXPECTED)('%j finds exactly %j, in order', async (q, labels) => {
    const page = await search(q);
    expect(ids(page)).toEqual(labels.map((label) => idOf.get(label)));
    expect(page.total).toBe(labels.length);
    expect(page.has_more).toBe(false);
  });

  it('pages through the order across the title group and the others: skip, limit, has_more, total', async () => {
    const [a, e, d, b] = ['A', 'E', 'D', 'B'].map((label) => idOf.get(label));
    expect(await search('garden', '&limit=2')).toMatchObject({ total: 4, skip: 0, limit: 2, has_more: true });
    expect(ids(await search('garden', '&limit=2'))).toEqual([a, e]);
    expect(ids(await search('garden', '&skip=1&limit=2'))).toEqual([e, d]);
    const last = await search('garden', '&skip=2&limit=2');
    expect(ids(last)).toEqual([d, b]);
    expect(last.has_more).toBe(false);
    expect(await search('garden', '&skip=3&limit=5')).toMatchObject({ total: 4, has_more: false });
    expect(await search('garden', '&skip=10')).toMatchObject({ posts: [], total: 4, skip: 10, has_more: false });
  });

  it('answers PostResponses, like the listing', async () => {
    const listing = (await app.inject('/api/posts?limit=100')).json<PostPageBody>();
    const [found] = (await search('nothing')).posts;
    expect(found).toEqual(listing.posts.find((post) => post.id === idOf.get('E')));
  });

  it('without q is the plain listing (published posts, newest first)', async () => {
    const listing = (await app.inject('/api/posts?limit=100')).json<PostPageBody>();
    expect(listing.total).toBe(CORPUS.filter((row) => row.length === 4).length);
    expect(listing.posts.map((post) => post.id)).not.toContain(idOf.get('F'));
  });
});

describe('posts as they change', () => {
  let author: SignedIn;
  const word = () => `w${Math.random().toString(36).slice(2, 10)}`;

  beforeAll(async () => {
    ({ app } = await context());
    author = await signedInUser(app, 'searcher');
  });

  const change = (post: PostResponseBody, payload: object) =>
    app.inject({ method: 'PATCH', url: `/api/posts/${post.id}`, headers: author.headers, payload });

  it('never finds a draft; finds it once published', async () => {
    const secret = word();
    const response = await app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: author.headers,
      payload: { title: `Draft ${secret}`, content: `about ${secret}`, status: 'draft' },
    });
    expect(response.statusCode).toBe(201);
    const draft = response.json<PostResponseBody>();
    expect(await search(secret)).toMatchObject({ posts: [], total: 0 });
    expect((await change(draft, { status: 'published' })).statusCode).toBe(200);
    expect(ids(await search(secret))).toEqual([draft.id]);
    expect((await change(draft, { status: 'draft' })).statusCode).toBe(200);
    expect(await search(secret)).toMatchObject({ posts: [], total: 0 });
  });

  it('after an edit the new words match and the old ones do not', async () => {
    const [before, after, titled] = [word(), word(), word()];
    const post = await createPost(app, author.headers, 'Edited post', `Text with ${before}`);
    expect(ids(await search(before))).toEqual([post.id]);
    expect((await change(post, { content: `Text with ${after}` })).statusCode).toBe(200);
    expect(await search(before)).toMatchObject({ posts: [], total: 0 });
    expect(ids(await search(after))).toEqual([post.id]);
    expect((await change(post, { title: `Now ${titled}` })).statusCode).toBe(200);
    expect(ids(await search(`${titled} ${after}`))).toEqual([post.id]);
  });

  it('never finds a deleted post', async () => {
    const gone = word();
    const post = await createPost(app, author.headers, `Gone ${gone}`, 'Soon deleted');
    expect((await search(gone)).total).toBe(1);
    const response = await app.inject({ method: 'DELETE', url: `/api/posts/${post.id}`, headers: author.headers });
    expect(response.statusCode).toBe(204);
    expect(await search(gone)).toMatchObject({ posts: [], total: 0 });
  });

  it('finds a new post at once (the kept totals follow posts_revision)', async () => {
    const fresh = word();
    const first = await createPost(app, author.headers, 'One', fresh);
    expect((await search(fresh)).total).toBe(1);
    const second = await createPost(app, author.headers, 'Two', fresh);
    const page = await search(fresh);
    expect(page.total).toBe(2);
    expect(ids(page)).toEqual([second.id, first.id]);
  });
});

describe('what q may be', () => {
  beforeAll(async () => {
    ({ app } = await context());
  });

  it.each([
    ['empty', ''],
    ['over 200 characters', 'a'.repeat(201)],
  ])('%s: 422 at query.q', async (_name, q) => {
    const response = await app.inject(`/api/posts?q=${encodeURIComponent(q)}`);
    expect(response.statusCode).toBe(422);
    expect422At(response, ['query', 'q']);
  });

  it('200 characters are allowed', async () => {
    const q = `${'zz '.repeat(66)}zz`;
    expect(q).toHaveLength(200);
    expect((await search(q)).total).toBe(0);
  });

  const HOSTILE = [
    '"',
    '"""',
    "'",
    "' or 1=1 --",
    '(',
    ')))',
    '-',
    '-a',
    'a -b',
    ':',
    'title:a',
    '{title}: a',
    '^a',
    'NEAR(a b)',
    'a NEAR b',
    'AND',
    'OR',
    'NOT',
    'a AND',
    'NOT a',
    '*',
    '* *',
    'a**',
    '*a',
    '&',
    '|',
    '!a',
    'a:*',
    "a' & 'b",
    '\\',
    '%',
    '_',
    '\u0000',
    'a\u0000b',
    '\u200b',
    '😀',
    'ﷺ',
    'İstanbul',
    'x'.repeat(200),
    '*'.repeat(200),
    'a* '.repeat(66),
    '; drop table posts',
  ];

  it.each(HOSTILE)('%j is answered, never with a 5xx', async (q) => {
    const response = await app.inject(`/api/posts?q=${encodeURIComponent(q)}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(Object.keys(response.json<PostPageBody>()).sort()).toEqual(['has_more', 'limit', 'posts', 'skip', 'total']);
  });

  it('a query without any word is an empty page', async () => {
    expect(await search('***')).toEqual({ posts: [], total: 0, skip: 0, limit: 10, has_more: false });
  });
});
