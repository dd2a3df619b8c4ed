// The admin page and the moderator's view of the site (docs/api.md,
// "Moderation"), driven with app.inject: /admin is the ordinary 404 for
// everyone but a signed-in admin; admins find accounts, see their standing,
// act on them behind confirmation modals and read the audit log; on post
// pages an admin gets Edit and Delete marked as a moderator's; a suspended
// author's posts and page say they are held back.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  card,
  cardIds,
  createPost,
  createTestApp,
  decode,
  expectHtml,
  expectLayout,
  expectNoInlineCode,
  expectSecurityHeaders,
  grantAdmin,
  sessionFor,
  startTags,
  textOf,
  useTestApp,
  webUser,
  type Tag,
} from '../helpers/index.js';
import { INVITE_ONLY, ownersAdmin, requestInvitation } from '../helpers/invitations.js';

const context = useTestApp();
const getApp = async (): Promise<App> => (await context()).app;

type WebUser = Awaited<ReturnType<typeof webUser>>;
const page = (app: App, url: string, cookies?: Record<string, string>) =>
  app.inject({ url, ...(cookies && { cookies }) });

async function webAdmin(app: App, prefix = 'admin'): Promise<WebUser> {
  const admin = await webUser(app, prefix);
  await grantAdmin(app, admin.email);
  return admin;
}

async function moderate(app: App, admin: WebUser, userId: number, action: 'suspend' | 'unsuspend') {
  const answer = await app.inject({
    method: 'POST',
    url: `/api/admin/users/${userId}/${action}`,
    headers: admin.headers,
  });
  expect(answer.statusCode, answer.body).toBe(200);
}

/** The page's checks of test/web/pages.test.ts: the layout, the security headers, no inline code. */
async function checkedPage(app: App, url: string, cookies?: Record<string, string>): Promise<string> {
  const response = await page(app, url, cookies);
  const html = expectHtml(response, 200);
  expectLayout(html);
  expectSecurityHeaders(url, response.headers);
  expectNoInlineCode(html);
  return html;
}

/** The rows of the accounts table, outside the row template. */
function userRows(html: string): { id: number; html: string }[] {
  const body = html.slice(html.indexOf('data-admin-list="users"'), html.indexOf('id="admin-user-template"'));
  return [...body.matchAll(/<tr data-user-id="(\d+)"[\s\S]*?<\/tr>/g)].map((match) => ({
    id: Number(match[1]),
    html: match[0],
  }));
}

function userRow(html: string, userId: number): string {
  const row = userRows(html).find((candidate) => candidate.id === userId);
  expect(row, `row of user ${userId}`).toBeDefined();
  return row?.html ?? '';
}

/** The audit entries shown, outside the entry template, newest first: "who what target · details". */
const auditList = (html: string) =>
  html.slice(html.indexOf('data-admin-list="audit"'), html.indexOf('id="admin-audit-template"'));

function auditLines(html: string): string[] {
  return [...auditList(html).matchAll(/<li\b[\s\S]*?<\/li>/g)].map(([item]) => {
    const text = (field: string) => textOf(item, `data-field="${field}"`)?.trim() ?? '';
    const words = `${text('actor')} ${text('action')} ${text('target')}`;
    return hidden(item, 'details') ? words : `${words} · ${text('details-text')}`;
  });
}

/** When each audit entry shown says it was. */
const auditTimes = (html: string) =>
  [...auditList(html).matchAll(/<time dateTime="([^"]+)" data-field="when">([^<]*)<\/time>/gi)].map(
    ([, iso, text]) => ({
      iso,
      text,
    }),
  );

const hidden = (html: string, field: string) =>
  Boolean(
    startTags(html)
      .find((tag: Tag) => tag.attrs.get('data-field') === field)
      ?.attrs.has('hidden'),
  );

const emptyInvitationsShown = (html: string) =>
  !startTags(html)
    .find((tag: Tag) => tag.attrs.has('data-empty-invitations'))
    ?.attrs.has('hidden');

const buttonShown = (row: string, action: string) => {
  const button = startTags(row).find(
    (tag: Tag) => tag.name === 'button' && tag.attrs.get('data-user-action') === action,
  );
  expect(button, action).toBeDefined();
  return !button?.attrs.has('hidden');
};

describe('/admin for everyone but an admin', () => {
  it('is the ordinary 404 page, whatever the query: anonymous, a user, a suspended user', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const user = await webUser(app, 'plain');
    const suspended = await webUser(app, 'gone');
    await moderate(app, admin, suspended.id, 'suspend');
    for (const cookies of [undefined, user.cookies, suspended.cookies, { session: 'garbage' }]) {
      const notThere = await page(app, '/no/such/page', cookies);
      for (const url of ['/admin', '/admin?q=x', '/admin?skip=-1', `/admin?q=${'x'.repeat(500)}`]) {
        const response = await page(app, url, cookies);
        expectHtml(response, 404);
        expectSecurityHeaders(url, response.headers);
        // Word for word the page of a path that does not exist.
        expect(response.body, url).toBe(notThere.body);
      }
    }
  });

  it('is not linked from the navigation bar; an admin has the link', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const user = await webUser(app, 'plain');
    const adminLink = (html: string) =>
      startTags(html).some((tag) => tag.name === 'a' && tag.attrs.get('href') === '/admin');
    expect(adminLink(expectHtml(await page(app, '/'), 200))).toBe(false);
    expect(adminLink(expectHtml(await page(app, '/', user.cookies), 200))).toBe(false);
    const html = expectHtml(await page(app, '/', admin.cookies), 200);
    expect(html).toMatch(/<nav\b[\s\S]*<a class="nav-link" href="\/admin">Admin<\/a>[\s\S]*<\/nav>/);
  });

  it('is kept out of search engines without being named to them: noindex, and absent from robots.txt', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    expect(await checkedPage(app, '/admin', admin.cookies)).toContain('<meta name="robots" content="noindex"/>');
    expect((await page(app, '/robots.txt')).body).not.toContain('/admin');
  });
});

describe('/admin for an admin', () => {
  it('lists the accounts newest first: username linking to their page, email, role, post count, joined, standing', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const writer = await webUser(app, 'writer');
    await createPost(app, writer.headers, 'One');
    await createPost(app, writer.headers, 'Two', 'x', 'draft');
    const spammer = await webUser(app, 'spammer');
    await moderate(app, admin, spammer.id, 'suspend');

    const html = await checkedPage(app, '/admin', admin.cookies);
    expect(html).toMatch(/<h1\b[^>]*>Admin<\/h1>/);
    const ids = userRows(html).map((row) => row.id);
    expect(ids.slice(0, 3)).toEqual([spammer.id, writer.id, admin.id]);

    const row = userRow(html, writer.id);
    expect(row).toMatch(
      new RegExp(`<a href="/users/${writer.id}/posts"[^>]*data-field="username">${writer.username}</a>`),
    );
    expect(textOf(row, 'data-field="email"')).toBe(writer.email);
    expect(textOf(row, 'data-field="role"')).toBe('user');
    expect(textOf(row, 'data-field="post-count"')).toBe('2'); // drafts included
    expect(textOf(row, 'data-field="joined"')).toContain(String(new Date().getUTCFullYear()));
    expect(hidden(row, 'suspended')).toBe(true);
    expect([buttonShown(row, 'suspend'), buttonShown(row, 'unsuspend'), buttonShown(row, 'delete')]).toEqual([
      true,
      false,
      true,
    ]);
    // Each button opens its confirmation and names the account to screen readers.
    expect(row).toContain('data-bs-target="#suspend-user-modal"');
    expect(row).toContain('data-bs-target="#delete-user-modal"');
    expect(textOf(row, 'data-field="button-name"')?.trim()).toBe(writer.username);

    const suspendedRow = userRow(html, spammer.id);
    expect(hidden(suspendedRow, 'suspended')).toBe(false);
    expect(textOf(suspendedRow, 'data-field="suspended"')?.trim()).toBe('Suspended');
    expect([buttonShown(suspendedRow, 'suspend'), buttonShown(suspendedRow, 'unsuspend')]).toEqual([false, true]);
    expect(textOf(userRow(html, admin.id), 'data-field="role"')).toBe('admin');

    for (const id of ['suspend-user-modal', 'unsuspend-user-modal', 'delete-user-modal'])
      expect(html).toContain(`id="${id}"`);
    expect(html).toContain('its profile picture, for good');
  });

  it('finds accounts by part of a username or email, any case, without JavaScript (GET /admin?q=)', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const target = await webUser(app, 'needle');
    const other = await webUser(app, 'hay');
    for (const q of [target.username.toUpperCase(), target.email.slice(0, -6)]) {
      const html = await checkedPage(app, `/admin?q=${encodeURIComponent(q)}`, admin.cookies);
      expect(
        userRows(html).map((row) => row.id),
        q,
      ).toEqual([target.id]);
      expect(html).toContain(`1 account match “${q}”.`);
      const box = startTags(html).find((tag) => tag.name === 'input' && tag.attrs.get('id') === 'admin-users-q');
      expect(box?.attrs.get('value')).toBe(q);
      expect(box?.attrs.get('name')).toBe('q');
    }
    const nobody = await checkedPage(app, '/admin?q=nobody-has-this', admin.cookies);
    expect(userRows(nobody)).toEqual([]);
    expect(nobody).toContain('0 accounts match “nobody-has-this”.');
    expect(userRows(await checkedPage(app, '/admin', admin.cookies)).map((row) => row.id)).toContain(other.id);
  });

  it('pages the accounts and the audit log with Load more: the API for the browser code, a link without it', async () => {
    const ctx = await createTestApp({ POSTS_PER_PAGE: '2' });
    try {
      const { app } = ctx;
      const admin = await webAdmin(app);
      const users = [];
      for (let index = 0; index < 3; index += 1) users.push(await webUser(app, `paged${index}`));
      for (const user of users) await moderate(app, admin, user.id, 'suspend');
      const prefix = 'paged';

      const first = await checkedPage(app, `/admin?q=${prefix}`, admin.cookies);
      expect(userRows(first).map((row) => row.id)).toEqual([users[2]?.id, users[1]?.id]);
      const more = startTags(first).find((tag) => tag.attrs.get('data-admin-more') === 'users');
      expect(more?.attrs.get('data-api')).toBe(`/api/admin/users?q=${prefix}`);
      expect(more?.attrs.get('data-skip')).toBe('2');
      expect(more?.attrs.get('data-limit')).toBe('2');
      const next = String(more?.attrs.get('href'));
      expect(next).toBe(`/admin?q=${prefix}&skip=2`);
      const second = await checkedPage(app, next, admin.cookies);
      expect(userRows(second).map((row) => row.id)).toEqual([users[0]?.id]);
      expect(startTags(second).some((tag) => tag.attrs.get('data-admin-more') === 'users')).toBe(false);

      expect(auditLines(first)).toHaveLength(2);
      const auditMore = startTags(first).find((tag) => tag.attrs.get('data-admin-more') === 'audit');
      expect(auditMore?.attrs.get('data-api')).toBe('/api/admin/audit');
      expect(auditMore?.attrs.get('href')).toBe(`/admin?q=${prefix}&audit_skip=2`);
      const older = await checkedPage(app, `/admin?audit_skip=2`, admin.cookies);
      expect(auditLines(older)).toEqual([
        `${admin.username} suspended ${users[0]?.username}`,
        `command line granted admin to ${admin.username} · role: user → admin`,
      ]);
      // The post lists' own Load more is not on this page.
      expect(startTags(first).some((tag) => tag.attrs.has('data-load-more'))).toBe(false);
    } finally {
      await ctx.close();
    }
  });

  it('lists the pending invitations newest first, each with Revoke, beside the invite form and the registration mode', async () => {
    const ctx = await createTestApp({ ...INVITE_ONLY, POSTS_PER_PAGE: '2' });
    try {
      const { app } = ctx;
      // Where only invited addresses may register, the first admin is made from the command line.
      const owner = await ownersAdmin(app, 'inviter');
      const admin = { ...owner, cookies: { session: await sessionFor(app, owner.email, owner.password) } };
      const emails = ['first@example.com', 'second@example.com', 'third@example.com', 'revoked@example.com'];
      const created = [];
      for (const email of emails)
        created.push((await requestInvitation(app, admin.headers, email)).json<{ id: number }>());
      await app.inject({ method: 'DELETE', url: `/api/admin/invitations/${created[3]?.id}`, headers: admin.headers });

      const html = await checkedPage(app, '/admin', admin.cookies);
      expect(html).toContain('data-registration="invite"');
      expect(html).toContain('Registration is by invitation only');
      const form = html.slice(
        html.indexOf('id="invite-form"'),
        html.indexOf('</form>', html.indexOf('id="invite-form"')),
      );
      const input = startTags(form).find((tag) => tag.name === 'input');
      expect([input?.attrs.get('name'), input?.attrs.get('type'), input?.attrs.get('maxlength')]).toEqual([
        'email',
        'email',
        '120',
      ]);
      expect(input?.attrs.has('required')).toBe(true);

      const list = html.slice(
        html.indexOf('data-admin-list="invitations"'),
        html.indexOf('id="admin-invitation-template"'),
      );
      const shown = startTags(list).filter((tag) => tag.attrs.has('data-invitation-id'));
      expect(shown.map((tag) => tag.attrs.get('data-email'))).toEqual(['third@example.com', 'second@example.com']);
      expect(textOf(list, 'data-field="invited-by"')).toBe(admin.username);
      expect(list).toMatch(
        /<button type="button" class="[^"]*" data-revoke-invitation[^>]*>Revoke<span class="visually-hidden" data-field="button-name"> the invitation of third@example.com<\/span><\/button>/,
      );
      expect(emptyInvitationsShown(html)).toBe(false);
      const more = startTags(html).find((tag) => tag.attrs.get('data-admin-more') === 'invitations');
      expect(more?.attrs.get('data-api')).toBe('/api/admin/invitations');
      expect(more?.attrs.get('href')).toBe('/admin?invitations_skip=2');
      const rest = await checkedPage(app, '/admin?invitations_skip=2', admin.cookies);
      expect(rest).toContain('data-email="first@example.com"');
      expect(rest).not.toContain('data-email="revoked@example.com"');
      expect(auditLines(html).slice(0, 2)).toEqual([
        `${admin.username} revoked the invitation of revoked@example.com`,
        expect.stringMatching(
          new RegExp(
            `^${admin.username} invited revoked@example.com · expires at: [A-Z][a-z]{2} \\d{1,2}, \\d{4}, .+ UTC$`,
          ),
        ),
      ]);
    } finally {
      await ctx.close();
    }
  });

  it('says when there is no pending invitation', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const html = await checkedPage(app, '/admin', admin.cookies);
    expect(html).toContain('data-registration="open"');
    expect(emptyInvitationsShown(html)).toBe(true);
    expect(textOf(html, 'data-empty-invitations')?.trim()).toBe('No pending invitations.');
  });

  it('shows the audit log newest first, in words: who, what, to whom, when, what changed', async () => {
    const ctx = await createTestApp();
    try {
      const { app } = ctx;
      const admin = await webAdmin(app, 'boss');
      const author = await webUser(app, 'author');
      const edited = await createPost(app, author.headers, 'Before', 'x');
      const removed = await createPost(app, author.headers, 'Spam post', 'x');
      const headers = admin.headers;
      await app.inject({ method: 'PATCH', url: `/api/posts/${edited.id}`, headers, payload: { title: 'After' } });
      await app.inject({ method: 'DELETE', url: `/api/posts/${removed.id}`, headers });
      await moderate(app, admin, author.id, 'suspend');
      await moderate(app, admin, author.id, 'unsuspend');

      const html = await checkedPage(app, '/admin', admin.cookies);
      expect(auditLines(html)).toEqual([
        `${admin.username} unsuspended ${author.username}`,
        `${admin.username} suspended ${author.username}`,
        `${admin.username} deleted the post “Spam post” · author: ${author.username}`,
        `${admin.username} edited the post “Before” · changed: title; title: Before → After`,
        `command line granted admin to ${admin.username} · role: user → admin`,
      ]);
      const newest = startTags(html).find((tag) => tag.name === 'li' && tag.attrs.has('data-entry-id'));
      expect(newest?.attrs.get('data-action')).toBe('user.unsuspend');
      // When, to the minute, with the exact time for machines.
      const times = auditTimes(html);
      expect(times).toHaveLength(5);
      for (const { iso, text } of times) {
        expect(Math.abs(Date.parse(String(iso)) - Date.now())).toBeLessThan(60_000);
        expect(text).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M UTC$/);
      }
    } finally {
      await ctx.close();
    }
  });

  it('shows hostile usernames, emails and titles as text', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const hostile = '<img src=x onerror=alert(1)>';
    const author = await webUser(app, {
      username: `<b>${Date.now()}</b>`,
      email: `x${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    const post = await createPost(app, author.headers, hostile, 'x');
    await app.inject({ method: 'DELETE', url: `/api/posts/${post.id}`, headers: admin.headers });
    const html = await checkedPage(app, '/admin', admin.cookies);
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/<img src=x/);
    expect(textOf(userRow(html, author.id), 'data-field="username"')).toBe(author.username);
    expect(auditLines(html)[0]).toContain(`“${hostile}”`);
  });
});

describe('moderator controls on post pages', () => {
  it("an admin gets Edit and Delete on another author's published post, marked as a moderator's, with the note in both modals", async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const author = await webUser(app, 'author');
    const post = await createPost(app, author.headers, 'Theirs', 'Their words');
    const html = await checkedPage(app, `/posts/${post.id}`, admin.cookies);
    const actions = /<div\b[^>]*data-post-actions="moderator"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(actions).toMatch(/Edit<span class="badge[^"]*">Moderator<\/span><\/button>/);
    expect(actions).toMatch(/Delete<span class="badge[^"]*">Moderator<\/span><\/button>/);
    expect(html).toContain('id="edit-post-modal"');
    expect(html).toContain('id="delete-post-modal"');
    const notes = [...html.matchAll(/<p\b[^>]*data-moderator-note[^>]*>([\s\S]*?)<\/p>/g)].map((m) =>
      decode(m[1] ?? ''),
    );
    expect(notes).toEqual([
      'You are editing another author’s post as a moderator; it is recorded in the audit log.',
      'You are deleting another author’s post as a moderator; it is recorded in the audit log.',
    ]);
    expect(html).toMatch(/<input\b[^>]*name="title"[^>]*value="Theirs"/);
  });

  it("on the admin's own post the controls are the author's, unmarked; other users still get none", async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const reader = await webUser(app, 'reader');
    const own = await createPost(app, admin.headers, 'Mine', 'x');
    const html = await checkedPage(app, `/posts/${own.id}`, admin.cookies);
    expect(html).toContain('data-post-actions="owner"');
    expect(html).not.toContain('Moderator</span>');
    expect(html).not.toContain('data-moderator-note');
    const other = await checkedPage(app, `/posts/${own.id}`, reader.cookies);
    expect(other).not.toContain('data-post-actions');
    expect(other).not.toContain('edit-post-modal');
  });
});

describe("a suspended author's posts and page, as admins see them", () => {
  it('carry "Author suspended — hidden from readers" on the post and its card, and the page a banner', async () => {
    const app = await getApp();
    const admin = await webAdmin(app);
    const spammer = await webUser(app, 'spammer');
    const spam = await createPost(app, spammer.headers, 'Cheap pills', 'Buy now');
    const before = await checkedPage(app, `/posts/${spam.id}`, admin.cookies);
    expect(hidden(card(before, spam.id), 'withheld')).toBe(true);
    expect(await checkedPage(app, `/users/${spammer.id}/posts`, admin.cookies)).not.toContain('data-suspended-banner');

    await moderate(app, admin, spammer.id, 'suspend');
    const postPage = await checkedPage(app, `/posts/${spam.id}`, admin.cookies);
    expect(hidden(card(postPage, spam.id), 'withheld')).toBe(false);
    expect(textOf(card(postPage, spam.id), 'data-field="withheld"')?.trim()).toBe(
      'Author suspended — hidden from readers',
    );
    expect(postPage).toContain('data-post-actions="moderator"');

    const authorPage = await checkedPage(app, `/users/${spammer.id}/posts`, admin.cookies);
    expect(cardIds(authorPage)).toEqual([spam.id]);
    expect(hidden(card(authorPage, spam.id), 'withheld')).toBe(false);
    expect(textOf(authorPage, 'data-suspended-banner')).toContain('This account is suspended');
    // Readers do not get the page at all.
    expectHtml(await page(app, `/users/${spammer.id}/posts`), 404);

    await moderate(app, admin, spammer.id, 'unsuspend');
    const back = await checkedPage(app, `/users/${spammer.id}/posts`);
    expect(hidden(card(back, spam.id), 'withheld')).toBe(true);
    expect(back).not.toContain('data-suspended-banner');
  });
});
