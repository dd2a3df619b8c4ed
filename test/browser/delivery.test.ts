// What the home page costs on the wire (README, "Performance"): the first
// visit to a page of 10 posts, everything it loads, measured by Chromium
// (bytes received, headers included); the repeat visit fetches only the HTML.
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { defined, newAccount, register, useCleanups } from '../helpers/index.js';
import { expectNoProblems, openPage, startSite, type Site } from './harness.js';

const closeAfter = useCleanups();
let site: Site;
beforeAll(async () => {
  site = await startSite();
  closeAfter(() => site.close());
  const account = newAccount('delivery');
  await register(site.context.app, account);
  const author = defined(await site.context.app.repositories.users.findByEmail(account.email));
  const paragraph = 'A paragraph of an ordinary post, long enough to read like one, with a few words more. ';
  for (let i = 1; i <= 12; i++) {
    await site.context.app.services.posts.create(author, {
      title: `Post number ${String(i)} of the delivery test`,
      content: `${paragraph.repeat(6)}\n\n${paragraph.repeat(4)}`,
    });
  }
}, 60_000);

interface Transfer {
  url: string;
  type: string;
  /** Bytes received for it, headers included; 0 from the cache. */
  bytes: number;
  fromCache: boolean;
  /** Content-Encoding, if any. */
  encoding: string | undefined;
}

/** Records every response the page loads; `take()` hands over those since the last call. */
function recordTransfers(cdp: CDPSession) {
  let transfers = new Map<string, Transfer>();
  // Chromium says so before it sends the response's event.
  const servedFromCache = new Set<string>();
  cdp.on('Network.responseReceived', (event) => {
    const { response } = event;
    transfers.set(event.requestId, {
      url: new URL(response.url).pathname,
      type: event.type,
      bytes: 0,
      fromCache: servedFromCache.has(event.requestId) || response.fromDiskCache === true,
      encoding: Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-encoding')?.[1],
    });
  });
  cdp.on('Network.requestServedFromCache', (event) => servedFromCache.add(event.requestId));
  cdp.on('Network.loadingFinished', (event) => {
    const transfer = transfers.get(event.requestId);
    if (transfer) transfer.bytes = event.encodedDataLength;
  });
  return {
    take() {
      const taken = Array.from(transfers.values());
      transfers = new Map();
      return taken;
    },
  };
}

describe('the home page on the wire', () => {
  it('a first visit transfers at most 35 KB in all; a repeat visit fetches only the HTML', async () => {
    const watched = await openPage(site);
    const { page } = watched;
    const cdp = await watched.browserContext.newCDPSession(page);
    await cdp.send('Network.enable');

    const record = recordTransfers(cdp);
    await page.goto('/', { waitUntil: 'networkidle' });
    const first = record.take();
    expect(await page.locator('[data-post-list] .post-card').count()).toBe(10);
    const sum = (transfers: Transfer[]) => transfers.reduce((total, transfer) => total + transfer.bytes, 0);
    const assets = first.filter((transfer) => transfer.type !== 'Document');
    console.log(
      'first visit:',
      first.map((transfer) => `${transfer.url} ${String(transfer.bytes)} B`).join(', '),
      `total ${String(sum(first))} B`,
    );
    // The stylesheet, the theme script and the app, and the default avatar (the favicon is in the page).
    expect(assets.map((transfer) => transfer.type).sort()).toEqual(['Image', 'Script', 'Script', 'Stylesheet']);
    const document = defined(first.find((transfer) => transfer.type === 'Document'));
    // While the HTML goes out uncompressed, it counts as what gzip makes of it.
    const html = Buffer.from(await (await fetch(site.baseUrl)).arrayBuffer());
    const compressedDocument = document.encoding
      ? document.bytes
      : document.bytes - html.length + gzipSync(html).length;
    console.log(`document ${String(document.bytes)} B as sent, ${String(compressedDocument)} B compressed`);
    expect(sum(assets) + compressedDocument).toBeLessThanOrEqual(35 * 1024);

    await page.reload({ waitUntil: 'networkidle' });
    const repeat = record.take();
    const fetched = repeat.filter((transfer) => !transfer.fromCache && transfer.bytes > 0);
    expect(fetched.map((transfer) => transfer.type)).toEqual(['Document']);
    expect(repeat.filter((transfer) => transfer.type !== 'Document').every((transfer) => transfer.fromCache)).toBe(
      true,
    );
    expectNoProblems(watched);
    await watched.browserContext.close();
  }, 60_000);

  it('the trimmed stylesheet and scripts still do their work: the theme menu, the dark theme, the collapsed navigation', async () => {
    const watched = await openPage(site, { colorScheme: 'light', viewport: { width: 375, height: 800 } });
    const { page } = watched;
    await page.goto('/');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    // Narrow: the navigation is collapsed behind the toggler (Collapse plugin, .collapsing/.show rules).
    const menu = page.locator('#main-nav');
    expect(await menu.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.locator('#main-nav.show').waitFor();
    // The theme menu (Dropdown plugin) opens below its button and switches to the dark theme.
    await page.getByRole('button', { name: 'Colour theme' }).click();
    const dark = page.getByRole('button', { name: 'Dark' });
    await dark.waitFor({ state: 'visible' });
    const [toggle, item] = await Promise.all([
      page.getByRole('button', { name: 'Colour theme' }).boundingBox(),
      dark.boundingBox(),
    ]);
    expect(defined(item).y).toBeGreaterThan(defined(toggle).y);
    await dark.click();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe('dark');
    expect(await background()).toBe('rgb(33, 37, 41)');
    expectNoProblems(watched);
    await watched.browserContext.close();
  }, 60_000);
});
