// Configuration: environment variables, then a `.env` file, validated once at
// start-up. Every value has a parser that names the variable and the rule it
// broke, so a typo stops the server with one clear line instead of a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Argon2Settings } from '../heavy-work/passwords.js';
import type { S3Settings } from '../storage/s3-picture-store.js';
import { ConfigError, readBoolean, readChoice, readInteger, type Env } from './read.js';
import { readArgon2 } from './passwords.js';
import { readSecretKey } from './secret-key.js';
import { readMail, readPublicUrl, readSiteName, type MailSettings } from './site.js';
import { readDatabaseUrl, readDataDir, readS3 } from './storage.js';

export { ConfigError } from './read.js';
export type { MailAddress, MailSettings } from './site.js';

export type RegistrationMode = 'open' | 'invite' | 'closed';

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** The site's public origin, e.g. `https://blog.example.com`: absolute links are built from it, never from Host. */
  publicUrl: string;
  siteName: string;
  mail: MailSettings;
  passwordResetExpireMinutes: number;
  /** Who may create an account: anyone, only an address an admin invited, or no one. */
  registration: RegistrationMode;
  /** How long an invitation's link works. */
  invitationExpireDays: number;
  dataDir: string;
  /** `sqlite:<file>` or a postgres:// URL. */
  databaseUrl: string;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  secretKey: string;
  /** How passwords are hashed (Argon2id); hashes made otherwise are upgraded at their next login. */
  argon2: Argon2Settings;
  accessTokenExpireMinutes: number;
  maxUploadSizeBytes: number;
  postsPerPage: number;
  rateLimitEnabled: boolean;
  rateLimits: {
    /** Failed logins allowed per account from one client address in one window. */
    loginFailures: number;
    loginWindowSeconds: number;
    /** ... per account from every address together (a guess spread over many). */
    loginAccountFailures: number;
    loginAccountWindowSeconds: number;
    /** ... per client address on every account together (credential stuffing); well above the others. */
    loginAddressFailures: number;
    loginAddressWindowSeconds: number;
    /** Registrations allowed per client address in one window. */
    registrations: number;
    registrationWindowSeconds: number;
    /** Password-reset requests allowed per client address and per email in one window. */
    passwordResets: number;
    passwordResetWindowSeconds: number;
  };
  /** Where pictures are stored: the local media directory, or an S3-compatible bucket when S3_BUCKET is set. */
  s3?: S3Settings;
  /** Fastify's trustProxy: false, true, or a comma-separated list of proxy addresses/subnets. */
  trustProxy: boolean | string;
  /** Processes serving the port (node:cluster); 1 runs a single process. */
  workers: number;
  /** Serves /metrics (Prometheus) to `Authorization: Bearer <this>`; unset, there is no /metrics. */
  metricsToken?: string;
  /** Exposes /__bench/metrics for the benchmark harness. */
  benchMetrics: boolean;
  /** A client must send its request headers within this time (slow-loris). */
  headersTimeoutMs: number;
  /** ... and its whole request within this one. */
  requestTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

function readTrustProxy(env: Env): boolean | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^[0-9a-fA-F.:/, ]+$/.test(raw)) return raw;
  throw new ConfigError(`TRUST_PROXY must be true, false or a comma-separated list of proxy addresses (got "${raw}")`);
}

const MIN_METRICS_TOKEN_LENGTH = 16;

function readMetricsToken(env: Env): string | undefined {
  const token = env.METRICS_TOKEN?.trim();
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long`);
  }
  return token;
}

/** Reads `.env` (if present) under the real environment: real variables win. */
export function environmentWithDotEnv(env: Env = process.env, dotEnvPath = '.env'): Env {
  if (!existsSync(dotEnvPath)) return { ...env };
  const fromFile = parseEnv(readFileSync(dotEnvPath, 'utf8'));
  return { ...fromFile, ...env };
}

export function loadConfig(env: Env = environmentWithDotEnv()): Config {
  const nodeEnv = readChoice(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const dataDir = readDataDir(env);
  const host = env.HOST || '127.0.0.1';
  const port = readInteger(env, 'PORT', 8000, 0, 65535);
  const publicUrl = readPublicUrl(env, host, port);
  const siteName = readSiteName(env);
  return {
    nodeEnv,
    port,
    host,
    publicUrl,
    siteName,
    mail: readMail(env, siteName, publicUrl),
    passwordResetExpireMinutes: readInteger(env, 'PASSWORD_RESET_EXPIRE_MINUTES', 30, 1, 60 * 24 * 7),
    registration: readChoice(env, 'REGISTRATION', 'open', ['open', 'invite', 'closed'] as const),
    invitationExpireDays: readInteger(env, 'INVITATION_EXPIRE_DAYS', 7, 1, 365),
    dataDir,
    databaseUrl: readDatabaseUrl(env, dataDir),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    secretKey: readSecretKey(env, nodeEnv === 'production', dataDir),
    argon2: readArgon2(env),
    accessTokenExpireMinutes: readInteger(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 60 * 24 * 365),
    maxUploadSizeBytes: readInteger(env, 'MAX_UPLOAD_SIZE_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    postsPerPage: readInteger(env, 'POSTS_PER_PAGE', 10, 1, 100),
    rateLimitEnabled: readBoolean(env, 'RATE_LIMIT_ENABLED', true),
    rateLimits: {
      loginFailures: readInteger(env, 'RATE_LIMIT_LOGIN_FAILURES', 5, 1, 1_000_000),
      loginWindowSeconds: readInteger(env, 'RATE_LIMIT_LOGIN_WINDOW_SECONDS', 60, 1, 86_400),
      loginAccountFailures: readInteger(env, 'RATE_LIMIT_LOGIN_ACCOUNT_FAILURES', 20, 1, 1_000_000),
      loginAccountWindowSeconds: readInteger(env, 'RATE_LIMIT_LOGIN_ACCOUNT_WINDOW_SECONDS', 900, 1, 86_400),
      loginAddressFailures: readInteger(env, 'RATE_LIMIT_LOGIN_ADDRESS_FAILURES', 100, 1, 1_000_000),
      loginAddressWindowSeconds: readInteger(env, 'RATE_LIMIT_LOGIN_ADDRESS_WINDOW_SECONDS', 900, 1, 86_400),
      registrations: readInteger(env, 'RATE_LIMIT_REGISTRATIONS', 10, 1, 1_000_000),
      registrationWindowSeconds: readInteger(env, 'RATE_LIMIT_REGISTRATION_WINDOW_SECONDS', 3600, 1, 86_400),
      passwordResets: readInteger(env, 'RATE_LIMIT_PASSWORD_RESETS', 5, 1, 1_000_000),
      passwordResetWindowSeconds: readInteger(env, 'RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS', 3600, 1, 86_400),
    },
    trustProxy: readTrustProxy(env),
    metricsToken: readMetricsToken(env),
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
