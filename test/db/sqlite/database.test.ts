import { CompiledQuery, sql } from 'kysely';
import { pageIds, type Listing } from '../../../src/repositories/posts/queries.js';
import { describe, expect, it } from 'vitest';
import { violatedUniqueIndex } from '../../../src/db/dialect.js';
import { defined, useTestApp } from '../../helpers/index.js';

const context = useTestApp();

describe('database', () => {
  it('migrations create the tables and the indexes the queries use', async () => {
    const { app } = await context();
    const rows = await sql<{
      type: string;
      name: string;
    }>`select type, name from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(
      app.db,
    );
    expect(rows.rows).toEqual([
      { type: 'table', name: 'audit_log' },
      { type: 'trigger', name: 'audit_log_no_delete' },
      { type: 'trigger', name: 'audit_log_no_update' },
      { type: 'table', name: 'invitations' },
      { type: 'index', name: 'invitations_email_idx' },
      { type: 'table', name: 'mail_outbox' },
      { type: 'index', name: 'mail_outbox_due' },
      { type: 'table', name: 'password_reset_tokens' },
      { type: 'table', name: 'picture_cleanup' },
      { type: 'table', name: 'posts' },
      { type: 'index', name: 'posts_listed_date_posted_id_idx' },
      { type: 'table', name: 'posts_revision' },
      { type: 'trigger', name: 'posts_revision_author_changed' },
      { type: 'trigger', name: 'posts_revision_author_deleted' },
      { type: 'trigger', name: 'posts_revision_delete' },
      { type: 'trigger', name: 'posts_revision_insert' },
      { type: 'trigger', name: 'posts_revision_reorder' },
      { type: 'table', name: 'posts_search' },
      { type: 'table', name: 'posts_search_config' },
      { type: 'table', name: 'posts_search_data' },
      { type: 'trigger', name: 'posts_search_delete' },
      { type: 'table', name: 'posts_search_docsize' },
      { type: 'table', name: 'posts_search_idx' },
      { type: 'trigger', name: 'posts_search_insert' },
      { type: 'trigger', name: 'posts_search_update' },
      { type: 'index', name: 'posts_user_id_status_suspended_date_posted_id_idx' },
      { type: 'table', name: 'rate_limits' },
      { type: 'table', name: 'recovery_codes' },
      { type: 'table', name: 'revoked_tokens' },
      { type: 'table', name: 'two_factor_secrets' },
      { type: 'table', name: 'users' },
      { type: 'index', name: 'users_email_lower_key' },
      { type: 'index', name: 'users_username_lower_key' },
    ]);
  });

  it('the listing queries use the indexes, not a scan and sort', async () => {
    const { app } = await context();
    // The plans of the SQL the repository runs (src/repositories/posts/queries.ts).
    const plan = async (listing: Listing, skip = 0) => {
      const query = pageIds(app.db, listing, 10, skip).compile();
      const explained = await app.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      return explained.rows.map((row) => row.detail).join(' | ');
    };
    const home = await plan({ status: 'published' });
    expect(home).toContain('posts_listed_date_posted_id_idx');
    expect(home).not.toContain('TEMP B-TREE');
    const byUser = await plan({ userId: 1, status: 'published' });
    expect(byUser).toContain('posts_user_id_status_suspended_date_posted_id_idx');
    expect(byUser).not.toContain('TEMP B-TREE');
    const drafts = await plan({ userId: 1, status: 'draft' });
    expect(drafts).toContain('posts_user_id_status_suspended_date_posted_id_idx');
    expect(drafts).not.toContain('TEMP B-TREE');
    // A deep page walks on from a remembered post: a range search of the index, not a walk from the top.
    const fromCheckpoint = await plan({ status: 'published', checkpointId: 1 }, 3);
    expect(fromCheckpoint).toContain(
      'SEARCH posts USING COVERING INDEX posts_listed_date_posted_id_idx (date_posted<?)',
    );
    expect(fromCheckpoint).not.toContain('TEMP B-TREE');
  });

  it('SQLite runs in WAL mode with a busy timeout and enforced foreign keys', async () => {
    const { app } = await context();
    const pragma = async (name: string) =>
      Object.values(defined((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(app.db)).rows[0]))[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it('the unique indexes hold case-insensitively even without the service check', async () => {
    const { app } = await context();
    const values = {
      username: 'Casey',
      email: 'casey@example.com',
      password_hash: 'x',
      image_file: null,
      created_at: new Date().toISOString(),
    };
    await app.db.insertInto('users').values(values).execute();
    const duplicate = app.db
      .insertInto('users')
      .values({ ...values, username: 'CASEY', email: 'other@example.com' })
      .execute();
    const error = await duplicate.catch((caught: unknown) => caught);
    expect(violatedUniqueIndex(error)).toBe('users_username_lower_key');
    const sameEmail = await app.db
      .insertInto('users')
      .values({ ...values, username: 'someone', email: 'CASEY@example.com' })
      .execute()
      .catch((caught: unknown) => caught);
    expect(violatedUniqueIndex(sameEmail)).toBe('users_email_lower_key');
  });

  it('deleting a user deletes their posts (foreign key cascade)', async () => {
    const { app } = await context();
    const { id } = await app.db
      .insertInto('users')
      .values({
        username: 'temp',
        email: 'temp@example.com',
        password_hash: 'x',
        image_file: null,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await app.db
      .insertInto('posts')
      .values({ title: 't', content: 'c', user_id: id, date_posted: new Date().toISOString() })
      .execute();
    await app.db.deleteFrom('users').where('id', '=', id).execute();
    const left = await app.db.selectFrom('posts').select('id').where('user_id', '=', id).execute();
    expect(left).toEqual([]);
  });
});

describe('reads on the fast path', () => {
  it('never see the uncommitted writes of an open transaction', async () => {
    const { app } = await context();
    const { id: userId } = await app.db
      .insertInto('users')
      .values({
        username: 'before',
        email: 'txn@example.com',
        password_hash: 'x',
        image_file: null,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const post = await app.repositories.posts.create({ title: 't', content: 'c', userId });
    let readDuringTransaction: Promise<unknown> | undefined;
    await app.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('users').set({ username: 'uncommitted' }).where('id', '=', userId).execute();
        readDuringTransaction = app.repositories.posts.findById(post.id);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await readDuringTransaction).toMatchObject({ id: post.id, author: { username: 'before' } });
    expect(await app.repositories.posts.findById(post.id)).toMatchObject({ author: { username: 'before' } });
  });
});
