// Feeds and the sitemap, built from the published posts and kept in memory
// with the posts_revision they were built at. A request costs one query for
// the revision; they are built again only after it moved (a post added,
// edited, published, unpublished or deleted, an author renamed), on any
// instance, since the counter is in the database.
import { perTurn } from '../db/per-turn.js';
import { createRevisionCache } from '../shared/revision-cache.js';
import type { Site } from '../views/head.js';
import { atomFeed } from '../views/feeds.js';
import { SITEMAP_MAX_URLS, sitemapIndexXml, sitemapXml, type SitemapUrl } from '../views/sitemap.js';
import type { SyndicationRepository } from '../repositories/syndication.js';
import type { AccountService } from './accounts.js';
import type { PostService } from './posts.js';

/** Entries in a feed. */
export const FEED_SIZE = 20;
/** Author feeds kept; past this, the one used longest ago is dropped. */
const MAX_KEPT_FEEDS = 1_000;

export function createSyndicationService(deps: {
  syndication: SyndicationRepository;
  posts: PostService;
  accounts: AccountService;
  site: Site;
  now: () => number;
}) {
  const { syndication, posts, accounts, site } = deps;
  const feeds = createRevisionCache<string>(MAX_KEPT_FEEDS + 1);
  const sitemaps = createRevisionCache<string[]>(1);
  const currentRevision = perTurn(() => syndication.revision());

  /** Every URL of the sitemap: the home page, each published post, each author's page. */
  async function sitemapUrls(): Promise<SitemapUrl[]> {
    const [published, authors] = await Promise.all([syndication.publishedPosts(), syndication.publishingAuthors()]);
    const newest = published.reduce<string | undefined>(
      (a, p) => (a && a > p.lastModified ? a : p.lastModified),
      undefined,
    );
    return [
      { loc: `${site.url}/`, lastmod: newest },
      ...published.map((post) => ({ loc: `${site.url}/posts/${post.id}`, lastmod: post.lastModified })),
      ...authors.map((author) => ({ loc: `${site.url}/users/${author.id}/posts`, lastmod: author.lastPosted })),
    ];
  }

  /** One sitemap of all the URLs, or (past 50,000) an index followed by its parts. */
  async function buildSitemaps(): Promise<string[]> {
    const urls = await sitemapUrls();
    if (urls.length <= SITEMAP_MAX_URLS) return [sitemapXml(urls)];
    const parts: string[] = [];
    for (let start = 0; start < urls.length; start += SITEMAP_MAX_URLS)
      parts.push(sitemapXml(urls.slice(start, start + SITEMAP_MAX_URLS)));
    const index = sitemapIndexXml(parts.map((_part, i) => ({ loc: `${site.url}/sitemap-${i + 1}.xml` })));
    return [index, ...parts];
  }

  return {
    /**
     * posts_revision: it moves on every change any public read of posts or
     * authors shows (src/plugins/conditional-get.ts). Read once per turn of
     * the event loop for all the requests of that turn (src/db/per-turn.ts).
     */
    revision: currentRevision,

    /** The site's Atom feed: the newest published posts. */
    async siteFeed(): Promise<string> {
      const revision = await currentRevision();
      return feeds('site', revision, async () => {
        const { posts: newest } = await posts.page({ skip: 0, limit: FEED_SIZE });
        return atomFeed(site, { posts: newest, emptyUpdated: new Date(deps.now()) });
      });
    },

    /** One author's Atom feed; 404 for an unknown user. */
    async userFeed(userId: number): Promise<string> {
      const [author, revision] = await Promise.all([accounts.getPublic(userId), currentRevision()]);
      return feeds(`user:${author.id}`, revision, async () => {
        const { posts: newest } = await posts.page({ skip: 0, limit: FEED_SIZE, author });
        return atomFeed(site, { author, posts: newest, emptyUpdated: new Date(deps.now()) });
      });
    },

    /**
     * `/sitemap.xml` (number 0) and, on a site of more than 50,000 URLs, its
     * parts `/sitemap-1.xml` …; undefined for a part that does not exist.
     */
    async sitemap(number = 0): Promise<string | undefined> {
      const built = await sitemaps('sitemap', await currentRevision(), buildSitemaps);
      return built.length === 1 && number > 0 ? undefined : built[number];
    },
  };
}

export type SyndicationService = ReturnType<typeof createSyndicationService>;
