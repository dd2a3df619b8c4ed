// Configuration: environment variables, then a `.env` file, validated once at
// start-up. Every value has a parser that names the variable and the rule it
// broke, so a typo stops the server with one clear line instead of a stack trace.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { isPostgresUrl } from './db/url.js';
import type { S3Settings } from './storage/s3-picture-store.js';

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` or a postgres:// URL. */
  databaseUrl: string;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  secretKey: string;
  accessTokenExpireMinutes: number;
  maxUploadSizeBytes: number;
  postsPerPage: number;
  rateLimitEnabled: boolean;
  rateLimits: {
    /** Failed logins allowed per account and per client address in one window. */
    loginFailures: number;
    loginWindowSeconds: number;
    /** Registrations allowed per client address in one window. */
    registrations: number;
    registrationWindowSeconds: number;
  };
  /** Where pictures are stored: the local media directory, or an S3-compatible bucket when S3_BUCKET is set. */
  s3?: S3Settings;
  /** Fastify's trustProxy: false, true, or a comma-separated list of proxy addresses/subnets. */
  trustProxy: boolean | string;
  /** Processes serving the port (node:cluster); 1 runs a single process. */
  workers: number;
  /** Exposes /__bench/metrics for the benchmark harness. */
  benchMetrics: boolean;
  /** A client must send its request headers within this time (slow-loris). */
  headersTimeoutMs: number;
  /** ... and its whole request within this one. */
  requestTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const SECRET_KEY_FILE = 'secret_key';
const MIN_SECRET_LENGTH = 32;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}")`);
}

function readChoice<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function readTrustProxy(env: Env): boolean | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^[0-9a-fA-F.:/, ]+$/.test(raw)) return raw;
  throw new ConfigError(`TRUST_PROXY must be true, false or a comma-separated list of proxy addresses (got "${raw}")`);
}

function readS3(env: Env): S3Settings | undefined {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) return undefined;
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  if (endpoint) {
    try {
      new URL(endpoint);
    } catch {
      throw new ConfigError(`S3_ENDPOINT must be a URL such as http://127.0.0.1:9000 (got "${endpoint}")`);
    }
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }
  let prefix = env.S3_PREFIX ?? 'profile_pics/';
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  return {
    bucket,
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    accessKeyId,
    secretAccessKey,
    // S3-compatible servers usually want path-style URLs; AWS prefers virtual hosts.
    forcePathStyle: readBoolean(env, 'S3_FORCE_PATH_STYLE', Boolean(endpoint)),
    prefix,
  };
}

function readDatabaseUrl(env: Env, dataDir: string): string {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return `sqlite:${path.join(dataDir, 'blog.db')}`;
  if (isPostgresUrl(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
    return raw;
  }
  if (raw.startsWith('sqlite:')) return raw;
  throw new ConfigError('DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got another scheme)');
}

/**
 * The signing key. Production must be given one; elsewhere one is generated
 * on first start and kept in DATA_DIR so that tokens survive restarts.
 */
function readSecretKey(env: Env, nodeEnv: Config['nodeEnv'], dataDir: string): string {
  const given = env.SECRET_KEY;
  if (given !== undefined && given !== '') {
    if (given.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`SECRET_KEY must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    return given;
  }
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'SECRET_KEY is required when NODE_ENV=production. ' +
        `Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  const file = path.join(dataDir, SECRET_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process started at the same moment and wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  return secret;
}

/** Reads `.env` (if present) under the real environment: real variables win. */
export function environmentWithDotEnv(env: Env = process.env, dotEnvPath = '.env'): Env {
  if (!existsSync(dotEnvPath)) return { ...env };
  const fromFile = parseEnv(readFileSync(dotEnvPath, 'utf8'));
  return { ...fromFile, ...env };
}

export function loadConfig(env: Env = environmentWithDotEnv()): Config {
  const nodeEnv = readChoice(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const host = env.HOST || '127.0.0.1';
  return {
    nodeEnv,
    port: readInteger(env, 'PORT', 8000, 0, 65535),
    host,
    dataDir,
    databaseUrl: readDatabaseUrl(env, dataDir),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    secretKey: readSecretKey(env, nodeEnv, dataDir),
    accessTokenExpireMinutes: readInteger(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 60 * 24 * 365),
    maxUploadSizeBytes: readInteger(env, 'MAX_UPLOAD_SIZE_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    postsPerPage: readInteger(env, 'POSTS_PER_PAGE', 10, 1, 100),
    rateLimitEnabled: readBoolean(env, 'RATE_LIMIT_ENABLED', true),
    rateLimits: {
      loginFailures: readInteger(env, 'RATE_LIMIT_LOGIN_FAILURES', 5, 1, 1_000_000),
      loginWindowSeconds: readInteger(env, 'RATE_LIMIT_LOGIN_WINDOW_SECONDS', 60, 1, 86_400),
      registrations: readInteger(env, 'RATE_LIMIT_REGISTRATIONS', 10, 1, 1_000_000),
      registrationWindowSeconds: readInteger(env, 'RATE_LIMIT_REGISTRATION_WINDOW_SECONDS', 3600, 1, 86_400),
    },
    trustProxy: readTrustProxy(env),
    benchMetrics: readBoolean(env, 'BENCH_METRICS', false),
    workers: readInteger(env, 'WORKERS', 1, 1, 64),
    s3: readS3(env),
    headersTimeoutMs: readInteger(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: readInteger(env, 'REQUEST_TIMEOUT_MS', 120_000, 100, 3_600_000),
    logLevel: readChoice(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
  };
}

/** For entry points: the configuration, or a one-line message and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
}
