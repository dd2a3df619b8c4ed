// What a search query means, in one place: the words the databases look for
// (src/repositories/posts/search.ts) and the words the pages highlight, on the
// server and in the browser alike. A word is a run of letters and digits; a
// word followed by `*` matches as a prefix. Everything else in a query is a
// separator, so no character a user types can reach a query language.

export interface SearchTerm {
  /** Letters and digits only, lower-cased. */
  word: string;
  prefix: boolean;
}

/** Letters, digits and private-use characters: what SQLite's unicode61 tokenizer keeps in a token. */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/** The distinct words of a query, in the order typed (none for a query without letters or digits). */
export function searchTerms(query: string): SearchTerm[] {
  const terms = new Map<string, SearchTerm>();
  for (const match of query.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    const prefix = query[match.index + match[0].length] === '*';
    const key = `${word}${prefix ? '*' : ''}`;
    // "word" already asks for more than "word*" does not: both are kept, each narrows the result.
    if (!terms.has(key)) terms.set(key, { word, prefix });
  }
  return [...terms.values()];
}

/** A piece of shown text: `mark` when it is a word that the query matched. */
export interface Segment {
  text: string;
  mark: boolean;
}

const matchesTerm = (word: string, terms: readonly SearchTerm[]) => {
  const lower = word.toLowerCase();
  return terms.some((term) => (term.prefix ? lower.startsWith(term.word) : lower === term.word));
};

/** `text` cut into plain and matched pieces (joined, they are `text` again). */
export function highlight(text: string, terms: readonly SearchTerm[]): Segment[] {
  const segments: Segment[] = [];
  let plain = 0;
  for (const match of text.matchAll(WORD)) {
    if (!matchesTerm(match[0], terms)) continue;
    if (match.index > plain) segments.push({ text: text.slice(plain, match.index), mark: false });
    segments.push({ text: match[0], mark: true });
    plain = match.index + match[0].length;
  }
  if (plain < text.length) segments.push({ text: text.slice(plain), mark: false });
  return segments;
}

/** Characters of a snippet, about. */
export const SNIPPET_LENGTH = 200;
/** How much of the text before the first match a snippet shows. */
const LEAD = 60;

/**
 * A short passage of `text` around its first matched word, cut at word
 * boundaries, with "…" where it was cut; the start of the text when no word
 * matched (the post matched in its title).
 */
export function snippet(text: string, terms: readonly SearchTerm[], length = SNIPPET_LENGTH): Segment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  let first = 0;
  for (const match of flat.matchAll(WORD)) {
    if (matchesTerm(match[0], terms)) {
      first = match.index;
      break;
    }
  }
  let start = Math.max(0, first - LEAD);
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space === -1 || space >= first ? first : space + 1;
  }
  let end = Math.min(flat.length, start + length);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > first) end = space;
  }
  const passage = `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
  return highlight(passage, terms);
}
