// Changing the password on /account (docs/api.md, "Pages"), as a plain form
// post and as the browser code sends it (asking for JSON): each problem next
// to its field, and after a change only the new password logs in, every
// other session has ended, this browser stays signed in, and a notice is mailed.
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD } from '../../src/services/password-policy.js';
import {
  expectHtml,
  expectSessionSet,
  fieldError,
  formPost,
  inbox,
  JSON_ACCEPT,
  requestMe,
  SAME_ORIGIN,
  sessionFor,
  startTags,
  useTestApp,
  webUser,
  type Fields,
} from '../helpers/index.js';

const context = useTestApp();
const JSON_POST = { ...SAME_ORIGIN, ...JSON_ACCEPT };
const NEW_PASSWORD = 'a brand new passphrase';
const CHANGE_URL = '/account/password';

const changeForm = (current: string, next: string): Fields => ({ current_password: current, new_password: next });

describe('the password form on /account', () => {
  it('is there, with the autocomplete hints and the lengths of the API schema', async () => {
    const { app } = await context();
    const user = await webUser(app, 'formlook');
    const html = expectHtml(await app.inject({ method: 'GET', url: '/account', cookies: user.cookies }), 200);
    const tags = startTags(html);
    const form = tags.find((tag) => tag.name === 'form' && tag.attrs.get('id') === 'password-form');
    expect(form?.attrs.get('method')).toBe('post');
    expect(form?.attrs.get('action')).toBe(CHANGE_URL);
    expect(form?.attrs.has('data-page-form')).toBe(true);
    const input = (name: string) => tags.find((tag) => tag.name === 'input' && tag.attrs.get('name') === name)?.attrs;
    expect(Object.fromEntries(input('current_password') ?? [])).toMatchObject({
      type: 'password',
      autocomplete: 'current-password',
      required: true,
      maxlength: '1024',
    });
    expect(Object.fromEntries(input('new_password') ?? [])).toMatchObject({
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      minlength: '8',
      maxlength: '128',
    });
    expect(html).toContain('8 to 128 characters.');
  });

  it('shows a wrong current password next to its field (400), without and with JavaScript', async () => {
    const { app } = await context();
    const user = await webUser(app, 'wrongcurrent');
    const plain = await formPost(
      app,
      CHANGE_URL,
      changeForm('not my password', NEW_PASSWORD),
      SAME_ORIGIN,
      user.cookies,
    );
    expect(fieldError(expectHtml(plain, 400), 'current_password')).toBe('Incorrect password');
    const script = await formPost(
      app,
      CHANGE_URL,
      changeForm('not my password', NEW_PASSWORD),
      JSON_POST,
      user.cookies,
    );
    expect(script.statusCode).toBe(400);
    expect(script.json()).toEqual({
      detail: [{ loc: ['body', 'current_password'], msg: 'Incorrect password', type: 'value_error' }],
    });
    expect((await requestMe(app, {}, user.cookies)).statusCode).toBe(200); // still signed in
  });

  it('shows a common or a short new password next to its field (422); the old password still logs in', async () => {
    const { app } = await context();
    const user = await webUser(app, 'weaknew');
    const common = await formPost(app, CHANGE_URL, changeForm(user.password, 'password123'), SAME_ORIGIN, user.cookies);
    expect(fieldError(expectHtml(common, 422), 'new_password')).toBe(COMMON_PASSWORD);
    const short = await formPost(app, CHANGE_URL, changeForm(user.password, 'short'), JSON_POST, user.cookies);
    expect(short.statusCode).toBe(422);
    expect(short.json<{ detail: { loc: string[] }[] }>().detail[0]?.loc).toEqual(['body', 'new_password']);
    expect((await formPost(app, '/login', { email: user.email, password: user.password })).statusCode).toBe(303);
  });

  it('changes it: only the new password logs in, other sessions end, this one goes on, a notice is mailed', async () => {
    const { app, dataDir } = await context();
    const user = await webUser(app, 'changer');
    const elsewhere = { session: await sessionFor(app, user.email, user.password) };
    const answer = await formPost(app, CHANGE_URL, changeForm(user.password, NEW_PASSWORD), SAME_ORIGIN, user.cookies);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/account?password=changed');
    const fresh = { session: expectSessionSet(answer) };
    expect(fresh.session).not.toBe(user.cookies.session);

    const page = expectHtml(await app.inject({ method: 'GET', url: answer.headers.location, cookies: fresh }), 200);
    expect(page).toContain('Your password is changed.');
    expect((await requestMe(app, {}, fresh)).statusCode).toBe(200);
    expect((await requestMe(app, {}, elsewhere)).statusCode).toBe(401);
    expect((await requestMe(app, {}, user.cookies)).statusCode).toBe(401); // this browser's cookie before
    expect((await requestMe(app, user.headers)).statusCode).toBe(401);
    expect((await formPost(app, '/login', { email: user.email, password: user.password })).statusCode).toBe(401);
    expect((await formPost(app, '/login', { email: user.email, password: NEW_PASSWORD })).statusCode).toBe(303);
    const mails = await inbox(app, dataDir, user.email);
    expect(mails.map((mail) => mail.subject)).toEqual([expect.stringContaining('was changed')]);
  });

  it('with JavaScript: {redirect} and a fresh session cookie', async () => {
    const { app } = await context();
    const user = await webUser(app, 'scripted');
    const answer = await formPost(app, CHANGE_URL, changeForm(user.password, NEW_PASSWORD), JSON_POST, user.cookies);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ redirect: '/account?password=changed' });
    expect((await requestMe(app, {}, { session: expectSessionSet(answer) })).statusCode).toBe(200);
  });

  it('signed out leads to the login; from another site is refused (403); neither changes the password', async () => {
    const { app } = await context();
    const user = await webUser(app, 'guarded');
    const signedOut = await formPost(app, CHANGE_URL, changeForm(user.password, NEW_PASSWORD));
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/login?next=%2Faccount');
    const crossSite = { 'sec-fetch-site': 'cross-site' };
    const forged = await formPost(app, CHANGE_URL, changeForm(user.password, NEW_PASSWORD), crossSite, user.cookies);
    expect(forged.statusCode).toBe(403);
    expect((await formPost(app, '/login', { email: user.email, password: user.password })).statusCode).toBe(303);
  });
});
