// Token revocation, rate limits and the picture clean-up list.
import type { AnyDatabase } from '../dialect.js';

export async function up(db: AnyDatabase): Promise<void> {
  // Bumped when the password changes: every token issued before carries the old value.
  await db.schema
    .alterTable('users')
    .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  // Tokens ended by logout, kept until they would have expired anyway.
  await db.schema
    .createTable('revoked_tokens')
    .addColumn('jti', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();

  // Fixed-window counters for login failures and registrations, shared by every instance.
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'varchar(400)', (col) => col.primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('window_started_at', 'bigint', (col) => col.notNull())
    .execute();

  // Picture files that may have no user: written before the database points at
  // them, or replaced and not yet deleted. A sweep removes those left by a crash.
  await db.schema
    .createTable('picture_cleanup')
    .addColumn('name', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable('picture_cleanup').execute();
  await db.schema.dropTable('rate_limits').execute();
  await db.schema.dropTable('revoked_tokens').execute();
  await db.schema.alterTable('users').dropColumn('token_version').execute();
}
