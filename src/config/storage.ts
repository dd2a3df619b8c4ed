// Where data lives: the database and the picture store.
import path from 'node:path';
import { isPostgresUrl } from '../db/url.js';
import type { S3Settings } from '../storage/s3-picture-store.js';
import { ConfigError, readBoolean, type Env } from './read.js';

/** DATA_DIR, absolute (default ./data). */
export const readDataDir = (env: Env): string => path.resolve(env.DATA_DIR || './data');

export function readDatabaseUrl(env: Env, dataDir: string): string {
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

export function readS3(env: Env): S3Settings | undefined {
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
