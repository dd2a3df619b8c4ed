import { defineConfig } from 'vitest/config';

/**
 * The sqlite project runs every test file. With TEST_DATABASE_URL set, the
 * postgres project runs the folders whose tests go through the database layer
 * a second time against PostgreSQL, each test app in a fresh schema that is
 * dropped afterwards: the API (test/api), the pages and the web session
 * (test/web), and the database tests that hold on every engine (the files
 * directly in test/db). Tests about one engine (test/db/sqlite,
 * test/db/postgres), units, processes and the browser run once.
 */
const POSTGRES_SUITE = ['test/api/**/*.test.ts', 'test/web/**/*.test.ts', 'test/db/*.test.ts'];

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
          env: { NODE_ENV: 'test', TEST_DIALECT: 'sqlite' },
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: POSTGRES_SUITE,
                env: { NODE_ENV: 'test', TEST_DIALECT: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
