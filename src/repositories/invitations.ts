// Invitations to register, kept by their token's SHA-256 only. One is
// pending while it is neither accepted nor revoked and has not expired; every
// change to it is a conditional UPDATE, so of two uses at once only one finds
// it still pending.
import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../db/database.js';
import { isStorableId } from '../db/ids.js';
import type { Database } from '../db/schema.js';

export interface InvitationRecord {
  id: number;
  email: string;
  /** The inviting admin's username; null once that account is gone. */
  invited_by: string | null;
  /** Epoch ms, as is expires_at. */
  created_at: number;
  expires_at: number;
}

const pendingAt = (now: number) => (eb: ExpressionBuilder<Database, 'invitations'>) =>
  eb.and([
    eb('invitations.accepted_at', 'is', null),
    eb('invitations.revoked_at', 'is', null),
    eb('invitations.expires_at', '>', now),
  ]);

/** The invitations pending at `now`, newest first, and how many there are. */
async function pendingPage(
  db: DB,
  now: number,
  skip: number,
  limit: number,
): Promise<{ invitations: InvitationRecord[]; total: number }> {
  const rows = await db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.created_at',
      'invitations.expires_at',
      'users.username as invited_by',
    ])
    .where(pendingAt(now))
    .orderBy('invitations.id', 'desc')
    .limit(limit)
    .offset(skip)
    .execute();
  const counted = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .where(pendingAt(now))
    .executeTakeFirst();
  return {
    invitations: rows.map((row) => ({
      ...row,
      created_at: Number(row.created_at),
      expires_at: Number(row.expires_at),
    })),
    total: Number(counted?.total ?? 0),
  };
}

export function createInvitationRepository(db: DB) {
  return {
    async create(values: {
      email: string;
      tokenHash: string;
      invitedBy: number;
      createdAt: number;
      expiresAt: number;
    }): Promise<{ id: number }> {
      return db
        .insertInto('invitations')
        .values({
          email: values.email,
          token_hash: values.tokenHash,
          invited_by: values.invitedBy,
          created_at: values.createdAt,
          expires_at: values.expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },

    /** Revokes the invitations to `email` pending at `now`; returns their ids. */
    async revokePendingTo(email: string, now: number): Promise<number[]> {
      const rows = await db
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where('email', '=', email)
        .where(pendingAt(now))
        .returning('id')
        .execute();
      return rows.map((row) => row.id);
    },

    /** Revokes one invitation if it is pending at `now`; returns its address, or undefined. */
    async revoke(id: number, now: number): Promise<{ email: string } | undefined> {
      if (!isStorableId(id)) return undefined;
      return db
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where(pendingAt(now))
        .returning('email')
        .executeTakeFirst();
    },

    /** Gives a pending invitation a new token (its mail is being composed); its expiry, or undefined. */
    async replaceToken(id: number, tokenHash: string, now: number): Promise<number | undefined> {
      const row = await db
        .updateTable('invitations')
        .set({ token_hash: tokenHash })
        .where('id', '=', id)
        .where(pendingAt(now))
        .returning('expires_at')
        .executeTakeFirst();
      return row === undefined ? undefined : Number(row.expires_at);
    },

    /** The address of the invitation with this token, if it is pending at `now`. */
    async findPending(tokenHash: string, now: number): Promise<{ id: number; email: string } | undefined> {
      return db
        .selectFrom('invitations')
        .select(['id', 'email'])
        .where('token_hash', '=', tokenHash)
        .where(pendingAt(now))
        .executeTakeFirst();
    },

    /** Uses the invitation up if it is pending and for `email`; its id, or undefined. */
    async accept(tokenHash: string, email: string, now: number): Promise<number | undefined> {
      const row = await db
        .updateTable('invitations')
        .set({ accepted_at: now })
        .where('token_hash', '=', tokenHash)
        .where('email', '=', email.toLowerCase())
        .where(pendingAt(now))
        .returning('id')
        .executeTakeFirst();
      return row?.id;
    },

    /** The invitations pending at `now`, newest first, and how many there are. */
    pendingPage: (now: number, skip: number, limit: number) => pendingPage(db, now, skip, limit),

    /** Invitations past their expiry are of no further use, whatever became of them. */
    async purgeExpired(now: number): Promise<void> {
      await db.deleteFrom('invitations').where('expires_at', '<=', now).execute();
    },
  };
}

export type InvitationRepository = ReturnType<typeof createInvitationRepository>;
