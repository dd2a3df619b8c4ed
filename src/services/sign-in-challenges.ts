// The web login's second step. Between the password and the code the browser
// holds only this: a token signed with a key of its own (so it can never pass
// for an access token), naming the user and their token version, that expires
// in minutes. It is no session: it proves the password was right, nothing more,
// and a password change ends it like every other token.
import { jwtVerify, SignJWT } from 'jose';
import { deriveKey } from './secret-box.js';

const ALGORITHM = 'HS256';
export const SIGN_IN_CHALLENGE_MINUTES = 5;

export interface SignInChallenge {
  userId: number;
  version: number;
}

export function createSignInChallenges(secretKey: string, now: () => number = Date.now) {
  const key = deriveKey(secretKey, 'sign-in challenge');
  return {
    issue(user: { id: number; token_version: number }): Promise<string> {
      return new SignJWT({ ver: user.token_version })
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(String(user.id))
        .setIssuedAt(Math.floor(now() / 1000))
        .setExpirationTime(Math.floor(now() / 1000) + SIGN_IN_CHALLENGE_MINUTES * 60)
        .sign(key);
    },

    /** The challenge of a token signed here and unexpired; null otherwise. */
    async verify(token: string): Promise<SignInChallenge | null> {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          requiredClaims: ['sub', 'exp'],
          currentDate: new Date(now()),
        });
        const userId = Number(payload.sub);
        if (!Number.isSafeInteger(userId) || typeof payload.ver !== 'number') return null;
        return { userId, version: payload.ver };
      } catch {
        return null;
      }
    },
  };
}

export type SignInChallenges = ReturnType<typeof createSignInChallenges>;
