// Upgrading a site (README, "Install on Debian": upgrades apply pending
// migrations at start). test/db/fixtures/release-1.*.sql are databases made
// by the first release itself (commit ebae0e4: migrations 0001–0003 and its
// `npm run seed`: 3 users, 24 posts), dumped with `sqlite3 .dump` and
// `pg_dump --inserts`. Today's migrations take either one to the current
// schema and the site serves what was there; a migration that fails on the
// way leaves the database exactly as the first release left it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DB } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createPostgresSchema, createTestApp, defined, login, TEST_DIALECT, useCleanups } from '../helpers/index.js';

const cleanup = useCleanups();
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const RELEASE_1_MIGRATIONS = ['0001_initial', '0002_sessions_limits_cleanup', '0003_posts_revision'];
/** The first release's seed printed it; both fixtures hold the same hash. */
const ADA = { email: 'ada@example.com', password: 'vwa2fxb3qruD' };

/** A new database holding the first release's fixture; its URL. */
async function releaseOneDatabase(): Promise<string> {
  if (TEST_DIALECT === 'postgres') {
    const schema = await createPostgresSchema();
    cleanup(() => schema.drop());
    // The dump creates and fills its own schema, "release1": here, the fresh one.
    const dump = readFileSync(path.join(FIXTURES, 'release-1.postgres.sql'), 'utf8')
      .replace(/^CREATE SCHEMA release1;$/m, '')
      .replaceAll('release1', schema.name);
    execFileSync('psql', ['--quiet', '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', defined(process.env.TEST_DATABASE_URL)], {
      input: dump,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    return schema.url;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'blog-upgrade-'));
  cleanup(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = path.join(dir, 'blog.db');
  const sqlite = new SQLite(file);
  sqlite.exec(readFileSync(path.join(FIXTURES, 'release-1.sqlite.sql'), 'utf8'));
  sqlite.close();
  return `sqlite:${file}`;
}

function openDatabase(url: string): DB {
  const db = createDatabase(url, { poolSize: 2 });
  cleanup(() => db.destroy());
  return db;
}

const applied = async (db: DB) =>
  (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map(
    (row) => row.name,
  );

const count = async (db: DB, table: 'users' | 'posts') =>
  Number(
    defined((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]).n,
  );

describe(`upgrading the first release's database on ${TEST_DIALECT}`, () => {
  it('a migration failing on the way leaves it as the first release left it', async () => {
    const url = await releaseOneDatabase();
    const db = openDatabase(url);
    const failing = {
      ...migrations,
      '9999_fails': {
        up() {
          return Promise.reject(new Error('the upgrade fails here'));
        },
      },
    };
    await expect(migrateToLatest(db, failing as never)).rejects.toThrow('the upgrade fails here');
    expect(await applied(db)).toEqual(RELEASE_1_MIGRATIONS);
    expect(await count(db, 'users')).toBe(3);
    expect(await count(db, 'posts')).toBe(24);
    // What the first release read and wrote is still there, in its own shape.
    const row = await sql<{ title: string; password_hash: string }>`
      select p.title, u.password_hash from posts p join users u on u.id = p.user_id where u.email = ${ADA.email} limit 1`.execute(
      db,
    );
    expect(defined(row.rows[0]).password_hash).toMatch(/^\$argon2id\$/);
    const later = await db.introspection.getTables();
    expect(later.map((table) => table.name)).not.toContain('mail_outbox');
  });

  it("is taken to today's schema at start, and the site serves everything that was there", async () => {
    const url = await releaseOneDatabase();
    const site = await createTestApp({ DATABASE_URL: url });
    cleanup(() => site.close());
    const db = openDatabase(url);
    expect(await applied(db)).toEqual(Object.keys(migrations));

    const page = await site.app.inject({ url: '/api/posts?limit=100' });
    expect(page.statusCode).toBe(200);
    const { posts, total } = page.json<{ posts: { id: number; title: string; status: string }[]; total: number }>();
    expect(total).toBe(24);
    expect(posts.every((post) => post.status === 'published')).toBe(true);
    const one = await site.app.inject({ url: `/api/posts/${defined(posts[0]).id}` });
    expect(one.json<{ excerpt: string; content_html: string }>().content_html).toMatch(/^<p>/);
    const home = await site.app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(defined(posts[0]).title);

    // Its users sign in with their old passwords, and write.
    const token = await login(site.app, ADA.email, ADA.password);
    const written = await site.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { authorization: `Bearer ${token}` },
      payload: { title: 'After the upgrade', content: 'Still here.' },
    });
    expect(written.statusCode, written.body).toBe(201);
    expect(written.json<{ id: number }>().id).toBeGreaterThan(24);
  });
});
