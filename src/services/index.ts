// The services, built once per app over its repositories (see
// src/plugins/services.ts, the composition root).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import type { DB } from '../db/database.js';
import { createPasswordHasher } from '../heavy-work/passwords.js';
import type { MarkdownRenderer } from '../markdown/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Repositories } from '../repositories/index.js';
import type { PictureStore } from '../storage/picture-store.js';
import { createAccountService } from './accounts.js';
import { createAuthenticationService } from './authentication.js';
import { createHousekeeping } from './housekeeping.js';
import { createInvitationService } from './invitations.js';
import { loginRulesFrom } from './login-limits.js';
import { createMailComposer } from './mail-composer.js';
import { createModerationService } from './moderation.js';
import { createPasswordResetService } from './password-reset.js';
import { createPostService } from './posts.js';
import { createProfilePictureService } from './profile-pictures.js';
import { createRateLimiter } from './rate-limiter.js';
import { createSecretBox } from './secret-box.js';
import { createSignInChallenges } from './sign-in-challenges.js';
import { createSyndicationService } from './syndication.js';
import { createTokenService } from './tokens.js';
import { createTwoFactorService } from './two-factor.js';
import { createUnitOfWork } from './unit-of-work.js';

export interface ServiceDeps {
  config: Config;
  db: DB;
  repositories: Repositories;
  store: PictureStore;
  markdown: MarkdownRenderer;
  log: FastifyBaseLogger;
  /** What the services count (failed logins, 429s, pictures), exported at /metrics. */
  metrics: Metrics;
  /** Wakes the mail sender: called after a transaction that queued mail commits. */
  onMailQueued: () => void;
  now: () => number;
}

export function createServices(deps: ServiceDeps) {
  const { config, repositories, store, log, metrics, now } = deps;
  const { rateLimits } = config;
  const limiter = createRateLimiter(repositories.rateLimits, { enabled: config.rateLimitEnabled, now, metrics });
  const transact = createUnitOfWork(deps.db, { onMailQueued: deps.onMailQueued, now });
  const passwords = createPasswordHasher(config.argon2);
  const tokens = createTokenService(config.secretKey, config.accessTokenExpireMinutes);
  const profilePictures = createProfilePictureService({ ...repositories, store, log, metrics });
  const loginRules = loginRulesFrom(rateLimits);
  const twoFactor = createTwoFactorService({
    passwords,
    twoFactor: repositories.twoFactor,
    users: repositories.users,
    transact,
    limiter,
    // A signed-in user's wrong codes are held to the strict login rule.
    codeRule: loginRules.accountFromAddress,
    secretBox: createSecretBox(config.secretKey, 'two-factor secret'),
    issuer: config.siteName,
    now,
  });
  const authentication = createAuthenticationService({
    passwords,
    ...repositories,
    tokens,
    limiter,
    transact,
    loginRules,
    twoFactor,
    challenges: createSignInChallenges(config.secretKey, now),
    metrics,
  });
  const invitations = createInvitationService({
    ...repositories,
    transact,
    mode: config.registration,
    expireDays: config.invitationExpireDays,
    now,
  });
  const accounts = createAccountService({
    passwords,
    users: repositories.users,
    invitations,
    profilePictures,
    limiter,
    transact,
    registrationRule: { limit: rateLimits.registrations, windowSeconds: rateLimits.registrationWindowSeconds },
  });
  const passwordReset = createPasswordResetService({
    ...repositories,
    passwords,
    transact,
    limiter,
    requestRule: { limit: rateLimits.passwordResets, windowSeconds: rateLimits.passwordResetWindowSeconds },
    expireMinutes: config.passwordResetExpireMinutes,
    now,
  });
  const composeMail = createMailComposer({
    users: repositories.users,
    site: { name: config.siteName, url: config.publicUrl },
    issueResetToken: (userId) => passwordReset.issueToken(userId),
    resetExpireMinutes: config.passwordResetExpireMinutes,
    issueInvitationToken: (invitationId) => invitations.issueToken(invitationId),
  });
  const posts = createPostService({ posts: repositories.posts, markdown: deps.markdown, transact, now });
  const syndication = createSyndicationService({
    syndication: repositories.syndication,
    posts,
    accounts,
    site: { name: config.siteName, url: config.publicUrl },
    now,
  });
  const moderation = createModerationService({ ...repositories, transact, now });
  return {
    passwords,
    accounts,
    invitations,
    moderation,
    authentication,
    twoFactor,
    passwordReset,
    composeMail,
    profilePictures,
    posts,
    syndication,
    tokens,
    housekeeping: createHousekeeping({
      profilePictures,
      authentication,
      limiter,
      passwordReset,
      invitations,
      mailOutbox: repositories.mailOutbox,
      now,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
