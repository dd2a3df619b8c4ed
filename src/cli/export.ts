// `npm run export -- <file.json> [--force]`: writes every user and post of the
// configured database (DATABASE_URL / DATA_DIR) to one JSON file, for
// `npm run import` on another site or database. The format is in transfer.ts.
//
// Not exported, on purpose: revoked_tokens, rate_limits and picture_cleanup
// hold transient bookkeeping (expiring revocations, counters, in-flight
// uploads) that the target starts without. Picture files are not rows either:
// copy DATA_DIR/media/profile_pics, or use `npm run import -- --pictures-from`.
import { existsSync } from 'node:fs';
import { link, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigOrExit } from '../config/index.js';
import { sql } from 'kysely';
import { createDatabase, type DB } from '../db/database.js';
import { dialectOf, toIsoTimestamp } from '../db/dialect.js';
import { isPostgresUrl, sqliteFileOf } from '../db/url.js';
import { createTwoFactorRepository } from '../repositories/two-factor.js';
import { USER_COLUMNS } from '../repositories/user-columns.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  keysetBatches,
  parseArguments,
  TransferError,
  type ExportedPost,
  type ExportedUser,
  type LastIds,
} from './transfer.js';

const USAGE = 'Usage: npm run export -- <file.json> [--force]';

/** The highest id each table handed out: SQLite's AUTOINCREMENT counters or PostgreSQL's identity sequences. */
async function readLastIds(db: DB): Promise<LastIds> {
  const lastIds: LastIds = { users: 0, posts: 0 };
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ users: string | null; posts: string | null }>`
      select pg_sequence_last_value(pg_get_serial_sequence('users', 'id')::regclass) as users,
             pg_sequence_last_value(pg_get_serial_sequence('posts', 'id')::regclass) as posts`.execute(db);
    lastIds.users = Number(rows[0]?.users ?? 0); // null: the sequence was never used
    lastIds.posts = Number(rows[0]?.posts ?? 0);
  } else {
    const { rows } = await sql<{ name: keyof LastIds; seq: number }>`
      select name, seq from sqlite_sequence where name in ('users', 'posts')`.execute(db);
    for (const row of rows) lastIds[row.name] = row.seq;
  }
  return lastIds;
}

/** Writes `"key":[` then one row per line, a batch at a time; returns how many rows. */
async function writeRows<T extends { id: number }>(
  out: FileHandle,
  key: string,
  batches: AsyncGenerator<T[]>,
  toRow: (row: T) => unknown,
): Promise<number> {
  await out.write(`${JSON.stringify(key)}: [`);
  let count = 0;
  for await (const batch of batches) {
    const lines = batch.map((row) => `${count++ === 0 ? '' : ','}\n    ${JSON.stringify(toRow(row))}`);
    await out.write(lines.join(''));
  }
  await out.write(count ? '\n  ]' : ']');
  return count;
}

async function writeExport(db: DB, out: FileHandle): Promise<{ users: number; posts: number }> {
  const header = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: new Date().toISOString(),
    last_ids: await readLastIds(db),
  };
  const fields = Object.entries(header).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`);
  await out.write(`{\n${fields.join('')}  `);

  const twoFactor = createTwoFactorRepository(db);
  const epochToIso = (ms: number | string) => new Date(Number(ms)).toISOString();
  const users = await writeRows(
    out,
    'users',
    keysetBatches(async (afterId, limit) => {
      const rows = await db
        .selectFrom('users')
        .select([...USER_COLUMNS, 'created_at'])
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      const enabled = rows.filter((row) => row.two_factor_enabled_at !== null).map((row) => row.id);
      const secrets = new Map((await twoFactor.forExport(enabled)).map((secret) => [secret.user_id, secret]));
      // The switch travels inside `two_factor`, with the secret it turns on.
      return rows.map(({ two_factor_enabled_at, ...row }) => ({
        ...row,
        twoFactor: two_factor_enabled_at === null ? undefined : secrets.get(row.id),
      }));
    }),
    ({ twoFactor: secret, ...row }): ExportedUser => ({
      ...row,
      created_at: toIsoTimestamp(row.created_at),
      suspended_at: row.suspended_at === null ? null : epochToIso(row.suspended_at),
      ...(secret && {
        two_factor: {
          enabled_at: epochToIso(secret.enabled_at ?? 0),
          secret_sealed: secret.secret_sealed,
          last_used_step: secret.last_used_step === null ? null : Number(secret.last_used_step),
          recovery_codes: secret.recoveryCodes.map((code) => ({
            hash: code.code_hash,
            used_at: code.used_at === null ? null : epochToIso(code.used_at),
          })),
        },
      }),
    }),
  );
  await out.write(',\n  ');
  const posts = await writeRows(
    out,
    'posts',
    keysetBatches((afterId, limit) =>
      db
        .selectFrom('posts')
        .select(['id', 'title', 'content', 'user_id', 'date_posted', 'status', 'updated_at'])
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute(),
    ),
    (row): ExportedPost => ({
      ...row,
      date_posted: toIsoTimestamp(row.date_posted),
      updated_at: row.updated_at === null ? null : toIsoTimestamp(row.updated_at),
    }),
  );
  await out.write('\n}\n');
  return { users, posts };
}

/** Moves the finished file into place; without --force, never over a file that appeared meanwhile. */
async function publish(partial: string, target: string, force: boolean) {
  if (force) return rename(partial, target);
  try {
    await link(partial, target); // fails with EEXIST, atomically, if the name is taken
    await rm(partial);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TransferError(`${target} already exists; pass --force to overwrite it`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    // A file system without hard links: check, then rename.
    if (existsSync(target)) throw new TransferError(`${target} already exists; pass --force to overwrite it`);
    await rename(partial, target);
  }
}

async function main() {
  const { positional, flags } = parseArguments(process.argv.slice(2), { flags: ['--force'] });
  const [name, ...extra] = positional;
  if (name === undefined || extra.length > 0) throw new TransferError(USAGE);
  const target = path.resolve(name);
  const force = flags.has('--force');
  if (!force && existsSync(target)) throw new TransferError(`${target} already exists; pass --force to overwrite it`);

  const config = loadConfigOrExit();
  if (!isPostgresUrl(config.databaseUrl)) {
    // Opening a missing SQLite file would create an empty one: a typo in DATA_DIR must not look like an empty site.
    const file = sqliteFileOf(config.databaseUrl);
    if (!existsSync(file)) throw new TransferError(`no SQLite database at ${file}; check DATA_DIR or DATABASE_URL`);
  }
  const db = createDatabase(config.databaseUrl, { poolSize: 1 });
  // Written beside the target and renamed at the end, so a failed export never leaves a half file under its name.
  const partial = `${target}.${process.pid}.partial`;
  try {
    const out = await open(partial, 'wx');
    let counts;
    try {
      // One read-only snapshot for both tables (PostgreSQL: repeatable read; SQLite: one read transaction),
      // so a post never refers to a user deleted while the export ran.
      counts = await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((trx) => writeExport(trx, out));
      await out.sync();
    } finally {
      await out.close();
    }
    await publish(partial, target, force);
    console.log(`Exported ${counts.users} user(s) and ${counts.posts} post(s) to ${target}.`);
    console.log('Profile pictures are files, not rows: copy DATA_DIR/media/profile_pics along with the export.');
  } finally {
    await rm(partial, { force: true });
    await db.destroy();
  }
}

try {
  await main();
} catch (error) {
  console.error(`Export failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
