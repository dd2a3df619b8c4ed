// Changes that must happen together, in one transaction: an account change
// and the mail it causes are committed together or not at all. The sender is
// woken only after the commit, so it never looks for a mail that is not there.
import type { DB } from '../db/database.js';
import { createAuditLog, type AuditEntry } from '../repositories/audit-log.js';
import { createInvitationRepository } from '../repositories/invitations.js';
import { createMailOutboxRepository, type MailToQueue } from '../repositories/mail-outbox.js';
import { createPasswordResetTokenRepository } from '../repositories/password-reset-tokens.js';
import { createPostWrites } from '../repositories/posts/writes.js';
import { createTwoFactorRepository } from '../repositories/two-factor.js';
import { createUserRepository } from '../repositories/users.js';

export interface TransactionScope {
  users: ReturnType<typeof createUserRepository>;
  passwordResetTokens: ReturnType<typeof createPasswordResetTokenRepository>;
  invitations: ReturnType<typeof createInvitationRepository>;
  posts: ReturnType<typeof createPostWrites>;
  twoFactor: ReturnType<typeof createTwoFactorRepository>;
  /** Queues a mail in this transaction. */
  queueMail(mail: MailToQueue): Promise<void>;
  /** Records an admin's action in this transaction: it is logged if and only if it happened. */
  audit(entry: AuditEntry): Promise<void>;
}

export function createUnitOfWork(db: DB, deps: { onMailQueued: () => void; now: () => number }) {
  return async function transact<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    let queued = false;
    const result = await db.transaction().execute((trx) => {
      const outbox = createMailOutboxRepository(trx);
      const auditLog = createAuditLog(trx);
      return work({
        users: createUserRepository(trx),
        passwordResetTokens: createPasswordResetTokenRepository(trx),
        invitations: createInvitationRepository(trx),
        posts: createPostWrites(trx),
        twoFactor: createTwoFactorRepository(trx),
        async queueMail(mail) {
          await outbox.queue(mail, deps.now());
          queued = true;
        },
        audit: (entry) => auditLog.record(entry, deps.now()),
      });
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by queueMail() during the transaction
    if (queued) deps.onMailQueued();
    return result;
  };
}

export type Transact = ReturnType<typeof createUnitOfWork>;
