// `npm run import -- <file.json> [--pictures-from <dir>]`: loads a file made by
// `npm run export` into the configured database (DATABASE_URL / DATA_DIR),
// which must have no users and no posts. Ids are kept, so links to
// /post/<id> and /user/<id> still work on the new site.
//
// The file is read whole: import needs every row for its one transaction anyway.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { loadConfigOrExit } from '../config/index.js';
import { createDatabase, migrateToLatest } from '../db/database.js';
import { dialectOf, violatedUniqueIndex } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import { createLocalPictureStore, localPictureDirectory } from '../storage/local-picture-store.js';
import { PICTURE_NAME } from '../storage/picture-store.js';
import {
  chunks,
  parseArguments,
  TransferError,
  validateExportFile,
  type ExportedUser,
  type ExportFile,
  type LastIds,
} from './transfer.js';

const USAGE = 'Usage: npm run import -- <file.json> [--pictures-from <old DATA_DIR>/media/profile_pics]';

async function readExportFile(file: string): Promise<ExportFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TransferError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TransferError(`${file} is not valid JSON (${(error as Error).message}); was the export cut short?`);
  }
  return validateExportFile(parsed);
}

/** The picture names the users point at, split into those to copy and those the store would never serve. */
function referencedPictures(data: ExportFile) {
  const names = [...new Set(data.users.flatMap((user) => (user.image_file ? [user.image_file] : [])))];
  return {
    copyable: names.filter((name) => PICTURE_NAME.test(name)),
    foreign: names.filter((name) => !PICTURE_NAME.test(name)),
  };
}

async function assertEmpty(db: Kysely<Database>) {
  const [user, post] = await Promise.all([
    db.selectFrom('users').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('posts').select('id').limit(1).executeTakeFirst(),
  ]);
  if (user || post) {
    throw new TransferError(
      'the target database already has users or posts; import only into a new, empty database (nothing was changed)',
    );
  }
}

/**
 * Rows inserted with explicit ids leave PostgreSQL's identity sequences behind,
 * and SQLite's AUTOINCREMENT counters only reach the highest imported id. Both
 * continue after the source's last ids, so neither an imported id nor one of
 * a row deleted before the export is ever handed out again.
 */
async function continueIdsAfter(trx: Kysely<Database>, lastIds: LastIds) {
  for (const table of ['users', 'posts'] as const) {
    const last = lastIds[table];
    if (dialectOf(trx) === 'postgres') {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest(coalesce(max(id), 0), ${last}::integer, 1),
                              greatest(coalesce(max(id), 0), ${last}::integer) > 0) from ${sql.table(table)}`.execute(
        trx,
      );
    } else {
      // sqlite_sequence is an ordinary table; it has a row once the table has had one.
      await sql`insert into sqlite_sequence (name, seq) select ${table}, 0 where not exists (select 1 from sqlite_sequence where name = ${table})`.execute(
        trx,
      );
      await sql`update sqlite_sequence set seq = max(seq, ${last}) where name = ${table}`.execute(trx);
    }
  }
}

/** A user of the file as its row: moments are kept in epoch ms, two-factor sign-in in tables of its own. */
const userRow = ({ two_factor: twoFactor, ...user }: ExportedUser) => ({
  ...user,
  suspended_at: user.suspended_at ? Date.parse(user.suspended_at) : null,
  two_factor_enabled_at: twoFactor ? Date.parse(twoFactor.enabled_at) : null,
});

/** The secrets (still sealed) and recovery codes of the users who have two-factor sign-in on. */
function twoFactorRows(users: ExportedUser[]) {
  const enrolled = users.flatMap((user) => (user.two_factor ? [{ id: user.id, ...user.two_factor }] : []));
  return {
    secrets: enrolled.map((user) => ({
      user_id: user.id,
      secret_sealed: user.secret_sealed,
      last_used_step: user.last_used_step,
      created_at: Date.parse(user.enabled_at),
    })),
    codes: enrolled.flatMap((user) =>
      user.recovery_codes.map((code) => ({
        user_id: user.id,
        code_hash: code.hash,
        used_at: code.used_at ? Date.parse(code.used_at) : null,
      })),
    ),
  };
}

async function main() {
  const { positional, values } = parseArguments(process.argv.slice(2), { flags: [], withValue: ['--pictures-from'] });
  const [input] = positional;
  if (input === undefined || positional.length !== 1) throw new TransferError(USAGE);
  const file = path.resolve(input);

  // Everything about the input is checked before the database is even opened.
  const data = await readExportFile(file);
  const pictures = referencedPictures(data);
  const picturesOption = values.get('--pictures-from');
  const picturesFrom = picturesOption === undefined ? undefined : path.resolve(picturesOption);
  if (picturesFrom !== undefined) {
    if (!existsSync(picturesFrom) || !statSync(picturesFrom).isDirectory())
      throw new TransferError(`${picturesFrom} is not a directory`);
    const missing = pictures.copyable.filter((name) => !existsSync(path.join(picturesFrom, name)));
    if (missing.length > 0) {
      throw new TransferError(
        `${missing.length} picture(s) the users point at are not in ${picturesFrom}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      );
    }
  }

  const config = loadConfigOrExit();
  const db = createDatabase(config.databaseUrl, { poolSize: 1 });
  const store = picturesFrom !== undefined ? createLocalPictureStore(localPictureDirectory(config.dataDir)) : undefined;
  const copied: string[] = [];
  try {
    await migrateToLatest(db);
    // Checked here for an early, clear refusal, and again inside the transaction against a concurrent writer.
    await assertEmpty(db);

    // Pictures go first, so no committed user ever points at a missing file; a failed import removes them again.
    if (store && picturesFrom !== undefined) {
      const present = new Set(await store.list());
      for (const name of pictures.copyable) {
        if (present.has(name)) continue; // e.g. the same DATA_DIR, moving only the database
        await store.save(name, await readFile(path.join(picturesFrom, name)));
        copied.push(name);
      }
    }

    await db.transaction().execute(async (trx) => {
      await assertEmpty(trx);
      for (const batch of chunks(data.users)) await trx.insertInto('users').values(batch.map(userRow)).execute();
      const twoFactor = twoFactorRows(data.users);
      for (const batch of chunks(twoFactor.secrets)) await trx.insertInto('two_factor_secrets').values(batch).execute();
      for (const batch of chunks(twoFactor.codes)) await trx.insertInto('recovery_codes').values(batch).execute();
      // A suspended author's posts are held back, as suspending them would have done.
      const suspended = new Set(data.users.filter((user) => user.suspended_at).map((user) => user.id));
      for (const batch of chunks(data.posts)) {
        const rows = batch.map((post) => ({ ...post, author_suspended: suspended.has(post.user_id) ? 1 : 0 }) as const);
        await trx.insertInto('posts').values(rows).execute();
      }
      await continueIdsAfter(trx, data.last_ids);
    });
  } catch (error) {
    for (const name of copied) {
      await store?.remove(name).catch((removal: unknown) => {
        console.warn(`Could not remove copied picture ${name}: ${(removal as Error).message}`);
      });
    }
    const index = violatedUniqueIndex(error);
    if (index) {
      throw new TransferError(
        `the file breaks the unique index ${index} (usernames and emails must differ case-insensitively); nothing was imported`,
      );
    }
    throw error;
  } finally {
    await db.destroy();
  }

  console.log(
    `Imported ${data.users.length} user(s) and ${data.posts.length} post(s) from ${file} (exported ${data.exported_at}).`,
  );
  if (store) {
    console.log(
      `Copied ${copied.length} picture file(s) to ${localPictureDirectory(config.dataDir)}; ${pictures.copyable.length - copied.length} were already there.`,
    );
  } else if (pictures.copyable.length > 0) {
    console.log(
      `Reminder: ${pictures.copyable.length} user(s) have a profile picture. Pictures are files, not rows: unless this site uses the ` +
        `same DATA_DIR as the old one, copy the old DATA_DIR/media/profile_pics/*.jpg to ${localPictureDirectory(config.dataDir)}/`,
    );
  }
  if (pictures.foreign.length > 0) {
    console.warn(
      `Warning: ${pictures.foreign.length} picture name(s) are not of the form the picture store serves and were not copied.`,
    );
  }
}

try {
  await main();
} catch (error) {
  console.error(`Import failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
