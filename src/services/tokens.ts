// Access tokens: HS256 JWTs. Verification pins the algorithm, so "none" and
// asymmetric algorithms are refused before any signature check.
import { jwtVerify, SignJWT } from 'jose';

const ALGORITHM = 'HS256';

export interface TokenService {
  issue(userId: number): Promise<string>;
  /** The user id the token was issued for, or null if it is not a valid token now. */
  verify(token: string): Promise<number | null>;
}

export function createTokenService(secretKey: string, expireMinutes: number): TokenService {
  const key = new TextEncoder().encode(secretKey);
  return {
    issue(userId) {
      return new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuedAt()
        .setExpirationTime(`${expireMinutes}m`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], requiredClaims: ['sub', 'exp'] });
        const { sub } = payload;
        if (typeof sub !== 'string' || !/^[1-9]\d{0,15}$/.test(sub)) return null;
        return Number(sub);
      } catch {
        return null;
      }
    },
  };
}
