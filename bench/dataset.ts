// Conventions of the benchmark data set, shared by the seeder and the orchestrator.

/** Every seeded user has this password (one Argon2id hash, computed once, reused). */
export const BENCH_PASSWORD = 'bench password 123';

const width = (users: number) => Math.max(4, String(users).length);

/** user0001, user0002, ... (1-based, as the seeded ids). */
export const benchUsername = (i: number, users: number) => `user${String(i).padStart(width(users), '0')}`;

/** Lower-cased, as the application stores emails. */
export const benchEmail = (i: number, users: number) => `${benchUsername(i, users)}@bench.example`;

export interface SeedSummary {
  file: string;
  users: number;
  posts: number;
  /** Posts ids are 1..posts in a fresh database, users ids 1..users. */
  seconds: number;
  bytes: number;
}

/** mulberry32: a small seeded PRNG, so every run draws the same data and request sequences. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A word in a few posts only (every RARE_WORD_EVERY-th): the rare search. */
export const RARE_WORD = 'zephyr';
export const RARE_WORD_EVERY = 997;
/** A word in about half the posts: the common search. */
export const COMMON_WORD = 'the';
/** The post whose content is long Markdown (headings, lists, tables, code, links). */
export const LONG_POST_ID = 1;
