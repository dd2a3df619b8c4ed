// Table types for Kysely. Timestamps are written as ISO 8601 strings; SQLite
// hands them back as strings and PostgreSQL (timestamptz) as Date objects.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  image_file: string | null;
  created_at: string | Date;
}

export interface PostsTable {
  id: Generated<number>;
  title: string;
  content: string;
  user_id: number;
  date_posted: string | Date;
}

export interface Database {
  users: UsersTable;
  posts: PostsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type PostRow = Selectable<PostsTable>;
