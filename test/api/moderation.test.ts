// Moderation (docs/api.md, "Moderation"): a suspended user cannot log in
// (403 "Account suspended"), every token of theirs answers 401 at once, and
// their posts are hidden from everyone but admins (who see them marked
// `withheld`) until they are unsuspended; the last admin stays; every admin
// action is in the audit log, newest first, and the log cannot be changed.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { AdminUserBody, AuditEntryBody } from '../../src/schemas/admin.js';
import type { PostPageBody, PostResponseBody } from '../../src/schemas/posts.js';
import {
  createPost,
  createTestApp,
  expect401,
  expectDetail,
  grantAdmin,
  login,
  signedInAdmin,
  signedInUser,
  useTestApp,
  type Headers,
  type SignedIn,
} from '../helpers/index.js';

const context = useTestApp();
const appOf = async () => (await context()).app;

const get = (app: App, url: string, headers: Headers = {}) => app.inject({ method: 'GET', url, headers });
const post = (app: App, url: string, headers: Headers = {}) => app.inject({ method: 'POST', url, headers });

async function json<T>(app: App, url: string, headers: Headers = {}): Promise<T> {
  const response = await get(app, url, headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
}

const ids = (page: PostPageBody) => page.posts.map((item) => item.id);

async function suspend(app: App, admin: SignedIn, userId: number, action: 'suspend' | 'unsuspend' = 'suspend') {
  const response = await post(app, `/api/admin/users/${userId}/${action}`, admin.headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<AdminUserBody>();
}

async function newestAudit(app: App, admin: SignedIn, limit = 1): Promise<AuditEntryBody[]> {
  return (await json<{ entries: AuditEntryBody[] }>(app, `/api/admin/audit?limit=${limit}`, admin.headers)).entries;
}

/** A spammer with a published post (a unique word in it) and a draft, and a reader's post beside them. */
async function spammerAndPosts(app: App) {
  const spammer = await signedInUser(app, 'spammer');
  const word = `spamword${spammer.id}`;
  const spam = await createPost(app, spammer.headers, `Cheap pills ${word}`, `Buy now ${word}`);
  await createPost(app, spammer.headers, 'Unfinished spam', 'draft', 'draft');
  const reader = await signedInUser(app, 'reader');
  const honest = await createPost(app, reader.headers, 'An honest post', 'Nothing to see');
  return { spammer, word, spam, honest };
}

describe('suspending an account', () => {
  it('hides its posts from every public list, count, page, feed, sitemap and search at once', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const { spammer, word, spam, honest } = await spammerAndPosts(app);
    const before = await json<PostPageBody>(app, '/api/posts?limit=100');
    expect(ids(before)).toContain(spam.id);
    expect((await get(app, '/sitemap.xml')).body).toContain(`/users/${spammer.id}/posts<`);
    expect((await get(app, '/sitemap.xml')).body).toContain(`/posts/${spam.id}<`);

    const suspended = await suspend(app, admin, spammer.id);
    expect(suspended).toMatchObject({ id: spammer.id, suspended: true, role: 'user', post_count: 2 });
    expect(suspended.suspended_at).toMatch(/Z$/);

    const after = await json<PostPageBody>(app, '/api/posts?limit=100');
    expect(ids(after)).not.toContain(spam.id);
    expect(ids(after)).toContain(honest.id);
    expect(after.total).toBe(before.total - 1);
    expectDetail(await get(app, `/api/posts/${spam.id}`), 404, 'Post not found');
    expectDetail(await get(app, `/api/users/${spammer.id}`), 404, 'User not found');
    expectDetail(await get(app, `/api/users/${spammer.id}/posts`), 404, 'User not found');
    expect((await json<PostPageBody>(app, `/api/posts?q=${word}`)).total).toBe(0);
    expect((await get(app, '/feed.xml')).body).not.toContain(`/posts/${spam.id}<`);
    expect((await get(app, `/users/${spammer.id}/feed.xml`)).statusCode).toBe(404);
    const sitemap = (await get(app, '/sitemap.xml')).body;
    expect(sitemap).not.toContain(`/posts/${spam.id}<`);
    expect(sitemap).not.toContain(`/users/${spammer.id}/posts<`);
    expect((await get(app, `/posts/${spam.id}`)).statusCode).toBe(404);
    expect((await get(app, `/users/${spammer.id}/posts`)).statusCode).toBe(404);
  });

  it('ends every token of the account (401), and its login answers 403 "Account suspended" only to the right password', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const spammer = await signedInUser(app, 'spammer');
    const second = await login(app, spammer.email, spammer.password);

    await suspend(app, admin, spammer.id);
    expect401(await get(app, '/api/users/me', spammer.headers));
    expect401(await get(app, '/api/users/me', { authorization: `Bearer ${second}` }));
    const form = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/users/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: spammer.email, password }).toString(),
      });
    expectDetail(await form(spammer.password), 403, 'Account suspended');
    expect((await form('not the password')).statusCode).toBe(401);
  });

  it('admins still see the posts, marked withheld, on the post and on the author', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const { spammer, spam } = await spammerAndPosts(app);
    await suspend(app, admin, spammer.id);

    const seen = await json<PostResponseBody>(app, `/api/posts/${spam.id}`, admin.headers);
    expect(seen).toMatchObject({ id: spam.id, status: 'published', withheld: true });
    const theirs = await json<PostPageBody>(app, `/api/users/${spammer.id}/posts`, admin.headers);
    expect(ids(theirs)).toEqual([spam.id]);
    expect(theirs.total).toBe(1);
    expect(theirs.posts[0]?.withheld).toBe(true);
    expect((await json<{ username: string }>(app, `/api/users/${spammer.id}`, admin.headers)).username).toBe(
      spammer.username,
    );
    // Public lists stay public: an admin's home page does not bring them back.
    expect(ids(await json<PostPageBody>(app, '/api/posts?limit=100', admin.headers))).not.toContain(spam.id);
  });

  it('unsuspending brings everything back, in its place, and the account can log in again (its old tokens stay ended)', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const { spammer, word, spam } = await spammerAndPosts(app);
    const before = await json<PostPageBody>(app, '/api/posts?limit=100');
    await suspend(app, admin, spammer.id);
    const reinstated = await suspend(app, admin, spammer.id, 'unsuspend');
    expect(reinstated).toMatchObject({ suspended: false, suspended_at: null });

    expect(await json<PostPageBody>(app, '/api/posts?limit=100')).toEqual(before);
    expect((await json<PostResponseBody>(app, `/api/posts/${spam.id}`)).withheld).toBeUndefined();
    expect(ids(await json<PostPageBody>(app, `/api/posts?q=${word}`))).toEqual([spam.id]);
    expect((await get(app, '/feed.xml')).body).toContain(`/posts/${spam.id}<`);
    const token = await login(app, spammer.email, spammer.password);
    expect((await get(app, '/api/users/me', { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    // The tokens the suspension ended stay ended.
    expect401(await get(app, '/api/users/me', spammer.headers));
  });

  it('a post written by an author being suspended at that moment is held back too', async () => {
    // The author's standing is read by the insert itself (share-locked on
    // PostgreSQL), so a post that passed the token check just before the
    // suspension cannot slip out of it.
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const author = await signedInUser(app, 'racer');
    await suspend(app, admin, author.id);
    const written = await app.repositories.posts.create({ title: 'Late', content: 'Late', userId: author.id });
    expect(written.withheld).toBe(true);
    expectDetail(await get(app, `/api/posts/${written.id}`), 404, 'Post not found');
  });

  it("is for admins only, refuses an unknown account and one's own, and doing it twice changes nothing", async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const user = await signedInUser(app);
    const other = await signedInUser(app);
    expectDetail(await post(app, `/api/admin/users/${other.id}/suspend`, user.headers), 403, 'Admins only');
    expect401(await post(app, `/api/admin/users/${other.id}/suspend`));
    expectDetail(await post(app, '/api/admin/users/999999/suspend', admin.headers), 404, 'User not found');
    expectDetail(
      await post(app, `/api/admin/users/${admin.id}/suspend`, admin.headers),
      400,
      'You cannot suspend your own account',
    );
    expect((await post(app, '/api/admin/users/abc/suspend', admin.headers)).statusCode).toBe(422);

    await suspend(app, admin, other.id);
    const [entry] = await newestAudit(app, admin);
    await suspend(app, admin, other.id);
    expect(await newestAudit(app, admin)).toEqual([entry]);
  });
});

describe('the last admin', () => {
  it('cannot be deleted, demoted or suspended; with a second admin each can be, until one is left', async () => {
    // A fresh site: its only admins are the ones made here.
    const site = await createTestApp();
    try {
      const first = await signedInAdmin(site.app, 'first');
      expectDetail(
        await site.app.inject({ method: 'DELETE', url: `/api/users/${first.id}`, headers: first.headers }),
        409,
        'The site must keep at least one admin',
      );
      await expect(site.app.services.moderation.setRoleByEmail(null, first.email, 'user')).rejects.toThrow(
        'The site must keep at least one admin',
      );

      const second = await signedInAdmin(site.app, 'second');
      await suspend(site.app, first, second.id);
      // The one left in good standing is the last admin now.
      await expect(site.app.services.moderation.setRoleByEmail(null, first.email, 'user')).rejects.toThrow(
        'The site must keep at least one admin',
      );
      await suspend(site.app, first, second.id, 'unsuspend');
      const demoted = await site.app.services.moderation.setRoleByEmail(null, first.email, 'user');
      expect(demoted).toMatchObject({ changed: true, user: { role: 'user' } });
    } finally {
      await site.close();
    }
  });
});

describe("admins on other people's posts and accounts", () => {
  it("may edit and delete any published post, each recorded with what changed; the author's own edits are not", async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const author = await signedInUser(app, 'author');
    const target = await createPost(app, author.headers, 'Spammy title', 'Spammy content');

    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/posts/${target.id}`,
      headers: admin.headers,
      payload: { title: 'Removed by a moderator' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<PostResponseBody>()).toMatchObject({ title: 'Removed by a moderator', user_id: author.id });
    const [update] = await newestAudit(app, admin);
    expect(update).toMatchObject({
      actor: { id: admin.id, username: admin.username },
      action: 'post.update',
      target: { type: 'post', id: target.id, label: 'Spammy title' },
      details: { changed: ['title'], title: { from: 'Spammy title', to: 'Removed by a moderator' } },
    });

    await app.inject({
      method: 'PATCH',
      url: `/api/posts/${target.id}`,
      headers: author.headers,
      payload: { title: 'Mine' },
    });
    expect(await newestAudit(app, admin)).toEqual([update]);

    const deleted = await app.inject({ method: 'DELETE', url: `/api/posts/${target.id}`, headers: admin.headers });
    expect(deleted.statusCode).toBe(204);
    expect((await newestAudit(app, admin))[0]).toMatchObject({
      action: 'post.delete',
      target: { type: 'post', id: target.id, label: 'Mine' },
      details: { author: author.username },
    });
  });

  it("cannot see or change another author's draft (404), nor their profile (403)", async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const author = await signedInUser(app, 'author');
    const draft = await createPost(app, author.headers, 'Private', 'Not yet', 'draft');
    expectDetail(await get(app, `/api/posts/${draft.id}`, admin.headers), 404, 'Post not found');
    expectDetail(
      await app.inject({ method: 'DELETE', url: `/api/posts/${draft.id}`, headers: admin.headers }),
      404,
      'Post not found',
    );
    const profile = await app.inject({
      method: 'PATCH',
      url: `/api/users/${author.id}`,
      headers: admin.headers,
      payload: { username: 'renamed' },
    });
    expectDetail(profile, 403, 'Not authorized to modify this user');
  });

  it('may delete any account, recorded with its name', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const spammer = await signedInUser(app, 'spammer');
    const response = await app.inject({ method: 'DELETE', url: `/api/users/${spammer.id}`, headers: admin.headers });
    expect(response.statusCode).toBe(204);
    expect((await get(app, `/api/users/${spammer.id}`, admin.headers)).statusCode).toBe(404);
    expect((await newestAudit(app, admin))[0]).toMatchObject({
      action: 'user.delete',
      target: { type: 'user', id: spammer.id, label: spammer.username },
      details: { email: spammer.email },
    });
  });
});

describe('the API document', () => {
  it('says on each operation an admin may also perform that admins may, and marks the admin-only ones', async () => {
    const app = await appOf();
    const { paths } = (await get(app, '/openapi.json')).json<{
      paths: Record<string, Record<string, { summary?: string; description?: string; tags?: string[] }>>;
    }>();
    const operation = (path: string, method: string) => paths[path]?.[method] ?? {};
    for (const [path, method] of [
      ['/api/posts/{post_id}', 'put'],
      ['/api/posts/{post_id}', 'patch'],
      ['/api/posts/{post_id}', 'delete'],
      ['/api/users/{user_id}', 'delete'],
    ] as const) {
      const { summary = '', description = '' } = operation(path, method);
      expect(`${summary} ${description}`, `${method} ${path}`).toMatch(/admins: any/);
      expect(description, `${method} ${path}`).toMatch(/audit log/);
    }
    for (const [path, methods] of Object.entries(paths).filter(([path]) => path.startsWith('/api/admin/'))) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.tags, `${method} ${path}`).toEqual(['admin']);
        expect(op.summary, `${method} ${path}`).toMatch(/admins only/);
      }
    }
  });
});

describe('GET /api/admin/users', () => {
  it('lists every account newest first with role, standing and post count; q matches usernames and emails, any case', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const { spammer } = await spammerAndPosts(app);
    await suspend(app, admin, spammer.id);

    const all = await json<{ users: AdminUserBody[]; total: number; has_more: boolean }>(
      app,
      '/api/admin/users?limit=100',
      admin.headers,
    );
    const userIds = all.users.map((user) => user.id);
    expect(userIds).toEqual([...userIds].sort((a, b) => b - a));
    expect(all.total).toBe(all.users.length);
    expect(all.users.find((user) => user.id === spammer.id)).toMatchObject({
      username: spammer.username,
      email: spammer.email,
      role: 'user',
      suspended: true,
      post_count: 2,
    });
    expect(all.users.find((user) => user.id === admin.id)).toMatchObject({ role: 'admin', suspended: false });

    const found = await json<{ users: AdminUserBody[]; total: number }>(
      app,
      `/api/admin/users?q=${spammer.username.toUpperCase()}`,
      admin.headers,
    );
    expect(found.users.map((user) => user.id)).toEqual([spammer.id]);
    const byEmail = await json<{ users: AdminUserBody[] }>(
      app,
      `/api/admin/users?q=${encodeURIComponent(`${spammer.username}@EXAMPLE`)}`,
      admin.headers,
    );
    expect(byEmail.users.map((user) => user.id)).toEqual([spammer.id]);
    // The search's wildcard characters are taken literally.
    expect((await json<{ total: number }>(app, '/api/admin/users?q=%25', admin.headers)).total).toBe(0);
    expect((await json<{ total: number }>(app, '/api/admin/users?q=_', admin.headers)).total).toBe(0);
    expectDetail(await get(app, '/api/admin/users', spammer.headers), 401, 'Invalid or expired token');
    expectDetail(await get(app, '/api/admin/users', (await signedInUser(app)).headers), 403, 'Admins only');
  });
});

describe('the audit log', () => {
  it('lists every admin action newest first, pages with total and has_more, and names the command line', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    const user = await signedInUser(app);
    await suspend(app, admin, user.id);
    await suspend(app, admin, user.id, 'unsuspend');
    await grantAdmin(app, user.email);

    const [granted, unsuspended, suspended] = await newestAudit(app, admin, 3);
    expect(granted).toMatchObject({
      actor: { id: null, username: 'command line' },
      action: 'role.grant',
      target: { type: 'user', id: user.id, label: user.username },
      details: { role: { from: 'user', to: 'admin' } },
    });
    expect(unsuspended).toMatchObject({ action: 'user.unsuspend', actor: { id: admin.id } });
    expect(suspended).toMatchObject({ action: 'user.suspend', actor: { id: admin.id }, target: { id: user.id } });
    expect(Date.parse(suspended?.created_at ?? '')).toBeLessThanOrEqual(Date.parse(granted?.created_at ?? ''));

    const first = await json<{ entries: AuditEntryBody[]; total: number; has_more: boolean }>(
      app,
      '/api/admin/audit?limit=2',
      admin.headers,
    );
    expect(first.entries.map((entry) => entry.id)).toEqual([granted?.id, unsuspended?.id]);
    expect(first.has_more).toBe(true);
    const next = await json<{ entries: AuditEntryBody[]; total: number }>(
      app,
      '/api/admin/audit?limit=1&skip=2',
      admin.headers,
    );
    expect(next.entries.map((entry) => entry.id)).toEqual([suspended?.id]);
    expect(next.total).toBe(first.total);
    expectDetail(await get(app, '/api/admin/audit', (await signedInUser(app)).headers), 403, 'Admins only');
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const app = await appOf();
    const admin = await signedInAdmin(app);
    await suspend(app, admin, (await signedInUser(app)).id);
    const [entry] = await newestAudit(app, admin);
    await expect(sql`update audit_log set action = 'nothing' where id = ${entry?.id}`.execute(app.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where id = ${entry?.id}`.execute(app.db)).rejects.toThrow(/append-only/);
    expect((await newestAudit(app, admin))[0]).toEqual(entry);
  });
});
