// Hostile path segments and query strings. A segment is drawn as a plan: a
// live id (resolved at run time) or raw text.
import fc from 'fast-check';
import { hasLoneSurrogate } from './material.js';
import { hostileString } from './values.js';
import { idOf, type Ref } from './world.js';

export type Segment = { ref: Ref } | { raw: string };

const WELL_FORMED_SEGMENTS = [
  '%00',
  '%2e%2e%2f',
  '..%2F..%2Fetc%2Fpasswd',
  '-1',
  '0',
  '1e9',
  '1E3',
  '١',
  '٣',
  '%D9%A1',
  '１',
  '0x10',
  '+1',
  '%201',
  '1%20',
  '1.0',
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '99999999999999999999',
  '2147483648',
  '2147483647',
  '9007199254740993',
  '-0',
  '00000000000000000001',
  'null',
  'undefined',
  'true',
  '%5B%5D',
  '%7B%7D',
  '%E2%80%AE1',
  '%EF%BC%91',
  '1%27%20OR%20%271%27%3D%271',
  '1%3B%20DROP%20TABLE%20posts',
  '__proto__',
  'constructor',
  'me',
  '%3Cscript%3E',
  '1%00',
  '1%0A',
  '%20',
];

/** Path segments that are valid URL components of at most 100 characters. */
export const hostileSegment: fc.Arbitrary<Segment> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<Ref>('victim', 'attacker', 'victimPost', 'attackerPost').map((ref) => ({ ref })),
  },
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
export const malformedSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%Z', '%ZZ', '%F0%9F', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%%30', '1%', '%u0031'),
  fc.integer({ min: 101, max: 5_000 }).map((n) => '9'.repeat(n)),
  fc
    .tuple(fc.constantFrom('%F0%9F%98%80', '%00', 'a', '%E2%80%AE', '%2e%2e%2f'), fc.integer({ min: 101, max: 2_000 }))
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
);

const queryKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('skip', 'limit') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('skip[]', 'limit[0]', 'skip[a]', '__proto__', 'constructor', 'Skip', 'LIMIT', ''),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }).map(encodeURIComponent) },
);
const queryValue = fc.oneof(
  fc.constantFrom(
    ...WELL_FORMED_SEGMENTS,
    '%',
    '%ZZ',
    '%F0%9F',
    '100',
    '101',
    '1000000000',
    '1000000001',
    '',
    '10&limit=5',
  ),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.double().map(String),
  hostileString.filter((text) => !hasLoneSurrogate(text) && text.length < 2_000).map(encodeURIComponent),
);
/** A query string: any keys (repeated or not), any values, encoded or raw. */
export const hostileQuery = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`));

export const segmentText = (segment: Segment) => ('ref' in segment ? String(idOf(segment.ref)) : segment.raw);

/** The id the server would read from a path segment (a plain decimal integer, as src/plugins/validation.ts converts it), or null. */
export function idInSegment(segment: Segment): number | null {
  let text: string;
  try {
    text = decodeURIComponent(segmentText(segment));
  } catch {
    return null;
  }
  return /^-?\d{1,20}$/.test(text) ? Number(text) : null;
}
