// Request bodies as plans: JSON objects with valid or hostile fields and
// extra keys, any JSON value, raw bytes under any content type, and form
// bodies with any keys and malformed encodings.
import fc from 'fast-check';
import { HTML_PAYLOADS } from './material.js';
import { hostileString, hostileValue, objectOf, PROTO_KEYS } from './values.js';
import { VICTIM_ID } from './world.js';

export type BodyPlan =
  { json: unknown; contentType: string } | { raw: string | Uint8Array; contentType: string | null };

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

const EXTRA_KEYS = [
  ...PROTO_KEYS,
  'user_id',
  'id',
  'author',
  'date_posted',
  'image_file',
  'email',
  'password_hash',
  'token_version',
  'is_admin',
];

export function jsonBodyPlan(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<BodyPlan> {
  const fieldValues = Object.fromEntries(
    Object.entries(fields).map(([name, valid]) => [
      name,
      fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: hostileValue }),
    ]),
  );
  const extras = fc.array(
    fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.oneof(hostileValue, fc.constant<unknown>(VICTIM_ID))),
    {
      maxLength: 3,
    },
  );
  const object = fc
    .tuple(fc.record(fieldValues, { requiredKeys: [] }), extras)
    .map(([values, extra]) => objectOf([...Object.entries(values), ...extra]));
  const jsonTypes = fc.constantFrom(...JSON_CONTENT_TYPES.slice(0, 2));
  const asJson = ([json, contentType]: [unknown, string]) => ({ json, contentType });
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(object, jsonTypes).map(asJson) },
    { weight: 1, arbitrary: fc.tuple(hostileValue, jsonTypes).map(asJson) },
    { weight: 1, arbitrary: fc.tuple(object, fc.constantFrom(...JSON_CONTENT_TYPES)).map(asJson) },
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
export function formBodyPlan(keys: string[]): fc.Arbitrary<BodyPlan> {
  const [first = '', second = ''] = keys;
  const pair = fc.tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...keys) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_KEYS, `${first}[]`), hostileString) },
    ),
    fc.oneof(hostileString, fc.constantFrom(...HTML_PAYLOADS)),
  );
  const malformed = fc.constantFrom(
    '%',
    'a=%ZZ',
    `${first}=%E0%A4%A`,
    '&&&==&',
    first,
    `${first}=${'x'.repeat(20_000)}`,
    '=',
    `${first}=%00&${second}=%00`,
  );
  const formTypes = fc.constantFrom<string | null>(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-16',
    null,
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(pair, { maxLength: 6 }).map((pairs) => ({
        raw: new URLSearchParams(pairs).toString(),
        contentType: 'application/x-www-form-urlencoded',
      })),
    },
    { weight: 1, arbitrary: fc.tuple(malformed, formTypes).map(([raw, contentType]) => ({ raw, contentType })) },
    { weight: 1, arbitrary: jsonBodyPlan(Object.fromEntries(keys.map((key) => [key, hostileString]))) },
  );
}

/** The payload and content type a body plan stands for. */
export function serialise(plan: BodyPlan | null | undefined): { payload?: string | Buffer; contentType?: string } {
  if (!plan) return {};
  if ('json' in plan) {
    // JSON.stringify gives undefined for a value JSON cannot hold.
    const text = JSON.stringify(plan.json) as string | undefined;
    return { payload: text ?? 'null', contentType: plan.contentType };
  }
  const payload = typeof plan.raw === 'string' ? plan.raw : Buffer.from(plan.raw);
  return plan.contentType === null ? { payload } : { payload, contentType: plan.contentType };
}
