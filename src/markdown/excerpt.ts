// The plain text of a post's rendered HTML: its excerpt on listing pages and
// in the API, and the description of its page. Only the start of the text is
// ever needed, so the HTML is parsed a chunk at a time until enough text is
// in hand: a 100,000-character post costs what a short one does.
import { Parser } from 'htmlparser2';

/** About how long an excerpt is, in characters (a post's first paragraph or two). */
export const EXCERPT_LENGTH = 300;
const CHUNK = 2 * 1024;

// The elements after which text is a new word; inline ones (a, em, code…) join it.
const BLOCKS = new Set(
  'address article aside blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li ol p pre section table tbody td tfoot th thead tr ul'.split(
    ' ',
  ),
);

/**
 * The text of rendered HTML, entities decoded, blocks kept apart by a space
 * and whitespace collapsed; with `enough`, parsing stops once at least that
 * many characters of text are in hand (the rest may be missing).
 */
export function htmlToText(html: string, enough = Infinity): string {
  const parts: string[] = [];
  let length = 0;
  const add = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  const parser = new Parser(
    {
      ontext: add,
      onopentag: (name) => {
        if (BLOCKS.has(name)) add(' ');
      },
      onclosetag: (name) => {
        if (BLOCKS.has(name)) add(' ');
      },
    },
    { decodeEntities: true },
  );
  const collapsed = () => parts.join('').replace(/\s+/g, ' ').trim();
  // Collapsing shortens the text: `length` counts before it, so it is checked again after.
  for (let at = 0; at < html.length; at += CHUNK) {
    parser.write(html.slice(at, at + CHUNK));
    if (length > enough && collapsed().length > enough) return collapsed();
  }
  parser.end();
  return collapsed();
}

/** At most `max` characters of `text`, cut at a word when there is one, with an ellipsis when cut. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** A post's excerpt: the start of its text, cut at a word (whole, without an ellipsis, when short). */
export function excerptOf(html: string, max = EXCERPT_LENGTH): string {
  return cutAtWord(htmlToText(html, max), max);
}
