// An invitation's mail and its token (docs/api.md, "Moderation"; README,
// "Mail"): the mail goes to the invited address over a real SMTP server
// (test/helpers/smtp.ts), names the site in both parts and links to
// `<PUBLIC_URL>/register?invite=<token>`; that token registers the address
// once. The token is made when the mail is composed, so only its SHA-256 is
// stored (the outbox holds none), a mail whose invitation was revoked
// meanwhile is dropped, and no log line ever shows a token.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  createTestApp,
  defined,
  expectDetail,
  mailSettled,
  newAccount,
  TEST_DIALECT,
  useCleanups,
  type ReadMail,
} from '../helpers/index.js';
import {
  INVITE_ONLY,
  invitationLinkOf,
  invite,
  ownersAdmin,
  registerWithInvite,
  requestInvitation,
} from '../helpers/invitations.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const PUBLIC_URL = 'https://blog.example.com';
const SITE = { ...INVITE_ONLY, PUBLIC_URL, SITE_NAME: 'Pebble Notes' };

const cleanup = useCleanups(afterEach);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function smtpServer(options?: Parameters<typeof startSmtpServer>[0]): Promise<TestSmtpServer> {
  const server = await startSmtpServer(options);
  cleanup(() => server.close());
  return server;
}

async function siteApp(env: Record<string, string>, options: Parameters<typeof createTestApp>[1] = {}) {
  const context = await createTestApp({ ...SITE, ...env }, options);
  cleanup(() => context.close());
  return context;
}

/** Every row of every table of the app's database, as text: all that someone reading the database sees. */
async function databaseText(app: App): Promise<string> {
  const schema =
    TEST_DIALECT === 'postgres'
      ? (await sql<{ name: string }>`select current_schema() as name`.execute(app.db)).rows[0]?.name
      : undefined;
  const tables = (await app.db.introspection.getTables()).filter(
    (table) => schema === undefined || table.schema === schema,
  );
  expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['invitations', 'mail_outbox']));
  const rows = await Promise.all(
    tables.map(async (table) => (await sql`select * from ${sql.table(table.name)}`.execute(app.db)).rows),
  );
  return JSON.stringify(rows);
}

function expectNamesTheSite(mail: ReadMail) {
  expect(mail.subject).toBe('You are invited to Pebble Notes');
  expect(mail.text).toContain('Pebble Notes');
  expect(mail.html).toContain('Pebble Notes');
}

describe('an invitation over SMTP', () => {
  it('reaches the address with its link in both parts, whose token registers that address once', async () => {
    const smtp = await smtpServer();
    const { app } = await siteApp({ SMTP_URL: smtp.url });
    const admin = await ownersAdmin(app);
    const account = newAccount('mailed');

    expect((await requestInvitation(app, admin.headers, account.email)).statusCode).toBe(201);
    const mail = defined((await smtp.waitForMails(1))[0], 'the invitation mail');
    expect(mail.to).toEqual([account.email]);
    expect(mail.parsed.from?.value).toEqual([{ name: 'Pebble Notes', address: 'no-reply@blog.example.com' }]);
    expectNamesTheSite(mail);
    expect(mail.text).toContain(`${admin.username} invited you to create an account on Pebble Notes.`);
    const { url, token } = invitationLinkOf(mail);
    expect(url.href).toBe(`${PUBLIC_URL}/register?invite=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.html).toContain(`href="${url.href}"`);

    // The link opens the form for that address; its token registers it, once.
    const page = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${account.email}"`);
    const registered = await registerWithInvite(app, account, token);
    expect(registered.statusCode).toBe(201);
    expect(registered.json()).toMatchObject({ username: account.username, email: account.email, role: 'user' });
    const again = await registerWithInvite(app, { ...newAccount('second'), email: account.email }, token);
    expectDetail(again, 403, 'Invitation required');
  });

  it('is dropped, not sent, when its invitation was revoked before it went out', async () => {
    // The first delivery is refused for now; the retry comes after the revocation.
    const smtp = await smtpServer({ behaviour: { kind: 'fail-temporarily', times: 1 } });
    let time = Date.now();
    const { app } = await siteApp({ SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '60000' }, { now: () => time });
    const admin = await ownersAdmin(app);
    const created = await requestInvitation(app, admin.headers, newAccount('withdrawn').email);
    const { id } = created.json<{ id: number }>();
    await smtp.waitForAttempts(1);
    await mailSettled(app);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/admin/invitations/${id}`, headers: admin.headers });
    expect(revoked.statusCode).toBe(204);

    time += 60_000;
    app.mailer.wake();
    await mailSettled(app);
    const rows = await app.db.selectFrom('mail_outbox').select(['kind', 'state', 'last_error']).execute();
    expect(rows).toEqual([{ kind: 'invitation', state: 'dropped', last_error: 'the invitation is no longer pending' }]);
    expect(smtp.attempts).toBe(1);
    expect(smtp.received).toEqual([]);
  });
});

describe('an invitation token', () => {
  it('is stored only as its SHA-256: no table holds it, the outbox included', async () => {
    const { app, dataDir } = await siteApp({});
    const admin = await ownersAdmin(app);
    const { invitation, token } = await invite(app, dataDir, admin.headers, newAccount('hashed').email);
    const row = await app.db
      .selectFrom('invitations')
      .select('token_hash')
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(await databaseText(app)).not.toContain(token);
  });

  it.each(['info', 'trace'])('never appears in a log line, at %s level', async (level) => {
    const lines: string[] = [];
    const { app, dataDir } = await siteApp(
      { LOG_LEVEL: level },
      { logStream: { write: (line) => void lines.push(line) } },
    );
    const admin = await ownersAdmin(app);
    const account = newAccount('logged');
    const { token } = await invite(app, dataDir, admin.headers, account.email);
    // The link as the mail carries it, with the token in another place of the query, and the API.
    await app.inject({ method: 'GET', url: `/register?invite=${token}` });
    await app.inject({ method: 'GET', url: `/register?next=%2F&INVITE=${token}` });
    expect((await registerWithInvite(app, account, token)).statusCode).toBe(201);
    expect(lines.join('')).toContain('/register?invite=[redacted]');
    expect(lines.join('')).not.toContain(token);
  });
});
