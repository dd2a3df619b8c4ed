// A suspended account on the pages (docs/api.md, "Moderation"): its web
// session ends at once, the login form tells it "Account suspended" (403),
// and its posts and page are gone for readers while an admin still sees them.
import { describe, expect, it } from 'vitest';
import {
  createPost,
  defined,
  expectHtml,
  expectNoSessionSet,
  formPost,
  grantAdmin,
  signedInAdmin,
  useTestApp,
  webUser,
} from '../helpers/index.js';

const context = useTestApp();

describe('a suspended account on the pages', () => {
  it('is signed out at once, and the login form answers 403 "Account suspended" without a cookie', async () => {
    const { app } = await context();
    const admin = await signedInAdmin(app);
    const spammer = await webUser(app, 'spammer');
    const signedIn = expectHtml(await app.inject({ url: '/', cookies: spammer.cookies }), 200);
    expect(signedIn).toContain(spammer.username);

    await app.services.moderation.suspend(defined(await app.repositories.users.findById(admin.id)), spammer.id);
    const home = expectHtml(await app.inject({ url: '/', cookies: spammer.cookies }), 200);
    expect(home).not.toContain(spammer.username);
    expect(home).toContain('href="/login"');
    expect((await app.inject({ url: '/api/users/me', cookies: spammer.cookies })).statusCode).toBe(401);

    const login = await formPost(app, '/login', { email: spammer.email, password: spammer.password });
    expect(expectHtml(login, 403)).toContain('Account suspended');
    expectNoSessionSet(login);
  });

  it("hides the author's posts and page from readers; an admin sees both, the post marked", async () => {
    const { app } = await context();
    const admin = await webUser(app, 'admin');
    await grantAdmin(app, admin.email);
    const spammer = await webUser(app, 'spammer');
    const spam = await createPost(app, spammer.headers, `Spam by ${spammer.username}`, 'Buy now');
    await app.services.moderation.suspend(defined(await app.repositories.users.findById(admin.id)), spammer.id);

    expect(expectHtml(await app.inject('/'), 200)).not.toContain(`/posts/${spam.id}"`);
    expectHtml(await app.inject(`/posts/${spam.id}`), 404);
    expectHtml(await app.inject(`/users/${spammer.id}/posts`), 404);

    const asAdmin = expectHtml(await app.inject({ url: `/posts/${spam.id}`, cookies: admin.cookies }), 200);
    expect(asAdmin).toContain(`Spam by ${spammer.username}`);
    const theirPage = expectHtml(await app.inject({ url: `/users/${spammer.id}/posts`, cookies: admin.cookies }), 200);
    expect(theirPage).toContain(`/posts/${spam.id}"`);
    // The home page is a public list, for admins too.
    expect(expectHtml(await app.inject({ url: '/', cookies: admin.cookies }), 200)).not.toContain(`/posts/${spam.id}"`);
  });
});
