// Migrations are imported, not read from a folder at run time, so the same
// list works from TypeScript sources and from the compiled build.
import type { Migration } from 'kysely';
import * as initial from './0001_initial.js';
import * as sessionsLimitsCleanup from './0002_sessions_limits_cleanup.js';
import * as postsRevision from './0003_posts_revision.js';
import * as mailAndPasswordResets from './0004_mail_and_password_resets.js';
import * as postMarkdown from './0005_post_markdown.js';
import * as postDrafts from './0006_post_drafts.js';
import * as postSearch from './0007_post_search.js';
import * as moderation from './0008_moderation.js';
import * as twoFactor from './0009_two_factor.js';
import * as postExcerpts from './0010_post_excerpts.js';
import * as authorRevision from './0011_author_revision.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_sessions_limits_cleanup': sessionsLimitsCleanup,
  '0003_posts_revision': postsRevision,
  '0004_mail_and_password_resets': mailAndPasswordResets,
  '0005_post_markdown': postMarkdown,
  '0006_post_drafts': postDrafts,
  '0007_post_search': postSearch,
  '0008_moderation': moderation,
  '0009_two_factor': twoFactor,
  '0010_post_excerpts': postExcerpts,
  '0011_author_revision': authorRevision,
};
