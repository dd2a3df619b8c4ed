import { PostgresAdapter, type Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * A database of any schema: what migrations work on (a migration must not
 * depend on today's table types, it was written for the schema of its day).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's way to say "no schema types"
export type AnyDatabase = Kysely<any>;

export function dialectOf(db: AnyDatabase): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The name of the unique index a write broke, or undefined for any other error. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, constraint } = error as { code?: unknown; message?: unknown; constraint?: unknown };
  if (code === '23505' && typeof constraint === 'string') return constraint; // PostgreSQL unique_violation
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string') {
    // "UNIQUE constraint failed: index 'users_email_lower_key'"
    return /index '([^']+)'/.exec(message)?.[1] ?? message;
  }
  return undefined;
}

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Timestamps come back as ISO strings (SQLite, written by toISOString) or Date
 * objects (PostgreSQL). Canonical text is returned as it is: this runs for every
 * post read. Throws for a value Date cannot read.
 */
export function toIsoTimestamp(value: string | Date): string {
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`unreadable timestamp in the database: ${JSON.stringify(String(value))}`);
  }
  return date.toISOString();
}
