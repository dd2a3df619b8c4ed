// Arbitraries of values: hostile strings, numbers and JSON values of any
// shape (prototype keys, deep nesting), and the valid text the contract
// accepts, built by code points.
import fc from 'fast-check';
import { ATOMS, fromCodePoints, repeatToCodePoints, takeCodePoints, TEXT_ATOMS } from './material.js';

export const loneSurrogateString = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
      fc.constantFrom('a', '😀', ' '),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Up to 200,000 UTF-16 units of one hostile unit (may cut a pair in two: hostile too). */
const longString = fc
  .tuple(
    fc.constantFrom(
      'a',
      'é',
      '😀',
      '\u0000',
      '<script>',
      '\u200B',
      '🏳️‍🌈',
      "'; DROP TABLE posts; --",
      '\uD800',
      'e\u0301',
      '9',
    ),
    fc.integer({ min: 101, max: 200_000 }),
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
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
  fc.constantFrom(
    1e308,
    -1e308,
    -0,
    0,
    1,
    -1,
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 53,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    0.1,
    1e21,
    1.5,
  ),
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((big) => Number(big)),
);

export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '$where',
  '$gt',
  '',
];

/** An object whose keys, `__proto__` included, are its own enumerable properties (as JSON.parse makes them). */
export function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return object;
}

const hostileKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, 'title', 'content', 'username', 'email', 'password', 'user_id', 'id'),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

/** 50 to 2,000 levels of objects or arrays (the raw bodies nest 50,000 and 100,000 deep). */
const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 2_000 }), fc.constantFrom('object', 'array', 'proto'))
  .map(([depth, kind]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i += 1) {
      value = kind === 'array' ? [value] : kind === 'proto' ? objectOf([['__proto__', value]]) : { a: value };
    }
    // fast-check prints a counterexample recursively: describe this one in a line instead.
    Object.defineProperty(value as object, fc.toStringMethod, {
      value: () => `<${kind} nested ${depth} deep>`,
      enumerable: false,
    });
    return value;
  });

export const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
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
const SPECIAL_CODE_POINTS = [
  0x01, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0xa0, 0xad, 0x301, 0x200b, 0x200d, 0x202e, 0x2028, 0xfeff, 0xfffd, 0xfffe,
  0xffff, 0x1f600, 0x1f3f3, 0xe0001, 0x10ffff,
];
const validCodePoint = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0x01, max: 0x7f }) },
  { weight: 3, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }) },
  { weight: 2, arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CODE_POINTS) },
);
export const textUnit = fc.oneof(
  fc.array(validCodePoint, { minLength: 1, maxLength: 8 }).map(fromCodePoints),
  fc.constantFrom(...TEXT_ATOMS),
);

/** Well-formed text of 1..max code points, without NUL: what the contract accepts. */
export function validText(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      {
        weight: 3,
        arbitrary: fc.array(validCodePoint, { minLength: 1, maxLength: Math.min(max, 120) }).map(fromCodePoints),
      },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) }) },
      { weight: 2, arbitrary: fc.array(textUnit, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) },
      { weight: 1, arbitrary: textUnit.map((unit) => repeatToCodePoints(unit, max)) }, // exactly at the limit
      {
        weight: 1,
        arbitrary: fc.tuple(textUnit, fc.integer({ min: 1, max })).map(([unit, n]) => repeatToCodePoints(unit, n)),
      },
    )
    .map((text) => takeCodePoints(text, max))
    .filter((text) => text.length > 0 && !text.includes('\u0000'));
}

export const validTitle = validText(100);
export const validContent = validText(100_000);
export const validUsername = validText(50);
export const validEmail = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 1, maxLength: 12 })
  .map((local) => `${local}@Example.com`);
export const validPassword = fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 });
