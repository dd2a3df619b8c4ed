// The file `npm run export` writes and `npm run import` reads. Fields the API
// also takes use the API's schemas, so their limits cannot drift apart.
//
// `refusal` is this file's own annotation (ajv ignores it): the words a value
// failing that node is refused with, for every keyword or per keyword ("type"
// also covers a missing field). Nodes without one get the generic words of
// validateExportFile in src/cli/transfer.ts.
import { Type, type Static, type TSchema, type TStringOptions } from 'typebox';
import { MAX_ID } from '../db/ids.js';
import { NO_NUL, Text } from './common.js';
import { POST_STATUSES, Title } from './posts.js';
import { Email, ROLES, Username } from './users.js';

export const EXPORT_FORMAT = 'fastblog-export';
/**
 * Bumped whenever a field is added, removed or changes meaning. Import reads
 * this one and the versions before it that it can still read whole:
 * version 1 files have no drafts and no edits (their posts are published, never edited);
 * versions 1 and 2 have no roles and no suspensions (everyone is a user in good standing);
 * versions 1 to 3 have no two-factor sign-in (it is off for everyone).
 */
export const EXPORT_VERSION = 4;
export const READABLE_VERSIONS = [1, 2, 3, EXPORT_VERSION] as const;

/** A format the validator registers: text that Date reads as a moment (the pattern alone lets "2024-13-01" through). */
export const READABLE_DATE = 'readable-date';

const notTimestamp = 'is not an ISO 8601 timestamp';
/** Only full ISO 8601 with a zone: SQLite keeps the text as given and compares it as text. */
const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
  format: READABLE_DATE,
  refusal: { type: notTimestamp, pattern: notTimestamp, format: 'is not a valid date' },
});

const notAnId = `must be an integer from 1 to ${MAX_ID}`;
const RowId = Type.Integer({ minimum: 1, maximum: MAX_ID, refusal: notAnId });
/** 0 for a table that never handed out an id; any other value is refused in the words for ids. */
const LastId = Type.Integer({ minimum: 0, maximum: MAX_ID, refusal: notAnId });

/** The longest text an API field takes: import's limit follows it. */
function maxLengthOf(field: TSchema): number {
  const { maxLength } = field as TStringOptions;
  if (maxLength === undefined) throw new Error('the field has no maxLength');
  return maxLength;
}

/** Unknown fields are dropped (ajv's removeAdditional), not refused. */
const known = { additionalProperties: false } as const;

const notSha256 = 'is not a SHA-256 in hex';
/**
 * An account's two-factor sign-in, as stored: the secret stays sealed under
 * the source's SECRET_KEY (never in the clear in a file), so the target
 * opens it only with the same key; the recovery codes, kept as hashes, work
 * under any key.
 */
const ExportedTwoFactor = Type.Object(
  {
    enabled_at: Timestamp,
    secret_sealed: Text(1, 200),
    last_used_step: Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()]),
    recovery_codes: Type.Array(
      Type.Object(
        {
          hash: Type.String({ pattern: '^[0-9a-f]{64}$', refusal: notSha256 }),
          used_at: Type.Union([Timestamp, Type.Null()]),
        },
        known,
      ),
      { maxItems: 10 },
    ),
  },
  known,
);

export const ExportedUser = Type.Object(
  {
    id: RowId,
    username: Username,
    // Only its length: a site may hold addresses that the API's email format refuses today.
    email: Text(1, maxLengthOf(Email)),
    password_hash: Text(1, 1000),
    image_file: Type.Union([Text(1, 64), Type.Null()]),
    token_version: Type.Integer({ minimum: 0, maximum: MAX_ID, refusal: 'must be a non-negative integer' }),
    /** ISO 8601, UTC. */
    created_at: Timestamp,
    // Since version 3.
    role: Type.Optional(Type.Enum(ROLES, { refusal: 'must be "user" or "admin"' })),
    suspended_at: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    // Since version 4; absent while it is off.
    two_factor: Type.Optional(ExportedTwoFactor),
  },
  known,
);

export const ExportedPost = Type.Object(
  {
    id: RowId,
    title: Title,
    // The API caps content at MAX_CONTENT_LENGTH; the database does not, so neither does import.
    content: Type.String({ minLength: 1, pattern: NO_NUL }),
    user_id: RowId,
    /** ISO 8601, UTC. */
    date_posted: Timestamp,
    // Since version 2; a version 1 post is published and was never edited.
    status: Type.Optional(Type.Enum(POST_STATUSES, { refusal: 'must be "draft" or "published"' })),
    updated_at: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  },
  known,
);

/**
 * The highest id each table ever handed out, deleted rows included. The
 * target continues after these, so an id is never reused: a deleted user's
 * id given to a newcomer would inherit old links and, under the same
 * SECRET_KEY, tokens issued to the deleted user.
 */
export const LastIds = Type.Object({ users: LastId, posts: LastId }, known);

/**
 * One export file. Only `users` and `posts` are carried: revoked tokens, rate
 * limit counters and the picture clean-up list are transient bookkeeping that
 * the target builds up again on its own. Ids ascend in each list and every
 * post's user is in the file; the validator checks that, as a schema cannot.
 */
export const ExportFile = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT, { refusal: `must be "${EXPORT_FORMAT}" (is this a fastblog export?)` }),
    // {value} is the value found, as JSON.
    // An enum, not a union of literals: one node, so a wrong value is refused in these words.
    version: Type.Enum(READABLE_VERSIONS, {
      refusal: `is {value}; this version of the blog reads versions ${READABLE_VERSIONS.slice(0, -1).join(', ')} and ${EXPORT_VERSION}`,
    }),
    exported_at: Timestamp,
    last_ids: LastIds,
    users: Type.Array(ExportedUser),
    posts: Type.Array(ExportedPost),
  },
  known,
);

export type ExportedUser = Static<typeof ExportedUser>;
export type ExportedPost = Static<typeof ExportedPost>;
export type LastIds = Static<typeof LastIds>;
export type ExportFile = Static<typeof ExportFile>;
