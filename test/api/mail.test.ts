// Mail, end to end through the app and over the network to a real SMTP
// server (test/helpers/smtp.ts). docs/api.md, "Mail": mail is queued in a
// durable outbox and sent by a background sender with retries and backoff; a
// mail that keeps failing is kept with its last error and logged; every mail
// has a plain-text and an HTML part, names the site, and never carries a
// password. "Account recovery": the reset mail's link and token.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createDatabase } from '../../src/db/database.js';
import { mailDirectory } from '../../src/mail/index.js';
import {
  createTestApp,
  defined,
  inbox,
  login,
  newAccount,
  register,
  resetLinkOf,
  useCleanups,
  type ReadMail,
} from '../helpers/index.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const PUBLIC_URL = 'https://blog.example.com';
const SITE = {
  PUBLIC_URL,
  SITE_NAME: 'Pebble Notes',
  MAIL_RETRY_BASE_MS: '50',
  MAIL_POLL_MS: '200',
};
const RESET_LINK = /https:\/\/blog\.example\.com\/reset-password\?token=([A-Za-z0-9_-]+)/;
const NEW_PASSWORD = 'a brand new secret phrase';

const cleanup = useCleanups(afterEach);

/** Log lines of an app, parsed (pino writes one JSON object a line). */
interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function logCapture() {
  const raw: string[] = [];
  return {
    raw,
    stream: { write: (line: string) => void raw.push(line) },
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
  };
}

async function smtpServer(options?: Parameters<typeof startSmtpServer>[0]): Promise<TestSmtpServer> {
  const server = await startSmtpServer(options);
  cleanup(() => server.close());
  return server;
}

async function mailApp(env: Record<string, string>, logs?: ReturnType<typeof logCapture>) {
  const context = await createTestApp({ ...SITE, ...env }, logs ? { logStream: logs.stream } : {});
  cleanup(() => context.close());
  return context;
}

function outboxRows(app: App) {
  return app.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
}

async function onlyRow(app: App) {
  const rows = await outboxRows(app);
  expect(rows).toHaveLength(1);
  return defined(rows[0]);
}

async function askForReset(app: App, email: string) {
  const response = await app.inject({ method: 'POST', url: '/api/users/password-reset', payload: { email } });
  expect(response.statusCode).toBe(202);
  return response;
}

function confirmReset(app: App, token: string, newPassword = NEW_PASSWORD) {
  return app.inject({
    method: 'POST',
    url: '/api/users/password-reset/confirm',
    payload: { token, new_password: newPassword },
  });
}

/** The reset token of a mail, checked to be in both parts under the same link. */
function tokenOf(mail: ReadMail): string {
  const inText = RESET_LINK.exec(mail.text);
  const inHtml = RESET_LINK.exec(mail.html);
  expect(inText?.[0]).toBeDefined();
  expect(inHtml?.[0]).toBe(inText?.[0]);
  expect(mail.html).toContain(`href="${defined(inText)[0]}"`);
  return resetLinkOf(mail).token;
}

function expectNamesTheSite(mail: ReadMail, siteName = SITE.SITE_NAME) {
  expect(mail.subject).toContain(siteName);
  expect(mail.text).toContain(siteName);
  expect(mail.html).toContain(siteName);
}

describe('a reset mail over SMTP', () => {
  it('reaches the account, from the site, with the link in both parts and a token that works once', async () => {
    const smtp = await smtpServer();
    const logs = logCapture();
    const { app } = await mailApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'trace' }, logs);
    const account = await register(app, { ...newAccount('reset'), username: `<b>Ann & "Co"</b> ${Date.now()}` });

    await askForReset(app, account.email.toUpperCase()); // addresses are matched case-insensitively
    const [mail] = await smtp.waitForMails(1);
    const received = defined(mail);

    expect(received.to).toEqual([account.email]);
    // "More settings": MAIL_FROM defaults to <SITE_NAME> <no-reply@host of PUBLIC_URL>.
    expect(received.parsed.from?.value).toEqual([{ name: 'Pebble Notes', address: 'no-reply@blog.example.com' }]);
    expectNamesTheSite(received);
    expect(received.text.trim()).not.toBe('');
    expect(received.html).toMatch(/^<!doctype html>/i);

    // "Account recovery": <PUBLIC_URL>/reset-password?token=<token>, at least 128 random bits.
    const token = tokenOf(received);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);

    // The username is shown as written in the text, and escaped in the HTML.
    expect(received.text).toContain(account.username);
    expect(received.html).not.toContain('<b>Ann');
    expect(received.html).toContain('&lt;b>Ann &amp; &quot;Co&quot;&lt;/b>');

    // Never a password: neither the account's nor (in the notice after the reset) the new one.
    expect(JSON.stringify([received.subject, received.text, received.html])).not.toContain(account.password);

    expect((await confirmReset(app, token)).statusCode).toBe(204);
    const again = await confirmReset(app, token, 'yet another secret phrase');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ detail: 'Invalid or expired reset token' });
    await expect(login(app, account.email, NEW_PASSWORD)).resolves.toBeTruthy();

    const [, notice] = await smtp.waitForMails(2);
    expect(defined(notice).to).toEqual([account.email]);
    expectNamesTheSite(defined(notice));
    expect(defined(notice).html).not.toBe('');
    expect(JSON.stringify(notice)).not.toContain(NEW_PASSWORD);

    await app.mailer.idle();
    const rows = await outboxRows(app);
    expect(rows.map((row) => [row.kind, row.state, row.attempts])).toEqual([
      ['password-reset', 'sent', 1],
      ['password-changed', 'sent', 1],
    ]);
    expect(rows.every((row) => row.sent_at !== null && !row.payload.includes(token))).toBe(true);
    // The token never appears in a log line, even at trace level.
    expect(logs.raw.join('')).not.toContain(token);
  });

  it('is delivered through a server that asks for a login, from MAIL_FROM when it is set', async () => {
    const auth = { user: 'blog-mailer', pass: 'p@ss:word/with%chars' };
    const smtp = await smtpServer({ auth });
    expect(smtp.url).toContain('@127.0.0.1:');
    const { app } = await mailApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Pebble Support <support@blog.example.com>' });
    const account = await register(app, newAccount('authed'));

    await askForReset(app, account.email);
    const [mail] = await smtp.waitForMails(1);

    expect(defined(mail).to).toEqual([account.email]);
    expect(defined(mail).parsed.from?.value).toEqual([{ name: 'Pebble Support', address: 'support@blog.example.com' }]);
    expectNamesTheSite(defined(mail));
    expect((await confirmReset(app, tokenOf(defined(mail)))).statusCode).toBe(204);
  });

  it('with wrong SMTP credentials (535) is given up, kept with its error and logged, the password in no log line', async () => {
    const smtp = await smtpServer({ auth: { user: 'blog-mailer', pass: 'the-right-smtp-pass' } });
    const wrongUrl = `smtp://blog-mailer:the-wrong-smtp-pass@127.0.0.1:${smtp.port}`;
    const logs = logCapture();
    const { app } = await mailApp({ SMTP_URL: wrongUrl, LOG_LEVEL: 'info' }, logs);
    const account = await register(app, newAccount('badauth'));

    await askForReset(app, account.email);
    await app.mailer.idle(); // the request woke the sender: this waits for its attempt

    const row = await onlyRow(app);
    expect(row.state).toBe('failed');
    expect(row.attempts).toBe(1); // 5xx is permanent: no retry
    expect(row.last_error).toMatch(/535/);
    expect(smtp.attempts).toBe(0);

    const givenUp = logs.lines().filter((line) => line.msg.startsWith('mail given up'));
    expect(givenUp).toHaveLength(1);
    expect(givenUp[0]).toMatchObject({ level: 50, mailId: row.id, reason: row.last_error });
    expect(logs.lines().some((line) => line.msg === 'mail goes to an SMTP server')).toBe(true);
    const log = logs.raw.join('');
    expect(log).not.toContain('the-wrong-smtp-pass');
    expect(log).not.toContain('blog-mailer:');
    expect(row.last_error).not.toContain('the-wrong-smtp-pass');
  });
});

describe('delivery failures', () => {
  it('retries temporary refusals (451) after growing waits, then delivers the mail once', async () => {
    const smtp = await smtpServer({ behaviour: { kind: 'fail-temporarily', times: 2 } });
    const logs = logCapture();
    const { app } = await mailApp({ SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '100', LOG_LEVEL: 'info' }, logs);
    const account = await register(app, newAccount('retried'));
    const attemptedAt: number[] = [];
    const attempt = async (count: number) => {
      await smtp.waitForAttempts(count);
      attemptedAt.push(Date.now());
    };

    await askForReset(app, account.email);
    await attempt(1);
    await attempt(2);
    await attempt(3);
    const [mail] = await smtp.waitForMails(1);
    await app.mailer.idle();

    // The wait doubles: 100 ms after the first failure, 200 ms after the second.
    const retries = logs.lines().filter((line) => line.msg === 'mail not sent: will try again');
    expect(retries.map((line) => line.retryInMs)).toEqual([100, 200]);
    const [first, second, third] = attemptedAt as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(100);
    expect(third - second).toBeGreaterThanOrEqual(200);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.attempts).toBe(3);
    expect(defined(mail).to).toEqual([account.email]);
    const row = await onlyRow(app);
    expect([row.state, row.attempts]).toEqual(['sent', 3]);
  });

  it('gives a mail up after MAIL_MAX_ATTEMPTS temporary refusals, and keeps it failed with the last error', async () => {
    const smtp = await smtpServer({ behaviour: { kind: 'fail-temporarily', times: 1000 } });
    const logs = logCapture();
    const { app } = await mailApp(
      { SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '20', MAIL_MAX_ATTEMPTS: '3', LOG_LEVEL: 'info' },
      logs,
    );
    const account = await register(app, newAccount('exhausted'));

    await askForReset(app, account.email);
    await smtp.waitForAttempts(3);
    await app.mailer.idle(); // the third attempt's round settles it

    const row = await onlyRow(app);
    expect([row.state, row.attempts]).toEqual(['failed', 3]);
    expect(row.last_error).toMatch(/451/);
    expect(logs.lines().filter((line) => line.msg.startsWith('mail given up'))).toHaveLength(1);
    expect(smtp.received).toHaveLength(0);
    expect(smtp.attempts).toBe(3);
  });

  it('gives a mail up after one attempt when the server refuses it for good (550)', async () => {
    const smtp = await smtpServer({ behaviour: { kind: 'reject' } });
    const { app } = await mailApp({ SMTP_URL: smtp.url });
    const account = await register(app, newAccount('refused'));

    await askForReset(app, account.email);
    await app.mailer.idle();

    const row = await onlyRow(app);
    expect([row.state, row.attempts]).toEqual(['failed', 1]);
    expect(row.last_error).toMatch(/550/);
    expect(smtp.attempts).toBe(1);
  });
});

describe('the sender is off the request path', () => {
  it('answers reset requests at once while the SMTP server does not answer', async () => {
    const smtp = await smtpServer({ behaviour: { kind: 'stall' } });
    const { app } = await mailApp({ SMTP_URL: smtp.url });
    const first = await register(app, newAccount('stalled'));
    const second = await register(app, newAccount('waiting'));

    await askForReset(app, first.email);
    await smtp.waitForAttempts(1); // the first mail's delivery now hangs at the end of DATA
    const started = Date.now();
    await askForReset(app, second.email);
    expect(Date.now() - started).toBeLessThan(10_000); // the stalled delivery may take 60 s
    const rows = await outboxRows(app);
    expect(rows.map((row) => row.state)).toEqual(['sending', 'queued']);

    smtp.behave({ kind: 'accept' });
    const mails = await smtp.waitForMails(2);
    expect(mails.map((mail) => mail.to)).toEqual([[first.email], [second.email]]);
  });

  it('lets a delivery in flight finish when the app closes', async () => {
    const smtp = await smtpServer({ behaviour: { kind: 'slow', ms: 400 } });
    const context = await createTestApp({ ...SITE, SMTP_URL: smtp.url });
    let closed = false;
    cleanup(async () => {
      if (!closed) await context.close();
    });
    const { app } = context;
    const account = await register(app, newAccount('closing'));

    await askForReset(app, account.email);
    await smtp.waitForAttempts(1); // the server has the mail and answers in 400 ms
    await app.close();

    expect(smtp.received.map((mail) => mail.to)).toEqual([[account.email]]);
    // The app's database is closed: the row is read over a connection of its own.
    const db = createDatabase(context.config.databaseUrl);
    try {
      const rows = await db.selectFrom('mail_outbox').select(['state', 'attempts']).execute();
      expect(rows).toEqual([{ state: 'sent', attempts: 1 }]);
    } finally {
      await db.destroy();
    }
    closed = true;
    await context.close();
  });
});

describe('without SMTP_URL', () => {
  it('writes each mail to DATA_DIR/mail/ as an .eml file only its owner can read, and logs where', async () => {
    const logs = logCapture();
    const { app, dataDir } = await mailApp({ LOG_LEVEL: 'info' }, logs);
    const account = await register(app, newAccount('filed'));

    await askForReset(app, account.email);
    const [mail] = await inbox(app, dataDir, account.email);
    const token = tokenOf(defined(mail));
    expectNamesTheSite(defined(mail));

    const directory = mailDirectory(dataDir);
    const written = logs.lines().filter((line) => line.msg.startsWith('mail written to a file'));
    expect(written).toHaveLength(1);
    const file = String(written[0]?.file);
    expect(path.dirname(file)).toBe(directory);
    expect(file).toMatch(/\.eml$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect(logs.lines().find((line) => line.msg.startsWith('no SMTP_URL'))?.directory).toBe(directory);
    expect(logs.raw.join('')).not.toContain(token);
    expect((await confirmReset(app, token)).statusCode).toBe(204);
  });
});
