// The pieces of two-factor sign-in that need no app: TOTP against RFC 6238's
// own test vectors and Debian's oathtool, and the sealing of secrets.
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/services/secret-box.js';
import { totpStep } from '../../src/services/two-factor.js';
import { oathtoolCode } from '../helpers/index.js';

// RFC 6238 appendix B, SHA-1: the secret is the ASCII "12345678901234567890".
const RFC_SECRET = Buffer.from('12345678901234567890').toString('hex');
const base32 = (hex: string) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...Buffer.from(hex, 'hex')].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk.padEnd(5, '0'), 2)]).join('');
};
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP codes', () => {
  const secret = base32(RFC_SECRET);

  it.each(RFC_VECTORS)('match RFC 6238 at T = %i s (eight digits, and the six an app shows)', (seconds, code) => {
    const step = Math.floor(seconds / 30);
    expect(totpStep(secret, code, seconds * 1000, 8)).toBe(step);
    expect(totpStep(secret, code.slice(2), seconds * 1000)).toBe(step);
  });

  it('match what oathtool makes, one step either side and no further', async () => {
    const at = Date.UTC(2026, 0, 1, 12, 0, 15);
    const step = Math.floor(at / 30_000);
    for (const offset of [-1, 0, 1]) {
      const code = await oathtoolCode(secret, at + offset * 30_000);
      expect(totpStep(secret, code, at)).toBe(step + offset);
    }
    for (const offset of [-2, 2])
      expect(totpStep(secret, await oathtoolCode(secret, at + offset * 30_000), at)).toBe(null);
  });
});

describe('sealed secrets', () => {
  const box = createSecretBox('a-secret-key-that-is-long-enough-for-tests', 'two-factor secret');

  it('open with the same key and context only', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user:1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'user:1')).not.toBe(sealed);
    expect(box.open(sealed, 'user:1')).toBe('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'user:2')).toBe(null);
    expect(createSecretBox('another-secret-key-that-is-long-enough', 'two-factor secret').open(sealed, 'user:1')).toBe(
      null,
    );
    expect(
      createSecretBox('a-secret-key-that-is-long-enough-for-tests', 'another purpose').open(sealed, 'user:1'),
    ).toBe(null);
  });

  it('refuse a changed or malformed value', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user:1');
    const [version, iv, body = ''] = sealed.split('.');
    const flipped = (body.startsWith('A') ? 'B' : 'A') + body.slice(1);
    expect(box.open(`${version}.${iv}.${flipped}`, 'user:1')).toBe(null);
    for (const bad of ['', 'v1', 'v2.a.b', `${sealed}.x`, 'v1.AAAA.AAAA']) expect(box.open(bad, 'user:1')).toBe(null);
  });
});
