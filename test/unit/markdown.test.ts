// The Markdown of posts (docs/api.md, Publishing: "Markdown"): CommonMark with
// GFM tables, strikethrough, task lists and autolinks; raw HTML shown as text;
// only http, https and mailto links, external ones with rel="nofollow ugc
// noopener"; images only from the site's own origin.
import { afterAll, describe, expect, it } from 'vitest';
import { createMarkdownRenderer, EXTERNAL_LINK_REL, renderMarkdown } from '../../src/markdown/index.js';
import { assertSafeHtml, XSS_PAYLOADS } from '../helpers/xss.js';

const ORIGIN = 'https://blog.example';
const render = (markdown: string) => renderMarkdown(markdown, ORIGIN);

describe('Markdown posts: the syntax', () => {
  it('renders CommonMark: headings (one level below the page title), emphasis, code, quotes, lists and rules', () => {
    expect(render('# Title\n\n## Part')).toBe('<h2>Title</h2>\n<h3>Part</h3>\n');
    expect(render('###### Six')).toBe('<h6>Six</h6>\n');
    expect(render('*em* **strong** `a < b`')).toBe(
      '<p><em>em</em> <strong>strong</strong> <code>a &lt; b</code></p>\n',
    );
    expect(render('```ts\nconst a = 1 && 2;\n```')).toBe(
      '<pre><code class="language-ts">const a = 1 &amp;&amp; 2;\n</code></pre>\n',
    );
    expect(render('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>\n');
    expect(render('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');
    expect(render('3. three\n4. four')).toBe('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n');
    expect(render('above\n\n---\n\nbelow')).toBe('<p>above</p>\n<hr />\n<p>below</p>\n');
  });

  it('renders plain text as before Markdown: a line break stays one, a blank line makes a paragraph', () => {
    expect(render('Dear reader,\nthank you.\n\nBye')).toBe('<p>Dear reader,<br />\nthank you.</p>\n<p>Bye</p>\n');
  });

  it('renders GFM tables with their alignment as Bootstrap classes, never a style attribute', () => {
    const html = render('| Left | Center | Right | None |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |');
    expect(html).toContain('<th class="text-start">Left</th>\n<th class="text-center">Center</th>');
    expect(html).toContain('<th class="text-end">Right</th>\n<th>None</th>');
    expect(html).toContain(
      '<td class="text-start">1</td>\n<td class="text-center">2</td>\n<td class="text-end">3</td>',
    );
    expect(html).not.toContain('style');
  });

  it('renders strikethrough', () => {
    expect(render('~~gone~~ stays')).toBe('<p><s>gone</s> stays</p>\n');
  });

  it('renders task lists as disabled checkboxes named Done or Not done', () => {
    expect(render('- [ ] to do\n- [x] done')).toBe(
      '<ul class="task-list-container">\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled aria-label="Not done" /> to do</li>\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled checked aria-label="Done" /> done</li>\n' +
        '</ul>\n',
    );
  });

  it('links URLs and e-mail addresses, in angle brackets or bare', () => {
    const rel = `rel="${EXTERNAL_LINK_REL}"`;
    expect(render('<https://example.com/a>')).toBe(
      `<p><a href="https://example.com/a" ${rel}>https://example.com/a</a></p>\n`,
    );
    expect(render('see https://example.com/b.')).toBe(
      `<p>see <a href="https://example.com/b" ${rel}>https://example.com/b</a>.</p>\n`,
    );
    expect(render('www.example.com')).toBe(`<p><a href="http://www.example.com" ${rel}>www.example.com</a></p>\n`);
    expect(render('<me@example.com>')).toBe(`<p><a href="mailto:me@example.com" ${rel}>me@example.com</a></p>\n`);
  });

  it('shows raw HTML as text, escaped and visible', () => {
    expect(render('<b>bold</b> & <i onclick="x()">it</i>')).toBe(
      '<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i onclick="x()"&gt;it&lt;/i&gt;</p>\n',
    );
    expect(render('<div>\nblock\n</div>')).toBe('<p>&lt;div&gt;<br />\nblock<br />\n&lt;/div&gt;</p>\n');
  });
});

describe('Markdown posts: links and images', () => {
  it('leaves links within the site without rel, and gives external ones rel="nofollow ugc noopener"', () => {
    expect(render('[a](/posts/1) [b](https://blog.example/about) [c](#top)')).toBe(
      '<p><a href="/posts/1">a</a> <a href="https://blog.example/about">b</a> <a href="#top">c</a></p>\n',
    );
    expect(render('[a](https://example.com/x "Title") [m](mailto:me@example.com)')).toBe(
      `<p><a href="https://example.com/x" title="Title" rel="${EXTERNAL_LINK_REL}">a</a> ` +
        `<a href="mailto:me@example.com" rel="${EXTERNAL_LINK_REL}">m</a></p>\n`,
    );
  });

  it('writes a protocol-relative link out with the scheme, so it stays a link', () => {
    expect(render('[a](//example.com/x)')).toBe(
      `<p><a href="https://example.com/x" rel="${EXTERNAL_LINK_REL}">a</a></p>\n`,
    );
  });

  it.each([
    ['javascript:', '[click](javascript:alert(1))'],
    ['javascript: by reference', '[click][x]\n\n[x]: javascript:alert(1)'],
    ['JavaScript: with entities', '[click](&#x6A;ava&#x53;cript&colon;alert(1))'],
    ['vbscript:', '[click](vbscript:msgbox(1))'],
    ['data:', '[click](data:text/html;base64,PHNjcmlwdD4=)'],
    ['data:image', '[click](data:image/png;base64,iVBORw0KGgo=)'],
  ])('drops a %s link and keeps its text', (_scheme, markdown) => {
    expect(render(markdown)).toBe('<p>click</p>\n');
  });

  it('shows an autolink of a refused scheme as plain text', () => {
    expect(render('<javascript:alert(1)>')).toBe('<p>javascript:alert(1)</p>\n');
  });

  it('keeps images from the site itself', () => {
    expect(render('![a](/media/a.png) ![b](https://blog.example/media/b.png "B")')).toBe(
      '<p><img src="/media/a.png" alt="a" /> <img src="https://blog.example/media/b.png" alt="b" title="B" /></p>\n',
    );
  });

  it.each([
    ['another site', '![the alt](https://example.com/a.png)'],
    ['a protocol-relative URL', '![the alt](//example.com/a.png)'],
    ['the site over plain http', '![the alt](http://blog.example/a.png)'],
    ['a data: URL', '![the alt](data:image/png;base64,iVBORw0KGgo=)'],
    ['an svg data: URL', '![the alt](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['a javascript: URL', '![the alt](javascript:alert(1))'],
  ])('replaces an image from %s by its alt text', (_source, markdown) => {
    expect(render(markdown)).toBe('<p>the alt</p>\n');
  });
});

describe('Markdown posts: hostile input', () => {
  it('has a corpus of distinct payloads', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(XSS_PAYLOADS.map((payload) => payload.name)).size).toBe(XSS_PAYLOADS.length);
  });

  it.each(XSS_PAYLOADS)('renders $name safely', ({ markdown }) => {
    assertSafeHtml(render(markdown), ORIGIN);
  });

  it('the safety check itself refuses what it must', () => {
    const refused = [
      '<script>alert(1)</script>',
      '<p onclick="x()">a</p>',
      '<p style="color:red">a</p>',
      '<h2 id="top">a</h2>',
      '<a href="javascript:alert(1)">a</a>',
      '<a href=" JaVa&#x09;Script:alert(1)">a</a>',
      '<a href="https://example.com/">a</a>',
      '<a href="https://example.com/" rel="nofollow">a</a>',
      '<img src="https://example.com/a.png" alt="">',
      '<img src="//example.com/a.png" alt="">',
      '<input type="text">',
      '<iframe src="/"></iframe>',
    ];
    for (const html of refused) {
      expect(() => {
        assertSafeHtml(html, ORIGIN);
      }, html).toThrow();
    }
    assertSafeHtml(`<p><a href="/a">a</a> <a href="https://example.com/" rel="${EXTERNAL_LINK_REL}">b</a></p>`, ORIGIN);
  });
});

describe('Markdown posts: long posts', () => {
  const renderer = createMarkdownRenderer(ORIGIN);
  afterAll(() => renderer.close());

  // Every construct once, repeated past the 4,000 characters kept on the event loop.
  const section =
    '## Part\n\nSome *text* with [a link](https://example.com/) and ![a picture](/media/p.png).\n' +
    'A second line.\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] not yet\n\n' +
    '```js\nconst x = "<b>";\n```\n\n<script>alert(1)</script> [bad](javascript:alert(1))\n\n';

  it('renders a long post on the worker thread exactly as on the event loop', async () => {
    const source = section.repeat(Math.ceil(5_000 / section.length));
    expect(source.length).toBeGreaterThan(4_000);
    const html = await renderer.render(source);
    expect(html).toBe(renderMarkdown(source, ORIGIN));
    expect(html).toContain('<td class="text-center">1</td>');
    assertSafeHtml(html, ORIGIN);
  });

  it('renders a post of 100,000 characters', async () => {
    const source = section.repeat(Math.ceil(100_000 / section.length)).slice(0, 100_000);
    const html = await renderer.render(source);
    expect(html).toContain('<h3>Part</h3>');
    expect(html.match(/<h3>/g)?.length).toBe(source.match(/^## /gm)?.length);
  });

  it('renders a short post the same way through the renderer', async () => {
    expect(await renderer.render('**short**')).toBe('<p><strong>short</strong></p>\n');
  });
});
