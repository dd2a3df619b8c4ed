// The durable outbox. Every instance's sender claims due mails with one
// atomic UPDATE (on PostgreSQL over rows locked with SKIP LOCKED, so two
// senders never wait for or take the same rows), and settles a claim only
// while it still holds it: `attempts` is the claim's fence.
import type { Selectable } from 'kysely';
import type { DB } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { MailOutboxTable, MailState } from '../db/schema.js';

export interface MailToQueue {
  kind: string;
  recipient: string;
  /** What the mail's composer needs, stored as JSON: never a secret. */
  payload: Record<string, unknown>;
}

export interface ClaimedMail {
  id: number;
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
  /** This claim's attempt number (1 for the first). */
  attempts: number;
  lastError: string | null;
}

/** How a claim ends: sent, dropped, given up, or back in the queue until `nextAttemptAt`. */
export type Settlement =
  | { state: 'sent' | 'dropped'; at: number; note?: string }
  | { state: 'failed'; error: string }
  | { state: 'queued'; nextAttemptAt: number; error?: string; attemptsBack?: number };

const PENDING: MailState[] = ['queued', 'sending'];

/** The columns a settlement writes. */
function settledColumns(mail: Pick<ClaimedMail, 'attempts'>, settlement: Settlement) {
  switch (settlement.state) {
    case 'queued':
      return {
        state: settlement.state,
        next_attempt_at: settlement.nextAttemptAt,
        attempts: mail.attempts - (settlement.attemptsBack ?? 0),
        ...(settlement.error !== undefined && { last_error: settlement.error }),
      };
    case 'failed':
      return { state: settlement.state, last_error: settlement.error };
    default:
      return { state: settlement.state, sent_at: settlement.at, last_error: settlement.note ?? null };
  }
}

type ClaimedRow = Pick<
  Selectable<MailOutboxTable>,
  'id' | 'kind' | 'recipient' | 'payload' | 'attempts' | 'last_error'
>;

function claimedMailOf(row: ClaimedRow): ClaimedMail {
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

export function createMailOutboxRepository(db: DB) {
  const skipLocked = dialectOf(db) === 'postgres';
  return {
    async queue(mail: MailToQueue, now: number): Promise<number> {
      const row = await db
        .insertInto('mail_outbox')
        .values({
          kind: mail.kind,
          recipient: mail.recipient,
          payload: JSON.stringify(mail.payload),
          state: 'queued',
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          sent_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Claims up to `limit` due mails (queued and due, or held by a claim that lapsed) until `now + leaseMs`. */
    async claimDue(now: number, leaseMs: number, limit: number): Promise<ClaimedMail[]> {
      let due = db
        .selectFrom('mail_outbox')
        .select('id')
        .where('state', 'in', PENDING)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit);
      if (skipLocked) due = due.forUpdate().skipLocked();
      const rows = await db
        // Materialized, so the LIMIT is applied once: PostgreSQL would otherwise
        // run an `IN (subquery … LIMIT n)` again for each row it updates, and
        // every due mail would be claimed at once.
        .with(
          (cte) => cte('due').materialized(),
          () => due,
        )
        .updateTable('mail_outbox')
        .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: now + leaseMs }))
        .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
        // Checked again on the locked row: another sender may have claimed it meanwhile.
        .where('state', 'in', PENDING)
        .where('next_attempt_at', '<=', now)
        .returning(['id', 'kind', 'recipient', 'payload', 'attempts', 'last_error'])
        .execute();
      return rows.map(claimedMailOf).sort((a, b) => a.id - b.id);
    },

    /** Ends a claim; false when the claim had lapsed and another sender holds the mail now. */
    async settle(mail: Pick<ClaimedMail, 'id' | 'attempts'>, settlement: Settlement): Promise<boolean> {
      const result = await db
        .updateTable('mail_outbox')
        .set(settledColumns(mail, settlement))
        .where('id', '=', mail.id)
        .where('attempts', '=', mail.attempts)
        .where('state', '=', 'sending')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** When the next pending mail is due (epoch ms), or undefined when none is pending. */
    async nextDueAt(): Promise<number | undefined> {
      const row = await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.min('next_attempt_at').as('due'))
        .where('state', 'in', PENDING)
        .executeTakeFirst();
      return row?.due == null ? undefined : Number(row.due);
    },

    /** How many mails wait to be sent: queued (due or not) or being sent now. */
    async countWaiting(): Promise<number> {
      const row = await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll().as('waiting'))
        .where('state', 'in', PENDING)
        .executeTakeFirstOrThrow();
      return Number(row.waiting);
    },

    /** Forgets mails that were sent or dropped before `before` (epoch ms); failed ones stay for their owner to see. */
    async purgeFinishedBefore(before: number): Promise<void> {
      await db
        .deleteFrom('mail_outbox')
        .where('state', 'in', ['sent', 'dropped'])
        .where('sent_at', '<', before)
        .execute();
    },
  };
}

export type MailOutboxRepository = ReturnType<typeof createMailOutboxRepository>;
