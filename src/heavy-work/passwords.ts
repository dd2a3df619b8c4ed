// Argon2id through the native `argon2` module: hashing runs on libuv's thread
// pool, so the event loop keeps serving while a password is checked.
import argon2 from 'argon2';
import { heavyWork } from './index.js';

// OWASP's first recommended Argon2id setting (19 MiB, 2 passes, 1 lane).
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return heavyWork(() => argon2.hash(password, HASH_OPTIONS));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await heavyWork(() => argon2.verify(hash, password));
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}
