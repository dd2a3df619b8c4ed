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
  token_version: Generated<number>;
  role: Generated<Role>;
  /** Epoch ms; null unless the account is suspended. */
  suspended_at: BigInt | null;
  /** Epoch ms; null while two-factor sign-in is off. */
  two_factor_enabled_at: BigInt | null;
}

export type Role = 'user' | 'admin';

export interface PostsTable {
  id: Generated<number>;
  title: string;
  content: string;
  user_id: number;
  date_posted: string | Date;
  /** `content` rendered (src/markdown/); null until first rendered. */
  content_html: string | null;
  /** The renderer version content_html was made by (0: none yet). */
  render_version: Generated<number>;
  /** The start of the rendered text (src/markdown/excerpt.ts), made with content_html ('' while that is null). */
  excerpt: Generated<string>;
  /** A draft is seen only by its author. */
  status: Generated<PostStatus>;
  /** Set by an edit; null until the first one (and again when a draft is published). */
  updated_at: string | Date | null;
  /** 1 while the author is suspended: the post is then held back from everyone but admins. */
  author_suspended: Generated<0 | 1>;
}

export type PostStatus = 'draft' | 'published';

/** Epoch milliseconds or seconds; PostgreSQL returns bigint as a string. */
type BigInt = number | string;

export interface RevokedTokensTable {
  jti: string;
  /** Epoch seconds. */
  expires_at: BigInt;
}

export interface RateLimitsTable {
  bucket: string;
  hits: number;
  /** Epoch milliseconds. */
  window_started_at: BigInt;
}

export interface PictureCleanupTable {
  name: string;
  /** 'pending' until a sweep claims it ('sweeping'). */
  state: 'pending' | 'sweeping';
  /** Epoch milliseconds. */
  created_at: BigInt;
}

/** One row (id 1): moves whenever the order of posts may have changed. */
export interface PostsRevisionTable {
  id: number;
  value: BigInt;
}

export type MailState = 'queued' | 'sending' | 'sent' | 'failed' | 'dropped';

export interface MailOutboxTable {
  id: Generated<number>;
  /** What the mail is (see src/services/mail-composer.ts); its content is composed when it is sent. */
  kind: string;
  recipient: string;
  /** JSON: what the mail's composer needs. Never a secret. */
  payload: string;
  state: MailState;
  attempts: Generated<number>;
  /** Epoch ms: when it is due, or when a sender's claim on it lapses. */
  next_attempt_at: BigInt;
  last_error: string | null;
  created_at: BigInt;
  sent_at: BigInt | null;
}

export interface PasswordResetTokensTable {
  user_id: number;
  /** SHA-256 of the token, hex. */
  token_hash: string;
  /** Epoch ms. */
  expires_at: BigInt;
}

/** Append-only (triggers refuse changes): one row per admin action. */
export interface AuditLogTable {
  id: Generated<number>;
  /** Null for the command line. */
  actor_id: number | null;
  /** The actor's username at the time ("command line" for the CLI). */
  actor_name: string;
  action: string;
  target_type: string;
  target_id: number | null;
  /** The target's name at the time: a username, a post title, an address. */
  target_label: string;
  /** JSON: what changed. */
  details: string;
  /** Epoch ms. */
  created_at: BigInt;
}

export interface InvitationsTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  /** SHA-256 of the token, hex. */
  token_hash: string;
  invited_by: number | null;
  /** Epoch ms, as are the others. */
  created_at: BigInt;
  expires_at: BigInt;
  accepted_at: BigInt | null;
  revoked_at: BigInt | null;
}

/** A user's TOTP secret: an enrolment in progress until users.two_factor_enabled_at is set. */
export interface TwoFactorSecretsTable {
  user_id: number;
  /** Sealed by src/services/secret-box.ts. */
  secret_sealed: string;
  /** The newest TOTP time step accepted: that code and every earlier one are refused. */
  last_used_step: BigInt | null;
  /** Epoch ms. */
  created_at: BigInt;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the normalised code, hex. */
  code_hash: string;
  /** Epoch ms; null until used. */
  used_at: BigInt | null;
}

export interface Database {
  users: UsersTable;
  posts: PostsTable;
  revoked_tokens: RevokedTokensTable;
  rate_limits: RateLimitsTable;
  picture_cleanup: PictureCleanupTable;
  posts_revision: PostsRevisionTable;
  mail_outbox: MailOutboxTable;
  password_reset_tokens: PasswordResetTokensTable;
  audit_log: AuditLogTable;
  invitations: InvitationsTable;
  two_factor_secrets: TwoFactorSecretsTable;
  recovery_codes: RecoveryCodesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type PostRow = Selectable<PostsTable>;
