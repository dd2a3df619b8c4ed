// The register page in each REGISTRATION mode (docs/api.md, "More settings"
// and "Moderation"), as plain form posts that work without JavaScript:
// `open` shows the form; `closed` says so and shows none (its post answers
// 403); `invite` explains that an admin's invitation is needed, unless the
// visitor follows an invitation link, whose page is the form for the invited
// address with the token in a hidden field. A password the policy refuses
// ("Accounts, further", "Passwords") is shown next to its field.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { COMMON_PASSWORD, PERSONAL_PASSWORD } from '../../src/services/password-policy.js';
import {
  expectHtml,
  expectNoInlineCode,
  expectNoSessionSet,
  expectSecurityHeaders,
  expectSessionSet,
  expectSignedInNav,
  fieldError,
  formPost,
  inputValue,
  JSON_ACCEPT,
  newAccount,
  SAME_ORIGIN,
  startTags,
  textOf,
  useTestApp,
  type Account,
} from '../helpers/index.js';
import { INVITE_ONLY, invite, ownersAdmin } from '../helpers/invitations.js';

type Answer = Awaited<ReturnType<App['inject']>>;
const JSON_POST = { ...SAME_ORIGIN, ...JSON_ACCEPT };

const hasRegisterForm = (html: string) =>
  startTags(html).some((tag) => tag.name === 'form' && tag.attrs.get('action') === '/register');
const inputNames = (html: string) =>
  startTags(html)
    .filter((tag) => tag.name === 'input')
    .map((tag) => tag.attrs.get('name'));
/** The card's heading (the page's h1). */
const heading = (html: string) => /<h1\b[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

const registrationFields = (account: Account, invite?: string) => ({
  username: account.username,
  email: account.email,
  password: account.password,
  ...(invite !== undefined && { invite }),
});

/** A page of the site's layout with this status that passes the page checks; returns the document. */
function expectPage(response: Answer, status: number): string {
  const html = expectHtml(response, status);
  expectSecurityHeaders('/register', response.headers);
  expectNoInlineCode(html);
  return html;
}

/** The signed-in account the session cookie of a successful registration belongs to. */
async function expectSignedInAs(app: App, response: Answer, username: string) {
  const session = expectSessionSet(response);
  const home = await app.inject({ url: '/', cookies: { session } });
  expectSignedInNav(expectHtml(home, 200), username);
}

describe('REGISTRATION=open (the default)', () => {
  const context = useTestApp();

  it('links to registration from the navigation bar, the sidebar and the login page', async () => {
    const { app } = await context();
    const links = (html: string) => startTags(html).filter((tag) => tag.attrs.get('href') === '/register').length;
    expect(links(expectPage(await app.inject({ url: '/' }), 200))).toBe(2);
    expect(links(expectPage(await app.inject({ url: '/login' }), 200))).toBe(3);
  });

  it('shows the form, without an invitation field; its post registers and signs in', async () => {
    const { app } = await context();
    const html = expectPage(await app.inject({ url: '/register' }), 200);
    expect(hasRegisterForm(html)).toBe(true);
    expect(inputNames(html)).toEqual(expect.arrayContaining(['username', 'email', 'password']));
    expect(inputNames(html)).not.toContain('invite');
    const account = newAccount('openweb');
    const response = await formPost(app, '/register', registrationFields(account));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    await expectSignedInAs(app, response, account.username);
  });

  it('shows a common password, or the username as the password, next to the password field (422), with and without JavaScript', async () => {
    const { app } = await context();
    const account = newAccount('commonweb');
    const cases: [string, string][] = [
      ['IloveYou1', COMMON_PASSWORD],
      [account.username, PERSONAL_PASSWORD],
    ];
    for (const [password, message] of cases) {
      const fields = { ...registrationFields(account), password };
      const html = expectPage(await formPost(app, '/register', fields), 422);
      expect(fieldError(html, 'password')).toBe(message);
      const input = startTags(html).find((tag) => tag.name === 'input' && tag.attrs.get('name') === 'password');
      expect(input?.attrs.get('aria-invalid')).toBe('true');
      expect(inputValue(html, 'password')).toBeUndefined(); // never echoed back
      expect(inputValue(html, 'username')).toBe(account.username);
      const withJs = await formPost(app, '/register', fields, JSON_POST);
      expect(withJs.statusCode).toBe(422);
      expect(withJs.json()).toMatchObject({ detail: [{ loc: ['body', 'password'], msg: message }] });
      expectNoSessionSet(withJs);
    }
    const registered = await formPost(app, '/register', registrationFields(account));
    expect(registered.statusCode).toBe(303);
  });
});

describe('REGISTRATION=closed', () => {
  const context = useTestApp({ REGISTRATION: 'closed' });

  it('says registration is closed and shows no form', async () => {
    const { app } = await context();
    const html = expectPage(await app.inject({ url: '/register' }), 200);
    expect(heading(html)).toBe('Registration is closed');
    expect(hasRegisterForm(html)).toBe(false);
    expect(inputNames(html)).not.toContain('password');
  });

  it('offers no way to register on the other pages: no Register link, no "Create an account"', async () => {
    const { app } = await context();
    for (const url of ['/', '/login']) {
      const html = expectPage(await app.inject({ url }), 200);
      expect(
        startTags(html).filter((tag) => tag.attrs.get('href') === '/register'),
        url,
      ).toEqual([]);
      expect(html, url).not.toContain('Create an account');
    }
  });

  it('answers the form post 403 with that message, with and without JavaScript, and signs no one in', async () => {
    const { app } = await context();
    const account = newAccount('closedweb');
    const plain = await formPost(app, '/register', registrationFields(account));
    const html = expectPage(plain, 403);
    expect(textOf(html, 'data-form-error')).toBe('Registration is closed');
    expect(hasRegisterForm(html)).toBe(false);
    expectNoSessionSet(plain);
    const withJs = await formPost(app, '/register', {}, JSON_POST);
    expect(withJs.statusCode).toBe(403);
    expect(withJs.json()).toEqual({ detail: 'Registration is closed' });
    expect(await app.db.selectFrom('users').select('id').where('email', '=', account.email).execute()).toEqual([]);
  });
});

describe('REGISTRATION=invite', () => {
  const context = useTestApp(INVITE_ONLY);

  it('without an invitation link explains that an invitation from an admin is needed, and shows no form', async () => {
    const { app } = await context();
    const html = expectPage(await app.inject({ url: '/register' }), 200);
    expect(heading(html)).toBe('An invitation is needed');
    expect(html).toContain('an admin sends you a link by mail');
    expect(hasRegisterForm(html)).toBe(false);
    expect(html).not.toContain('data-invitation-invalid');
    const posted = await formPost(app, '/register', registrationFields(newAccount('noinvite')));
    expect(textOf(expectPage(posted, 403), 'data-form-error')).toBe('Invitation required');
    expectNoSessionSet(posted);
  });

  it('with a made-up link says the link is not valid: 400, no form', async () => {
    const { app } = await context();
    const html = expectPage(await app.inject({ url: '/register?invite=made-up-token' }), 400);
    expect(heading(html)).toBe('An invitation is needed');
    expect(textOf(html, 'data-invitation-invalid')).toMatch(/^The invitation link you followed is not valid/);
    expect(hasRegisterForm(html)).toBe(false);
    expect(html).not.toContain('made-up-token');
  });

  it("with an invitation's link shows the form for its address, the token in a hidden field; the post registers, once", async () => {
    const { app, dataDir } = await context();
    const admin = await ownersAdmin(app);
    const account = newAccount('invitedweb');
    const { token } = await invite(app, dataDir, admin.headers, account.email);

    const page = await app.inject({ url: `/register?invite=${token}` });
    const html = expectPage(page, 200);
    // The token is in the URL: no Referer carries it on, no cache keeps the page.
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(hasRegisterForm(html)).toBe(true);
    expect(inputValue(html, 'email')).toBe(account.email);
    const hidden = startTags(html).filter((tag) => tag.attrs.get('value') === token);
    expect(hidden.map((tag) => [tag.name, tag.attrs.get('type'), tag.attrs.get('name')])).toEqual([
      ['input', 'hidden', 'invite'],
    ]);

    const response = await formPost(app, '/register', registrationFields(account, token));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    await expectSignedInAs(app, response, account.username);

    const again = expectPage(await app.inject({ url: `/register?invite=${token}` }), 400);
    expect(again).toContain('data-invitation-invalid');
    const reused = await formPost(app, '/register', registrationFields(newAccount('reuser'), token));
    expect(textOf(expectPage(reused, 403), 'data-form-error')).toBe('Invitation required');
  });

  it('shows a problem on the invited form again (a short or common password), keeping the address and the token', async () => {
    const { app, dataDir } = await context();
    const admin = await ownersAdmin(app);
    const account = newAccount('retry');
    const { token } = await invite(app, dataDir, admin.headers, account.email);

    for (const password of ['short', 'password1']) {
      const refused = await formPost(app, '/register', { ...registrationFields(account, token), password });
      const html = expectPage(refused, 422);
      expect(fieldError(html, 'password')).not.toBe('');
      expect(inputValue(html, 'email')).toBe(account.email);
      expect(inputValue(html, 'invite')).toBe(token);
    }

    const elsewhere = { ...registrationFields(account, token), email: newAccount('elsewhere').email };
    const refused = expectPage(await formPost(app, '/register', elsewhere), 403);
    expect(textOf(refused, 'data-form-error')).toBe('Invitation required');
    expect(inputValue(refused, 'invite')).toBe(token);

    const withJs = await formPost(app, '/register', registrationFields(account, token), JSON_POST);
    expect(withJs.statusCode).toBe(201);
    expect(withJs.json()).toEqual({ redirect: '/' });
  });
});
