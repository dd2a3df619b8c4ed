import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, environmentWithDotEnv, loadConfig } from '../../src/config/index.js';

const directories: string[] = [];
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'blog-config-'));
  directories.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 8000,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: `sqlite:${path.join(dataDir, 'blog.db')}`,
      accessTokenExpireMinutes: 30,
      maxUploadSizeBytes: 5242880,
      postsPerPage: 10,
      rateLimitEnabled: true,
    });
  });

  it('reads every variable of the table', () => {
    const config = loadConfig({
      DATA_DIR: tempDir(),
      PORT: '9001',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://blog@db.internal:5432/blog',
      SECRET_KEY: 'k'.repeat(40),
      ACCESS_TOKEN_EXPIRE_MINUTES: '5',
      MAX_UPLOAD_SIZE_BYTES: '1048576',
      POSTS_PER_PAGE: '25',
      RATE_LIMIT_ENABLED: 'false',
    });
    expect(config).toMatchObject({
      port: 9001,
      host: '0.0.0.0',
      databaseUrl: 'postgres://blog@db.internal:5432/blog',
      secretKey: 'k'.repeat(40),
      accessTokenExpireMinutes: 5,
      maxUploadSizeBytes: 1048576,
      postsPerPage: 25,
      rateLimitEnabled: false,
    });
  });

  it.each([
    ['PORT', 'eighty', /PORT must be an integer/],
    ['PORT', '70000', /PORT must be an integer from 0 to 65535/],
    ['POSTS_PER_PAGE', '0', /POSTS_PER_PAGE/],
    ['POSTS_PER_PAGE', '101', /POSTS_PER_PAGE/],
    ['ACCESS_TOKEN_EXPIRE_MINUTES', '-5', /ACCESS_TOKEN_EXPIRE_MINUTES/],
    ['MAX_UPLOAD_SIZE_BYTES', '5MB', /MAX_UPLOAD_SIZE_BYTES/],
    ['RATE_LIMIT_ENABLED', 'maybe', /RATE_LIMIT_ENABLED must be true or false/],
    ['DATABASE_URL', 'mysql://localhost/blog', /DATABASE_URL must start with/],
    ['NODE_ENV', 'staging', /NODE_ENV must be one of/],
    ['SECRET_KEY', 'short', /SECRET_KEY must be at least 32 characters/],
  ])('refuses %s=%s with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), [name]: value })).toThrow(message);
    expect(() => loadConfig({ DATA_DIR: tempDir(), [name]: value })).toThrow(ConfigError);
  });

  it('generates a secret key once in development and keeps it in DATA_DIR', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir }).secretKey;
    const second = loadConfig({ DATA_DIR: dataDir }).secretKey;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    const file = path.join(dataDir, 'secret_key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: tempDir() }).secretKey).not.toBe(first);
  });

  it('requires SECRET_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tempDir() })).toThrow(
      /SECRET_KEY is required when NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: tempDir(), SECRET_KEY: 's'.repeat(32) }).secretKey).toBe(
      's'.repeat(32),
    );
  });

  it('reads .env, and real environment variables win over it', () => {
    const dir = tempDir();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=9100\nPOSTS_PER_PAGE=7\n# a comment\nHOST="0.0.0.0"\n');
    const env = environmentWithDotEnv({ PORT: '9200', DATA_DIR: dir }, file);
    const config = loadConfig(env);
    expect(config.port).toBe(9200);
    expect(config.postsPerPage).toBe(7);
    expect(config.host).toBe('0.0.0.0');
    expect(environmentWithDotEnv({ A: '1' }, path.join(dir, 'missing.env'))).toEqual({ A: '1' });
  });

  it('the server refuses to start in production without SECRET_KEY, with a clear message', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Configuration error: SECRET_KEY is required when NODE_ENV=production');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
