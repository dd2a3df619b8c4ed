// Who a hostile request claims to be: the attacker's own token or cookie,
// nothing, garbage, tokens forged in the victim's name, or any header value.
import fc from 'fast-check';
import type { Headers } from '../../helpers/index.js';
import { headerSafe } from './material.js';
import { world } from './world.js';

export type Credential =
  | {
      kind:
        | 'attacker'
        | 'none'
        | 'garbage'
        | 'cookie'
        | 'cookie-same-origin'
        | 'forged-none'
        | 'forged-key'
        | 'forged-alg'
        | 'expired-victim';
    }
  | { kind: 'authorization'; value: string }
  | { kind: 'cookie-raw'; value: string };

const hostileAuthorization = fc
  .oneof(
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
  )
  .filter(headerSafe);

const hostileCookie = fc
  .string({ unit: 'binary-ascii', maxLength: 100 })
  .map((text) => `session=${text}`)
  .filter(headerSafe);

export const credential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'attacker' as const }) },
  {
    weight: 5,
    arbitrary: fc
      .constantFrom(
        ...([
          'none',
          'garbage',
          'cookie',
          'cookie-same-origin',
          'forged-none',
          'forged-key',
          'forged-alg',
          'expired-victim',
        ] as const),
      )
      .map((kind) => ({ kind })),
  },
  { weight: 1, arbitrary: hostileAuthorization.map((value) => ({ kind: 'authorization' as const, value })) },
  { weight: 1, arbitrary: hostileCookie.map((value) => ({ kind: 'cookie-raw' as const, value })) },
);

export function credentialHeaders(credential: Credential): Headers {
  const { attacker, forged } = world();
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

export const actsAsAttacker = (credential: Credential) =>
  credential.kind === 'attacker' || credential.kind === 'cookie-same-origin';
