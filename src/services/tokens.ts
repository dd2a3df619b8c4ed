// Access tokens: HS256 JWTs. Verification pins the algorithm, so "none" and
// asymmetric algorithms are refused before any signature check. Each token
// has an id (jti), so logout can revoke that one token, and the user's token
// version (ver), so a password change revokes all earlier ones.
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const ALGORITHM = 'HS256';

export interface TokenClaims {
  userId: number;
  jti: string;
  /** Epoch seconds. */
  expiresAt: number;
  version: number;
}

export interface TokenService {
  issue(user: { id: number; token_version: number }): Promise<string>;
  /** The claims of a token that is well-formed, correctly signed and unexpired; null otherwise. */
  verify(token: string): Promise<TokenClaims | null>;
}

export function createTokenService(secretKey: string, expireMinutes: number): TokenService {
  const key = new TextEncoder().encode(secretKey);
  return {
    issue(user) {
      return new SignJWT({ ver: user.token_version })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(String(user.id))
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${expireMinutes}m`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          requiredClaims: ['sub', 'exp', 'jti'],
        });
        const { sub, jti, exp, ver } = payload;
        if (typeof sub !== 'string' || !/^[1-9]\d{0,15}$/.test(sub)) return null;
        if (typeof jti !== 'string' || jti.length > 64 || typeof exp !== 'number') return null;
        if (typeof ver !== 'number' || !Number.isSafeInteger(ver)) return null;
        return { userId: Number(sub), jti, expiresAt: exp, version: ver };
      } catch {
        return null;
      }
    },
  };
}
