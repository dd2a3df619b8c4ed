// The mail outbox survives its server (docs/api.md, "Mail": "a mail queued
// before a crash is sent after the restart"): real server processes on one
// SQLite DATA_DIR, sending to a real SMTP server (test/helpers/smtp.ts).
// A process killed (SIGKILL) while the SMTP server holds its delivery leaves
// the mail claimed; the next process takes it up when the claim lapses
// (2 x MAIL_SEND_TIMEOUT_MS) and delivers it exactly once, with a reset link
// that works once ("Account recovery"). A mail queued while the SMTP server
// is unreachable waits in the queue, and is delivered after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import type { MailState } from '../../src/db/schema.js';
import {
  defined,
  freePort,
  matching,
  newAccount,
  resetLinkOf,
  sleep,
  spawnServer,
  useCleanups,
  waitForExit,
  waitUntilReady,
  type ReadMail,
  type ServerProcess,
} from '../helpers/index.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const PUBLIC_URL = 'https://blog.example.test';
const SEND_TIMEOUT_MS = 1_000;
/** A sender's claim on a mail lapses after twice its send timeout. */
const LEASE_MS = 2 * SEND_TIMEOUT_MS;
const POLL_MS = 200;
const READY_TIMEOUT_MS = 20_000;
/** The reset mail's subject (SITE_NAME is left at its default). */
const RESET_SUBJECT = 'Reset your password on Blog';

const cleanup = useCleanups(afterEach);

// ---------------------------------------------------------------------------
// Processes, the SMTP server and the outbox

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'blog-mail-'));
  cleanup(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function smtpServer(behaviour: Parameters<TestSmtpServer['behave']>[0]): Promise<TestSmtpServer> {
  const smtp = await startSmtpServer({ behaviour });
  cleanup(() => smtp.close());
  return smtp;
}

/** A server process on `dataDir` sending to `smtpUrl`, ready; killed after the test if it is still running. */
async function startServer(dataDir: string, smtpUrl: string, env: Record<string, string> = {}) {
  const server = await spawnServer({
    DATA_DIR: dataDir,
    SMTP_URL: smtpUrl,
    PUBLIC_URL,
    MAIL_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
    MAIL_POLL_MS: String(POLL_MS),
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  });
  cleanup(async () => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    server.child.kill('SIGKILL');
    await server.exited;
  });
  await waitUntilReady(server, READY_TIMEOUT_MS);
  return server;
}

interface OutboxRow {
  id: number;
  kind: string;
  recipient: string;
  state: MailState;
  attempts: number;
  last_error: string | null;
}

/** Reads the outbox of the SQLite database in `dataDir` (a reader beside the server, as WAL allows). */
function outboxOf(dataDir: string) {
  const db = createDatabase(`sqlite:${path.join(dataDir, 'blog.db')}`, { poolSize: 1 });
  cleanup(() => db.destroy());
  const rows = (): Promise<OutboxRow[]> =>
    db
      .selectFrom('mail_outbox')
      .select(['id', 'kind', 'recipient', 'state', 'attempts', 'last_error'])
      .orderBy('id')
      .execute();
  return {
    rows,
    /** Polls the outbox until `done` holds for its rows; fails with the last rows after `timeoutMs`. */
    async until(what: string, done: (rows: OutboxRow[]) => boolean, timeoutMs = 10_000): Promise<OutboxRow[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await rows();
        if (done(current)) return current;
        if (Date.now() > deadline)
          throw new Error(`outbox: ${what} within ${timeoutMs} ms; rows: ${JSON.stringify(current)}`);
        await sleep(50);
      }
    },
  };
}

// ---------------------------------------------------------------------------
// HTTP

async function post(server: ServerProcess, urlPath: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.base}${urlPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

async function registerUser(server: ServerProcess, prefix: string) {
  const account = newAccount(prefix);
  const created = await post(server, '/api/users', account);
  expect(created.status, created.text).toBe(201);
  return account;
}

async function requestReset(server: ServerProcess, email: string): Promise<void> {
  const requested = await post(server, '/api/users/password-reset', { email });
  expect(requested.status, requested.text).toBe(202);
}

const resetMailsTo = (smtp: TestSmtpServer, email: string): ReadMail[] =>
  smtp.received.filter((mail) => mail.to.includes(email) && mail.subject === RESET_SUBJECT);

/** The reset mail links to PUBLIC_URL's reset page; its token sets a new password once, then is refused. */
async function expectTokenWorksOnce(server: ServerProcess, mail: ReadMail): Promise<void> {
  const { url, token } = resetLinkOf(mail);
  expect(url.origin).toBe(PUBLIC_URL);
  expect(url.pathname).toBe('/reset-password');
  const confirm = { token, new_password: 'a brand new passphrase' };
  const first = await post(server, '/api/users/password-reset/confirm', confirm);
  expect(first.status, first.text).toBe(204);
  const again = await post(server, '/api/users/password-reset/confirm', confirm);
  expect(again.status).toBe(400);
  expect(JSON.parse(again.text)).toEqual({ detail: 'Invalid or expired reset token' });
}

// ---------------------------------------------------------------------------

describe('mail outlives the server process that queued it', () => {
  it('a process killed while the SMTP server holds its delivery: the next process delivers the mail exactly once', async () => {
    const smtp = await smtpServer({ kind: 'stall' });
    const dataDir = newDataDir();
    const first = await startServer(dataDir, smtp.url);
    const outbox = outboxOf(dataDir);
    const { email } = await registerUser(first, 'crash');

    await requestReset(first, email);
    // The whole message went over the wire; the server never answers its end of DATA.
    await smtp.waitForAttempts(1);
    first.child.kill('SIGKILL');
    expect(await waitForExit(first, 5_000)).toMatchObject({ signal: 'SIGKILL' });
    expect(smtp.received).toEqual([]);
    // Killed mid-claim: the mail is still held by the dead sender, first attempt.
    const [held] = await outbox.rows();
    expect(held).toMatchObject({ kind: 'password-reset', recipient: email, state: 'sending', attempts: 1 });

    // The dead sender's stalled delivery goes with its connection, as on a real server.
    await smtp.waitForNoConnections();
    smtp.behave({ kind: 'accept' });
    const second = await startServer(dataDir, smtp.url);
    const mail = defined((await smtp.waitForMails(1, LEASE_MS + 10_000))[0]);
    expect(mail.to).toEqual([email]);
    expect(mail.subject).toBe(RESET_SUBJECT);
    await outbox.until('the reset mail is sent', (rows) => rows[0]?.state === 'sent');
    // Past another lease and several polls, the mail is still delivered once:
    // nothing is left to take it up again (an absence, so there is no event to wait on).
    await sleep(LEASE_MS + 2 * POLL_MS);
    expect(resetMailsTo(smtp, email)).toHaveLength(1);
    expect(await outbox.rows()).toEqual([
      expect.objectContaining({ id: held?.id, state: 'sent', attempts: 2, last_error: null }),
    ]);

    await expectTokenWorksOnce(second, mail);
    // The reset itself sends a notice, which is not a second reset mail.
    const notices = await smtp.waitForMails(2);
    expect(notices[1]?.to).toEqual([email]);
    expect(resetMailsTo(smtp, email)).toHaveLength(1);
  }, 40_000);

  it('a mail queued while the SMTP server is unreachable is delivered after a restart that reaches it', async () => {
    const unreachable = `smtp://127.0.0.1:${await freePort()}`; // nothing listens there: connection refused
    const smtp = await smtpServer({ kind: 'accept' });
    const dataDir = newDataDir();
    const first = await startServer(dataDir, unreachable, { MAIL_RETRY_BASE_MS: '100' });
    const outbox = outboxOf(dataDir);
    const { email } = await registerUser(first, 'refused');

    await requestReset(first, email);
    const [refused] = await outbox.until(
      'the first delivery fails',
      (rows) => rows[0]?.state === 'queued' && rows[0].attempts > 0,
    );
    expect(refused).toMatchObject({ kind: 'password-reset', last_error: matching(/ECONNREFUSED/) });
    first.child.kill('SIGTERM');
    expect(await waitForExit(first, 10_000)).toMatchObject({ code: 0 });
    // Kept for the next process: queued, not given up.
    const [waiting] = await outbox.rows();
    expect(waiting).toMatchObject({ id: refused?.id, state: 'queued' });
    const attemptsBefore = waiting?.attempts ?? 0;

    const second = await startServer(dataDir, smtp.url, { MAIL_RETRY_BASE_MS: '100' });
    const mail = defined((await smtp.waitForMails(1))[0]);
    expect(mail.to).toEqual([email]);
    await outbox.until('the reset mail is sent', (rows) => rows[0]?.state === 'sent');
    await sleep(2 * POLL_MS); // two more polls: still one delivery
    expect(smtp.received).toHaveLength(1);
    expect(smtp.attempts).toBe(1);
    expect(await outbox.rows()).toEqual([
      expect.objectContaining({ id: refused?.id, state: 'sent', attempts: attemptsBefore + 1, last_error: null }),
    ]);
    await expectTokenWorksOnce(second, mail);
  }, 40_000);
});
