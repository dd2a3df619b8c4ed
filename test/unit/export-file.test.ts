// validateExportFile, called directly: every refusal's exact one-line message,
// which problem is named first, and what a valid file comes back as
// (timestamps normalised, unknown fields dropped). Also the timestamp function
// export writes with. test/transfer.test.ts runs the same checks through the CLI.
import { describe, expect, it } from 'vitest';
import { TransferError, validateExportFile, type ExportFile } from '../../src/cli/transfer.js';
import { toIsoTimestamp } from '../../src/db/dialect.js';

/** Two users and eight posts (posts[7] exists), with unknown fields at every level. */
function validFile() {
  return {
    format: 'fastblog-export',
    version: 1,
    exported_at: '2024-05-01T10:00:00+02:00',
    comment: 'dropped',
    last_ids: { users: 5, posts: 0, revoked_tokens: 3 },
    users: [
      {
        id: 1,
        username: 'ann',
        email: 'ann@example.com',
        password_hash: '$argon2id$hash',
        image_file: null,
        token_version: 0,
        created_at: '2024-01-01T00:00:00Z',
        is_admin: true,
      },
      {
        id: 4,
        username: 'b'.repeat(50),
        email: 'not an address the API would take',
        password_hash: '$argon2id$other',
        image_file: 'a1b2c3.jpg',
        token_version: 7,
        created_at: '2024-01-02T03:04:05.123456-01:30',
      },
    ],
    posts: Array.from({ length: 8 }, (_, i) => ({
      id: 10 + i,
      title: `Post ${i}`,
      content: `Content ${i}`,
      user_id: i % 2 === 0 ? 1 : 4,
      date_posted: '2024-03-01T12:00:00.000Z',
      views: 99,
    })),
  };
}

/** A part of the file is missing: the property is deleted. */
const MISSING = Symbol('missing');

/** A valid file with the value at each JSON Pointer replaced or removed; pointer '' replaces the whole file. */
function changed(...changes: [pointer: string, value: unknown][]): unknown {
  let file: unknown = validFile();
  for (const [pointer, value] of changes) {
    if (pointer === '') {
      file = value;
      continue;
    }
    const keys = pointer.slice(1).split('/');
    const last = keys.pop() ?? '';
    let target = file as Record<string, unknown>;
    for (const key of keys) target = target[key] as Record<string, unknown>;
    if (value === MISSING) Reflect.deleteProperty(target, last);
    else target[last] = value;
  }
  return file;
}

/** The message the file is refused with; fails the test if it is accepted. */
function refusal(file: unknown): string {
  try {
    validateExportFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(TransferError);
    return (error as Error).message.replace(/^invalid export file: /, '');
  }
  throw new Error('the file was accepted');
}

describe('validateExportFile', () => {
  it('returns a valid file with only the known fields and every timestamp in toISOString form', () => {
    const result = validateExportFile(validFile());
    const expected: ExportFile = {
      format: 'fastblog-export',
      // A version 1 file comes back as this version: its posts published, never edited, its users in good standing.
      version: 4,
      exported_at: '2024-05-01T08:00:00.000Z',
      last_ids: { users: 5, posts: 0 },
      users: [
        {
          id: 1,
          username: 'ann',
          email: 'ann@example.com',
          password_hash: '$argon2id$hash',
          image_file: null,
          token_version: 0,
          created_at: '2024-01-01T00:00:00.000Z',
          role: 'user',
          suspended_at: null,
        },
        {
          id: 4,
          username: 'b'.repeat(50),
          email: 'not an address the API would take',
          password_hash: '$argon2id$other',
          image_file: 'a1b2c3.jpg',
          token_version: 7,
          created_at: '2024-01-02T04:34:05.123Z',
          role: 'user',
          suspended_at: null,
        },
      ],
      posts: validFile().posts.map(({ id, title, content, user_id, date_posted }) => ({
        id,
        title,
        content,
        user_id,
        date_posted,
        status: 'published',
        updated_at: null,
      })),
    };
    expect(result).toStrictEqual(expected);
  });

  it('reads a version 2 file: drafts and edit times kept, edit times normalised', () => {
    const result = validateExportFile(
      changed(
        ['/version', 2],
        ['/posts/0/status', 'draft'],
        ['/posts/0/updated_at', '2024-03-02T12:00:00+01:00'],
        ['/posts/1/status', 'published'],
        ['/posts/1/updated_at', null],
      ),
    );
    expect(result.posts.slice(0, 2).map(({ status, updated_at }) => ({ status, updated_at }))).toEqual([
      { status: 'draft', updated_at: '2024-03-02T11:00:00.000Z' },
      { status: 'published', updated_at: null },
    ]);
  });

  it('reads a version 3 file: roles and suspensions kept, suspension times normalised', () => {
    const result = validateExportFile(
      changed(
        ['/version', 3],
        ['/users/0/role', 'admin'],
        ['/users/0/suspended_at', null],
        ['/users/1/role', 'user'],
        ['/users/1/suspended_at', '2024-04-01T12:00:00+02:00'],
      ),
    );
    expect(result.users.map(({ role, suspended_at }) => ({ role, suspended_at }))).toEqual([
      { role: 'admin', suspended_at: null },
      { role: 'user', suspended_at: '2024-04-01T10:00:00.000Z' },
    ]);
  });

  it('reads a version 4 file: two-factor sign-in kept sealed, its times normalised; a bad hash refused', () => {
    const twoFactor = {
      enabled_at: '2024-04-01T12:00:00+02:00',
      secret_sealed: 'v1.iv.body',
      last_used_step: 56_789_012,
      recovery_codes: [
        { hash: 'a'.repeat(64), used_at: null },
        { hash: 'b'.repeat(64), used_at: '2024-04-02T00:00:00Z' },
      ],
    };
    const result = validateExportFile(changed(['/version', 4], ['/users/1/two_factor', twoFactor]));
    expect(result.users.map((user) => user.two_factor)).toEqual([
      undefined,
      {
        ...twoFactor,
        enabled_at: '2024-04-01T10:00:00.000Z',
        recovery_codes: [
          { hash: 'a'.repeat(64), used_at: null },
          { hash: 'b'.repeat(64), used_at: '2024-04-02T00:00:00.000Z' },
        ],
      },
    ]);
    const badHash = { ...twoFactor, recovery_codes: [{ hash: 'not hex', used_at: null }] };
    expect(refusal(changed(['/version', 4], ['/users/1/two_factor', badHash]))).toBe(
      'users[1].two_factor.recovery_codes[0].hash is not a SHA-256 in hex',
    );
  });

  it('accepts the edges: code points, long content, the largest ids, dates that Date rolls over', () => {
    const result = validateExportFile(
      changed(
        ['/users/0/username', '😀'.repeat(50)], // 100 UTF-16 units, 50 characters
        ['/users/0/token_version', 2_147_483_647],
        ['/last_ids/posts', 2_147_483_647],
        ['/posts/0/title', '𝒳'.repeat(100)],
        ['/posts/0/content', 'x'.repeat(250_000)], // over the API's cap; the database has none
        ['/posts/7/id', 2_147_483_647],
        ['/posts/1/date_posted', '2024-02-30T00:00:00Z'],
      ),
    );
    expect(result.users[0]?.username).toBe('😀'.repeat(50));
    expect(result.posts[0]?.content).toHaveLength(250_000);
    expect(result.posts[1]?.date_posted).toBe('2024-03-01T00:00:00.000Z');
  });

  const ISO = 'is not an ISO 8601 timestamp';
  const ID = 'must be an integer from 1 to 2147483647';
  const NUL = 'contains a NUL character or an unpaired surrogate';
  const FORMAT = '"format" must be "fastblog-export" (is this a fastblog export?)';
  const VERSION = 'this version of the blog reads versions 1, 2, 3 and 4';
  const ASCENDING = 'is not greater than the id before it (ids must be unique and ascending)';
  const refusals: [pointer: string, value: unknown, message: string][] = [
    ['', null, 'the top level is not an object'],
    ['', [], 'the top level is not an object'],
    ['', { hello: 'world' }, FORMAT],
    ['/format', 'wordpress', FORMAT],
    ['/version', 5, `"version" is 5; ${VERSION}`],
    ['/users/0/role', 'root', 'users[0].role must be "user" or "admin"'],
    ['/users/0/suspended_at', 'last week', `users[0].suspended_at is not an ISO 8601 timestamp`],
    ['/posts/0/status', 'hidden', 'posts[0].status must be "draft" or "published"'],
    ['/posts/0/updated_at', 'yesterday', `posts[0].updated_at is not an ISO 8601 timestamp`],
    ['/version', '1', `"version" is "1"; ${VERSION}`],
    ['/version', MISSING, `"version" is undefined; ${VERSION}`],
    ['/exported_at', '2024-05-01', `"exported_at" ${ISO}`],
    ['/last_ids', MISSING, '"last_ids" is not an object'],
    ['/last_ids', [5, 0], '"last_ids" is not an object'],
    ['/last_ids/users', -1, `"last_ids".users ${ID}`],
    ['/last_ids/posts', 1.5, `"last_ids".posts ${ID}`],
    ['/last_ids/posts', MISSING, `"last_ids".posts ${ID}`],
    ['/users', MISSING, '"users" is not an array'],
    ['/posts', MISSING, '"posts" is not an array'],
    ['/posts', {}, '"posts" is not an array'],
    ['/users/1', 'ann', 'users[1] is not an object'],
    ['/users/0/id', 0, `users[0].id ${ID}`],
    ['/posts/2/id', 2 ** 31, `posts[2].id ${ID}`],
    ['/posts/2/user_id', '1', `posts[2].user_id ${ID}`],
    ['/posts/2/user_id', MISSING, `posts[2].user_id ${ID}`],
    ['/users/1/username', 42, 'users[1].username is not a string'],
    ['/users/0/username', 'u'.repeat(51), 'users[0].username must be 1 to 50 characters long'],
    ['/users/0/username', '😀'.repeat(51), 'users[0].username must be 1 to 50 characters long'],
    ['/users/0/username', '', 'users[0].username must be 1 to 50 characters long'],
    ['/users/1/email', 'e'.repeat(121), 'users[1].email must be 1 to 120 characters long'],
    ['/users/1/email', '', 'users[1].email must be 1 to 120 characters long'],
    ['/users/0/password_hash', MISSING, 'users[0].password_hash is not a string'],
    ['/users/0/password_hash', 'h'.repeat(1001), 'users[0].password_hash must be 1 to 1000 characters long'],
    ['/users/1/image_file', '', 'users[1].image_file must be 1 to 64 characters long'],
    ['/users/1/image_file', 'p'.repeat(65), 'users[1].image_file must be 1 to 64 characters long'],
    ['/users/1/image_file', 7, 'users[1].image_file is not a string'],
    ['/users/1/image_file', MISSING, 'users[1].image_file is not a string'],
    ['/users/1/image_file', 'a\u0000.jpg', `users[1].image_file ${NUL}`],
    ['/users/0/token_version', -1, 'users[0].token_version must be a non-negative integer'],
    ['/users/0/token_version', 0.5, 'users[0].token_version must be a non-negative integer'],
    ['/users/0/token_version', 2 ** 31, 'users[0].token_version must be a non-negative integer'],
    ['/users/1/created_at', 'yesterday', `users[1].created_at ${ISO}`],
    ['/users/1/created_at', '2024-01-02T03:04:05', `users[1].created_at ${ISO}`],
    ['/users/1/created_at', '2024-01-02 03:04:05Z', `users[1].created_at ${ISO}`],
    ['/posts/3/date_posted', 1714550400000, `posts[3].date_posted ${ISO}`],
    ['/posts/3/date_posted', '2024-13-01T00:00:00Z', 'posts[3].date_posted is not a valid date'],
    ['/posts/3/date_posted', '2024-01-01T00:00:00+25:00', 'posts[3].date_posted is not a valid date'],
    ['/posts/0/title', 'a\u0000b', `posts[0].title ${NUL}`],
    ['/posts/1/content', 'broken \ud83d', `posts[1].content ${NUL}`],
    ['/posts/4/title', 't'.repeat(101), 'posts[4].title must be 1 to 100 characters long'],
    ['/posts/4/content', '', 'posts[4].content must be at least 1 character long'],
    ['/posts/5/user_id', 999, 'posts[5].user_id refers to user 999, who is not in the file'],
    ['/posts/7/id', 16, `posts[7].id ${ASCENDING}`],
    ['/users/1/id', 1, `users[1].id ${ASCENDING}`],
  ];
  for (const [pointer, value, message] of refusals) {
    it(`refuses: ${message}`, () => {
      expect(refusal(changed([pointer, value]))).toBe(message);
    });
  }

  it('names the first problem in file order: fields in the order export writes them, rows by index', () => {
    const first = (...changes: [string, unknown][]) => refusal(changed(...changes));
    expect(first(['/format', 'x'], ['/version', 4], ['/users', 'none'])).toMatch(/^"format"/);
    expect(first(['/exported_at', MISSING], ['/format', 'x'])).toMatch(/^"format"/);
    // ajv reports a missing field before the other fields of its object; it still waits for its turn.
    expect(first(['/users/0/created_at', MISSING], ['/users/0/username', ''])).toMatch(/^users\[0\]\.username/);
    expect(first(['/posts/2/title', ''], ['/users/1/email', ''])).toMatch(/^users\[1\]\.email/);
    expect(first(['/posts/2/title', ''], ['/posts/1/content', ''])).toMatch(/^posts\[1\]\.content/);
    expect(first(['/posts/7', 'x'], ['/posts/2/title', ''])).toMatch(/^posts\[2\]\.title/);
    // Within one field: its type, then its length, then its characters.
    expect(first(['/posts/0/title', '\u0000'.repeat(101)])).toBe('posts[0].title must be 1 to 100 characters long');
    // The checks across rows come after the schema's, in file order among themselves.
    expect(first(['/posts/1/user_id', 999], ['/posts/6/title', ''])).toMatch(/^posts\[6\]\.title/);
    expect(first(['/posts/4/id', 1], ['/posts/1/user_id', 999])).toMatch(/^posts\[1\]\.user_id refers/);
    expect(first(['/posts/4/id', 1], ['/users/1/id', 1])).toMatch(/^users\[1\]\.id/);
  });

  it('drops unknown fields without refusing them, whatever they hold', () => {
    const result = validateExportFile(changed(['/users/0/is_admin', { nested: '\u0000' }], ['/extra', [1, 2]]));
    expect(Object.keys(result)).toEqual(['format', 'version', 'exported_at', 'last_ids', 'users', 'posts']);
    expect(Object.keys(result.users[0] ?? {})).not.toContain('is_admin');
  });
});

describe('toIsoTimestamp', () => {
  it('returns canonical text unchanged and turns other readable values into it', () => {
    expect(toIsoTimestamp('2024-03-01T12:00:00.000Z')).toBe('2024-03-01T12:00:00.000Z');
    expect(toIsoTimestamp('2024-03-01T13:00:00+01:00')).toBe('2024-03-01T12:00:00.000Z');
    expect(toIsoTimestamp(new Date(Date.UTC(2024, 2, 1, 12)))).toBe('2024-03-01T12:00:00.000Z');
  });

  it('throws a clear error for a value Date cannot read', () => {
    expect(() => toIsoTimestamp('last Tuesday')).toThrow('unreadable timestamp in the database: "last Tuesday"');
    expect(() => toIsoTimestamp(new Date(Number.NaN))).toThrow('unreadable timestamp in the database: "Invalid Date"');
  });
});
