// Says whether the API suite also ran against PostgreSQL, and why not.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { defined } from '../../helpers/index.js';

const url = process.env.TEST_DATABASE_URL;

describe('the PostgreSQL pass', () => {
  it.skipIf(!url)(
    url
      ? 'runs: the database suite is repeated against TEST_DATABASE_URL'
      : 'is skipped: TEST_DATABASE_URL is not set (see README, Tests)',
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string }>(
          "select current_setting('server_version_num') as version",
        );
        expect(Number(defined(rows[0]).version)).toBeGreaterThanOrEqual(130000);
      } finally {
        await client.end();
      }
    },
  );
});
