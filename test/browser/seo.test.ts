// Lighthouse's SEO category (docs/api.md, "Publishing": Search engines) on
// the home page and a post page, in Debian's Chromium against a real
// listening server whose PUBLIC_URL is its own address: both score 100. And
// the post page's JSON-LD block raises no CSP violation (it is data).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPost, createTestApp, signedInUser, type TestContext } from '../helpers/index.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './harness.js';

/** A port free right now, so that PUBLIC_URL can name it before the server listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Chromium with its DevTools port open; resolves with that port once it listens. */
function startChromium(): Promise<{ process: ChildProcess; port: number }> {
  const child = spawn(CHROMIUM_PATH, [...CHROMIUM_FLAGS, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (match?.[1]) resolve({ process: child, port: Number(match[1]) });
    });
    child.on('exit', (code) => {
      reject(new Error(`chromium exited (${String(code)}): ${output}`));
    });
  });
}

let context: TestContext;
let browser: { process: ChildProcess; port: number };
let origin: string;
let postUrl: string;

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  context = await createTestApp({ PUBLIC_URL: origin, RATE_LIMIT_ENABLED: 'false' });
  await context.app.listen({ port, host: '127.0.0.1' });
  const author = await signedInUser(context.app, 'seo');
  const post = await createPost(
    context.app,
    author.headers,
    'How search engines read this blog',
    'Every page has a title, a description and a canonical link.\n\nPosts also carry OpenGraph and JSON-LD.',
  );
  postUrl = `${origin}/posts/${post.id}`;
  browser = await startChromium();
}, 60_000);

afterAll(async () => {
  browser.process.kill();
  await context.close();
});

async function seoAudit(url: string) {
  const result = await lighthouse(url, {
    port: browser.port,
    onlyCategories: ['seo'],
    output: 'json',
    logLevel: 'error',
  });
  if (!result) throw new Error('lighthouse gave no result');
  const { categories, audits } = result.lhr;
  const failing = Object.values(audits)
    .filter((audit) => audit.scoreDisplayMode === 'binary' && audit.score !== 1)
    .map((audit) => `${audit.id}: ${audit.title} ${JSON.stringify(audit.details ?? audit.explanation ?? '')}`);
  return { score: categories.seo?.score, failing };
}

describe('Lighthouse SEO', () => {
  it('scores 100 on the home page', async () => {
    const { score, failing } = await seoAudit(`${origin}/`);
    expect(failing).toEqual([]);
    expect(score).toBe(1);
  }, 90_000);

  it('scores 100 on a post page', async () => {
    const { score, failing } = await seoAudit(postUrl);
    expect(failing).toEqual([]);
    expect(score).toBe(1);
  }, 90_000);

  it("a post page's JSON-LD raises no CSP violation and runs nothing", async () => {
    const playwright = await chromium.connectOverCDP(`http://127.0.0.1:${browser.port}`);
    const page = await (await playwright.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    // Counted from before the page's first byte (an init script is the browser's own, outside the CSP).
    await page.addInitScript(() => {
      const counter = window as unknown as { cspViolations: number };
      counter.cspViolations = 0;
      document.addEventListener('securitypolicyviolation', () => (counter.cspViolations += 1));
    });
    await page.goto(postUrl);
    const violations = await page.evaluate(() => (window as unknown as { cspViolations: number }).cspViolations);
    const headline = await page.evaluate(() => {
      const data = document.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}';
      return (JSON.parse(data) as { headline?: string }).headline;
    });
    await playwright.close();
    expect(violations).toBe(0);
    expect(problems).toEqual([]);
    expect(headline).toBe('How search engines read this blog');
  }, 30_000);
});
