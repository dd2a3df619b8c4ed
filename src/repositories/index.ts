// Every repository over one database handle: the app's (src/plugins/services.ts)
// or a transaction's (src/services/unit-of-work.ts).
import type { DB } from '../db/database.js';
import { createAuditLog } from './audit-log.js';
import { createInvitationRepository } from './invitations.js';
import { createMailOutboxRepository } from './mail-outbox.js';
import { createPasswordResetTokenRepository } from './password-reset-tokens.js';
import { createPictureCleanupRepository } from './picture-cleanup.js';
import { createPostRepository } from './posts/index.js';
import { createRateLimitRepository } from './rate-limits.js';
import { createRevokedTokenRepository } from './revoked-tokens.js';
import { createSyndicationRepository } from './syndication.js';
import { createTwoFactorRepository } from './two-factor.js';
import { createUserPictureRepository } from './user-pictures.js';
import { createUserRepository } from './users.js';

export function createRepositories(db: DB) {
  return {
    users: createUserRepository(db),
    auditLog: createAuditLog(db),
    userPictures: createUserPictureRepository(db),
    posts: createPostRepository(db),
    revokedTokens: createRevokedTokenRepository(db),
    rateLimits: createRateLimitRepository(db),
    pictureCleanup: createPictureCleanupRepository(db),
    mailOutbox: createMailOutboxRepository(db),
    passwordResetTokens: createPasswordResetTokenRepository(db),
    invitations: createInvitationRepository(db),
    syndication: createSyndicationRepository(db),
    twoFactor: createTwoFactorRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
