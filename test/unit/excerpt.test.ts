// A post's excerpt (docs/api.md, "Delivery"): the plain text of its rendered
// Markdown, about EXCERPT_LENGTH characters, cut at a word with an ellipsis
// when cut; a short post whole.
import { describe, expect, it } from 'vitest';
import { cutAtWord, EXCERPT_LENGTH, excerptOf, htmlToText } from '../../src/markdown/excerpt.js';
import { renderMarkdown } from '../../src/markdown/index.js';

const excerpt = (markdown: string) => excerptOf(renderMarkdown(markdown, 'https://blog.example'));

describe('the excerpt of a post', () => {
  it('is its text: markup removed, entities decoded, whitespace collapsed', () => {
    expect(excerpt('Some **bold** and [a link](https://example.com) &amp; `a < b`')).toBe(
      'Some bold and a link & a < b',
    );
    expect(excerpt('Raw <b onclick="x()">HTML</b> stays text')).toBe('Raw <b onclick="x()">HTML</b> stays text');
    expect(excerpt('one\nline   break')).toBe('one line break');
  });

  it('joins headings, paragraphs, lists, quotes, code blocks and tables with spaces', () => {
    const markdown = [
      '# Title',
      'Para.',
      '- one\n- two',
      '> quoted',
      '```\ncode\nblock\n```',
      '| a | b |\n|---|---|\n| c | d |',
    ];
    expect(excerpt(markdown.join('\n\n'))).toBe('Title Para. one two quoted code block a b c d');
  });

  it('is a short post whole, without an ellipsis', () => {
    const text = 'word '.repeat(EXCERPT_LENGTH / 5).trim();
    expect(text.length).toBeLessThanOrEqual(EXCERPT_LENGTH);
    expect(excerpt(text)).toBe(text);
  });

  it('is cut at a word, with an ellipsis, within the length', () => {
    const text = Array.from({ length: 200 }, (_, index) => `word${index}`).join(' ');
    const cut = excerpt(text);
    expect(cut.length).toBeLessThanOrEqual(EXCERPT_LENGTH);
    expect(cut.length).toBeGreaterThan(EXCERPT_LENGTH - 12);
    expect(cut.endsWith('…')).toBe(true);
    const words = cut.slice(0, -1).split(' ');
    expect(words).toEqual(text.split(' ').slice(0, words.length));
  });

  it('of a 100,000-character post is its start, and the same as from the whole text', () => {
    const paragraph = `${'Lorem ipsum **dolor** sit amet, [consectetur](https://example.com) elit. '.repeat(10)}\n\n`;
    const html = renderMarkdown(paragraph.repeat(200).slice(0, 100_000), 'https://blog.example');
    expect(excerptOf(html)).toBe(cutAtWord(htmlToText(html), EXCERPT_LENGTH));
    expect(excerptOf(html)).toMatch(/^Lorem ipsum dolor sit amet, consectetur elit\. Lorem .*…$/);
  });

  it('takes enough text even when the start of the HTML is mostly markup', () => {
    const links = Array.from({ length: 200 }, (_, index) => `[w${index}](https://example.com/${'x'.repeat(80)})`);
    const html = renderMarkdown(links.join(' '), 'https://blog.example');
    expect(excerptOf(html)).toBe(cutAtWord(htmlToText(html), EXCERPT_LENGTH));
    expect(excerptOf(html).length).toBeGreaterThan(EXCERPT_LENGTH - 10);
  });

  it('is empty for a post with no text (an image alone)', () => {
    expect(excerptOf('<p><img src="/static/a.png" alt="A"></p>')).toBe('');
  });
});
