import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type LogConfig,
  type Migration,
  type MigrationResultSet,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import { dialectOf } from './dialect.js';
import type { Database } from './schema.js';
import { isPostgresUrl, sqliteFileOf } from './url.js';

export type DB = Kysely<Database>;

/** SQLite runs DDL inside transactions too, so a failed migration leaves nothing behind there either. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class SqliteDialectWithTransactionalDdl extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * better-sqlite3 prepares a statement for every query Kysely sends; the hot
 * queries are few and identical each time, so keep them prepared. (Kysely runs
 * one query at a time on SQLite and never iterates, so a cached statement is
 * never in use twice.)
 */
function withPreparedStatementCache(
  sqlite: SQLite.Database,
  size = 200,
): SqliteDatabase & { prepare(query: string): SQLite.Statement } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(query: string) {
      let statement = statements.get(query);
      if (!statement) {
        if (statements.size >= size) statements.clear();
        statement = sqlite.prepare(query);
        statements.set(query, statement);
      }
      return statement;
    },
  };
}

/**
 * Runs a compiled read straight on the SQLite connection, without Kysely's
 * driver round (connection mutex, several awaits): the hot reads are plain
 * SELECTs and better-sqlite3 answers them synchronously. Returns undefined
 * (use Kysely) while a transaction is open on the connection, so a read never
 * sees another request's uncommitted writes. PostgreSQL has none.
 */
export type DirectReader = (query: string, parameters: readonly unknown[]) => unknown[] | undefined;
const directReaders = new WeakMap<DB, DirectReader>();

export function directReaderOf(db: DB): DirectReader | undefined {
  return directReaders.get(db);
}

/** A PostgreSQL database's connection pool, whose counts are exported as metrics (SQLite has no pool). */
const pools = new WeakMap<DB, pg.Pool>();

export function poolOf(db: DB): pg.Pool | undefined {
  return pools.get(db);
}

export function createDatabase(databaseUrl: string, options: { poolSize?: number; log?: LogConfig } = {}): DB {
  const { log } = options;
  if (isPostgresUrl(databaseUrl)) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    pools.set(db, pool);
    return db;
  }
  const file = sqliteFileOf(databaseUrl);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run while a write commits; the busy timeout makes a second
  // process wait for the lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const database = withPreparedStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialectWithTransactionalDdl({ database }), log });
  // Logged databases keep every query on Kysely's path, where the log is.
  if (!log) {
    directReaders.set(db, (query, parameters) => {
      if (sqlite.inTransaction || !sqlite.open) return undefined;
      const statement = database.prepare(query);
      return statement.reader ? statement.all(parameters) : undefined;
    });
  }
  return db;
}

/**
 * Applies every pending migration, all in one transaction: if one fails, the
 * database is left as it was. Throws the failure.
 */
export async function migrateToLatest(
  db: DB,
  migrationList: Record<string, Migration> = migrations,
): Promise<MigrationResultSet> {
  // On PostgreSQL, name the schema the connection works in: Kysely otherwise
  // looks for its bookkeeping tables in every schema of the database.
  const migrationTableSchema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    migrationTableSchema,
    provider: { getMigrations: () => Promise.resolve(migrationList) },
  });
  const result = await migrator.migrateToLatest();
  if (result.error instanceof Error) throw result.error;
  if (result.error !== undefined) throw new Error('migration failed', { cause: result.error });
  return result;
}
