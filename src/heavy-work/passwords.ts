// Argon2id through the native `argon2` module: hashing runs on libuv's thread
// pool, so the event loop keeps serving while a password is checked.
import argon2 from 'argon2';
import { heavyWork } from './index.js';

export interface Argon2Settings {
  /** Memory per hash, KiB (ARGON2_MEMORY_KIB). */
  memoryKib: number;
  /** Passes over that memory (ARGON2_TIME_COST). */
  timeCost: number;
  /** Lanes, each on its own thread (ARGON2_PARALLELISM). */
  parallelism: number;
}

/**
 * RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), which is
 * also what pwdlib and argon2-cffi use by default: no weaker than the Python
 * stacks this blog is measured against.
 */
export const DEFAULT_ARGON2: Argon2Settings = { memoryKib: 65_536, timeCost: 3, parallelism: 4 };

export function createPasswordHasher(settings: Argon2Settings) {
  const options = {
    type: argon2.argon2id,
    memoryCost: settings.memoryKib,
    timeCost: settings.timeCost,
    parallelism: settings.parallelism,
  } as const;
  const hash = (password: string): Promise<string> => heavyWork(() => argon2.hash(password, options));
  let dummy: Promise<string> | undefined;

  return {
    hash,

    async verify(stored: string, password: string): Promise<boolean> {
      try {
        return await heavyWork(() => argon2.verify(stored, password));
      } catch {
        return false; // a malformed stored hash never authenticates
      }
    },

    /** Whether a stored hash was made with other parameters (or another variant) than today's. */
    needsRehash(stored: string): boolean {
      try {
        return !stored.startsWith('$argon2id$') || argon2.needsRehash(stored, options);
      } catch {
        return true;
      }
    },

    /**
     * A hash made with today's parameters, checked when a login names no
     * account, so that such a login costs what a real one does. Made once, on
     * first use.
     */
    dummyHash: (): Promise<string> => (dummy ??= hash('not a real password: equalises login timing')),
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
