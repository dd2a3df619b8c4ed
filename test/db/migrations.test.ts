// The same migrations build the same schema on SQLite and PostgreSQL, and a
// migration that fails halfway leaves the database as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DB } from '../../src/db/database.js';
import { violatedUniqueIndex } from '../../src/db/dialect.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createPostgresSchema, defined, TEST_DIALECT, useCleanups } from '../helpers/index.js';

const cleanup = useCleanups(afterEach);

/** An empty database of the dialect under test. */
async function emptyDatabase(): Promise<DB> {
  let url: string;
  if (TEST_DIALECT === 'postgres') {
    const schema = await createPostgresSchema();
    cleanup(() => schema.drop());
    url = schema.url;
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'blog-migrate-'));
    cleanup(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    url = `sqlite:${path.join(dir, 'blog.db')}`;
  }
  const db = createDatabase(url, { poolSize: 2 });
  cleanup(() => db.destroy());
  return db;
}

/** The tables of this database (on PostgreSQL, of the connection's own schema). */
async function tables(db: DB) {
  const schema =
    TEST_DIALECT === 'postgres'
      ? defined((await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]).s
      : undefined;
  return (await db.introspection.getTables()).filter((table) => table.schema === schema);
}

const tableNames = async (db: DB) =>
  (await tables(db))
    .map((table) => table.name)
    .filter((name) => !name.startsWith('kysely_'))
    .sort();

const applied = async (db: DB) =>
  (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map(
    (row) => row.name,
  );

/** A migrator over every migration, in the schema the connection works in. */
async function migratorOf(db: DB) {
  const schema =
    TEST_DIALECT === 'postgres'
      ? defined((await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]).s
      : undefined;
  return new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
}

/** The posts table's column names, sorted. */
async function postColumns(db: DB): Promise<string[]> {
  return defined((await tables(db)).find((table) => table.name === 'posts'))
    .columns.map((column) => column.name)
    .sort();
}

/** A user and one post, written with only the columns every migration has had (as an older version wrote them). */
async function oldPost(db: DB, content: string, username = 'old'): Promise<void> {
  const { id: userId } = await db
    .insertInto('users')
    .values({
      username,
      email: `${username}@example.com`,
      password_hash: 'x',
      image_file: null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`insert into posts (title, content, user_id, date_posted) values ('Old', ${content}, ${userId}, ${new Date().toISOString()})`.execute(
    db,
  );
}

describe(`migrations on ${TEST_DIALECT}`, () => {
  it('create every table, and running them again changes nothing', async () => {
    const db = await emptyDatabase();
    const first = await migrateToLatest(db);
    expect(first.results?.map((result) => result.status)).toEqual(Object.keys(migrations).map(() => 'Success'));
    // SQLite's full-text index is a virtual table with shadow tables of its own; PostgreSQL's is a column.
    const searchTables =
      TEST_DIALECT === 'sqlite'
        ? ['posts_search', 'posts_search_config', 'posts_search_data', 'posts_search_docsize', 'posts_search_idx']
        : [];
    expect(await tableNames(db)).toEqual(
      [
        'audit_log',
        'invitations',
        'mail_outbox',
        'password_reset_tokens',
        'picture_cleanup',
        'posts',
        'posts_revision',
        'rate_limits',
        'recovery_codes',
        'revoked_tokens',
        'two_factor_secrets',
        'users',
        ...searchTables,
      ].sort(),
    );
    const second = await migrateToLatest(db);
    expect(second.results).toEqual([]);
    expect(await applied(db)).toEqual(Object.keys(migrations));
  });

  it('every migration can be undone, back to an empty database', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    const migrator = await migratorOf(db);
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(down.results?.map((result) => `${result.direction} ${result.status}`)).toEqual(
      Object.keys(migrations).map(() => 'Down Success'),
    );
    expect(await tableNames(db)).toEqual([]);
    // And up again from there.
    await migrateToLatest(db);
    expect(await applied(db)).toEqual(Object.keys(migrations));
  });

  it('0005 leaves the posts written before it without a rendering, and its down removes just its columns', async () => {
    const db = await emptyDatabase();
    const migrator = await migratorOf(db);
    expect((await migrator.migrateTo('0004_mail_and_password_resets')).error).toBeUndefined();
    const before = await postColumns(db);
    await oldPost(db, 'An *old* post');

    expect((await migrator.migrateTo('0005_post_markdown')).error).toBeUndefined();
    expect(await postColumns(db)).toEqual([...before, 'content_html', 'render_version'].sort());
    expect(await db.selectFrom('posts').select(['content', 'content_html', 'render_version']).execute()).toEqual([
      { content: 'An *old* post', content_html: null, render_version: 0 },
    ]);

    const down = await migrator.migrateDown();
    expect(down.results?.map((result) => `${result.migrationName} ${result.direction} ${result.status}`)).toEqual([
      '0005_post_markdown Down Success',
    ]);
    expect(await postColumns(db)).toEqual(before);
    expect(await db.selectFrom('posts').select(['title', 'content']).execute()).toEqual([
      { title: 'Old', content: 'An *old* post' },
    ]);
  });

  it('0006 makes every earlier post published and unedited, and its down removes just its columns', async () => {
    const db = await emptyDatabase();
    const migrator = await migratorOf(db);
    expect((await migrator.migrateTo('0005_post_markdown')).error).toBeUndefined();
    const before = await postColumns(db);
    await oldPost(db, 'Text');

    expect((await migrator.migrateTo('0006_post_drafts')).error).toBeUndefined();
    expect(await postColumns(db)).toEqual([...before, 'status', 'updated_at'].sort());
    expect(await db.selectFrom('posts').select(['title', 'status', 'updated_at']).execute()).toEqual([
      { title: 'Old', status: 'published', updated_at: null },
    ]);
    // Only the two statuses are storable.
    await expect(
      db
        .updateTable('posts')
        .set({ status: 'hidden' as 'draft' })
        .execute(),
    ).rejects.toThrow();

    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(await postColumns(db)).toEqual(before);
    expect(await db.selectFrom('posts').select(['title', 'content']).execute()).toEqual([
      { title: 'Old', content: 'Text' },
    ]);
    // And up again: the down left everything the up needs.
    expect((await migrateToLatest(db)).results?.map((result) => result.status)).toContain('Success');
  });

  it('0010 gives every rendered post the excerpt of its stored HTML, an unrendered one none yet; its down removes it', async () => {
    const db = await emptyDatabase();
    const migrator = await migratorOf(db);
    expect((await migrator.migrateTo('0009_two_factor')).error).toBeUndefined();
    const before = await postColumns(db);
    await oldPost(db, 'Not rendered yet');
    await oldPost(db, 'Rendered', 'second');
    await db
      .updateTable('posts')
      .set({ content_html: '<h1>Old &amp; new</h1>\n<p>A <em>rendered</em> post.</p>\n', render_version: 1 })
      .where('content', '=', 'Rendered')
      .execute();

    expect((await migrator.migrateTo('0010_post_excerpts')).error).toBeUndefined();
    expect(await postColumns(db)).toEqual([...before, 'excerpt'].sort());
    expect(await db.selectFrom('posts').select(['content', 'excerpt']).orderBy('id').execute()).toEqual([
      { content: 'Not rendered yet', excerpt: '' },
      { content: 'Rendered', excerpt: 'Old & new A rendered post.' },
    ]);

    expect((await migrator.migrateDown()).error).toBeUndefined();
    expect(await postColumns(db)).toEqual(before);
  });

  it('a migration that fails halfway leaves the database as it was', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    const broken = {
      ...migrations,
      '0099_broken': {
        async up(trx: DB) {
          await trx.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await trx.schema.alterTable('users').addColumn('nickname', 'text').execute();
          throw new Error('the migration fails here');
        },
      },
    };
    await expect(migrateToLatest(db, broken as never)).rejects.toThrow('the migration fails here');
    expect(await tableNames(db)).not.toContain('half_done');
    const userColumns = defined((await tables(db)).find((table) => table.name === 'users')).columns.map((c) => c.name);
    expect(userColumns).not.toContain('nickname');
    expect(await applied(db)).toEqual(Object.keys(migrations));
  });

  it('the schema enforces case-insensitive uniqueness and cascades deletes', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    const user = (username: string, email: string) => ({
      username,
      email,
      password_hash: 'x',
      image_file: null,
      created_at: new Date().toISOString(),
    });
    const { id } = await db
      .insertInto('users')
      .values(user('Casey', 'casey@example.com'))
      .returning('id')
      .executeTakeFirstOrThrow();
    const sameName = await db
      .insertInto('users')
      .values(user('CASEY', 'other@example.com'))
      .execute()
      .catch((error: unknown) => error);
    expect(violatedUniqueIndex(sameName)).toBe('users_username_lower_key');
    const sameEmail = await db
      .insertInto('users')
      .values(user('someone', 'CASEY@example.com'))
      .execute()
      .catch((error: unknown) => error);
    expect(violatedUniqueIndex(sameEmail)).toBe('users_email_lower_key');

    const posted = '2026-01-02T03:04:05.678Z';
    await db.insertInto('posts').values({ title: 't', content: 'c', user_id: id, date_posted: posted }).execute();
    const row = await db.selectFrom('posts').select('date_posted').executeTakeFirstOrThrow();
    expect(new Date(row.date_posted).toISOString()).toBe(posted);
    await db.deleteFrom('users').where('id', '=', id).execute();
    expect(await db.selectFrom('posts').select('id').execute()).toEqual([]);
  });

  it.runIf(TEST_DIALECT === 'postgres')('on PostgreSQL, dates are timestamptz and ids identity columns', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string }>`
      select table_name, column_name, data_type, is_identity from information_schema.columns
      where table_schema = current_schema() and column_name in ('id', 'date_posted', 'created_at') and table_name in ('users', 'posts')
      order by table_name, column_name`.execute(db);
    expect(rows).toEqual([
      { table_name: 'posts', column_name: 'date_posted', data_type: 'timestamp with time zone', is_identity: 'NO' },
      { table_name: 'posts', column_name: 'id', data_type: 'integer', is_identity: 'YES' },
      { table_name: 'users', column_name: 'created_at', data_type: 'timestamp with time zone', is_identity: 'NO' },
      { table_name: 'users', column_name: 'id', data_type: 'integer', is_identity: 'YES' },
    ]);
  });
});
