// Application services, built once per app from the configuration and shared
// by every route through decorators.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createDatabase, migrateToLatest, type DB } from '../db/database.js';
import { createPictureCleanupRepository } from '../repositories/picture-cleanup.js';
import { createPostRepository, type PostRepository } from '../repositories/posts.js';
import { createRateLimitRepository, type RateLimitRepository } from '../repositories/rate-limits.js';
import { createRevokedTokenRepository, type RevokedTokenRepository } from '../repositories/revoked-tokens.js';
import { createUserRepository, type UserRepository } from '../repositories/users.js';
import { createAccountService, type AccountService } from '../services/accounts.js';
import { createLocalPictureStore, type PictureStore } from '../services/picture-store.js';
import { createPostService, type PostService } from '../services/posts.js';
import { createRateLimiter } from '../services/rate-limiter.js';
import { createTokenService, type TokenService } from '../services/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: DB;
    repositories: {
      users: UserRepository;
      posts: PostRepository;
      revokedTokens: RevokedTokenRepository;
      rateLimits: RateLimitRepository;
    };
    pictures: PictureStore;
    tokens: TokenService;
    accounts: AccountService;
    posts: PostService;
  }
}

export const mediaDirectory = (config: Config) => path.join(config.dataDir, 'media', 'profile_pics');

export default fp(
  async function services(app: FastifyInstance, options: { config: Config }) {
    const { config } = options;
    const db = createDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
    app.addHook('onClose', () => db.destroy());
    await migrateToLatest(db);

    const repositories = {
      users: createUserRepository(db),
      posts: createPostRepository(db),
      revokedTokens: createRevokedTokenRepository(db),
      rateLimits: createRateLimitRepository(db),
    };
    // The AWS SDK is large: loaded only when the site stores pictures in S3.
    const pictures = config.s3
      ? (await import('../services/s3-picture-store.js')).createS3PictureStore(config.s3)
      : createLocalPictureStore(mediaDirectory(config));
    app.addHook('onClose', async () => pictures.close?.());
    const { rateLimits } = config;
    const accounts = createAccountService({
      users: repositories.users,
      pictures,
      pictureCleanup: createPictureCleanupRepository(db),
      limiter: createRateLimiter(repositories.rateLimits, config.rateLimitEnabled),
      rules: {
        login: { limit: rateLimits.loginFailures, windowSeconds: rateLimits.loginWindowSeconds },
        registration: { limit: rateLimits.registrations, windowSeconds: rateLimits.registrationWindowSeconds },
      },
      log: app.log,
    });
    app.decorate('config', config);
    app.decorate('db', db);
    app.decorate('repositories', repositories);
    app.decorate('pictures', pictures);
    app.decorate('tokens', createTokenService(config.secretKey, config.accessTokenExpireMinutes));
    app.decorate('accounts', accounts);
    app.decorate('posts', createPostService({ posts: repositories.posts }));
  },
  { name: 'services' },
);
