// The browser code and styles (README, "Performance"): content-hashed names
// from the build's manifest, served precompressed and cached for good; the
// stylesheet, cut to the rules in use, keeps what scripts and the dark theme need.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { ASSETS, BUILD_DIRECTORY, MANIFEST_NAME } from '../../src/views/assets.js';
import { expectHtml, startTags, useTestApp } from '../helpers/index.js';

const context = useTestApp();
const getApp = async (): Promise<App> => (await context()).app;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const manifest = JSON.parse(readFileSync(`${BUILD_DIRECTORY}${MANIFEST_NAME}`, 'utf8')) as Record<string, string>;
const builtFile = (url: string) => readFileSync(`${BUILD_DIRECTORY}${url.split('/').pop() ?? ''}`);

/** The URLs of the stylesheets and scripts the home page links to. */
async function linkedAssets(): Promise<string[]> {
  const response = await (await getApp()).inject({ method: 'GET', url: '/' });
  const tags = startTags(expectHtml(response, 200));
  return tags.flatMap((tag) => {
    const url =
      tag.name === 'script' ? tag.attrs.get('src') : tag.attrs.get('rel') === 'stylesheet' && tag.attrs.get('href');
    return typeof url === 'string' ? [url] : [];
  });
}

describe('the built assets', () => {
  it('the manifest names a hashed file for each entry, and each exists', () => {
    expect(Object.keys(manifest).sort()).toEqual(['app.js', 'styles.css', 'theme.js']);
    for (const [entry, file] of Object.entries(manifest)) {
      const [name, extension] = entry.split('.');
      expect(file).toMatch(new RegExp(`^${String(name)}-[A-Z0-9]{8}\\.${String(extension)}$`));
      expect(existsSync(`${BUILD_DIRECTORY}${file}`)).toBe(true);
    }
  });

  it('the page links to the hashed names, and each answers 200 with its content, cached for good', async () => {
    const urls = await linkedAssets();
    expect(urls.sort()).toEqual([ASSETS.css, ASSETS.script, ASSETS.theme].sort());
    for (const url of urls) {
      expect(url).toMatch(/^\/static\/build\/[a-z]+-[A-Z0-9]{8}\.(js|css)$/);
      const response = await (await getApp()).inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe(IMMUTABLE);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      // Never revalidated, so no validators.
      expect(response.headers.etag).toBeUndefined();
      expect(response.headers['last-modified']).toBeUndefined();
      expect(response.rawPayload.equals(builtFile(url))).toBe(true);
    }
  });

  it('is sent as brotli, gzip or as it is, whichever the client accepts, varying on Accept-Encoding', async () => {
    const app = await getApp();
    const original = builtFile(ASSETS.script);
    const cases = [
      { accept: 'gzip, deflate, br', encoding: 'br', decode: brotliDecompressSync },
      { accept: 'gzip', encoding: 'gzip', decode: gunzipSync },
      { accept: 'identity', encoding: undefined, decode: (body: Buffer) => body },
      { accept: undefined, encoding: undefined, decode: (body: Buffer) => body },
    ];
    for (const { accept, encoding, decode } of cases) {
      const headers = accept ? { 'accept-encoding': accept } : {};
      const response = await app.inject({ method: 'GET', url: ASSETS.script, headers });
      expect(response.statusCode, String(accept)).toBe(200);
      expect(response.headers['content-encoding'], String(accept)).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/^(application|text)\/javascript/);
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.headers['cache-control']).toBe(IMMUTABLE);
      expect(decode(response.rawPayload).equals(original), String(accept)).toBe(true);
      if (encoding) expect(response.rawPayload.length).toBeLessThan(original.length / 2);
    }
  });

  it('the favicon and the default picture keep their names and an hour; the favicon is compressed too', async () => {
    const app = await getApp();
    const favicon = await app.inject({
      method: 'GET',
      url: '/static/favicon.svg',
      headers: { 'accept-encoding': 'br' },
    });
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['content-encoding']).toBe('br');
    expect(favicon.headers['cache-control']).toBe('public, max-age=3600');
    const picture = await app.inject({
      method: 'GET',
      url: '/static/profile_pics/default.jpg',
      headers: { 'accept-encoding': 'br' },
    });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-encoding']).toBeUndefined();
    expect(picture.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('the page carries the favicon as a data: URL, so that it costs no request', async () => {
    const response = await (await getApp()).inject({ method: 'GET', url: '/' });
    const icon = startTags(expectHtml(response, 200)).find(
      (tag) => tag.name === 'link' && tag.attrs.get('rel') === 'icon',
    );
    const href = String(icon?.attrs.get('href'));
    expect(href).toMatch(/^data:image\/svg\+xml,[^\s]+$/);
    expect(decodeURIComponent(href.slice('data:image/svg+xml,'.length))).toBe(
      readFileSync('public/favicon.svg', 'utf8').trim(),
    );
  });

  it('files carry the short header set of what is never a page; a missing one is a page', async () => {
    const app = await getApp();
    for (const url of [ASSETS.css, '/static/favicon.svg', '/static/profile_pics/default.jpg']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['cross-origin-opener-policy'], url).toBeUndefined();
    }
    const missing = await app.inject({ method: 'GET', url: '/static/no-such-file.css' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('the manifest itself is not served, nor a file of no build', async () => {
    const app = await getApp();
    for (const url of [`/static/build/${MANIFEST_NAME}`, '/static/build/app.js', '/static/build/styles.css']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});

describe('the stylesheet, cut to the rules in use', () => {
  const css = builtFile(ASSETS.css).toString('utf8');
  /** Every selector of every rule, whitespace squeezed (the build minifies). */
  const selectors = new Set(
    Array.from(css.matchAll(/([^{}]+)\{/g), (match) =>
      (match[1] ?? '').split(',').map((selector) => selector.trim()),
    ).flat(),
  );

  it('keeps the classes that scripts add: Bootstrap plugins and the site code', () => {
    for (const selector of [
      '.fade',
      '.fade:not(.show)',
      '.collapse:not(.show)',
      '.collapsing',
      '.modal-backdrop',
      '.modal-backdrop.show',
      '.modal.fade .modal-dialog',
      '.modal.show .modal-dialog',
      '.modal.modal-static .modal-dialog',
      '.dropdown-menu.show',
      '.toast:not(.show)',
      '.toast.showing',
      '.form-control.is-invalid',
      '.text-bg-success',
      '.text-bg-danger',
      '.btn-primary',
      '.btn-danger',
      '.btn-outline-primary',
      '.btn-outline-danger',
      '.btn-close-white',
      '.d-none',
      '.dropdown-menu[data-bs-popper]',
    ]) {
      expect(selectors.has(selector), selector).toBe(true);
    }
  });

  it('keeps the dark theme: its variables and its component rules', () => {
    expect(
      Array.from(selectors).filter((selector) => selector.includes('[data-bs-theme=dark]')).length,
    ).toBeGreaterThan(2);
    const dark = /\[data-bs-theme=dark\][^{]*\{([^}]*)\}/.exec(css.replace(/:root,/g, ''));
    expect(dark?.[1]).toMatch(/--bs-body-bg: ?#212529/);
    expect(css).toMatch(/\[data-bs-theme=dark\] \.btn-close|\[data-bs-theme=dark\]\.btn-close|\.btn-close-white/);
  });

  it('declares every custom property it reads without a fallback, as the whole of Bootstrap does', () => {
    const undeclared = (text: string) => {
      const declared = new Set(Array.from(text.matchAll(/(--[\w-]+):/g), (match) => match[1]));
      return new Set(
        Array.from(text.matchAll(/var\((--[\w-]+)\)/g), (match) => match[1] ?? '').filter(
          (name) => !declared.has(name),
        ),
      );
    };
    const bootstrap = undeclared(
      readFileSync(createRequire(import.meta.url).resolve('bootstrap/dist/css/bootstrap.css'), 'utf8'),
    );
    expect(Array.from(undeclared(css)).filter((name) => !bootstrap.has(name))).toEqual([]);
  });

  it('keeps what posts may contain, and drops the parts of Bootstrap the site does not use', () => {
    for (const selector of ['blockquote', 'pre', 'code', 'table', '.table', '.text-end', 'hr']) {
      expect(
        Array.from(selectors).some((kept) => kept === selector || kept.startsWith(selector)),
        selector,
      ).toBe(true);
    }
    for (const unused of [
      '.carousel',
      '.accordion',
      '.tooltip',
      '.popover',
      '.spinner-border',
      '.offcanvas ',
      '.pagination',
      '.btn-warning',
    ]) {
      expect(css.includes(unused), unused).toBe(false);
    }
    expect(css.length).toBeLessThan(80_000);
  });
});
