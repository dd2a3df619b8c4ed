// Hostile input (issue "Hardening"): property-based tests (fast-check) throw
// random and malicious values at every endpoint of the HTTP contract
// (/work/shared/spec/api.md): very long strings, unicode edge cases, NUL,
// numbers out of range, wrong types, deeply nested objects, prototype keys,
// SQL and HTML payloads, hostile path segments, query values, credentials,
// multipart bodies and web forms. They assert that
//   1. the server never answers 5xx, and an /api error keeps the contract's
//      shape ({detail: string} or {detail: [{loc, msg, type}]});
//   2. an attacker never changes data it does not own (the victim's API view
//      and database rows are compared after every attempt and at the end);
//   3. text that is accepted is stored and comes back byte-for-byte;
//   4. the web form posts never 5xx and never echo markup from the input.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT, type App } from '../../src/app.js';
import type { PostResponseBody as PostBody } from '../../src/schemas/posts.js';
import { createPost, createTestApp, signedInUser, TEST_SECRET, useTestApp, type TestContext } from '../helpers/index.js';

// Rate limiting off for the main app, so hostile values reach the real
// validation and database code instead of a 429; one property below runs
// against a rate-limited app as well.
const context = useTestApp({ RATE_LIMIT_ENABLED: 'false' });

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Headers = Record<string, string>;
type Actor = Awaited<ReturnType<typeof signedInUser>>;

interface Sent {
  method: Method;
  url: string;
  headers: Headers;
  payload?: string | Buffer;
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  rawPayload: Buffer;
}

const PROPERTY_TIMEOUT = 60_000;
/** fast-check stops (and reports what it has, shrunk so far) well before the test times out. */
const INTERRUPT_AFTER = 45_000;

// ---------------------------------------------------------------------------
// Hostile material
// ---------------------------------------------------------------------------

/** Marks every HTML payload, so an echo of the input can be told from the page's own markup. */
const XSS = 'XSSPROBE';

const SQL_PAYLOADS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  "'; DROP TABLE posts; --",
  '1; DELETE FROM posts',
  "' UNION SELECT password_hash, email FROM users --",
  "admin'--",
  "%' --",
  "\\'; --",
  '1 OR 1=1',
  "'); UPDATE users SET username='pwned' WHERE 1=1; --",
  'SELECT * FROM users WHERE id = 1',
  '$where: 1 == 1',
  '{"$gt": ""}',
];

const HTML_PAYLOADS = [
  `<script>alert('${XSS}')</script>`,
  `"><script>${XSS}</script>`,
  `'><img src=x onerror=alert("${XSS}")>`,
  `" autofocus onfocus="alert('${XSS}')`,
  `</title><script>${XSS}</script>`,
  `</textarea><script>${XSS}</script>`,
  `<svg onload=${XSS}>`,
  `<iframe src="javascript:${XSS}">`,
  `javascript:alert('${XSS}')`,
  `<!--${XSS}-->`,
  `<SCRIPT SRC=//evil.example/${XSS}.js></SCRIPT>`,
];

const TEMPLATE_PAYLOADS = ['{{7*7}}', '${7*7}', '<%= 7*7 %>', '#{7*7}', '{{constructor.constructor("return process")()}}', '%s%s%s%n'];

const PATH_PAYLOADS = ['../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd%00.jpg', 'file:///etc/passwd', '....//....//etc/passwd', '%2e%2e%2f%2e%2e%2f'];

const NUMERIC_STRINGS = ['NaN', 'Infinity', '-Infinity', '-0', '1e9', '1e308', '0x1F', '0b1', '0o7', '١٢٣', '１２３', ' 1 ', '', '9'.repeat(40), '2147483648', '-1', '1.5', 'null', 'undefined', 'true'];

/** Unicode edge cases, all well-formed (no lone surrogate, no NUL). */
const UNICODE_TEXT = [
  '\u202Eevil\u202C', // right-to-left override
  '\u200B', // zero width space
  '\u200D', // zero width joiner
  '\uFEFF', // byte order mark
  '\u2028\u2029', // line and paragraph separators
  '\u0085', // next line
  'e\u0301', // combining acute
  'Z\u0364\u0351\u0313a\u0308\u0347l\u036Eg\u0321o\u0316', // zalgo
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '😀',
  '\u{10FFFF}',
  '\uFFFD',
  '\uFFFE\uFFFF',
  'ﷺ',
  'I\u0307',
  'İı',
  'ß',
  'ǅ',
  'Ω',
  'K', // Kelvin sign
  '\r\n',
  '\t',
  '\u001B[31m',
  '\u007F',
  'مرحبا',
  'שָׁלוֹם',
  '日本語',
  '𝕳𝖊𝖑𝖑𝖔',
];

const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD83D', '\uDE00b', '\uDE00\uD83D'];

/** Well-formed text atoms: what a person could type, however hostile. */
const TEXT_ATOMS = [...SQL_PAYLOADS, ...HTML_PAYLOADS, ...TEMPLATE_PAYLOADS, ...PATH_PAYLOADS, ...NUMERIC_STRINGS.filter(Boolean), ...UNICODE_TEXT];
/** Everything, including NUL and lone surrogates. */
const ATOMS = [...TEXT_ATOMS, '\u0000', 'a\u0000b', '\u0000'.repeat(8), ...LONE_SURROGATES];

const codePoints = (text: string) => [...text];
const codePointLength = (text: string) => codePoints(text).length;
const takeCodePoints = (text: string, n: number) => codePoints(text).slice(0, n).join('');
/** `unit` repeated until the text is exactly `n` code points long. */
function repeatToCodePoints(unit: string, n: number): string {
  const units = codePoints(unit);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i += 1) out[i] = units[i % units.length] as string;
  return out.join('');
}
const fromCodePoints = (points: number[]) => points.map((point) => String.fromCodePoint(point)).join('');
const hasLoneSurrogate = (text: string) => /\p{Surrogate}/u.test(text);
const utf8 = (text: string) => Buffer.from(text, 'utf8');

const loneSurrogateString = fc
  .array(fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)), fc.constantFrom('a', '😀', ' ')), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

/** Up to 200,000 UTF-16 units of one hostile unit (may cut a pair in two: hostile too). */
const longString = fc
  .tuple(
    fc.constantFrom('a', 'é', '😀', '\u0000', '<script>', '\u200B', '🏳️‍🌈', "'; DROP TABLE posts; --", '\uD800', 'e\u0301', '9'),
    fc.integer({ min: 101, max: 200_000 }),
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 32 }) },
  { weight: 4, arbitrary: fc.constantFrom(...ATOMS) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...ATOMS), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 8 })
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: loneSurrogateString },
  { weight: 1, arbitrary: longString },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(1e308, -1e308, -0, 0, 1, -1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 0.1, 1e21, 1.5),
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((big) => Number(big)),
);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '$where', '$gt', ''];

/** An object whose keys, `__proto__` included, are its own enumerable properties (as JSON.parse makes them). */
function objectOf(entries: Array<[string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

const hostileKey = fc.oneof(fc.constantFrom(...PROTO_KEYS, 'title', 'content', 'username', 'email', 'password', 'user_id', 'id'), fc.string({ unit: 'binary', maxLength: 10 }));

/** 50 to 2,000 levels of objects or arrays (the raw bodies nest 50,000 and 100,000 deep). */
const deeplyNested = fc.tuple(fc.integer({ min: 50, max: 2_000 }), fc.constantFrom('object', 'array', 'proto')).map(([depth, kind]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) {
    value = kind === 'array' ? [value] : kind === 'proto' ? objectOf([['__proto__', value]]) : { a: value };
  }
  // fast-check prints a counterexample recursively: describe this one in a line instead.
  Object.defineProperty(value as object, fc.toStringMethod, { value: () => `<${kind} nested ${depth} deep>`, enumerable: false });
  return value;
});

const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 5, arbitrary: hostileString },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectOf) },
    { weight: 1, arbitrary: deeplyNested },
  ),
}));

// Valid text, built by code points (ajv counts code points: unicode is on).
const SPECIAL_CODE_POINTS = [0x01, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0xa0, 0xad, 0x301, 0x200b, 0x200d, 0x202e, 0x2028, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x1f600, 0x1f3f3, 0xe0001, 0x10ffff];
const validCodePoint = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0x01, max: 0x7f }) },
  { weight: 3, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }) },
  { weight: 2, arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CODE_POINTS) },
);
const textUnit = fc.oneof(
  fc.array(validCodePoint, { minLength: 1, maxLength: 8 }).map(fromCodePoints),
  fc.constantFrom(...TEXT_ATOMS),
);

/** Well-formed text of 1..max code points, without NUL: what the contract accepts. */
function validText(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.array(validCodePoint, { minLength: 1, maxLength: Math.min(max, 120) }).map(fromCodePoints) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) }) },
      { weight: 2, arbitrary: fc.array(textUnit, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) },
      { weight: 1, arbitrary: textUnit.map((unit) => repeatToCodePoints(unit, max)) }, // exactly at the limit
      { weight: 1, arbitrary: fc.tuple(textUnit, fc.integer({ min: 1, max })).map(([unit, n]) => repeatToCodePoints(unit, n)) },
    )
    .map((text) => takeCodePoints(text, max))
    .filter((text) => text.length > 0 && !text.includes('\u0000'));
}

const validTitle = validText(100);
const validContent = validText(100_000);
const validUsername = validText(50);

// ---------------------------------------------------------------------------
// Requests: plans drawn by fast-check, resolved against the live ids at run time
// ---------------------------------------------------------------------------

type Ref = 'victim' | 'attacker' | 'victimPost' | 'attackerPost';
type Segment = { ref: Ref } | { raw: string };

/** Stands for the victim's id inside a drawn body; replaced when the body is serialised. */
const VICTIM_ID = Object.freeze({ toJSON: () => victim.id, [fc.toStringMethod]: () => '<victim id>' });

const WELL_FORMED_SEGMENTS = [
  '%00', '%2e%2e%2f', '..%2F..%2Fetc%2Fpasswd', '-1', '0', '1e9', '1E3', '١', '٣', '%D9%A1', '１', '0x10', '+1', '%201', '1%20', '1.0', '1.5',
  'NaN', 'Infinity', '-Infinity', '99999999999999999999', '2147483648', '2147483647', '9007199254740993', '-0', '00000000000000000001',
  'null', 'undefined', 'true', '%5B%5D', '%7B%7D', '%E2%80%AE1', '%EF%BC%91', '1%27%20OR%20%271%27%3D%271', '1%3B%20DROP%20TABLE%20posts',
  '__proto__', 'constructor', 'me', '%3Cscript%3E', '1%00', '1%0A', '%20',
];

/** Path segments that are valid URL components of at most 100 characters. */
const hostileSegment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Ref>('victim', 'attacker', 'victimPost', 'attackerPost').map((ref) => ({ ref })) },
  {
    weight: 6,
    arbitrary: fc
      .oneof(
        fc.constantFrom(...WELL_FORMED_SEGMENTS),
        fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
        fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
        fc.integer().map(String),
        fc.double().map(String),
      )
      .filter((raw) => raw.length > 0 && raw.length <= 100)
      .map((raw) => ({ raw })),
  },
);

/** Malformed percent-encodings (no valid UTF-8 behind them) and path segments past the router's 100-character limit. */
const malformedSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%Z', '%ZZ', '%F0%9F', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%%30', '1%', '%u0031'),
  fc.integer({ min: 101, max: 5_000 }).map((n) => '9'.repeat(n)),
  fc.tuple(fc.constantFrom('%F0%9F%98%80', '%00', 'a', '%E2%80%AE', '%2e%2e%2f'), fc.integer({ min: 101, max: 2_000 })).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
);

const queryKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('skip', 'limit') },
  { weight: 1, arbitrary: fc.constantFrom('skip[]', 'limit[0]', 'skip[a]', '__proto__', 'constructor', 'Skip', 'LIMIT', '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }).map(encodeURIComponent) },
);
const queryValue = fc.oneof(
  fc.constantFrom(...WELL_FORMED_SEGMENTS, '%', '%ZZ', '%F0%9F', '100', '101', '1000000000', '1000000001', '', '10&limit=5'),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.double().map(String),
  hostileString.filter((text) => !hasLoneSurrogate(text) && text.length < 2_000).map(encodeURIComponent),
);
/** A query string: any keys (repeated or not), any values, encoded or raw. */
const hostileQuery = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`));

type Credential =
  | { kind: 'attacker' | 'none' | 'garbage' | 'cookie' | 'cookie-same-origin' | 'forged-none' | 'forged-key' | 'forged-alg' | 'expired-victim' }
  | { kind: 'authorization'; value: string }
  | { kind: 'cookie-raw'; value: string };

/** Header values must be representable on the wire (no CR, LF or other controls but tab). */
const headerSafe = (text: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(text);

const hostileAuthorization = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer  x',
    'Basic YWRtaW46YWRtaW4=',
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
    `Bearer ${'a.'.repeat(5_000)}`,
    'Bearer a b',
    'Bearer ../../etc/passwd',
    "Bearer ' OR 1=1 --",
    'Bearer null',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((text) => `Bearer ${text}`),
).filter(headerSafe);

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'attacker' as const }) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      ...(['none', 'garbage', 'cookie', 'cookie-same-origin', 'forged-none', 'forged-key', 'forged-alg', 'expired-victim'] as const),
    ).map((kind) => ({ kind })),
  },
  { weight: 1, arbitrary: hostileAuthorization.map((value) => ({ kind: 'authorization' as const, value })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 100 }).map((text) => `session=${text}`).filter(headerSafe).map((value) => ({ kind: 'cookie-raw' as const, value })) },
);

const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/octet-stream',
];

const RAW_BODIES = [
  '',
  '{',
  '{"title":',
  'null',
  '[]',
  '"just a string"',
  '42',
  'true',
  '{"__proto__":{"title":"x","content":"y","isAdmin":true},"title":"t","content":"c"}',
  '{"constructor":{"prototype":{"polluted":true}},"title":"t","content":"c"}',
  '{"title":"a","title":"b","content":"c","content":"d"}',
  '\uFEFF{"title":"t","content":"c"}',
  '{"title":"t","content":"c"} trailing',
  '{"title": 1e999, "content": -1e999}',
  '{"title": 123456789012345678901234567890, "content": 0.1e-400}',
  '{"title":"\\ud800","content":"\\udfff"}',
  '{"title":"\\u0000","content":"x\\u0000"}',
  `{"title":"${'\\\\'.repeat(1000)}","content":"c"}`,
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
  `{"title":"t","content":"${'x'.repeat(1_100_000)}"}`, // past the 1 MiB JSON limit
  "{'title':'single quotes'}",
  '{"title":"t","content":"c",}',
  'title=t&content=c',
];

type BodyPlan = { json: unknown; contentType: string } | { raw: string | Uint8Array; contentType: string | null };

function jsonBodyPlan(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<BodyPlan> {
  const fieldValues = Object.fromEntries(
    Object.entries(fields).map(([name, valid]) => [name, fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: hostileValue })]),
  );
  const extras = fc.array(
    fc.tuple(
      fc.constantFrom(...PROTO_KEYS, 'user_id', 'id', 'author', 'date_posted', 'image_file', 'email', 'password_hash', 'token_version', 'is_admin'),
      fc.oneof(hostileValue, fc.constant<unknown>(VICTIM_ID)),
    ),
    { maxLength: 3 },
  );
  const object = fc.tuple(fc.record(fieldValues, { requiredKeys: [] }), extras).map(([values, extra]) => objectOf([...Object.entries(values), ...extra]));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(object, fc.constantFrom(...JSON_CONTENT_TYPES.slice(0, 2))).map(([json, contentType]) => ({ json, contentType })) },
    { weight: 1, arbitrary: fc.tuple(hostileValue, fc.constantFrom(...JSON_CONTENT_TYPES.slice(0, 2))).map(([json, contentType]) => ({ json, contentType })) },
    { weight: 1, arbitrary: fc.tuple(object, fc.constantFrom(...JSON_CONTENT_TYPES)).map(([json, contentType]) => ({ json, contentType })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom(...RAW_BODIES), hostileString, fc.uint8Array({ maxLength: 512 })),
          fc.oneof(fc.constantFrom(...JSON_CONTENT_TYPES), fc.constant(null)),
        )
        .map(([raw, contentType]) => ({ raw, contentType })),
    },
  );
}

/** Form bodies: any keys (repeated too), any values, plus malformed encodings. */
function formBodyPlan(keys: string[]): fc.Arbitrary<BodyPlan> {
  const pair = fc.tuple(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_KEYS, `${keys[0]}[]`), hostileString) }),
    fc.oneof(hostileString, fc.constantFrom(...HTML_PAYLOADS)),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(pair, { maxLength: 6 }).map((pairs) => ({
        raw: new URLSearchParams(pairs).toString(),
        contentType: 'application/x-www-form-urlencoded',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('%', 'a=%ZZ', `${keys[0]}=%E0%A4%A`, '&&&==&', keys[0] as string, `${keys[0]}=${'x'.repeat(20_000)}`, '=', `${keys[0]}=%00&${keys[1]}=%00`),
          fc.constantFrom<string | null>('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-16', null),
        )
        .map(([raw, contentType]) => ({ raw, contentType })),
    },
    { weight: 1, arbitrary: jsonBodyPlan(Object.fromEntries(keys.map((key) => [key, hostileString]))) },
  );
}

interface MultipartPlan {
  contentType: string;
  boundary: string;
  parts: Array<{ name: string; filename: string | null; type: string | null; bytes: Uint8Array | 'real-png' | 'png-header' }>;
  mangle: 'none' | 'truncate' | 'no-closing' | 'garbage' | 'empty' | 'lf-only' | 'preamble';
}

const WELL_FORMED_CONTENT_TYPES = ['multipart/form-data; boundary={B}', 'multipart/form-data; boundary="{B}"'];
/** The characters RFC 2046 allows in a boundary (without the space, which may not end one). */
const BOUNDARY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?".split('');
const isWellFormedBoundary = (boundary: string) => /^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/.test(boundary);
/** Text that can sit inside a quoted part header parameter without ending it. */
const partParameter = (text: string) => /^[^\r\n"\\\u0000]*$/.test(text) && !hasLoneSurrogate(text);

const multipartPart = (parameter: fc.Arbitrary<string>) =>
  fc.record({
    name: fc.oneof({ weight: 4, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('FILE', 'file[]', '', '__proto__', 'constructor'), parameter) }),
    filename: fc.option(fc.oneof(fc.constantFrom('me.png', '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '.htaccess', `${XSS}<script>.png`, 'a'.repeat(1_000)), parameter)),
    type: fc.option(fc.constantFrom('image/png', 'image/jpeg', 'text/html', 'application/x-php', 'image/svg+xml', '')),
    bytes: fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ maxLength: 2_048 }) },
      { weight: 1, arbitrary: fc.constantFrom<'real-png' | 'png-header'>('real-png', 'png-header') },
    ),
  });

/** Correctly framed multipart bodies with hostile names, file names, types and bytes. */
const wellFormedMultipart: fc.Arbitrary<MultipartPlan> = fc.record({
  contentType: fc.constantFrom(...WELL_FORMED_CONTENT_TYPES),
  boundary: fc.oneof(
    fc.constantFrom('XBOUNDARY', 'a', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'x'.repeat(70)),
    fc.string({ unit: fc.constantFrom(...BOUNDARY_CHARS), minLength: 1, maxLength: 70 }),
  ),
  parts: fc.array(multipartPart(hostileString.filter(partParameter)), { maxLength: 3 }),
  mangle: fc.constantFrom<MultipartPlan['mangle']>('none', 'preamble'),
});

/** Broken framing: no or bad boundary, a body cut short, no closing delimiter, bare LF, garbage, another media type. */
const malformedMultipart: fc.Arbitrary<MultipartPlan> = fc
  .record({
    contentType: fc.constantFrom(
      ...WELL_FORMED_CONTENT_TYPES,
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/mixed; boundary={B}',
      'multipart/form-data; boundary={B}; charset=utf-16',
      'application/octet-stream',
      'image/png',
      'application/json',
    ),
    boundary: fc.oneof(
      fc.constantFrom('XBOUNDARY', 'a', 'x'.repeat(200), '--', '"', ' ', 'a b '),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 70 }),
    ),
    parts: fc.array(multipartPart(hostileString.filter(headerSafe)), { maxLength: 3 }),
    mangle: fc.constantFrom<MultipartPlan['mangle']>('none', 'truncate', 'no-closing', 'garbage', 'empty', 'lf-only'),
  })
  .filter((plan) => plan.mangle !== 'none' || !WELL_FORMED_CONTENT_TYPES.includes(plan.contentType) || !isWellFormedBoundary(plan.boundary) || plan.parts.some((part) => !partParameter(part.name) || (part.filename !== null && !partParameter(part.filename))));

/** An upload cut short: a correctly started body with at least one file part that never reaches its closing delimiter. */
const cutShortMultipart: fc.Arbitrary<MultipartPlan> = fc.record({
  contentType: fc.constantFrom(...WELL_FORMED_CONTENT_TYPES),
  boundary: fc.constantFrom('XBOUNDARY', '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
  parts: fc.array(
    fc.record({
      name: fc.constant('file'),
      filename: fc.option(fc.constantFrom('me.png', 'photo.jpg'), { freq: 5 }),
      type: fc.option(fc.constantFrom('image/png', 'image/jpeg')),
      bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2_048 }), fc.constantFrom<'real-png' | 'png-header'>('real-png', 'png-header')),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  mangle: fc.constantFrom<MultipartPlan['mangle']>('truncate', 'no-closing'),
});

// ---------------------------------------------------------------------------
// The world: one app, a victim with a post and a picture, an attacker
// ---------------------------------------------------------------------------

let ctx: TestContext;
let app: App;
let victim: Actor;
let attacker: Actor;
let author: Actor; // writes the round-trip posts
let sacrificial: Actor; // the only token hostile logout requests may revoke
let victimPostId: number;
let attackerPostId: number;
let realPng: Buffer;
const forged = { none: '', wrongKey: '', wrongAlg: '', expired: '' };
let snapshot: VictimState;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  ctx = await context();
  app = ctx.app;
  victim = await signedInUser(app, 'victim');
  attacker = await signedInUser(app, 'attacker');
  author = await signedInUser(app, 'author');
  sacrificial = await signedInUser(app, 'sacrificial');
  victimPostId = (await createPost(app, victim.headers, 'The victim\'s title', 'The victim\'s content')).id;
  attackerPostId = (await createPost(app, attacker.headers, 'The attacker\'s title', 'The attacker\'s content')).id;

  realPng = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer();
  // The victim has a picture, so that removing or replacing it would show.
  const upload = await app.inject({
    method: 'PATCH',
    url: `/api/users/${victim.id}/picture`,
    headers: { ...victim.headers, 'content-type': 'multipart/form-data; boundary=SETUP' },
    payload: multipart('SETUP', [{ name: 'file', filename: 'me.png', type: 'image/png', bytes: realPng }], 'none'),
  });
  expect(upload.statusCode, upload.body).toBe(200);

  // Tokens that name the victim but must not authenticate.
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: String(victim.id), exp: now + 3_600, iat: now, jti: randomUUID(), ver: 0, token_version: 0 };
  forged.none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
  forged.wrongKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('not-the-secret-key-of-this-server-at-all'));
  forged.wrongAlg = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(new TextEncoder().encode(TEST_SECRET));
  forged.expired = await new SignJWT({ ...claims, exp: now - 120, iat: now - 4_000 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(TEST_SECRET));

  snapshot = await victimState();
}, 60_000);

function multipart(boundary: string, parts: Array<{ name: string; filename: string | null; type: string | null; bytes: Uint8Array }>, mangle: MultipartPlan['mangle']): Buffer {
  const eol = mangle === 'lf-only' ? '\n' : '\r\n';
  const chunks: Buffer[] = [];
  if (mangle === 'preamble') chunks.push(Buffer.from(`preamble ${XSS}${eol}`));
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename === null ? '' : `; filename="${part.filename}"`}`;
    const type = part.type === null ? '' : `${eol}Content-Type: ${part.type}`;
    chunks.push(Buffer.from(`--${boundary}${eol}${disposition}${type}${eol}${eol}`, 'utf8'), Buffer.from(part.bytes), Buffer.from(eol));
  }
  if (mangle !== 'no-closing') chunks.push(Buffer.from(`--${boundary}--${eol}`));
  const body = Buffer.concat(chunks);
  switch (mangle) {
    case 'truncate':
      return body.subarray(0, Math.floor(body.length / 2));
    case 'garbage':
      return Buffer.concat([Buffer.from('garbage before the first boundary\r\n'), body.subarray(3)]);
    case 'empty':
      return Buffer.alloc(0);
    default:
      return body;
  }
}

function resolveMultipart(plan: MultipartPlan): { contentType: string; payload: Buffer } {
  const png = realPng;
  const parts = plan.parts.map((part) => ({
    ...part,
    bytes: part.bytes === 'real-png' ? png : part.bytes === 'png-header' ? Buffer.concat([png.subarray(0, 33), Buffer.from('truncated')]) : part.bytes,
  }));
  return {
    contentType: plan.contentType.replace('{B}', plan.boundary),
    payload: multipart(plan.boundary, parts, plan.mangle),
  };
}

function idOf(ref: Ref): number {
  switch (ref) {
    case 'victim':
      return victim.id;
    case 'attacker':
      return attacker.id;
    case 'victimPost':
      return victimPostId;
    case 'attackerPost':
      return attackerPostId;
  }
}

const segmentText = (segment: Segment) => ('ref' in segment ? String(idOf(segment.ref)) : segment.raw);

/** The id the server would read from a path segment (a plain decimal integer, as src/plugins/validation.ts converts it), or null. */
function idInSegment(segment: Segment): number | null {
  let text: string;
  try {
    text = decodeURIComponent(segmentText(segment));
  } catch {
    return null;
  }
  return /^-?\d{1,20}$/.test(text) ? Number(text) : null;
}

function credentialHeaders(credential: Credential): Headers {
  switch (credential.kind) {
    case 'attacker':
      return { authorization: `Bearer ${attacker.token}` };
    case 'none':
      return {};
    case 'garbage':
      return { authorization: 'Bearer not.a.real-token' };
    case 'cookie':
      return { cookie: `session=${attacker.token}` };
    case 'cookie-same-origin':
      return { cookie: `session=${attacker.token}`, 'sec-fetch-site': 'same-origin' };
    case 'forged-none':
      return { authorization: `Bearer ${forged.none}` };
    case 'forged-key':
      return { authorization: `Bearer ${forged.wrongKey}` };
    case 'forged-alg':
      return { authorization: `Bearer ${forged.wrongAlg}` };
    case 'expired-victim':
      return { authorization: `Bearer ${forged.expired}` };
    case 'authorization':
      return { authorization: credential.value };
    case 'cookie-raw':
      return { cookie: credential.value };
  }
}

const actsAsAttacker = (credential: Credential) => credential.kind === 'attacker' || credential.kind === 'cookie-same-origin';

function serialise(plan: BodyPlan | null | undefined): { payload?: string | Buffer; contentType?: string } {
  if (!plan) return {};
  if ('json' in plan) {
    const text = JSON.stringify(plan.json) ?? 'null';
    return { payload: text, contentType: plan.contentType };
  }
  const payload = typeof plan.raw === 'string' ? plan.raw : Buffer.from(plan.raw);
  return plan.contentType === null ? { payload } : { payload, contentType: plan.contentType };
}

/** Every request must be answered; one that is not within this time is a failure (a hang), not a slow test. */
const ANSWER_WITHIN = 3_000;

class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

async function send(request: Sent): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const noAnswer = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const payload = request.payload === undefined ? '' : ` payload(${request.payload.length}): ${JSON.stringify(String(request.payload).slice(0, 200))}`;
      reject(new NoAnswerError(`no answer within ${ANSWER_WITHIN} ms: ${request.method} ${request.url.slice(0, 160)} headers=${JSON.stringify(request.headers).slice(0, 200)}${payload}`));
    }, ANSWER_WITHIN);
  });
  try {
    const response = await Promise.race([
      app.inject({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
      }),
      noAnswer,
    ]);
    return { statusCode: response.statusCode, headers: response.headers, body: response.body, rawPayload: response.rawPayload };
  } finally {
    clearTimeout(timer);
  }
}

/** One line that says what was sent and what came back, for failure messages. */
function describeExchange(request: Sent, response: Answer): string {
  const payload = request.payload === undefined ? '' : ` payload(${request.payload.length}): ${JSON.stringify(String(request.payload).slice(0, 160))}`;
  return `${request.method} ${request.url.slice(0, 160)} headers=${JSON.stringify(request.headers).slice(0, 200)}${payload}\n  -> ${response.statusCode} ${response.body.slice(0, 300)}`;
}

/** The contract for any /api answer: never 5xx; an error is JSON `{detail}` of the contract's shape. */
function expectApiContract(request: Sent, response: Answer) {
  const where = describeExchange(request, response);
  expect(response.statusCode, where).toBeLessThan(500);
  expect(response.statusCode, where).toBeGreaterThanOrEqual(200);
  if (response.statusCode < 400) return;
  expect(String(response.headers['content-type']), where).toMatch(/^application\/json/);
  let body: unknown;
  expect(() => (body = JSON.parse(response.body)), where).not.toThrow();
  expect(body, where).toBeTypeOf('object');
  expect(Object.keys(body as object), where).toEqual(['detail']);
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === 'string') {
    expect(detail.length, where).toBeGreaterThan(0);
    // No stack trace or SQL ever reaches a client.
    expect(detail, where).not.toMatch(/\bat .+\.(ts|js):\d+|SQLITE_|sqlite|SELECT .+ FROM|node_modules/i);
  } else {
    expect(response.statusCode, where).toBe(422);
    expect(Array.isArray(detail), where).toBe(true);
    expect((detail as unknown[]).length, where).toBeGreaterThan(0);
    for (const item of detail as Array<Record<string, unknown>>) {
      expect(Object.keys(item).sort(), where).toEqual(['loc', 'msg', 'type']);
      expect(Array.isArray(item.loc), where).toBe(true);
      expect(['body', 'query', 'path'], where).toContain((item.loc as unknown[])[0]);
      for (const part of item.loc as unknown[]) expect(['string', 'number'], where).toContain(typeof part);
      expect(item.msg, where).toBeTypeOf('string');
      expect(item.type, where).toBeTypeOf('string');
    }
  }
  if (response.statusCode === 401) expect(String(response.headers['www-authenticate']), where).toMatch(/^Bearer/);
}

// ---------------------------------------------------------------------------
// The victim's data, as the API shows it and as the database holds it
// ---------------------------------------------------------------------------

interface VictimState {
  api: Record<string, { status: number; body: string }>;
  rows: { user: unknown; posts: unknown[]; victimPost: unknown };
  picture: { file: string | null; sha256: string | null };
}

async function victimState(): Promise<VictimState> {
  const get = async (url: string, headers: Headers = {}) => {
    const response = await app.inject({ method: 'GET', url, headers });
    return { status: response.statusCode, body: response.body };
  };
  const api = {
    user: await get(`/api/users/${victim.id}`),
    // The victim's own token still works (no logout or password change was forced on it).
    me: await get('/api/users/me', victim.headers),
    post: await get(`/api/posts/${victimPostId}`),
    posts: await get(`/api/users/${victim.id}/posts?limit=100`),
  };
  const user = await app.db.selectFrom('users').selectAll().where('id', '=', victim.id).executeTakeFirst();
  const posts = await app.db.selectFrom('posts').selectAll().where('user_id', '=', victim.id).orderBy('id').execute();
  const victimPost = await app.db.selectFrom('posts').selectAll().where('id', '=', victimPostId).executeTakeFirst();
  const file = (user?.image_file as string | null | undefined) ?? null;
  const picturePath = file ? path.join(ctx.dataDir, 'media', 'profile_pics', file) : null;
  const sha256 = picturePath && existsSync(picturePath) ? createHash('sha256').update(readFileSync(picturePath)).digest('hex') : null;
  return { api, rows: { user, posts, victimPost }, picture: { file, sha256 } };
}

async function expectVictimUnchanged(because: string) {
  const now = await victimState();
  expect(now.api, because).toEqual(snapshot.api);
  expect(now.rows, because).toEqual(snapshot.rows);
  expect(now.picture, because).toEqual(snapshot.picture);
}

// ---------------------------------------------------------------------------
// 1. Every endpoint: never a 5xx, errors in the contract's shape
// ---------------------------------------------------------------------------

type BodyKind = 'none' | 'json' | 'form' | 'multipart';

interface Endpoint {
  method: Method;
  /** `{id}` is replaced by a drawn path segment. */
  path: string;
  segment?: 'user' | 'post';
  query?: boolean;
  body: BodyKind;
  fields?: Record<string, fc.Arbitrary<unknown>>;
  /** Hostile logout requests must never revoke the attacker's own token. */
  credentials?: 'sacrificial';
}

const validEmail = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 1, maxLength: 12 }).map((local) => `${local}@Example.com`);
const validPassword = fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 });

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/api/users', body: 'json', fields: { username: validUsername, email: validEmail, password: validPassword } },
  { method: 'POST', path: '/api/users/token', body: 'form', fields: { username: validEmail, password: validPassword } },
  { method: 'GET', path: '/api/users/me', body: 'none' },
  { method: 'GET', path: '/api/users/{id}', segment: 'user', body: 'none' },
  { method: 'PATCH', path: '/api/users/{id}', segment: 'user', body: 'json', fields: { username: validUsername, email: validEmail } },
  { method: 'DELETE', path: '/api/users/{id}', segment: 'user', body: 'none' },
  { method: 'GET', path: '/api/users/{id}/posts', segment: 'user', query: true, body: 'none' },
  { method: 'PATCH', path: '/api/users/{id}/picture', segment: 'user', body: 'multipart' },
  { method: 'DELETE', path: '/api/users/{id}/picture', segment: 'user', body: 'none' },
  { method: 'POST', path: '/api/users/logout', body: 'none', credentials: 'sacrificial' },
  { method: 'POST', path: '/api/users/me/password', body: 'json', fields: { current_password: validPassword, new_password: validPassword } },
  { method: 'GET', path: '/api/posts', query: true, body: 'none' },
  { method: 'POST', path: '/api/posts', body: 'json', fields: { title: validTitle, content: validContent } },
  { method: 'GET', path: '/api/posts/{id}', segment: 'post', body: 'none' },
  { method: 'PUT', path: '/api/posts/{id}', segment: 'post', body: 'json', fields: { title: validTitle, content: validContent } },
  { method: 'PATCH', path: '/api/posts/{id}', segment: 'post', body: 'json', fields: { title: validTitle, content: validContent } },
  { method: 'DELETE', path: '/api/posts/{id}', segment: 'post', body: 'none' },
];

interface RequestPlan {
  segment: Segment;
  query: string;
  credential: Credential;
  body: BodyPlan | MultipartPlan | null;
}

function requestPlan(endpoint: Endpoint, multipart: fc.Arbitrary<MultipartPlan> = wellFormedMultipart): fc.Arbitrary<RequestPlan> {
  const body: fc.Arbitrary<BodyPlan | MultipartPlan | null> =
    endpoint.body === 'json'
      ? jsonBodyPlan(endpoint.fields ?? {})
      : endpoint.body === 'form'
        ? formBodyPlan(Object.keys(endpoint.fields ?? {}))
        : endpoint.body === 'multipart'
          ? multipart
          : fc.option(jsonBodyPlan({ title: hostileString }), { freq: 4 }); // a body where none belongs
  return fc.record({
    segment: endpoint.segment === 'user'
      ? hostileSegment.map((segment) => ('ref' in segment && segment.ref.endsWith('Post') ? { ref: segment.ref.replace('Post', '') as Ref } : segment))
      : endpoint.segment === 'post'
        ? hostileSegment.map((segment) => ('ref' in segment && !segment.ref.endsWith('Post') ? { ref: `${segment.ref}Post` as Ref } : segment))
        : fc.constant<Segment>({ raw: '' }),
    query: endpoint.query ? hostileQuery : fc.constant(''),
    credential,
    body,
  });
}

/** The request a plan stands for, with the live ids, tokens and bodies. */
function resolve(endpoint: Endpoint, plan: RequestPlan): Sent {
  let credential = plan.credential;
  // The attacker keeps its own account and post, so every run meets the same
  // world; deleting them is legitimate and not what these properties are about.
  const ownId = idInSegment(plan.segment);
  if (endpoint.method === 'DELETE' && endpoint.path === '/api/users/{id}' && ownId === attacker.id && actsAsAttacker(credential)) credential = { kind: 'none' };
  if (endpoint.method === 'DELETE' && endpoint.path === '/api/posts/{id}' && ownId === attackerPostId && actsAsAttacker(credential)) credential = { kind: 'none' };
  let headers = credentialHeaders(credential);
  if (endpoint.credentials === 'sacrificial' && actsAsAttacker(credential)) {
    headers = credential.kind === 'attacker' ? sacrificial.headers : { cookie: `session=${sacrificial.token}`, 'sec-fetch-site': 'same-origin' };
  }
  const url = endpoint.path.replace('{id}', segmentText(plan.segment)) + plan.query;
  if (plan.body && 'mangle' in plan.body) {
    const { contentType, payload } = resolveMultipart(plan.body);
    return { method: endpoint.method, url, headers: { ...headers, 'content-type': contentType }, payload };
  }
  const { payload, contentType } = serialise(plan.body);
  return { method: endpoint.method, url, headers: contentType === undefined ? headers : { ...headers, 'content-type': contentType }, ...(payload === undefined ? {} : { payload }) };
}

const RUNS: Record<BodyKind, number> = { none: 60, json: 100, form: 50, multipart: 80 };

describe('every API endpoint under hostile input: never a 5xx, errors in the contract shape', () => {
  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.method} ${endpoint.path}`, async () => {
      await fc.assert(
        fc.asyncProperty(requestPlan(endpoint), async (plan) => {
          const request = resolve(endpoint, plan);
          expectApiContract(request, await send(request));
        }),
        { numRuns: RUNS[endpoint.body], interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
      );
    }, PROPERTY_TIMEOUT);
  }

  // Two requirements on the same input class, so that one broken one does not hide the other.
  it('PATCH /api/users/{id}/picture with broken multipart framing: every request is answered', async () => {
    const picture = ENDPOINTS.find((endpoint) => endpoint.body === 'multipart') as Endpoint;
    await fc.assert(
      fc.asyncProperty(requestPlan(picture, fc.oneof(cutShortMultipart, malformedMultipart)), async (plan) => {
        const request = resolve(picture, plan);
        const response = await send(request); // throws NoAnswerError after ANSWER_WITHIN
        expect(response.statusCode).toBeGreaterThanOrEqual(200);
      }),
      { numRuns: 40, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('PATCH /api/users/{id}/picture with broken multipart framing: never a 5xx, errors in the contract shape', async () => {
    const picture = ENDPOINTS.find((endpoint) => endpoint.body === 'multipart') as Endpoint;
    await fc.assert(
      fc.asyncProperty(requestPlan(picture, fc.oneof(cutShortMultipart, malformedMultipart)), async (plan) => {
        const request = resolve(picture, plan);
        const response = await send(request).catch((error: unknown) => {
          if (error instanceof NoAnswerError) return null; // the property above is about answering at all
          throw error;
        });
        if (response) expectApiContract(request, response);
      }),
      { numRuns: 60, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('malformed percent-encodings and over-long path segments, on every endpoint with a path id', async () => {
    const templated = ENDPOINTS.filter((endpoint) => endpoint.segment);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templated), malformedSegment, credential, async (endpoint, raw, who) => {
        const request = resolve(endpoint, { segment: { raw }, query: '', credential: who, body: null });
        expectApiContract(request, await send(request));
      }),
      { numRuns: 60, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('a successful registration stores the username exactly as sent', async () => {
    await fc.assert(
      fc.asyncProperty(validUsername, async (username) => {
        const email = `${randomUUID()}@example.com`;
        const request: Sent = { method: 'POST', url: '/api/users', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username, email, password: 'correct horse battery' }) };
        const response = await send(request);
        expectApiContract(request, response);
        if (response.statusCode === 400) {
          expect(JSON.parse(response.body), describeExchange(request, response)).toEqual({ detail: 'Username already exists' });
          return;
        }
        expect(response.statusCode, describeExchange(request, response)).toBe(201);
        const created = JSON.parse(response.body) as { id: number; username: string; email: string };
        expect(utf8(created.username).equals(utf8(username))).toBe(true);
        const read = await send({ method: 'GET', url: `/api/users/${created.id}`, headers: {} });
        expect(utf8((JSON.parse(read.body) as { username: string }).username).equals(utf8(username))).toBe(true);
        const row = await app.db.selectFrom('users').select(['username', 'email']).where('id', '=', created.id).executeTakeFirstOrThrow();
        expect(utf8(row.username).equals(utf8(username))).toBe(true);
        expect(row.email).toBe(email);
      }),
      { numRuns: 25, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

// ---------------------------------------------------------------------------
// 2. The attacker never changes the victim's data
// ---------------------------------------------------------------------------

interface Attack {
  endpoint: Endpoint;
  plan: RequestPlan;
}

/** Requests aimed at the victim's account, post and picture, or that try to write as the victim. */
const attack: fc.Arbitrary<Attack> = fc.oneof(
  ...ENDPOINTS.filter((endpoint) => endpoint.method !== 'GET' && endpoint.credentials !== 'sacrificial').map((endpoint) =>
    requestPlan(endpoint, fc.oneof(wellFormedMultipart, malformedMultipart)).map((plan) => ({
      endpoint,
      plan: {
        ...plan,
        // Aimed at the victim: its id or its post's id, however spelled.
        segment: endpoint.segment === 'user'
          ? ({ ref: 'victim' } as Segment)
          : endpoint.segment === 'post'
            ? { ref: 'victimPost' as const }
            : plan.segment,
      },
    })),
  ),
);

/** The same id written in ways a lenient parser could accept. */
const victimIdSpellings = (id: number) => [String(id), `0${id}`, `${id}.0`, `+${id}`, `${id}%20`, `%20${id}`, `${id}e0`, `0x${id.toString(16)}`, `${id}%00`, `${id}/`, `${id}%2F`, `${id}?skip=0`];

describe('the attacker never changes data it does not own', () => {
  it('attacks on the victim\'s account, post and picture are refused and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(attack, fc.nat({ max: 11 }), async ({ endpoint, plan }, spelling) => {
        const request = resolve(endpoint, plan);
        if (endpoint.segment) {
          const target = endpoint.segment === 'user' ? victim.id : victimPostId;
          request.url = request.url.replace(`/${target}`, `/${victimIdSpellings(target)[spelling]}`);
        }
        // A request left unanswered (a hang, reported by the properties above) changed nothing either: checked below.
        const response = await send(request).catch((error: unknown) => {
          if (error instanceof NoAnswerError) return null;
          throw error;
        });
        const where = response ? describeExchange(request, response) : `${request.method} ${request.url} -> no answer`;
        const aimedAtVictim = endpoint.segment !== undefined;
        // Writing to the victim's resources never succeeds...
        if (aimedAtVictim && response) expect(response.statusCode >= 200 && response.statusCode < 300, where).toBe(false);
        // ...and nothing the victim owns changed, whatever the request was.
        await expectVictimUnchanged(where);
      }),
      { numRuns: 150, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('a post created with the victim\'s user_id (or any other) belongs to its author', async () => {
    await fc.assert(
      fc.asyncProperty(validTitle, fc.oneof(hostileValue, fc.constant<unknown>(VICTIM_ID)), async (title, userId) => {
        const request: Sent = {
          method: 'POST',
          url: '/api/posts',
          headers: { ...attacker.headers, 'content-type': 'application/json' },
          payload: serialise({ json: { title, content: 'c', user_id: userId, author: { id: VICTIM_ID }, id: victimPostId }, contentType: 'application/json' }).payload,
        };
        const response = await send(request);
        const where = describeExchange(request, response);
        if (Buffer.byteLength(String(request.payload)) > JSON_BODY_LIMIT) {
          // A hostile value can make the body larger than any post: refused before it is read.
          expect(response.statusCode, where).toBe(413);
          await expectVictimUnchanged(where);
          return;
        }
        if (/"(__proto__|constructor)"/.test(String(request.payload))) {
          // Fastify refuses prototype poisoning outright; refused is fine, owned by someone else is not.
          expect([201, 422], where).toContain(response.statusCode);
          if (response.statusCode === 422) {
            expectApiContract(request, response);
            await expectVictimUnchanged(where);
            return;
          }
        }
        expect(response.statusCode, where).toBe(201);
        const post = JSON.parse(response.body) as { id: number; user_id: number; author: { id: number } };
        expect(post.user_id, where).toBe(attacker.id);
        expect(post.author.id, where).toBe(attacker.id);
        expect(post.id, where).not.toBe(victimPostId);
        const row = await app.db.selectFrom('posts').select('user_id').where('id', '=', post.id).executeTakeFirstOrThrow();
        expect(row.user_id, where).toBe(attacker.id);
        await expectVictimUnchanged(where);
      }),
      { numRuns: 40, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

// ---------------------------------------------------------------------------
// 3. Stored text comes back byte-for-byte
// ---------------------------------------------------------------------------

/** Asserts that `actual` is `expected`, byte for byte in UTF-8 (and so code unit for code unit). */
function expectSameText(actual: unknown, expected: string, label: string) {
  expect(typeof actual, label).toBe('string');
  const same = utf8(actual as string).equals(utf8(expected)) && actual === expected;
  expect(same, `${label}: sent ${JSON.stringify(expected.slice(0, 80))} (${codePointLength(expected)} code points), got ${JSON.stringify(String(actual).slice(0, 80))} (${codePointLength(String(actual))} code points)`).toBe(true);
}

async function readPost(id: number) {
  const response = await send({ method: 'GET', url: `/api/posts/${id}`, headers: {} });
  expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
  return JSON.parse(response.body) as PostBody;
}

async function postRow(id: number) {
  return app.db.selectFrom('posts').select(['title', 'content', 'user_id']).where('id', '=', id).executeTakeFirstOrThrow();
}

function jsonRequest(method: Method, url: string, headers: Headers, body: unknown): Sent {
  return { method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

describe('stored text comes back byte-for-byte', () => {
  it('POST /api/posts then GET /api/posts/{id}: any title (1..100 code points) and content (1..100,000)', async () => {
    await fc.assert(
      fc.asyncProperty(validTitle, validContent, async (title, content) => {
        const request = jsonRequest('POST', '/api/posts', author.headers, { title, content });
        const created = await send(request);
        expect(created.statusCode, describeExchange(request, created)).toBe(201);
        const body = JSON.parse(created.body) as PostBody;
        expectSameText(body.title, title, 'created title');
        expectSameText(body.content, content, 'created content');
        const read = await readPost(body.id);
        expectSameText(read.title, title, 'read title');
        expectSameText(read.content, content, 'read content');
        const row = await postRow(body.id);
        expectSameText(row.title, title, 'stored title');
        expectSameText(row.content, content, 'stored content');
        // Keep the database small: the author deletes its post.
        const deleted = await send({ method: 'DELETE', url: `/api/posts/${body.id}`, headers: author.headers });
        expect(deleted.statusCode).toBe(204);
      }),
      { numRuns: 120, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('PUT and PATCH /api/posts/{id}: the new text comes back exactly, the untouched field stays', async () => {
    const post = await createPost(app, author.headers, 'start', 'start');
    let current = { title: 'start', content: 'start' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ title: validTitle, content: validContent }).map((body) => ({ method: 'PUT' as const, body })),
          fc.record({ title: validTitle, content: validContent }, { requiredKeys: [] }).map((body) => ({ method: 'PATCH' as const, body })),
        ),
        async ({ method, body }) => {
          const request = jsonRequest(method, `/api/posts/${post.id}`, author.headers, body);
          const response = await send(request);
          expect(response.statusCode, describeExchange(request, response)).toBe(200);
          current = { ...current, ...body };
          const answered = JSON.parse(response.body) as PostBody;
          expectSameText(answered.title, current.title, `${method} answer title`);
          expectSameText(answered.content, current.content, `${method} answer content`);
          const read = await readPost(post.id);
          expectSameText(read.title, current.title, `${method} read title`);
          expectSameText(read.content, current.content, `${method} read content`);
          const row = await postRow(post.id);
          expectSameText(row.title, current.title, `${method} stored title`);
          expectSameText(row.content, current.content, `${method} stored content`);
        },
      ),
      { numRuns: 100, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('PATCH /api/users/{me}: any username (1..50 code points) comes back exactly', async () => {
    const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
    await fc.assert(
      fc.asyncProperty(validUsername, async (username) => {
        const request = jsonRequest('PATCH', `/api/users/${author.id}`, author.headers, { username });
        const response = await send(request);
        const where = describeExchange(request, response);
        if (response.statusCode === 400) {
          // Only a genuine case-insensitive clash with another user may refuse it.
          expect(JSON.parse(response.body), where).toEqual({ detail: 'Username already exists' });
          const others = await app.db.selectFrom('users').select(['id', 'username']).where('id', '!=', author.id).execute();
          expect(
            others.some((other) => other.username.toLowerCase() === username.toLowerCase() || asciiLower(other.username) === asciiLower(username)),
            where,
          ).toBe(true);
          return;
        }
        expect(response.statusCode, where).toBe(200);
        expectSameText((JSON.parse(response.body) as { username: string }).username, username, 'answered username');
        const read = await send({ method: 'GET', url: `/api/users/${author.id}`, headers: {} });
        expectSameText((JSON.parse(read.body) as { username: string }).username, username, 'read username');
        const me = await send({ method: 'GET', url: '/api/users/me', headers: author.headers });
        expectSameText((JSON.parse(me.body) as { username: string }).username, username, 'me username');
        const row = await app.db.selectFrom('users').select('username').where('id', '=', author.id).executeTakeFirstOrThrow();
        expectSameText(row.username, username, 'stored username');
      }),
      { numRuns: 100, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('NUL anywhere in a title, content or username is refused with 422 and stores nothing', async () => {
    const withNul = (text: fc.Arbitrary<string>) =>
      fc.tuple(text, fc.nat(), fc.integer({ min: 1, max: 3 })).map(([base, at, count]) => {
        const points = codePoints(base);
        const index = at % (points.length + 1);
        return [...points.slice(0, index), '\u0000'.repeat(count), ...points.slice(index)].join('');
      });
    const post = await createPost(app, author.headers, 'nul target', 'nul target');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('create-title', 'create-content', 'patch-title', 'patch-content', 'username'),
        withNul(validText(40)),
        async (where, text) => {
          const postsBefore = await app.db.selectFrom('posts').selectAll().where('user_id', '=', author.id).orderBy('id').execute();
          const userBefore = await app.db.selectFrom('users').selectAll().where('id', '=', author.id).executeTakeFirstOrThrow();
          let request: Sent;
          let loc: string[];
          switch (where) {
            case 'create-title':
              request = jsonRequest('POST', '/api/posts', author.headers, { title: text, content: 'ok' });
              loc = ['body', 'title'];
              break;
            case 'create-content':
              request = jsonRequest('POST', '/api/posts', author.headers, { title: 'ok', content: text });
              loc = ['body', 'content'];
              break;
            case 'patch-title':
              request = jsonRequest('PATCH', `/api/posts/${post.id}`, author.headers, { title: text });
              loc = ['body', 'title'];
              break;
            case 'patch-content':
              request = jsonRequest('PATCH', `/api/posts/${post.id}`, author.headers, { content: text });
              loc = ['body', 'content'];
              break;
            default:
              request = jsonRequest('PATCH', `/api/users/${author.id}`, author.headers, { username: text });
              loc = ['body', 'username'];
          }
          const response = await send(request);
          const exchange = describeExchange(request, response);
          expect(response.statusCode, exchange).toBe(422);
          expectApiContract(request, response);
          const detail = (JSON.parse(response.body) as { detail: Array<{ loc: string[]; type: string }> }).detail;
          expect(detail.map((item) => item.loc), exchange).toContainEqual(loc);
          expect(await app.db.selectFrom('posts').selectAll().where('user_id', '=', author.id).orderBy('id').execute(), exchange).toEqual(postsBefore);
          expect(await app.db.selectFrom('users').selectAll().where('id', '=', author.id).executeTakeFirstOrThrow(), exchange).toEqual(userBefore);
        },
      ),
      { numRuns: 60, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('over-long text (counted in code points) is refused with 422; exactly the limit is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(textUnit, fc.constantFrom('title', 'content', 'username'), fc.integer({ min: 1, max: 50 }), async (unit, field, over) => {
        const limit = field === 'title' ? 100 : field === 'content' ? 100_000 : 50;
        const atLimit = repeatToCodePoints(unit, limit);
        const pastLimit = repeatToCodePoints(unit, limit + over);
        const send2 = (text: string) =>
          field === 'username'
            ? jsonRequest('PATCH', `/api/users/${author.id}`, author.headers, { username: text })
            : jsonRequest('POST', '/api/posts', author.headers, field === 'title' ? { title: text, content: 'c' } : { title: 't', content: text });
        const refusedRequest = send2(pastLimit);
        const refused = await send(refusedRequest);
        expect(refused.statusCode, describeExchange(refusedRequest, refused)).toBe(422);
        expectApiContract(refusedRequest, refused);
        const acceptedRequest = send2(atLimit);
        const accepted = await send(acceptedRequest);
        const where = describeExchange(acceptedRequest, accepted);
        if (field === 'username') {
          if (accepted.statusCode === 400) return; // a clash with another user's name (same repeated unit)
          expect(accepted.statusCode, where).toBe(200);
          expectSameText((JSON.parse(accepted.body) as { username: string }).username, atLimit, 'username at the limit');
        } else {
          expect(accepted.statusCode, where).toBe(201);
          const body = JSON.parse(accepted.body) as PostBody;
          expectSameText(field === 'title' ? body.title : body.content, atLimit, `${field} at the limit`);
          await send({ method: 'DELETE', url: `/api/posts/${body.id}`, headers: author.headers });
        }
      }),
      { numRuns: 40, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  // JSON.stringify escapes a lone surrogate ("\ud800"), JSON.parse restores it:
  // the server receives it intact. It is not Unicode text, so the server may
  // refuse it (4xx); what it must not do is store something else.
  it('text with lone surrogates is either stored exactly or refused with a 4xx, never altered', async () => {
    const withLoneSurrogate = fc
      .tuple(validText(30), loneSurrogateString, fc.nat())
      .map(([base, bad, at]) => {
        const points = codePoints(base);
        const index = at % (points.length + 1);
        return takeCodePoints([...points.slice(0, index), bad, ...points.slice(index)].join(''), 50);
      })
      .filter(hasLoneSurrogate);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('title', 'content', 'username'), withLoneSurrogate, async (field, text) => {
        const request =
          field === 'username'
            ? jsonRequest('PATCH', `/api/users/${author.id}`, author.headers, { username: text })
            : jsonRequest('POST', '/api/posts', author.headers, field === 'title' ? { title: text, content: 'c' } : { title: 't', content: text });
        const response = await send(request);
        const where = describeExchange(request, response);
        expectApiContract(request, response);
        if (response.statusCode >= 400) return; // refused cleanly
        const answered = JSON.parse(response.body) as Record<string, unknown>;
        const stored =
          field === 'username'
            ? (await app.db.selectFrom('users').select('username').where('id', '=', author.id).executeTakeFirstOrThrow()).username
            : (await postRow(answered.id as number))[field as 'title' | 'content'];
        expect({ sent: text, answered: answered[field], stored }, where).toEqual({ sent: text, answered: text, stored: text });
      }),
      { numRuns: 40, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('a JSON body that is not valid UTF-8 is refused, never stored with its bytes replaced', async () => {
    const invalidSequence = fc.constantFrom([0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3]);
    const safePrefix = fc.string({ unit: fc.constantFrom(...'abc XYZ é😀<>'.split('')), maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(safePrefix, invalidSequence, safePrefix, fc.constantFrom('title', 'content'), async (before, bad, after, field) => {
        const titleBytes = Buffer.concat([utf8(before), Buffer.from(bad), utf8(after)]);
        const other = field === 'title' ? 'content' : 'title';
        const payload = Buffer.concat([utf8(`{"${other}":"ok","${field}":"`), titleBytes, utf8('"}')]);
        const request: Sent = { method: 'POST', url: '/api/posts', headers: { ...author.headers, 'content-type': 'application/json' }, payload };
        const response = await send(request);
        const where = `${describeExchange(request, response)}\n  ${field} bytes sent: ${titleBytes.toString('hex')}`;
        expectApiContract(request, response);
        if (response.statusCode >= 400) return;
        const id = (JSON.parse(response.body) as PostBody).id;
        const stored = (await postRow(id))[field];
        expect(utf8(stored).toString('hex'), where).toBe(titleBytes.toString('hex'));
      }),
      { numRuns: 30, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

// ---------------------------------------------------------------------------
// 4. Web forms: never a 5xx, never an echo of markup
// ---------------------------------------------------------------------------

/**
 * Markup that came from the input unescaped: a <script> whose text carries the
 * marker, a tag of a kind the payloads inject (script, img, svg, iframe) that
 * carries it, an event-handler attribute carrying it, or a comment made by the
 * input. Attribute values are read as the browser reads them, so an escaped
 * payload inside value="..." is not mistaken for an attribute of its own.
 */
function unescapedEcho(html: string): string | null {
  const script = new RegExp(`<script\\b[^>]*>[^<]*${XSS}`, 'i').exec(html);
  if (script) return script[0];
  const comment = new RegExp(`<!--[^>]*${XSS}`).exec(html);
  if (comment) return comment[0];
  for (const tag of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?)*)\s*\/?>/g)) {
    const [whole, name = '', attributes = ''] = tag;
    if (/^(script|img|svg|iframe)$/i.test(name) && whole.includes(XSS)) return whole;
    for (const attribute of attributes.matchAll(/\s+([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?/g)) {
      const [, attributeName = '', value = ''] = attribute;
      if (/^on/i.test(attributeName) && value.includes(XSS)) return whole;
      if (attributeName.includes(XSS)) return whole;
    }
  }
  return null;
}

function expectPageContract(request: Sent, response: Answer, values: string[]) {
  const where = describeExchange(request, response);
  expect(response.statusCode, where).toBeLessThan(500);
  const type = String(response.headers['content-type'] ?? '');
  if (response.statusCode >= 300 && response.statusCode < 400) {
    // Redirects stay on this site.
    const location = String(response.headers.location);
    expect(location, where).toMatch(/^\/(?![/\\])/);
    return;
  }
  if (type.startsWith('application/json')) {
    expect(() => JSON.parse(response.body), where).not.toThrow();
    return;
  }
  if (response.statusCode === 204) return;
  expect(type, where).toMatch(/^text\/html/);
  expect(unescapedEcho(response.body), where).toBeNull();
  // A value with markup characters never appears verbatim: it was escaped.
  for (const value of values) {
    if (value.includes(XSS) && /[<>"]/.test(value)) expect(response.body.includes(value), `${where}\n  echoed: ${value}`).toBe(false);
  }
}

const formValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HTML_PAYLOADS) },
  { weight: 3, arbitrary: hostileString.filter((text) => text.length < 30_000) },
  { weight: 1, arbitrary: fc.constantFrom('/account', '//evil.example', '/\\evil.example', 'https://evil.example', '/%2F%2Fevil.example', '/\t/evil.example', 'javascript:alert(1)') },
);

interface FormPlan {
  pairs: Array<[string, string]>;
  raw: string | null;
  accept: string | null;
  site: string | null;
  cookie: 'none' | 'attacker' | 'garbage';
  validRegistration: boolean;
}

function formPlan(keys: string[]): fc.Arbitrary<FormPlan> {
  return fc.record({
    pairs: fc.array(
      fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString) }), formValue),
      { maxLength: 7 },
    ),
    raw: fc.option(fc.constantFrom('%', 'email=%ZZ', 'email=%E0%A4%A&password=%FF', '&&&==&', 'email', `email=${'x'.repeat(20_000)}`, '=', 'email=%00&password=%00'), { freq: 6 }),
    accept: fc.option(fc.constantFrom('application/json', 'text/html', '*/*', 'application/json, text/html'), { freq: 2 }),
    site: fc.oneof({ weight: 6, arbitrary: fc.constant('same-origin') }, { weight: 1, arbitrary: fc.constantFrom<string | null>('cross-site', 'none', 'same-site', null) }),
    cookie: fc.constantFrom('none', 'none', 'attacker', 'garbage'),
    validRegistration: fc.boolean(),
  });
}

function formRequest(url: string, plan: FormPlan, pairs: Array<[string, string]>): Sent {
  const headers: Headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (plan.accept) headers.accept = plan.accept;
  if (plan.site) headers['sec-fetch-site'] = plan.site;
  if (plan.cookie === 'attacker') headers.cookie = `session=${attacker.token}`;
  if (plan.cookie === 'garbage') headers.cookie = 'session=garbage';
  return { method: 'POST', url, headers, payload: plan.raw ?? new URLSearchParams(pairs).toString() };
}

describe('web form posts under hostile input', () => {
  it('POST /login: never a 5xx, no markup echoed, redirects stay on this site', async () => {
    await fc.assert(
      fc.asyncProperty(formPlan(['email', 'password', 'next']), async (plan) => {
        const request = formRequest('/login', plan, plan.pairs);
        expectPageContract(request, await send(request), plan.pairs.map(([, value]) => value));
      }),
      { numRuns: 80, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('POST /register: never a 5xx, no markup echoed, an accepted username is stored exactly', async () => {
    await fc.assert(
      fc.asyncProperty(formPlan(['username', 'email', 'password']), validUsername, async (plan, username) => {
        const email = `web-${randomUUID()}@example.com`;
        // Half the runs are a valid registration with a hostile username, so the success path is exercised too.
        const pairs: Array<[string, string]> = plan.validRegistration && plan.raw === null
          ? [['username', username], ['email', email], ['password', 'correct horse battery']]
          : plan.pairs;
        const request = formRequest('/register', plan, pairs);
        const response = await send(request);
        expectPageContract(request, response, pairs.map(([, value]) => value));
        if (plan.validRegistration && plan.raw === null && (response.statusCode === 303 || response.statusCode === 201)) {
          const row = await app.db.selectFrom('users').select('username').where('email', '=', email).executeTakeFirstOrThrow();
          expectSameText(row.username, username, 'registered username');
        }
      }),
      { numRuns: 60, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('POST /logout: never a 5xx, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(formPlan(['next']), async (plan) => {
        // Never the attacker's own session: a logout would revoke the token the other properties use.
        const request = formRequest('/logout', { ...plan, cookie: plan.cookie === 'attacker' ? 'garbage' : plan.cookie }, plan.pairs);
        expectPageContract(request, await send(request), []);
      }),
      { numRuns: 40, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

// ---------------------------------------------------------------------------
// Login endpoints with rate limiting on: hostile keys for the limiter too
// ---------------------------------------------------------------------------

describe('login endpoints with rate limiting on', () => {
  let limited: TestContext;
  beforeAll(async () => {
    limited = await createTestApp();
  }, 30_000);
  afterAll(async () => {
    await limited?.close();
  });

  it('POST /api/users/token and POST /login with hostile emails: never a 5xx; a 429 says when to retry', async () => {
    const email = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'toString', '', ' ', 'A@EXAMPLE.COM', 'a@example.com', '\u0000', 'x'.repeat(320)),
      hostileString.filter((text) => text.length <= 320),
    );
    await fc.assert(
      fc.asyncProperty(email, fc.constantFrom('/api/users/token', '/login'), fc.constantFrom('1.2.3.4', '::1', '127.0.0.1'), async (username, url, ip) => {
        const form: Record<string, string> = url === '/login' ? { email: username, password: 'wrong password' } : { username, password: 'wrong password' };
        const request: Sent = {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', 'x-forwarded-for': ip },
          payload: new URLSearchParams(form).toString(),
        };
        const raw = await limited.app.inject({ method: 'POST', url, headers: request.headers, payload: request.payload, remoteAddress: ip });
        const response: Answer = { statusCode: raw.statusCode, headers: raw.headers, body: raw.body, rawPayload: raw.rawPayload };
        const where = describeExchange(request, response);
        expect(response.statusCode, where).toBeLessThan(500);
        expect([401, 422, 429], where).toContain(response.statusCode);
        if (url === '/api/users/token') expectApiContract(request, response);
        if (response.statusCode === 429) expect(String(response.headers['retry-after']), where).toMatch(/^[1-9]\d*$/);
      }),
      { numRuns: 40, interruptAfterTimeLimit: INTERRUPT_AFTER, markInterruptAsFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

// ---------------------------------------------------------------------------
// After everything above: the victim's data is exactly as it was
// ---------------------------------------------------------------------------

describe('after every property above', () => {
  it('the victim\'s account, post, post list, picture and database rows are unchanged', async () => {
    await expectVictimUnchanged('victim state after all hostile properties');
    // The snapshot itself is meaningful: the victim still has its post and picture.
    expect(snapshot.api.post?.status).toBe(200);
    expect(snapshot.picture.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshot.rows.posts).toHaveLength(1);
  });
});
