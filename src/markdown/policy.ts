// The link and image policy, applied to markdown-it's token tree (not to the
// HTML text): a link keeps only a safe URL and, when it leaves the site,
// rel="nofollow ugc noopener"; an image is kept only from this site's own
// origin (so the Content-Security-Policy holds), else it becomes its alt text;
// a table cell's alignment becomes a class, since the CSP refuses style attributes;
// headings move one level down, below the page's title.
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

const SAFE_LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
export const EXTERNAL_LINK_REL = 'nofollow ugc noopener';

/** Where a URL written in a post leads, read against the site's origin. */
function classify(href: string, origin: string): 'same-site' | 'external' | 'refused' {
  let url: URL;
  try {
    url = new URL(href, `${origin}/`);
  } catch {
    return 'refused';
  }
  if (!SAFE_LINK_PROTOCOLS.has(url.protocol)) return 'refused';
  return url.origin === origin ? 'same-site' : 'external';
}

const ALIGNMENT_CLASS: Record<string, string> = { left: 'text-start', center: 'text-center', right: 'text-end' };

function applyToInline(tokens: Token[], origin: string, TokenClass: typeof Token): Token[] {
  const kept: Token[] = [];
  const openLinks: boolean[] = [];
  for (const token of tokens) {
    if (token.children) token.children = applyToInline(token.children, origin, TokenClass);
    if (token.type === 'link_open') {
      const href = token.attrGet('href') ?? '';
      const verdict = classify(href, origin);
      // A refused link keeps its text: the opening and closing tokens are dropped.
      openLinks.push(verdict !== 'refused');
      if (verdict === 'refused') continue;
      if (verdict === 'external') token.attrSet('rel', EXTERNAL_LINK_REL);
      // sanitize.ts refuses protocol-relative URLs (`//host/`, also what linkify
      // finds in text), which left an <a> without href: spell out the scheme.
      if (href.startsWith('//')) token.attrSet('href', new URL(href, `${origin}/`).href);
    } else if (token.type === 'link_close') {
      if (!openLinks.pop()) continue;
    } else if (token.type === 'image' && classify(token.attrGet('src') ?? '', origin) !== 'same-site') {
      const alt = new TokenClass('text', '', 0);
      alt.content = token.content;
      kept.push(alt);
      continue;
    }
    kept.push(token);
  }
  return kept;
}

function alignToClass(token: Token): void {
  const style = token.attrGet('style');
  if (style === null) return;
  const alignment = /^text-align:(\w+)$/.exec(style)?.[1];
  token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
  const className = alignment && ALIGNMENT_CLASS[alignment];
  if (className) token.attrJoin('class', className);
}

/** Installs the policy as the last core rule of `md`, for pages served from `origin`. */
export function linkPolicy(md: MarkdownIt, origin: string): void {
  // markdown-it's own check refuses to parse a javascript: or data: link at
  // all, so its whole source (`[text](javascript:...)`) was shown; the policy
  // decides instead, and a refused link keeps only its text. sanitize.ts
  // still checks every scheme again.
  md.validateLink = () => true;
  md.core.ruler.push('link_policy', (state) => {
    for (const token of state.tokens) {
      if (token.type === 'inline' && token.children) {
        token.children = applyToInline(token.children, origin, state.Token);
      } else if (token.type === 'th_open' || token.type === 'td_open') {
        alignToClass(token);
      } else if (token.type === 'heading_open' || token.type === 'heading_close') {
        // The page's own title is the h1: a post's headings start one level below.
        token.tag = `h${Math.min(Number(token.tag.slice(1)) + 1, 6)}`;
      }
    }
  });
}
