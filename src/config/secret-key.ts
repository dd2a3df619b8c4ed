import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Env } from './read.js';

const SECRET_KEY_FILE = 'secret_key';
const MIN_SECRET_LENGTH = 32;

/**
 * The signing key. Production must be given one; elsewhere one is generated
 * on first start and kept in DATA_DIR so that tokens survive restarts.
 */
export function readSecretKey(env: Env, production: boolean, dataDir: string): string {
  const given = env.SECRET_KEY;
  if (given !== undefined && given !== '') {
    if (given.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`SECRET_KEY must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    return given;
  }
  if (production) {
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
