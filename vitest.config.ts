import { defineConfig } from 'vitest/config';

/**
 * Test files that exercise the API through the database layer. With
 * TEST_DATABASE_URL set they run a second time against PostgreSQL, each test
 * app in a fresh schema that is dropped afterwards. The others are about
 * SQLite itself, processes, images or the browser, and run once.
 */
export const DATABASE_SUITE = [
  'test/users.test.ts',
  'test/posts.test.ts',
  'test/pagination.test.ts',
  'test/tokens.test.ts',
  'test/pictures.test.ts',
  'test/revocation.test.ts',
  'test/rate-limits.test.ts',
  'test/hostile-input.test.ts',
  'test/openapi.test.ts',
  'test/pages.test.ts',
  'test/session.test.ts',
  'test/health.test.ts',
  'test/logging.test.ts',
  'test/http-surface.test.ts',
  'test/migrations.test.ts',
  'test/postgres/**/*.test.ts',
];

const shared = {
  // Native modules (better-sqlite3, argon2, sharp) are safest in child processes.
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/postgres/**'],
          env: { NODE_ENV: 'test', TEST_DIALECT: 'sqlite' },
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: DATABASE_SUITE,
                env: { NODE_ENV: 'test', TEST_DIALECT: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
