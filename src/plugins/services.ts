// The composition root: the database, the repositories over it, the picture
// store and the services, built once per app from the configuration. Routes
// and plugins reach the services through `app.services`; the repositories
// are decorated too, for the command-line tools and the tests.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createDatabase, migrateToLatest, type DB } from '../db/database.js';
import { createPictureCleanupRepository } from '../repositories/picture-cleanup.js';
import { createPostRepository } from '../repositories/posts/index.js';
import { createRateLimitRepository } from '../repositories/rate-limits.js';
import { createRevokedTokenRepository } from '../repositories/revoked-tokens.js';
import { createUserPictureRepository } from '../repositories/user-pictures.js';
import { createUserRepository } from '../repositories/users.js';
import { createAccountService } from '../services/accounts.js';
import { createAuthenticationService } from '../services/authentication.js';
import { createHousekeeping } from '../services/housekeeping.js';
import { createPostService } from '../services/posts.js';
import { createProfilePictureService } from '../services/profile-pictures.js';
import { createRateLimiter } from '../services/rate-limiter.js';
import { createTokenService } from '../services/tokens.js';
import { createLocalPictureStore, localPictureDirectory } from '../storage/local-picture-store.js';
import type { PictureStore } from '../storage/picture-store.js';

function createRepositories(db: DB) {
  return {
    users: createUserRepository(db),
    userPictures: createUserPictureRepository(db),
    posts: createPostRepository(db),
    revokedTokens: createRevokedTokenRepository(db),
    rateLimits: createRateLimitRepository(db),
    pictureCleanup: createPictureCleanupRepository(db),
  };
}

type Repositories = ReturnType<typeof createRepositories>;

function createServices(config: Config, repositories: Repositories, store: PictureStore, log: FastifyInstance['log']) {
  const { rateLimits } = config;
  const limiter = createRateLimiter(repositories.rateLimits, config.rateLimitEnabled);
  const tokens = createTokenService(config.secretKey, config.accessTokenExpireMinutes);
  const profilePictures = createProfilePictureService({ ...repositories, store, log });
  const authentication = createAuthenticationService({
    ...repositories,
    tokens,
    limiter,
    loginRule: { limit: rateLimits.loginFailures, windowSeconds: rateLimits.loginWindowSeconds },
  });
  const accounts = createAccountService({
    users: repositories.users,
    profilePictures,
    limiter,
    registrationRule: { limit: rateLimits.registrations, windowSeconds: rateLimits.registrationWindowSeconds },
  });
  return {
    accounts,
    authentication,
    profilePictures,
    posts: createPostService(repositories),
    tokens,
    housekeeping: createHousekeeping({ profilePictures, authentication, limiter }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: DB;
    repositories: Repositories;
    pictureStore: PictureStore;
    services: ReturnType<typeof createServices>;
  }
}

export default fp(
  async function services(app: FastifyInstance, options: { config: Config }) {
    const { config } = options;
    const db = createDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
    app.addHook('onClose', () => db.destroy());
    await migrateToLatest(db);

    const repositories = createRepositories(db);
    // The AWS SDK is large: loaded only when the site stores pictures in S3.
    const store = config.s3
      ? (await import('../storage/s3-picture-store.js')).createS3PictureStore(config.s3)
      : createLocalPictureStore(localPictureDirectory(config.dataDir));
    app.addHook('onClose', (_instance, closed) => {
      store.close?.();
      closed();
    });

    app.decorate('config', config);
    app.decorate('db', db);
    app.decorate('repositories', repositories);
    app.decorate('pictureStore', store);
    app.decorate('services', createServices(config, repositories, store, app.log));
  },
  { name: 'services' },
);
