// The audit log: one row per admin action, appended and never changed (the
// table's triggers refuse it, migration 0008). Actor and target are kept by
// id and by their name at the time, so the history outlives the accounts.
import type { Selectable } from 'kysely';
import type { DB } from '../db/database.js';
import type { AuditLogTable } from '../db/schema.js';

export type AuditTargetType = 'user' | 'post' | 'invitation';

export interface AuditEntry {
  /** Null for the command line. */
  actor: { id: number; username: string } | null;
  action: string;
  target: { type: AuditTargetType; id: number | null; label: string };
  /** What changed, e.g. `{ role: { from: 'user', to: 'admin' } }`. */
  details?: Record<string, unknown>;
}

/** A row as it is read: `details` parsed, `created_at` a number (PostgreSQL returns bigint as text). */
export type AuditRecord = Omit<Selectable<AuditLogTable>, 'details' | 'created_at'> & {
  details: Record<string, unknown>;
  /** Epoch ms. */
  created_at: number;
};

/** How the command line is named as an actor. */
export const COMMAND_LINE_ACTOR = 'command line';

export function createAuditLog(db: DB) {
  return {
    async record(entry: AuditEntry, at: number): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          actor_id: entry.actor?.id ?? null,
          actor_name: entry.actor?.username ?? COMMAND_LINE_ACTOR,
          action: entry.action,
          target_type: entry.target.type,
          target_id: entry.target.id,
          target_label: entry.target.label.slice(0, 200),
          details: JSON.stringify(entry.details ?? {}),
          created_at: at,
        })
        .execute();
    },

    /** Newest first, and how many there are. */
    async page(skip: number, limit: number): Promise<{ entries: AuditRecord[]; total: number }> {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(skip)
        .execute();
      const counted = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number | string>().as('total'))
        .executeTakeFirst();
      return {
        entries: rows.map((row) => ({
          ...row,
          details: JSON.parse(row.details) as Record<string, unknown>,
          created_at: Number(row.created_at),
        })),
        total: Number(counted?.total ?? 0),
      };
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
