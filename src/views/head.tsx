// What a page tells search engines and feed readers in its <head>: its
// description, canonical URL, robots rule, feeds, OpenGraph and JSON-LD.
// Every absolute URL is built from the site's PUBLIC_URL.
import type { RegistrationMode } from '../config/index.js';
import { cutAtWord } from '../markdown/excerpt.js';
import type { PostResponseBody } from '../schemas/posts.js';

/** The site as the world sees it: its name and public origin. */
export interface Site {
  name: string;
  url: string;
  /** REGISTRATION: when 'closed', the pages offer no way to register. */
  registration?: RegistrationMode;
}

/** A post as the head describes it (OpenGraph and a JSON-LD BlogPosting). */
export interface ArticleHead {
  title: string;
  path: string;
  datePublished: string;
  dateModified: string;
  author: { name: string; path: string };
  /** A site path of the picture that stands for the post (the author's). */
  imagePath: string;
}

/** A page's own head content; the layout adds the site feed to every page. */
export interface PageHead {
  /** One or two sentences for search results; a general one when left out. */
  description?: string;
  /** The page's canonical path (e.g. `/posts/3`), made absolute. */
  canonicalPath?: string;
  /** Kept out of search results: drafts, account and form pages, search results. */
  noindex?: boolean;
  /** A feed of this page's own, besides the site's (an author's). */
  feed?: { title: string; path: string };
  article?: ArticleHead;
}

export const SITE_FEED_PATH = '/feed.xml';
export const userFeedPath = (userId: number) => `/users/${userId}/feed.xml`;
/** A listing's path; a later page of it is a page of its own (`?skip=`), not a copy of the first. */
export const pagedPath = (path: string, skip: number) => (skip > 0 ? `${path}?skip=${skip}` : path);
const DEFAULT_DESCRIPTION = 'A small, fast blog: read the newest posts of every writer, or write your own.';
const DESCRIPTION_LENGTH = 155;
/**
 * JSON for a <script type="application/ld+json"> element: `<` (and `>`, `&`)
 * as \u escapes, so a title holding `</script>` or `<!--` cannot end the
 * element; U+2028/9 too, for the parsers that still treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function blogPosting(site: Site, article: ArticleHead, description: string) {
  const url = site.url + article.path;
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: article.title,
    description,
    datePublished: article.datePublished,
    dateModified: article.dateModified,
    author: { '@type': 'Person', name: article.author.name, url: site.url + article.author.path },
    publisher: { '@type': 'Organization', name: site.name, url: `${site.url}/` },
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    image: site.url + article.imagePath,
  };
}

function ArticleTags({ site, article, description }: { site: Site; article: ArticleHead; description: string }) {
  return (
    <>
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={site.name} />
      <meta property="og:title" content={article.title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={site.url + article.path} />
      <meta property="og:image" content={site.url + article.imagePath} />
      <meta property="article:published_time" content={article.datePublished} />
      <meta property="article:modified_time" content={article.dateModified} />
      {/* Data, not code: browsers never run it, so the CSP's script-src does not apply. */}
      <script
        type="application/ld+json"
        dangerouslySetInnerHTML={{ __html: jsonForScript(blogPosting(site, article, description)) }}
      />
    </>
  );
}

/**
 * A post page's head: described by its own text; a published post also by
 * OpenGraph and JSON-LD, a draft (seen by its author only) kept out of search.
 */
export function postHead(post: PostResponseBody): PageHead {
  // The excerpt is the start of the post's text already: the description is its first words.
  const description = cutAtWord(post.excerpt, DESCRIPTION_LENGTH) || post.title;
  if (post.status === 'draft') return { description, noindex: true };
  const path = `/posts/${post.id}`;
  const article: ArticleHead = {
    title: post.title,
    path,
    datePublished: post.date_posted,
    dateModified: post.updated_at ?? post.date_posted,
    author: { name: post.author.username, path: `/users/${post.user_id}/posts` },
    imagePath: post.author.image_path,
  };
  return { description, canonicalPath: path, article };
}

/** The head elements of one page, after its title. */
export function PageHeadTags({ site, head }: { site: Site; head: PageHead }) {
  const description = head.description ?? DEFAULT_DESCRIPTION;
  return (
    <>
      <meta name="description" content={description} />
      {head.noindex && <meta name="robots" content="noindex" />}
      {head.canonicalPath !== undefined && <link rel="canonical" href={site.url + head.canonicalPath} />}
      {head.feed && (
        <link rel="alternate" type="application/atom+xml" title={head.feed.title} href={site.url + head.feed.path} />
      )}
      {head.article && <ArticleTags site={site} article={head.article} description={description} />}
    </>
  );
}

/** The site feed's link, on every page. */
export function SiteFeedLink({ site }: { site: Site }) {
  return (
    <link
      rel="alternate"
      type="application/atom+xml"
      title={`${site.name}: all posts`}
      href={site.url + SITE_FEED_PATH}
    />
  );
}
