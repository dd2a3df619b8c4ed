// GET /metrics (docs/api.md, "Operations", METRICS_TOKEN): with the token set,
// the Prometheus text format to `Authorization: Bearer <METRICS_TOKEN>` and
// 401 to anyone else; unset, /metrics is 404 like any unknown URL. The
// exposition passes Prometheus's own checker (promtool), and the counters
// move with what the site does: requests by route pattern, failed logins,
// 429s, processed pictures, the mail outbox and failed deliveries.
import { execFileSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import {
  bearer,
  createPost,
  createTestApp,
  expect401,
  mailSettled,
  newAccount,
  pngOf,
  register,
  signedInUser,
  TEST_DIALECT,
  uploadPicture,
  useCleanups,
  useTestApp,
} from '../helpers/index.js';
import { startSmtpServer } from '../helpers/smtp.js';

const METRICS_TOKEN = 'scraper-token-0123456789abcdef';
const PROMTOOL = '/usr/bin/promtool';

/** One sample line of the exposition: `name{label="value",…} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What a backslash stands for in a label value. */
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

/** Reads `{a="x",b="y"}` from `start` (just past the brace); returns the labels and where the value begins. */
function readLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let at = start;
  while (at < line.length && line[at] !== '}') {
    const equals = line.indexOf('="', at);
    const name = line.slice(at, equals);
    let value = '';
    for (at = equals + 2; at < line.length && line[at] !== '"'; at++) {
      const char = line[at] ?? '';
      if (char === '\\') value += ESCAPES[line[++at] ?? ''] ?? '';
      else value += char;
    }
    labels[name] = value;
    at += line[at + 1] === ',' ? 2 : 1;
  }
  return { labels, end: at + 1 };
}

function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const brace = line.indexOf('{');
      const space = line.indexOf(' ');
      if (brace === -1 || brace > space) {
        return { name: line.slice(0, space), labels: {}, value: Number(line.slice(space + 1)) };
      }
      const { labels, end } = readLabels(line, brace + 1);
      return { name: line.slice(0, brace), labels, value: Number(line.slice(end).trim()) };
    });
}

/** The sum of the samples of `name` that carry these labels (0 when there is none yet). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

function requestMetrics(app: App, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: '/metrics', headers });
}

async function scrapeText(app: App): Promise<string> {
  const response = await requestMetrics(app, bearer(METRICS_TOKEN));
  expect(response.statusCode).toBe(200);
  return response.body;
}

const scrape = async (app: App) => parseExposition(await scrapeText(app));

function failedLogin(app: App, email: string) {
  return app.inject({
    method: 'POST',
    url: '/api/users/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: email, password: 'not the password' }).toString(),
  });
}

describe('without METRICS_TOKEN', () => {
  const context = useTestApp();

  it('/metrics is not found, answered exactly like an unknown URL', async () => {
    const { app } = await context();
    const metrics = await requestMetrics(app, bearer(METRICS_TOKEN));
    const unknown = await app.inject({ method: 'GET', url: '/no-such-thing' });
    expect(metrics.statusCode).toBe(404);
    expect(metrics.headers['content-type']).toBe(unknown.headers['content-type']);
    expect(metrics.body).toBe(unknown.body);
  });
});

describe('with METRICS_TOKEN', () => {
  const context = useTestApp({ METRICS_TOKEN });

  it('answers 401 with WWW-Authenticate: Bearer without the token or with a wrong one', async () => {
    const { app } = await context();
    expect401(await requestMetrics(app), 'Not authenticated');
    expect401(await requestMetrics(app, bearer('not-the-scraper-token')), 'Invalid metrics token');
    expect401(await requestMetrics(app, bearer(METRICS_TOKEN.toUpperCase())), 'Invalid metrics token');
    expect401(await requestMetrics(app, { authorization: METRICS_TOKEN }));
  });

  it('answers the token with the Prometheus text format, never kept by a cache', async () => {
    const { app } = await context();
    const response = await requestMetrics(app, bearer(METRICS_TOKEN));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.etag).toBeUndefined();
    const names = new Set(parseExposition(response.body).map((sample) => sample.name));
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds'])
      expect(names).toContain(name);
  });

  it('passes promtool check metrics without a single complaint', async () => {
    const { app } = await context();
    // Some of everything first, so every family has samples.
    const author = await signedInUser(app, 'checked');
    await app.inject({ method: 'GET', url: `/api/posts/${(await createPost(app, author.headers)).id}` });
    await failedLogin(app, author.email);
    await uploadPicture(app, author.id, author.headers, await pngOf('#336699'));
    await app.inject({ method: 'GET', url: '/no/such/page' });
    const text = await scrapeText(app);
    // Exit code 0 and no output: a lint warning (a missing HELP, a misnamed counter) fails too.
    expect(execFileSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: 'pipe' })).toBe('');
  });

  it('counts a request under its route pattern, and every unknown URL under one label', async () => {
    const { app } = await context();
    const author = await signedInUser(app, 'counted');
    const post = await createPost(app, author.headers);
    const series = { method: 'GET', route: '/api/posts/:post_id', status: '200' };
    const before = await scrape(app);
    expect((await app.inject({ method: 'GET', url: `/api/posts/${post.id}` })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: `/nothing/here/${post.id}` });
    await app.inject({ method: 'GET', url: '/nor/here' });
    const after = await scrape(app);

    expect(
      valueOf(after, 'blog_http_requests_total', series) - valueOf(before, 'blog_http_requests_total', series),
    ).toBe(1);
    const durations = 'blog_http_request_duration_seconds_count';
    expect(valueOf(after, durations, series) - valueOf(before, durations, series)).toBe(1);
    const unmatched = { route: 'unmatched', status: '404' };
    expect(
      valueOf(after, 'blog_http_requests_total', unmatched) - valueOf(before, 'blog_http_requests_total', unmatched),
    ).toBe(2);
    expect(after.some((sample) => sample.labels.route?.includes(String(post.id)))).toBe(false);
  });

  it('counts a failed login', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('forgetful'));
    const before = valueOf(await scrape(app), 'blog_login_failures_total');
    expect((await failedLogin(app, account.email)).statusCode).toBe(401);
    expect((await failedLogin(app, 'nobody-at-all@example.com')).statusCode).toBe(401);
    expect(valueOf(await scrape(app), 'blog_login_failures_total') - before).toBe(2);
  });

  it('counts pictures processed, accepted or rejected, and times them', async () => {
    const { app } = await context();
    const user = await signedInUser(app, 'pictured');
    const before = await scrape(app);
    expect((await uploadPicture(app, user.id, user.headers, await pngOf('#00ff00'))).statusCode).toBe(200);
    const notAnImage = Buffer.from('GIF89a but not really a picture');
    expect((await uploadPicture(app, user.id, user.headers, notAnImage, 'me.gif', 'image/gif')).statusCode).toBe(400);
    const after = await scrape(app);

    const grew = (name: string, labels: Record<string, string> = {}) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(grew('blog_pictures_processed_total', { result: 'accepted' })).toBe(1);
    expect(grew('blog_pictures_processed_total', { result: 'rejected' })).toBe(1);
    expect(grew('blog_picture_processing_seconds_count')).toBe(2);
  });

  it('reports the database pool on PostgreSQL, and no pool on SQLite', async () => {
    const { app } = await context();
    const pool = (await scrape(app)).filter((sample) => sample.name === 'blog_db_pool_connections');
    if (TEST_DIALECT === 'postgres') {
      expect(pool.map((sample) => sample.labels.state).sort()).toEqual(['idle', 'total', 'waiting']);
      expect(valueOf(pool, 'blog_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    } else expect(pool).toEqual([]);
  });
});

describe('with METRICS_TOKEN and the login limits on', () => {
  const context = useTestApp({ METRICS_TOKEN, RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOGIN_FAILURES: '1' });

  it('counts each 429 under the limit it was over', async () => {
    const { app } = await context();
    const account = await register(app, newAccount('limited'));
    const strict = { limit: 'login:account-from-address' };
    const before = valueOf(await scrape(app), 'blog_rate_limited_total', strict);
    expect((await failedLogin(app, account.email)).statusCode).toBe(401);
    expect((await failedLogin(app, account.email)).statusCode).toBe(429);
    const after = await scrape(app);
    expect(valueOf(after, 'blog_rate_limited_total', strict) - before).toBe(1);
    expect(valueOf(after, 'blog_rate_limited_total')).toBe(1);
  });
});

describe('with METRICS_TOKEN and a mail server that refuses for now', () => {
  const cleanup = useCleanups(afterEach);

  it('shows the mail waiting in the outbox and the failed delivery', async () => {
    const smtp = await startSmtpServer({ behaviour: { kind: 'fail-temporarily', times: 1000 } });
    cleanup(() => smtp.close());
    // The retry is an hour away: the mail stays queued while the test looks.
    const context = await createTestApp({ METRICS_TOKEN, SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '3600000' });
    cleanup(() => context.close());
    const { app } = context;
    const account = await register(app, newAccount('waiting'));
    expect(valueOf(await scrape(app), 'blog_mail_outbox_depth')).toBe(0);

    const asked = await app.inject({
      method: 'POST',
      url: '/api/users/password-reset',
      payload: { email: account.email },
    });
    expect(asked.statusCode).toBe(202);
    await smtp.waitForAttempts(1);
    await mailSettled(app);

    const samples = await scrape(app);
    expect(valueOf(samples, 'blog_mail_outbox_depth')).toBe(1);
    expect(valueOf(samples, 'blog_mail_send_failures_total')).toBe(1);
  });
});
