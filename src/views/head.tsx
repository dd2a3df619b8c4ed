// What a page tells search engines and feed readers in its <head>: its
// description, canonical URL, robots rule, feeds, OpenGraph and JSON-LD.
// Every absolute URL is built from the site's PUBLIC_URL.
import type { RegistrationMode } from '../config/index.js';
import { Parser } from 'htmlparser2';
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
/** HTML enough for a description's text, markup and all (a cut inside a tag only loses that tag). */
const DESCRIPTION_SOURCE = 4 * 1024;

// The elements after which text is a new word; inline ones (a, em, code…) join it.
const BLOCKS = new Set(
  'address article aside blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li ol p pre section table tbody td tfoot th thead tr ul'.split(
    ' ',
  ),
);

/** The text of rendered HTML, whitespace collapsed. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  const parser = new Parser(
    {
      ontext: (text) => parts.push(text),
      onopentag: (name) => BLOCKS.has(name) && parts.push(' '),
      onclosetag: (name) => BLOCKS.has(name) && parts.push(' '),
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters of `text`, cut at a word when there is one, with an ellipsis when cut. */
export function cutAtWord(text: string, max = DESCRIPTION_LENGTH): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

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
  // The description needs the first words only: a long post is not read whole.
  const description = cutAtWord(htmlToText(post.content_html.slice(0, DESCRIPTION_SOURCE))) || post.title;
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
