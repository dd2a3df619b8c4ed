// ARGON2_*: how passwords are hashed. The defaults are RFC 9106's second
// recommendation; a value set here may be stronger or, within reason, cheaper
// (at least 8 MiB: below that it is hardly a memory-hard hash).
import { DEFAULT_ARGON2, type Argon2Settings } from '../heavy-work/passwords.js';
import { readInteger, type Env } from './read.js';

export function readArgon2(env: Env): Argon2Settings {
  return {
    memoryKib: readInteger(env, 'ARGON2_MEMORY_KIB', DEFAULT_ARGON2.memoryKib, 8192, 4_194_304),
    timeCost: readInteger(env, 'ARGON2_TIME_COST', DEFAULT_ARGON2.timeCost, 1, 100),
    parallelism: readInteger(env, 'ARGON2_PARALLELISM', DEFAULT_ARGON2.parallelism, 1, 64),
  };
}
