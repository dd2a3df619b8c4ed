// The background sender (src/mail/sender.ts) over a real SQLite outbox, with
// a transport written here in its place: the network boundary. docs/api.md,
// "Mail": sent by a background sender with retries and backoff; with several
// instances each mail is sent once (a claim that lapsed cannot be settled).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailSettings } from '../../src/config/index.js';
import { createDatabase, migrateToLatest, type DB } from '../../src/db/database.js';
import type { Envelope } from '../../src/mail/message.js';
import { backoffMs, createMailSender, type ComposeMail } from '../../src/mail/sender.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { createMetrics } from '../../src/metrics/index.js';
import { createMailOutboxRepository, type MailOutboxRepository } from '../../src/repositories/mail-outbox.js';
import { defined, useCleanups } from '../helpers/index.js';

const cleanup = useCleanups(afterEach);

const SETTINGS: MailSettings = {
  from: { name: 'Blog', address: 'no-reply@blog.example.com' },
  maxAttempts: 3,
  retryBaseMs: 50,
  pollMs: 60_000, // long: anything sent sooner was not found by the poll
  sendTimeoutMs: 10_000,
};

async function outboxOnDisk(): Promise<{ db: DB; outbox: MailOutboxRepository }> {
  const directory = mkdtempSync(path.join(tmpdir(), 'mail-sender-'));
  const db = createDatabase(`sqlite:${path.join(directory, 'blog.db')}`);
  cleanup(async () => {
    await db.destroy();
    rmSync(directory, { recursive: true, force: true });
  });
  await migrateToLatest(db);
  return { db, outbox: createMailOutboxRepository(db) };
}

interface LogEntry {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

function recordingLog(): { entries: LogEntry[]; log: FastifyBaseLogger } {
  const entries: LogEntry[] = [];
  const at =
    (level: string) =>
    (first: unknown, msg?: unknown): void => {
      entries.push(
        typeof first === 'string'
          ? { level, msg: first, fields: {} }
          : { level, msg: String(msg), fields: first as Record<string, unknown> },
      );
    };
  const log: FastifyBaseLogger = {
    level: 'trace',
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => undefined,
    child: () => log,
  };
  return { entries, log };
}

/** A promise to resolve by hand. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A transport that records each delivery and answers as `handle` says (accepts by default). */
function testTransport(handle: (mail: Envelope, call: number) => Promise<void> = () => Promise.resolve()) {
  const calls: { mail: Envelope; at: number }[] = [];
  const waiters = new Set<() => void>();
  const transport: MailTransport = {
    deliver(mail) {
      calls.push({ mail, at: Date.now() });
      for (const check of [...waiters]) check();
      return handle(mail, calls.length);
    },
    close: () => undefined,
  };
  /** Resolves once `count` deliveries have begun; fails the test after `timeoutMs`. */
  const called = (count: number, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (calls.length < count) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`expected ${count} deliveries within ${timeoutMs} ms, saw ${calls.length}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { transport, calls, called };
}

const composeFor: ComposeMail = (mail) =>
  Promise.resolve({ to: mail.recipient, subject: `Mail ${mail.id}`, text: 'Hello', html: '<p>Hello</p>' });

function sender(deps: {
  outbox: MailOutboxRepository;
  transport: MailTransport;
  compose?: ComposeMail;
  settings?: Partial<MailSettings>;
  log?: FastifyBaseLogger;
  now?: () => number;
}) {
  const made = createMailSender({
    compose: composeFor,
    log: recordingLog().log,
    metrics: createMetrics(),
    ...deps,
    settings: { ...SETTINGS, ...deps.settings },
  });
  cleanup(() => made.stop());
  return made;
}

const queue = (outbox: MailOutboxRepository, recipient: string, now = Date.now()) =>
  outbox.queue({ kind: 'notice', recipient, payload: {} }, now);

const rows = (db: DB) =>
  db.selectFrom('mail_outbox').select(['id', 'recipient', 'state', 'attempts', 'last_error']).orderBy('id').execute();

describe('backoffMs', () => {
  it('waits the base after the first failure and doubles it after each further one', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => backoffMs(30_000, attempts))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
    expect(backoffMs(30_000, 0)).toBe(30_000);
  });

  it('never waits more than six hours', () => {
    const sixHours = 6 * 60 * 60 * 1000;
    expect(backoffMs(30_000, 10)).toBe(30_000 * 2 ** 9); // 4 h 16 min
    expect(backoffMs(30_000, 11)).toBe(sixHours);
    expect(backoffMs(30_000, 1000)).toBe(sixHours);
    expect(backoffMs(sixHours * 2, 1)).toBe(sixHours);
  });
});

describe('the mail sender', () => {
  it('looks again when woken during a round, instead of waiting for the poll', async () => {
    const { db, outbox } = await outboxOnDisk();
    const { transport, calls } = testTransport();
    let claims = 0;
    let onEmptyClaim: (() => Promise<void>) | undefined;
    const watched: MailOutboxRepository = {
      ...outbox,
      async claimDue(...args) {
        claims += 1;
        const claimed = await outbox.claimDue(...args);
        const hook = claimed.length === 0 ? onEmptyClaim : undefined;
        if (hook) {
          onEmptyClaim = undefined;
          await hook();
        }
        return claimed;
      },
    };
    const mailer = sender({ outbox: watched, transport });
    await queue(outbox, 'first@example.com');
    // Queued and woken after the round found nothing more, before the round ended.
    onEmptyClaim = async () => {
      await queue(outbox, 'second@example.com');
      mailer.wake();
    };

    mailer.wake();
    await mailer.idle();

    expect(calls.map((call) => call.mail.to)).toEqual(['first@example.com', 'second@example.com']);
    expect(claims).toBe(4); // first, empty; woken: second, empty
    expect((await rows(db)).map((row) => row.state)).toEqual(['sent', 'sent']);
  });

  it('sends a retry when it is due, though that is before the next poll', async () => {
    const { db, outbox } = await outboxOnDisk();
    const { transport, calls, called } = testTransport((_mail, call) =>
      call === 1 ? Promise.reject(new Error('connection reset')) : Promise.resolve(),
    );
    const mailer = sender({ outbox, transport, settings: { retryBaseMs: 200 } });
    await queue(outbox, 'retried@example.com');

    mailer.wake();
    await called(2, 5_000); // the poll would come only after 60 s
    await mailer.idle();

    const [first, second] = calls;
    expect(defined(second).at - defined(first).at).toBeGreaterThanOrEqual(200);
    expect(await rows(db)).toEqual([
      { id: 1, recipient: 'retried@example.com', state: 'sent', attempts: 2, last_error: null },
    ]);
  });

  it('stops after the delivery in flight, leaving the mail it has not started queued', async () => {
    const { db, outbox } = await outboxOnDisk();
    const release = gate();
    const { transport, calls, called } = testTransport((_mail, call) =>
      call === 1 ? release.opened : Promise.resolve(),
    );
    const mailer = sender({ outbox, transport });
    await queue(outbox, 'in-flight@example.com');
    await queue(outbox, 'not-started@example.com');
    mailer.wake();
    await called(1);

    const events: string[] = [];
    const stopped = mailer.stop().then(() => events.push('stopped'));
    await new Promise((resolve) => setImmediate(resolve)); // time enough for stop() to return if it did not wait
    events.push('released');
    release.open();
    await stopped;

    expect(events).toEqual(['released', 'stopped']);
    expect(calls.map((call) => call.mail.to)).toEqual(['in-flight@example.com']);
    expect(await rows(db)).toEqual([
      { id: 1, recipient: 'in-flight@example.com', state: 'sent', attempts: 1, last_error: null },
      { id: 2, recipient: 'not-started@example.com', state: 'queued', attempts: 0, last_error: null },
    ]);
    // Stopped for good: a wake sends nothing.
    mailer.wake();
    await mailer.idle();
    expect(calls).toHaveLength(1);
  });

  it('lets a second sender take a mail whose claim lapsed, and fences the first out', async () => {
    const { db, outbox } = await outboxOnDisk();
    let clock = 1_000_000;
    const now = () => clock;
    const release = gate();
    const first = testTransport(() => release.opened); // hangs, as a paused process would
    const second = testTransport();
    const settled: boolean[] = [];
    const fenced: MailOutboxRepository = {
      ...outbox,
      async settle(...args) {
        const result = await outbox.settle(...args);
        settled.push(result);
        return result;
      },
    };
    const firstLog = recordingLog();
    const firstSender = sender({ outbox: fenced, transport: first.transport, now, log: firstLog.log });
    const secondSender = sender({ outbox, transport: second.transport, now });
    await queue(outbox, 'once@example.com', clock);

    firstSender.wake();
    await first.called(1);
    secondSender.wake();
    await secondSender.idle();
    expect(second.calls).toHaveLength(0); // the first sender's claim holds …

    clock += 2 * SETTINGS.sendTimeoutMs + 1; // … until it lapses
    secondSender.wake();
    await secondSender.idle();
    expect(second.calls).toHaveLength(1);

    release.open();
    await firstSender.idle();
    expect(settled).toEqual([false]);
    expect(await rows(db)).toEqual([
      { id: 1, recipient: 'once@example.com', state: 'sent', attempts: 2, last_error: null },
    ]);
    // Its log says what happened: not "mail sent", which the row would contradict.
    expect(firstLog.entries.map((entry) => [entry.level, entry.msg, entry.fields.outcome])).toEqual([
      ['warn', 'mail claim lapsed during the delivery: another sender holds the mail now', 'sent'],
    ]);
  });

  it('drops a mail whose composer finds its subject gone, noting why', async () => {
    const { db, outbox } = await outboxOnDisk();
    const { transport, calls } = testTransport();
    const mailer = sender({
      outbox,
      transport,
      compose: () => Promise.resolve({ dropped: 'no account at this address' }),
    });
    await queue(outbox, 'gone@example.com');

    mailer.wake();
    await mailer.idle();

    expect(calls).toHaveLength(0);
    expect(await rows(db)).toEqual([
      { id: 1, recipient: 'gone@example.com', state: 'dropped', attempts: 1, last_error: 'no account at this address' },
    ]);
  });
});
