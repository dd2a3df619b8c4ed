// Account recovery (docs/api.md, "Account recovery"): POST
// /api/users/password-reset mails a link for any address with one answer, and
// POST /api/users/password-reset/confirm sets a new password with the link's
// token. Mail goes to DATA_DIR/mail/ (no SMTP_URL) and is read as its
// recipient reads it.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { RESET_REQUESTED } from '../../src/routes/api/users/password-reset.js';
import {
  bearer,
  createTestApp,
  defined,
  expect422At,
  expectDetail,
  inbox,
  login,
  mailSettled,
  newAccount,
  register,
  requestMe,
  requestResetToken,
  resetLinkOf,
  signedInUser,
  TEST_DIALECT,
  useCleanups,
  useTestApp,
  webUser,
  type TestContext,
  testClock,
  type TestClock,
} from '../helpers/index.js';

const RESET = '/api/users/password-reset';
const CONFIRM = '/api/users/password-reset/confirm';
const INVALID = 'Invalid or expired reset token';
const NEW_PASSWORD = 'a freshly chosen password';

interface From {
  remoteAddress?: string;
  headers?: Record<string, string>;
}

const askForReset = (app: App, email: unknown, from: From = {}) =>
  app.inject({ method: 'POST', url: RESET, payload: { email }, ...from });

const confirmReset = (app: App, body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: CONFIRM, payload: body });

const setPassword = (app: App, token: string, newPassword = NEW_PASSWORD) =>
  confirmReset(app, { token, new_password: newPassword });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A token of the right shape that was never issued. */
const madeUpToken = () => randomBytes(32).toString('base64url');

/** The outbox rows queued for an address, oldest first. */
const outboxFor = (app: App, recipient: string) =>
  app.db.selectFrom('mail_outbox').select(['kind', 'state']).where('recipient', '=', recipient).orderBy('id').execute();

/** Every row of every table of the app's database, as text: all that someone reading the database sees. */
async function databaseText(app: App): Promise<string> {
  const schema =
    TEST_DIALECT === 'postgres'
      ? (await sql<{ name: string }>`select current_schema() as name`.execute(app.db)).rows[0]?.name
      : undefined;
  const tables = (await app.db.introspection.getTables()).filter(
    (table) => schema === undefined || table.schema === schema,
  );
  expect(tables.map((table) => table.name)).toContain('password_reset_tokens');
  const rows = await Promise.all(
    tables.map(async (table) => (await sql`select * from ${sql.table(table.name)}`.execute(app.db)).rows),
  );
  return JSON.stringify(rows);
}

/** A test app on this clock for the describe block, closed after it. */
function useClockedApp(env: Record<string, string>, clock: TestClock) {
  const cleanup = useCleanups();
  let context: TestContext | undefined;
  beforeAll(async () => {
    const made = await createTestApp(env, { now: clock.now });
    cleanup(() => made.close());
    context = made;
  });
  return () => {
    if (!context) throw new Error('the app is not built yet');
    return context;
  };
}

// Links are built from PUBLIC_URL; proxies are believed, so a forged
// X-Forwarded-Host is as good as a forged Host.
const context = useTestApp({ PUBLIC_URL: 'https://blog.example.com', TRUST_PROXY: 'true' });

describe('POST /api/users/password-reset', () => {
  it('answers 202 with the same body for a known, an unknown and a differently-cased address', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('known'));
    const unknown = newAccount('unknown').email;
    const answers = [
      await askForReset(app, account.email),
      await askForReset(app, unknown),
      await askForReset(app, account.email.toUpperCase()),
    ];
    // "202 {"detail": "..."}, the same answer ... for any address".
    for (const answer of answers) {
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toEqual({ detail: RESET_REQUESTED });
      expect(answer.headers['content-type']).toBe(answers[0]?.headers['content-type']);
    }
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
  });

  it('mails a link only to an address an account has; the mail for an unknown one is dropped', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('mailed'));
    const unknown = newAccount('nobody').email;
    await askForReset(app, account.email.toUpperCase()); // the account's address, however it is written
    await askForReset(app, unknown);

    const mails = await inbox(app, dataDir, account.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual([account.email]);
    expect(resetLinkOf(defined(mails[0])).token).not.toBe('');
    expect(await inbox(app, dataDir, unknown)).toEqual([]);
    // Queued like any other mail, so the answer took the same path, then dropped by the sender.
    expect(await outboxFor(app, unknown)).toEqual([{ kind: 'password-reset', state: 'dropped' }]);
    expect(await outboxFor(app, account.email)).toEqual([{ kind: 'password-reset', state: 'sent' }]);
  });

  it('builds the link from PUBLIC_URL, never from a forged Host or X-Forwarded-Host', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('hosted'));
    const forged = { host: 'attacker.example', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'http' };
    expect((await askForReset(app, account.email, { headers: forged })).statusCode).toBe(202);
    const mail = defined((await inbox(app, dataDir, account.email))[0], 'the reset mail');
    // "The mail links to <PUBLIC_URL>/reset-password?token=<token>".
    const { url, token } = resetLinkOf(mail);
    expect(url.origin).toBe('https://blog.example.com');
    expect(url.pathname).toBe('/reset-password');
    expect([...url.searchParams.keys()]).toEqual(['token']);
    expect(mail.html).toContain(`https://blog.example.com/reset-password?token=${token}`);
    expect(mail.text + mail.html).not.toContain('attacker.example');
  });

  describe('answers 422 for a bad body, and mails nothing', () => {
    const cases: [string, unknown][] = [
      ['a missing email', undefined],
      ['an invalid email', 'not-an-email'],
      ['an email without a domain', 'someone@'],
      ['a 121 character email', `${'e'.repeat(121 - '@example.com'.length)}@example.com`],
      ['a number as email', 42],
      ['null as email', null],
    ];
    for (const [name, email] of cases) {
      it(name, async () => {
        const { app } = await context();
        const before = await app.db.selectFrom('mail_outbox').select('id').execute();
        expect422At(await askForReset(app, email), ['body', 'email']);
        expect(await app.db.selectFrom('mail_outbox').select('id').execute()).toEqual(before);
      });
    }

    it('an empty body', async () => {
      const { app } = await context();
      expect422At(await app.inject({ method: 'POST', url: RESET, payload: {} }), ['body', 'email']);
    });
  });
});

describe('POST /api/users/password-reset/confirm', () => {
  it('sets the new password with a mailed token, answering 204 with no body', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('resetter'));
    const token = await requestResetToken(app, dataDir, account.email);
    const response = await setPassword(app, token);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(await login(app, account.email, NEW_PASSWORD)).toBeTypeOf('string');
  });

  it('a token has at least 128 random bits, and the database holds only its SHA-256', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('hashed'));
    const other = await register(app, newAccount('hashed'));
    const token = await requestResetToken(app, dataDir, account.email);
    const otherToken = await requestResetToken(app, dataDir, other.email);

    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(token, 'base64url');
    expect(bytes.toString('base64url')).toBe(token); // every character carries 6 bits
    expect(bytes.length * 8).toBeGreaterThanOrEqual(128);
    expect(otherToken).not.toBe(token);

    const rows = await app.db
      .selectFrom('password_reset_tokens')
      .select(['user_id', 'token_hash'])
      .where('user_id', 'in', [account.id, other.id])
      .orderBy('user_id')
      .execute();
    expect(rows).toEqual([
      { user_id: account.id, token_hash: sha256(token) },
      { user_id: other.id, token_hash: sha256(otherToken) },
    ]);
    // "is stored only as a hash": in no table, not even in the outbox's copy of the mail.
    const stored = await databaseText(app);
    expect(stored).toContain(sha256(token));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(otherToken);
  });

  it('a token works once', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('once'));
    const token = await requestResetToken(app, dataDir, account.email);
    expect((await setPassword(app, token)).statusCode).toBe(204);
    expectDetail(await setPassword(app, token, 'a second new password'), 400, INVALID);
    expect(await login(app, account.email, NEW_PASSWORD)).toBeTypeOf('string');
  });

  it('only the newest token of a user works', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('newest'));
    const first = await requestResetToken(app, dataDir, account.email);
    const second = await requestResetToken(app, dataDir, account.email);
    expect(second).not.toBe(first);
    expectDetail(await setPassword(app, first), 400, INVALID);
    expect(await login(app, account.email, account.password)).toBeTypeOf('string'); // nothing changed
    expect((await setPassword(app, second)).statusCode).toBe(204);
  });

  it('a token that was never issued is a 400, and changes nothing', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('bogus'));
    expectDetail(await setPassword(app, madeUpToken()), 400, INVALID);
    expectDetail(await setPassword(app, 'x'), 400, INVALID);
    expect(await login(app, account.email, account.password)).toBeTypeOf('string');
  });

  it("a token dies with its user's account", async () => {
    const { app, dataDir } = await context();
    const user = await signedInUser(app, 'leaving');
    const token = await requestResetToken(app, dataDir, user.email);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/users/${user.id}`, headers: user.headers });
    expect(deleted.statusCode).toBe(204);
    expectDetail(await setPassword(app, token), 400, INVALID);
  });

  it('ends every earlier bearer token and the web session; the new password logs in, the old does not', async () => {
    const { app, dataDir } = await context();
    const user = await webUser(app, 'recovered');
    const second = await login(app, user.email, user.password);
    expect((await requestMe(app, {}, user.cookies)).statusCode).toBe(200);
    const token = await requestResetToken(app, dataDir, user.email);

    expect((await setPassword(app, token)).statusCode).toBe(204);
    // "A reset ends every earlier token and session of the user; the new password logs in".
    for (const ended of [user.headers, bearer(second)]) {
      const answer = await requestMe(app, ended);
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await requestMe(app, {}, user.cookies)).statusCode).toBe(401);
    await expect(login(app, user.email, user.password)).rejects.toThrow(/401/);
    const fresh = await login(app, user.email, NEW_PASSWORD);
    expect((await requestMe(app, bearer(fresh))).statusCode).toBe(200);
  });

  it('of two concurrent confirms with the same token exactly one succeeds, and its password is the one set', async () => {
    const { app, dataDir } = await context();
    const account = await register(app, newAccount('raced'));
    const token = await requestResetToken(app, dataDir, account.email);
    const passwords = ['the first racing password', 'the second racing password'];
    const answers = await Promise.all(passwords.map((password) => setPassword(app, token, password)));
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([204, 400]);
    const winner = answers.findIndex((answer) => answer.statusCode === 204);
    const loser = answers.findIndex((answer) => answer.statusCode === 400);
    expect(answers[loser]?.json()).toEqual({ detail: INVALID });
    expect(await login(app, account.email, passwords[winner] ?? '')).toBeTypeOf('string');
    await expect(login(app, account.email, passwords[loser] ?? '')).rejects.toThrow(/401/);
    // One password change: one notice.
    const notices = (await inbox(app, dataDir, account.email)).filter((mail) => mail.subject.includes('was changed'));
    expect(notices).toHaveLength(1);
  });

  describe('answers 422 for a bad body, and changes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a missing token', { new_password: NEW_PASSWORD }, 'token'],
      ['an empty token', { token: '', new_password: NEW_PASSWORD }, 'token'],
      ['a 201 character token', { token: 't'.repeat(201), new_password: NEW_PASSWORD }, 'token'],
      ['a number as token', { token: 12345, new_password: NEW_PASSWORD }, 'token'],
      ['a missing new_password', { token: 'TOKEN' }, 'new_password'],
      ['a 7 character new_password', { token: 'TOKEN', new_password: '1234567' }, 'new_password'],
      ['a 129 character new_password', { token: 'TOKEN', new_password: 'p'.repeat(129) }, 'new_password'],
    ];
    for (const [name, body, field] of cases) {
      it(name, async () => {
        const { app, dataDir } = await context();
        const account = await register(app, newAccount('invalid'));
        const token = await requestResetToken(app, dataDir, account.email);
        const sent = Object.fromEntries(
          Object.entries(body).map(([key, value]) => [key, value === 'TOKEN' ? token : value]),
        );
        expect422At(await confirmReset(app, sent), ['body', field]);
        // The token was not used up: it still sets a password.
        expect(await login(app, account.email, account.password)).toBeTypeOf('string');
        expect((await setPassword(app, token)).statusCode).toBe(204);
      });
    }
  });
});

describe('a reset token expires after PASSWORD_RESET_EXPIRE_MINUTES', () => {
  const clock = testClock();
  const expiring = useClockedApp({}, clock);

  it('works until 30 minutes (the default) have passed, and not from then on', async () => {
    const { app, dataDir } = expiring();
    const early = await register(app, newAccount('early'));
    const late = await register(app, newAccount('late'));
    // The clock stands still: both tokens are issued at the same instant.
    const earlyToken = await requestResetToken(app, dataDir, early.email);
    const lateToken = await requestResetToken(app, dataDir, late.email);

    clock.advance(30 * 60_000 - 1);
    expect((await setPassword(app, earlyToken)).statusCode).toBe(204);
    clock.advance(1);
    expectDetail(await setPassword(app, lateToken), 400, INVALID);
    expect(await login(app, late.email, late.password)).toBeTypeOf('string');
    // Asking again gives a link that works.
    expect((await setPassword(app, await requestResetToken(app, dataDir, late.email))).statusCode).toBe(204);
  });
});

describe('requests are limited per client address and per email', () => {
  const clock = testClock();
  const limited = useClockedApp({ RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PASSWORD_RESETS: '2' }, clock);

  function expectLimited(answer: Awaited<ReturnType<typeof askForReset>>) {
    expect(answer.statusCode).toBe(429);
    const retryAfter = Number(answer.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600); // RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS
    expect(answer.json<{ detail: unknown }>().detail).toMatch(
      /^Too many password reset requests\. Try again in \d+ seconds\.$/,
    );
  }

  it('one address asking for many emails gets a 429 with Retry-After; other addresses do not', async () => {
    const { app } = limited();
    const from = { remoteAddress: '10.20.0.1' };
    expect((await askForReset(app, newAccount('spray').email, from)).statusCode).toBe(202);
    expect((await askForReset(app, newAccount('spray').email, from)).statusCode).toBe(202);
    const refused = newAccount('spray').email;
    expectLimited(await askForReset(app, refused, from));
    await mailSettled(app);
    expect(await outboxFor(app, refused)).toEqual([]); // nothing was queued
    expect((await askForReset(app, refused, { remoteAddress: '10.20.0.2' })).statusCode).toBe(202);
  });

  it('one email asked for from many addresses, however it is written, gets a 429; its owner gets two mails', async () => {
    const { app, dataDir } = limited();
    const account = await register(app, newAccount('popular'));
    expect((await askForReset(app, account.email, { remoteAddress: '10.21.0.1' })).statusCode).toBe(202);
    expect((await askForReset(app, account.email.toUpperCase(), { remoteAddress: '10.21.0.2' })).statusCode).toBe(202);
    expectLimited(await askForReset(app, account.email, { remoteAddress: '10.21.0.3' }));
    expectLimited(await askForReset(app, account.email.toUpperCase(), { remoteAddress: '10.21.0.4' }));
    expect(await inbox(app, dataDir, account.email)).toHaveLength(2);
  });

  it('a known and an unknown email are limited alike, so a 429 tells nothing either', async () => {
    const { app } = limited();
    const account = await register(app, newAccount('alike'));
    const unknown = newAccount('alike').email;
    for (const email of [account.email, unknown]) {
      for (let i = 0; i < 2; i++) {
        expect((await askForReset(app, email, { remoteAddress: `10.22.${i}.1` })).statusCode).toBe(202);
      }
    }
    const known = await askForReset(app, account.email, { remoteAddress: '10.22.9.1' });
    const stranger = await askForReset(app, unknown, { remoteAddress: '10.22.9.2' });
    expectLimited(known);
    expectLimited(stranger);
    expect(stranger.body).toBe(known.body);
  });

  it('without TRUST_PROXY a forged X-Forwarded-For does not make a new client address', async () => {
    const { app } = limited();
    const from = (forged: string) => ({ remoteAddress: '10.23.0.1', headers: { 'x-forwarded-for': forged } });
    expect((await askForReset(app, newAccount('forger').email, from('1.1.1.1'))).statusCode).toBe(202);
    expect((await askForReset(app, newAccount('forger').email, from('2.2.2.2'))).statusCode).toBe(202);
    expectLimited(await askForReset(app, newAccount('forger').email, from('3.3.3.3')));
  });

  it('a limit ends with its window', async () => {
    const { app } = limited();
    const from = { remoteAddress: '10.24.0.1' };
    for (let i = 0; i < 2; i++) {
      expect((await askForReset(app, newAccount('patient').email, from)).statusCode).toBe(202);
    }
    expectLimited(await askForReset(app, newAccount('patient').email, from));
    clock.advance(3600 * 1000);
    expect((await askForReset(app, newAccount('patient').email, from)).statusCode).toBe(202);
  });
});

describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
  const proxied = useClockedApp(
    { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PASSWORD_RESETS: '2', TRUST_PROXY: 'true' },
    testClock(),
  );

  it('the client address is the one X-Forwarded-For names', async () => {
    const { app } = proxied();
    const client = (address: string) => ({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': address } });
    expect((await askForReset(app, newAccount('client').email, client('203.0.113.1'))).statusCode).toBe(202);
    expect((await askForReset(app, newAccount('client').email, client('203.0.113.1'))).statusCode).toBe(202);
    expect((await askForReset(app, newAccount('client').email, client('203.0.113.1'))).statusCode).toBe(429);
    // Another client behind the same proxy has a limit of its own.
    expect((await askForReset(app, newAccount('client').email, client('203.0.113.2'))).statusCode).toBe(202);
  });
});
