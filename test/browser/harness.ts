// Browser tests: Debian's Chromium driven by playwright-core against a real
// listening server on a temporary database. Nothing is downloaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestApp, listen, type TestContext } from '../helpers/index.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Site {
  context: TestContext;
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startSite(env: Record<string, string> = {}): Promise<Site> {
  const context = await createTestApp({ RATE_LIMIT_ENABLED: 'false', ...env });
  const port = await listen(context);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  return {
    context,
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await browser.close();
      await context.close();
    },
  };
}

/** A page whose console errors, uncaught exceptions and CSP violations are recorded. */
export interface WatchedPage {
  page: Page;
  browserContext: BrowserContext;
  /** Problems seen so far; each test decides which, if any, it expected. */
  problems: string[];
}

export async function openPage(site: Site, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const browserContext = await site.browser.newContext({
    baseURL: site.baseUrl,
    viewport: { width: 1200, height: 900 },
    ...options,
  });
  const page = await browserContext.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, browserContext, problems };
}

/** The part of axe-core's API the check uses. */
interface Axe {
  run(
    context: Document,
    options: object,
  ): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[] }>;
}

/** The page showed no console error, uncaught exception or CSP violation. */
export function expectNoProblems(watched: WatchedPage): void {
  expect(watched.problems).toEqual([]);
}

/**
 * No serious or critical accessibility violation (axe-core) on the current
 * page, once its CSS transitions are over: a modal that is still fading in
 * has colours that are not its own yet, and axe would measure those.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await withTimeout(AXE_TIMEOUT_MS, `the accessibility check on ${page.url()}`, checkAccessible(page));
}

/** Long enough for axe-core on the biggest page on a busy machine; a hang becomes a failure that says why. */
const AXE_TIMEOUT_MS = 20_000;

/**
 * `work`, or a failure after `ms`: page.evaluate never settles on a page with
 * JavaScript off, and would otherwise hang the test until vitest's own timeout.
 */
async function withTimeout<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not finish in ${ms} ms (is JavaScript off on this page?)`));
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkAccessible(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map((transition) => transition.finished.catch(() => undefined)),
    ),
  );
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: Axe };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => {
        const nodes = violation.nodes.map((node) => node.target.join(' ')).join(', ');
        return `${violation.id} (${String(violation.impact)}): ${nodes}`;
      });
  });
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

export async function signUp(page: Page, account: { username: string; email: string; password: string }) {
  await page.goto('/register');
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await Promise.all([page.waitForURL('/'), page.getByRole('button', { name: 'Register' }).click()]);
}

export async function logIn(page: Page, email: string, password: string, expectedUrl = '/') {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(expectedUrl), page.getByRole('button', { name: 'Log in' }).click()]);
}
