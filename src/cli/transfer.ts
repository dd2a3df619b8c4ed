// Shared by `npm run export` and `npm run import`: the file format, its
// validation, batching and argument parsing. The format is plain JSON so a
// site can move between SQLite and PostgreSQL (either way) or be inspected
// with ordinary tools.
import { MAX_ID } from '../db/ids.js';

export const EXPORT_FORMAT = 'fastblog-export';
/** Bumped whenever a field is added, removed or changes meaning; import accepts only this one. */
export const EXPORT_VERSION = 1;

/** Rows read per query by export (keyset by id), so the whole site is never in memory at once. */
export const READ_BATCH_SIZE = 1000;
/** Rows per INSERT statement on import: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const WRITE_BATCH_SIZE = 500;

export interface ExportedUser {
  id: number;
  username: string;
  email: string;
  password_hash: string;
  image_file: string | null;
  token_version: number;
  /** ISO 8601, UTC. */
  created_at: string;
}

export interface ExportedPost {
  id: number;
  title: string;
  content: string;
  user_id: number;
  /** ISO 8601, UTC. */
  date_posted: string;
}

/**
 * One export file. Only `users` and `posts` are carried: revoked tokens, rate
 * limit counters and the picture clean-up list are transient bookkeeping that
 * the target builds up again on its own.
 */
export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exported_at: string;
  /**
   * The highest id each table ever handed out, deleted rows included. The
   * target continues after these, so an id is never reused: a deleted user's
   * id given to a newcomer would inherit old links and, under the same
   * SECRET_KEY, tokens issued to the deleted user.
   */
  last_ids: LastIds;
  users: ExportedUser[];
  posts: ExportedPost[];
}

export interface LastIds {
  users: number;
  posts: number;
}

/** An expected failure: printed as one line, without a stack trace, and exit code 1. */
export class TransferError extends Error {
  override name = 'TransferError';
}

/** Reads rows in id order, `size` at a time, each query starting after the last id seen. */
export async function* keysetBatches<T extends { id: number }>(
  readAfter: (afterId: number, limit: number) => Promise<T[]>,
  size = READ_BATCH_SIZE,
): AsyncGenerator<T[]> {
  let afterId = 0;
  for (;;) {
    const rows = await readAfter(afterId, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    afterId = rows[rows.length - 1]!.id;
  }
}

/** Consecutive slices of at most `size` items. */
export function* chunks<T>(items: readonly T[], size = WRITE_BATCH_SIZE): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Positional arguments and flags; a flag listed in `withValue` takes the next argument. */
export function parseArguments(
  argv: readonly string[],
  known: { flags: readonly string[]; withValue?: readonly string[] },
): { positional: string[]; flags: Set<string>; values: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (known.withValue?.includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value === '') throw new TransferError(`${arg} needs a value`);
      values.set(arg, value);
    } else if (known.flags.includes(arg)) {
      flags.add(arg);
    } else if (arg.startsWith('--')) {
      throw new TransferError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags, values };
}

// --- Validation: everything is checked before import writes anything. ---

type Fields = Record<string, unknown>;

function fail(where: string, problem: string): never {
  throw new TransferError(`invalid export file: ${where} ${problem}`);
}

function object(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'is not an object');
  return value as Fields;
}

function id(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ID) {
    fail(where, `must be an integer from 1 to ${MAX_ID}`);
  }
  return value;
}

/**
 * Lengths count characters (code points), as the API and the databases do.
 * NUL (PostgreSQL refuses it) and unpaired surrogates (they cannot be stored
 * as UTF-8 unchanged) are caught here rather than half-way through the import.
 */
function text(value: unknown, where: string, min: number, max: number): string {
  if (typeof value !== 'string') fail(where, 'is not a string');
  if (value.length < min || (value.length > max && [...value].length > max)) fail(where, `must be ${min} to ${max} characters long`);
  if (/[\u0000\ud800-\udfff]/u.test(value)) fail(where, 'contains a NUL character or an unpaired surrogate');
  return value;
}

function timestamp(value: unknown, where: string): string {
  // Only full ISO 8601 with a zone: SQLite keeps the text as given and compares it as text.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    fail(where, 'is not an ISO 8601 timestamp');
  }
  if (Number.isNaN(new Date(value).getTime())) fail(where, 'is not a valid date');
  return new Date(value).toISOString();
}

function rows(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, 'is not an array');
  return value;
}

function ascendingIds(items: Array<{ id: number }>, where: string) {
  for (let i = 1; i < items.length; i++) {
    if (items[i]!.id <= items[i - 1]!.id) fail(`${where}[${i}].id`, 'is not greater than the id before it (ids must be unique and ascending)');
  }
}

/** The parsed file, checked field by field; throws TransferError naming the first problem. */
export function validateExportFile(value: unknown): ExportFile {
  const file = object(value, 'the top level');
  if (file.format !== EXPORT_FORMAT) fail('"format"', `must be "${EXPORT_FORMAT}" (is this a fastblog export?)`);
  if (file.version !== EXPORT_VERSION) {
    fail('"version"', `is ${JSON.stringify(file.version)}; this version of the blog reads version ${EXPORT_VERSION}`);
  }
  const exportedAt = timestamp(file.exported_at, '"exported_at"');
  const lastIdsRow = object(file.last_ids, '"last_ids"');
  const lastIds: LastIds = { users: 0, posts: 0 };
  for (const table of ['users', 'posts'] as const) {
    const value = lastIdsRow[table];
    if (value !== 0) lastIds[table] = id(value, `"last_ids".${table}`);
  }

  const users = rows(file.users, '"users"').map((raw, i): ExportedUser => {
    const where = `users[${i}]`;
    const row = object(raw, where);
    const imageFile = row.image_file === null ? null : text(row.image_file, `${where}.image_file`, 1, 64);
    const tokenVersion = row.token_version;
    if (typeof tokenVersion !== 'number' || !Number.isInteger(tokenVersion) || tokenVersion < 0 || tokenVersion > MAX_ID) {
      fail(`${where}.token_version`, 'must be a non-negative integer');
    }
    return {
      id: id(row.id, `${where}.id`),
      username: text(row.username, `${where}.username`, 1, 50),
      email: text(row.email, `${where}.email`, 1, 120),
      password_hash: text(row.password_hash, `${where}.password_hash`, 1, 1000),
      image_file: imageFile,
      token_version: tokenVersion,
      created_at: timestamp(row.created_at, `${where}.created_at`),
    };
  });
  ascendingIds(users, 'users');
  const userIds = new Set(users.map((user) => user.id));

  const posts = rows(file.posts, '"posts"').map((raw, i): ExportedPost => {
    const where = `posts[${i}]`;
    const row = object(raw, where);
    const userId = id(row.user_id, `${where}.user_id`);
    if (!userIds.has(userId)) fail(`${where}.user_id`, `refers to user ${userId}, who is not in the file`);
    return {
      id: id(row.id, `${where}.id`),
      title: text(row.title, `${where}.title`, 1, 100),
      // The API caps content at 100,000 characters; the database does not, so neither does import.
      content: text(row.content, `${where}.content`, 1, Number.MAX_SAFE_INTEGER),
      user_id: userId,
      date_posted: timestamp(row.date_posted, `${where}.date_posted`),
    };
  });
  ascendingIds(posts, 'posts');

  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: exportedAt, last_ids: lastIds, users, posts };
}
