// Says whether the API suite also ran against PostgreSQL, and why not.
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const url = process.env.TEST_DATABASE_URL;

describe('the PostgreSQL pass', () => {
  it.skipIf(!url)(
    url ? 'runs: the database suite is repeated against TEST_DATABASE_URL' : 'is skipped: TEST_DATABASE_URL is not set (see README, Tests)',
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string }>('show server_version');
        expect(Number.parseInt(rows[0]!.version, 10)).toBeGreaterThanOrEqual(13);
      } finally {
        await client.end();
      }
    },
  );
});
