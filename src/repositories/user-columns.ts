// A user as the repositories read it: every column but created_at.
import type { UserRow } from '../db/schema.js';

export type User = Omit<UserRow, 'created_at'>;

export const USER_COLUMNS = [
  'id',
  'username',
  'email',
  'password_hash',
  'image_file',
  'token_version',
  'role',
  'suspended_at',
  'two_factor_enabled_at',
] as const;
