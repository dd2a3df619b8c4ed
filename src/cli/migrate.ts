// `npm run migrate`: applies pending migrations to the configured database.
import { loadConfigOrExit } from '../config/index.js';
import { createDatabase, migrateToLatest } from '../db/database.js';

const config = loadConfigOrExit();
const db = createDatabase(config.databaseUrl, { poolSize: 1 });
try {
  const { results = [] } = await migrateToLatest(db);
  for (const result of results) console.log(`${result.status}: ${result.migrationName}`);
  console.log(results.length ? `Applied ${results.length} migration(s).` : 'Database is up to date.');
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
