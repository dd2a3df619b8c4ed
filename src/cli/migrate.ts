// `npm run migrate`: applies pending migrations to the configured database.
import { ConfigError, loadConfig } from '../config.js';
import { createDatabase, migrateToLatest } from '../db/database.js';

try {
  const config = loadConfig();
  const db = createDatabase(config.databaseUrl);
  try {
    const { results = [] } = await migrateToLatest(db);
    for (const result of results) console.log(`${result.status}: ${result.migrationName}`);
    console.log(results.length ? `Applied ${results.length} migration(s).` : 'Database is up to date.');
  } finally {
    await db.destroy();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
