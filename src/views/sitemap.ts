// The sitemap (sitemaps.org 0.9) and robots.txt. The sitemap is written
// here, not by the `sitemap` package: that one needs Node 20.19.5 (this site
// runs on 20.12) and brings @types/node 24 as a runtime dependency, and
// every value written is an absolute URL of this site or an ISO date,
// escaped all the same.
import { escapeHtml } from './html.js';

/** A sitemap may list this many URLs; a larger site gets an index of several. */
export const SITEMAP_MAX_URLS = 50_000;

export interface SitemapUrl {
  loc: string;
  lastmod?: string | undefined;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const entry = (tag: string, { loc, lastmod }: SitemapUrl) =>
  `<${tag}><loc>${escapeHtml(loc)}</loc>${lastmod ? `<lastmod>${escapeHtml(lastmod)}</lastmod>` : ''}</${tag}>\n`;

export function sitemapXml(urls: SitemapUrl[]): string {
  return `${XML_DECLARATION}<urlset xmlns="${NAMESPACE}">\n${urls.map((url) => entry('url', url)).join('')}</urlset>\n`;
}

export function sitemapIndexXml(sitemaps: SitemapUrl[]): string {
  return `${XML_DECLARATION}<sitemapindex xmlns="${NAMESPACE}">\n${sitemaps.map((map) => entry('sitemap', map)).join('')}</sitemapindex>\n`;
}

/**
 * Crawling is allowed but for the account page and the API; the sitemap is
 * named. /admin is not listed: it answers crawlers 404 and is noindex, and
 * naming it here would tell everyone it exists.
 */
export function robotsTxt(publicUrl: string): string {
  return `User-agent: *\nAllow: /\nDisallow: /account\nDisallow: /api/\n\nSitemap: ${publicUrl}/sitemap.xml\n`;
}
