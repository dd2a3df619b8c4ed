// Two server processes on one PostgreSQL schema share one mail outbox
// (docs/api.md, "Mail": "with several instances each mail is sent once"):
// reset mails queued through both instances, each instance's sender woken by
// its own requests and polling for the other's, all sending to one real SMTP
// server (test/helpers/smtp.ts). Every mail arrives once, each outbox row was
// claimed once (attempts 1), and each mail was sent by one instance only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import {
  createPostgresSchema,
  newAccount,
  sleep,
  spawnServer,
  useCleanups,
  waitUntilReady,
  type ServerProcess,
} from '../helpers/index.js';
import { startSmtpServer } from '../helpers/smtp.js';

const MAILS = 40;
const POLL_MS = 50;
const READY_TIMEOUT_MS = 30_000;

const cleanup = useCleanups();

async function startInstance(name: string, databaseUrl: string, smtpUrl: string): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `blog-mail-${name}-`));
  cleanup(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const server = await spawnServer({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    SMTP_URL: smtpUrl,
    PUBLIC_URL: 'https://blog.example.test',
    MAIL_POLL_MS: String(POLL_MS),
    RATE_LIMIT_ENABLED: 'false',
    // Info, for the sender's "mail sent" lines: they tell which instance sent which mail.
    LOG_LEVEL: 'info',
  });
  cleanup(async () => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    server.child.kill('SIGTERM');
    const exit = await Promise.race([server.exited, sleep(10_000).then(() => undefined)]);
    if (!exit) server.child.kill('SIGKILL');
  });
  return server;
}

async function post(server: ServerProcess, urlPath: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.base}${urlPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, text: await response.text() };
}

/** How many rows are in which state after how many attempts, e.g. "sent/1 x7, sending/1 x33". */
function describeOutbox(rows: { state: string; attempts: number }[]): string {
  const counts = new Map<string, number>();
  for (const row of rows)
    counts.set(`${row.state}/${row.attempts}`, (counts.get(`${row.state}/${row.attempts}`) ?? 0) + 1);
  return [...counts].map(([key, count]) => `${key} x${count}`).join(', ');
}

/** The ids of the mails this instance logged as sent. */
const sentBy = (server: ServerProcess): number[] =>
  server.logs.filter((line) => line.msg === 'mail sent').map((line) => Number(line.mailId));

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'two instances on one PostgreSQL database share the mail outbox (needs TEST_DATABASE_URL)',
  () => {
    it(`${MAILS} reset mails queued through both instances are each delivered exactly once`, async () => {
      const schema = await createPostgresSchema();
      cleanup(() => schema.drop());
      // A little slow, so a backlog builds up and both senders take mails from its head at the same moments.
      const smtp = await startSmtpServer({ behaviour: { kind: 'slow', ms: 20 } });
      cleanup(() => smtp.close());
      // Started together: both migrate the empty schema at the same moment.
      const A = await startInstance('A', schema.url, smtp.url);
      const B = await startInstance('B', schema.url, smtp.url);
      await Promise.all([waitUntilReady(A, READY_TIMEOUT_MS, 'A'), waitUntilReady(B, READY_TIMEOUT_MS, 'B')]);
      const either = (i: number) => (i % 2 === 0 ? A : B);
      const db = createDatabase(schema.url, { poolSize: 1 });
      cleanup(() => db.destroy());

      const accounts = Array.from({ length: MAILS }, () => newAccount('share'));
      for (let i = 0; i < MAILS; i += 8) {
        const batch = accounts.slice(i, i + 8);
        const created = await Promise.all(batch.map((account, j) => post(either(i + j), '/api/users', account)));
        for (const reply of created) expect(reply.status, reply.text).toBe(201);
      }

      // All at once, alternating: both senders are woken by their own requests while the other polls.
      const requested = await Promise.all(
        accounts.map((account, i) => post(either(i), '/api/users/password-reset', { email: account.email })),
      );
      for (const reply of requested) expect(reply.status, reply.text).toBe(202);

      const rows = () =>
        db.selectFrom('mail_outbox').select(['id', 'recipient', 'state', 'attempts']).orderBy('id').execute();
      await smtp.waitForMails(MAILS, 15_000).catch(async (error: unknown) => {
        throw new Error(`${String(error)}; the outbox: ${describeOutbox(await rows())}`);
      });
      const deadline = Date.now() + 10_000;
      while ((await rows()).some((row) => row.state !== 'sent') && Date.now() < deadline) await sleep(50);
      // Several more polls of both senders: nothing is sent again (an absence, so no event to wait on).
      await sleep(5 * POLL_MS);

      const emails = accounts.map((account) => account.email).sort();
      expect(smtp.received.flatMap((mail) => mail.to).sort()).toEqual(emails);
      expect(smtp.attempts).toBe(MAILS);
      const outbox = await rows();
      expect(outbox.map((row) => row.recipient).sort()).toEqual(emails);
      expect(outbox.filter((row) => row.state !== 'sent' || row.attempts !== 1)).toEqual([]);

      // Each mail sent by one instance, and the work shared between them.
      const byA = sentBy(A);
      const byB = sentBy(B);
      expect([...byA, ...byB].sort((a, b) => a - b)).toEqual(outbox.map((row) => row.id));
      const shares = `A sent ${byA.length}, B sent ${byB.length}`;
      expect(byA.length, shares).toBeGreaterThan(0);
      expect(byB.length, shares).toBeGreaterThan(0);
      // Which instance queued a mail does not decide which one sends it (reported, not asserted).
      const queuedThroughA = new Set(accounts.filter((_, i) => either(i) === A).map((account) => account.email));
      const recipientOf = new Map(outbox.map((row) => [row.id, row.recipient]));
      const crossed = [
        ...byA.filter((id) => !queuedThroughA.has(recipientOf.get(id) ?? '')),
        ...byB.filter((id) => queuedThroughA.has(recipientOf.get(id) ?? '')),
      ];
      console.info(
        `mail-instances: ${MAILS} mails; ${shares}; ${crossed.length} sent by the instance that did not queue them`,
      );
    }, 40_000);
  },
);
