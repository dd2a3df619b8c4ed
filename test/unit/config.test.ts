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
      METRICS_TOKEN: 'm'.repeat(20),
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
      metricsToken: 'm'.repeat(20),
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
    ['METRICS_TOKEN', 'too-short', /METRICS_TOKEN must be at least 16 characters/],
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

// docs/api.md, "More settings" and "Mail": the site's public origin and name, and where its mail goes.
describe('site and mail settings', () => {
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: tempDir(), ...env });

  it('has the documented defaults: the origin of HOST and PORT, Blog, mail to files, 30-minute reset links', () => {
    const config = load({});
    expect(config).toMatchObject({
      publicUrl: 'http://127.0.0.1:8000',
      siteName: 'Blog',
      passwordResetExpireMinutes: 30,
      mail: { smtpUrl: undefined, from: { name: 'Blog', address: 'no-reply@127.0.0.1' } },
    });
    expect(config.rateLimits).toMatchObject({ passwordResets: 5, passwordResetWindowSeconds: 3600 });
    expect(load({ HOST: 'localhost', PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    expect(load({ HOST: '::1' }).publicUrl).toBe('http://[::1]:8000');
  });

  it.each([
    ['https://blog.example.com', 'https://blog.example.com'],
    ['https://blog.example.com/', 'https://blog.example.com'],
    ['  HTTPS://Blog.Example.COM:443/ ', 'https://blog.example.com'],
    ['http://blog.example.com:8080', 'http://blog.example.com:8080'],
  ])('PUBLIC_URL=%s is the origin %s', (value, origin) => {
    expect(load({ PUBLIC_URL: value }).publicUrl).toBe(origin);
  });

  it.each([
    ['blog.example.com', /^PUBLIC_URL must be a URL such as https:\/\/blog\.example\.com$/],
    ['ftp://blog.example.com', /^PUBLIC_URL must start with http:\/\/ or https:\/\//],
    ['https://', /^PUBLIC_URL must be a URL/],
  ])('refuses PUBLIC_URL=%s', (value, message) => {
    expect(() => load({ PUBLIC_URL: value })).toThrow(ConfigError);
    expect(() => load({ PUBLIC_URL: value })).toThrow(message);
  });

  it.each([
    'https://blog.example.com/blog',
    'https://blog.example.com/?lang=en',
    'https://blog.example.com/#top',
    'https://admin:secret@blog.example.com',
  ])('refuses PUBLIC_URL=%s with one clear message: an origin only', (value) => {
    // Links are "<PUBLIC_URL>/reset-password?...": a path would be dropped or doubled, so it is refused.
    const error = catchConfigError(() => load({ PUBLIC_URL: value }));
    expect(error.message).toBe(
      'PUBLIC_URL must be an origin only, such as https://blog.example.com (no path, query or user)',
    );
    expect(error.message).not.toContain('secret');
  });

  it('SITE_NAME names the site and the sender; blank is the default, control characters and 101 characters are refused', () => {
    const config = load({ SITE_NAME: '  Field Notes ', PUBLIC_URL: 'https://notes.example.org' });
    expect(config.siteName).toBe('Field Notes');
    expect(config.mail.from).toEqual({ name: 'Field Notes', address: 'no-reply@notes.example.org' });
    expect(load({ SITE_NAME: '   ' }).siteName).toBe('Blog');
    expect(load({ SITE_NAME: 'n'.repeat(100) }).siteName).toBe('n'.repeat(100));
    for (const value of ['n'.repeat(101), 'Field\nNotes', 'Field\u0000Notes']) {
      expect(() => load({ SITE_NAME: value })).toThrow(
        /^SITE_NAME must be at most 100 characters, without control characters$/,
      );
    }
  });

  it.each(['smtp://user:s3cret-pass@mail.example.com:587', 'smtps://user:s3cret-pass@mail.example.com:465'])(
    'SMTP_URL=%s is where mail goes',
    (value) => {
      expect(load({ SMTP_URL: value }).mail.smtpUrl).toBe(value);
    },
  );

  it.each([
    ['http://user:s3cret-pass@mail.example.com', /^SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    ['mailto:user:s3cret-pass@mail.example.com', /^SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    ['smtp//user:s3cret-pass@mail.example.com', /^SMTP_URL must be a URL/],
    ['smtp://user:s3cret-pass@mail.example.com:99999', /^SMTP_URL must be a URL/],
    ['smtp://user:s3cret-pass@', /^SMTP_URL must be a URL/],
    ['smtp:', /^SMTP_URL must name the mail server's host/],
    ['smtp:s3cret-pass', /^SMTP_URL must name the mail server's host/],
  ])('refuses SMTP_URL=%s without ever repeating its password', (value, message) => {
    const error = catchConfigError(() => load({ SMTP_URL: value }));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cret');
  });

  it('the server refuses a bad SMTP_URL in one line that does not repeat its password', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        PATH: process.env.PATH,
        DATA_DIR: tempDir(),
        PORT: '0',
        SMTP_URL: 'http://mailer:s3cret-pass@mail.example.com',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Configuration error: SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout + result.stderr).not.toContain('s3cret');
  });

  it.each([
    ['alerts@example.com', { name: 'Blog', address: 'alerts@example.com' }],
    ['Alerts <alerts@example.com>', { name: 'Alerts', address: 'alerts@example.com' }],
    ['"Blog, the Team" <team@example.com>', { name: 'Blog, the Team', address: 'team@example.com' }],
    ['  <team@example.com>  ', { name: 'Blog', address: 'team@example.com' }],
  ])('MAIL_FROM=%s', (value, from) => {
    expect(load({ MAIL_FROM: value }).mail.from).toEqual(from);
  });

  it.each([
    'not an address',
    'alerts@',
    'Alerts <not-an-address>',
    'Alerts <alerts@example.com> and more',
    'a@b@example.com',
    'Alerts\r\nBcc: everyone@example.com <alerts@example.com>',
  ])('refuses MAIL_FROM=%j', (value) => {
    expect(() => load({ MAIL_FROM: value })).toThrow(ConfigError);
    expect(() => load({ MAIL_FROM: value })).toThrow(/^MAIL_FROM must be an address or "Name <address>"/);
  });

  it('reads PASSWORD_RESET_EXPIRE_MINUTES from 1 to 10080 (a week)', () => {
    expect(load({ PASSWORD_RESET_EXPIRE_MINUTES: '1' }).passwordResetExpireMinutes).toBe(1);
    expect(load({ PASSWORD_RESET_EXPIRE_MINUTES: '10080' }).passwordResetExpireMinutes).toBe(10080);
  });

  it('reads the reset request limits', () => {
    const config = load({ RATE_LIMIT_PASSWORD_RESETS: '1', RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS: '86400' });
    expect(config.rateLimits).toMatchObject({ passwordResets: 1, passwordResetWindowSeconds: 86400 });
  });

  it("hashes passwords with Argon2id at RFC 9106's second recommendation unless ARGON2_* say otherwise", () => {
    expect(load({}).argon2).toEqual({ memoryKib: 65536, timeCost: 3, parallelism: 4 });
    expect(load({ ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2', ARGON2_PARALLELISM: '1' }).argon2).toEqual({
      memoryKib: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(() => load({ ARGON2_MEMORY_KIB: '4096' })).toThrow(
      'ARGON2_MEMORY_KIB must be an integer from 8192 to 4194304 (got "4096")',
    );
    expect(() => load({ ARGON2_TIME_COST: '0' })).toThrow(
      'ARGON2_TIME_COST must be an integer from 1 to 100 (got "0")',
    );
    expect(() => load({ ARGON2_PARALLELISM: 'four' })).toThrow(
      'ARGON2_PARALLELISM must be an integer from 1 to 64 (got "four")',
    );
  });

  it('reads the three login limits, each with its own window', () => {
    expect(load({}).rateLimits).toMatchObject({
      loginFailures: 5,
      loginWindowSeconds: 60,
      loginAccountFailures: 20,
      loginAccountWindowSeconds: 900,
      loginAddressFailures: 100,
      loginAddressWindowSeconds: 900,
    });
    const config = load({
      RATE_LIMIT_LOGIN_ACCOUNT_FAILURES: '50',
      RATE_LIMIT_LOGIN_ACCOUNT_WINDOW_SECONDS: '3600',
      RATE_LIMIT_LOGIN_ADDRESS_FAILURES: '1000000',
      RATE_LIMIT_LOGIN_ADDRESS_WINDOW_SECONDS: '86400',
    });
    expect(config.rateLimits).toMatchObject({
      loginAccountFailures: 50,
      loginAccountWindowSeconds: 3600,
      loginAddressFailures: 1000000,
      loginAddressWindowSeconds: 86400,
    });
  });

  it.each([
    ['RATE_LIMIT_LOGIN_ACCOUNT_FAILURES', '0', 'from 1 to 1000000'],
    ['RATE_LIMIT_LOGIN_ACCOUNT_FAILURES', 'twenty', 'from 1 to 1000000'],
    ['RATE_LIMIT_LOGIN_ACCOUNT_WINDOW_SECONDS', '0', 'from 1 to 86400'],
    ['RATE_LIMIT_LOGIN_ACCOUNT_WINDOW_SECONDS', '86401', 'from 1 to 86400'],
    ['RATE_LIMIT_LOGIN_ADDRESS_FAILURES', '1000001', 'from 1 to 1000000'],
    ['RATE_LIMIT_LOGIN_ADDRESS_FAILURES', '-1', 'from 1 to 1000000'],
    ['RATE_LIMIT_LOGIN_ADDRESS_WINDOW_SECONDS', '15m', 'from 1 to 86400'],
    ['RATE_LIMIT_LOGIN_ADDRESS_WINDOW_SECONDS', '0', 'from 1 to 86400'],
    ['PASSWORD_RESET_EXPIRE_MINUTES', '0', 'from 1 to 10080'],
    ['PASSWORD_RESET_EXPIRE_MINUTES', '10081', 'from 1 to 10080'],
    ['PASSWORD_RESET_EXPIRE_MINUTES', 'half an hour', 'from 1 to 10080'],
    ['PASSWORD_RESET_EXPIRE_MINUTES', '-30', 'from 1 to 10080'],
    ['RATE_LIMIT_PASSWORD_RESETS', '0', 'from 1 to 1000000'],
    ['RATE_LIMIT_PASSWORD_RESETS', '1000001', 'from 1 to 1000000'],
    ['RATE_LIMIT_PASSWORD_RESETS', '2.5', 'from 1 to 1000000'],
    ['RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS', '0', 'from 1 to 86400'],
    ['RATE_LIMIT_PASSWORD_RESET_WINDOW_SECONDS', '86401', 'from 1 to 86400'],
  ])('refuses %s=%s', (name, value, range) => {
    const error = catchConfigError(() => load({ [name]: value }));
    expect(error.message).toBe(`${name} must be an integer ${range} (got "${value}")`);
  });
});

/** The ConfigError that `load` throws. */
function catchConfigError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('no ConfigError was thrown');
}
