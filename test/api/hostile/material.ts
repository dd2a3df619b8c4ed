// Hostile material: SQL, HTML, template, path and numeric payloads, unicode
// edge cases, and the code point arithmetic the properties need (the API
// counts text length in code points).

/** Marks every HTML payload, so an echo of the input can be told from the page's own markup. */
export const XSS = 'XSSPROBE';

export const SQL_PAYLOADS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  "'; DROP TABLE posts; --",
  '1; DELETE FROM posts',
  "' UNION SELECT password_hash, email FROM users --",
  "admin'--",
  "%' --",
  "\\'; --",
  '1 OR 1=1',
  "'); UPDATE users SET username='pwned' WHERE 1=1; --",
  'SELECT * FROM users WHERE id = 1',
  '$where: 1 == 1',
  '{"$gt": ""}',
];

export const HTML_PAYLOADS = [
  `<script>alert('${XSS}')</script>`,
  `"><script>${XSS}</script>`,
  `'><img src=x onerror=alert("${XSS}")>`,
  `" autofocus onfocus="alert('${XSS}')`,
  `</title><script>${XSS}</script>`,
  `</textarea><script>${XSS}</script>`,
  `<svg onload=${XSS}>`,
  `<iframe src="javascript:${XSS}">`,
  `javascript:alert('${XSS}')`,
  `<!--${XSS}-->`,
  `<SCRIPT SRC=//evil.example/${XSS}.js></SCRIPT>`,
];

const TEMPLATE_PAYLOADS = [
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '#{7*7}',
  '{{constructor.constructor("return process")()}}',
  '%s%s%s%n',
];

const PATH_PAYLOADS = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd%00.jpg',
  'file:///etc/passwd',
  '....//....//etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
];

const NUMERIC_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e9',
  '1e308',
  '0x1F',
  '0b1',
  '0o7',
  '١٢٣',
  '１２３',
  ' 1 ',
  '',
  '9'.repeat(40),
  '2147483648',
  '-1',
  '1.5',
  'null',
  'undefined',
  'true',
];

/** Unicode edge cases, all well-formed (no lone surrogate, no NUL). */
const UNICODE_TEXT = [
  '\u202Eevil\u202C', // right-to-left override
  '\u200B', // zero width space
  '\u200D', // zero width joiner
  '\uFEFF', // byte order mark
  '\u2028\u2029', // line and paragraph separators
  '\u0085', // next line
  'e\u0301', // combining acute
  'Z\u0364\u0351\u0313a\u0308\u0347l\u036Eg\u0321o\u0316', // zalgo
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '😀',
  '\u{10FFFF}',
  '\uFFFD',
  '\uFFFE\uFFFF',
  'ﷺ',
  'I\u0307',
  'İı',
  'ß',
  'ǅ',
  'Ω',
  'K', // Kelvin sign
  '\r\n',
  '\t',
  '\u001B[31m',
  '\u007F',
  'مرحبا',
  'שָׁלוֹם',
  '日本語',
  '𝕳𝖊𝖑𝖑𝖔',
];

const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD83D', '\uDE00b', '\uDE00\uD83D'];

/** Well-formed text atoms: what a person could type, however hostile. */
export const TEXT_ATOMS = [
  ...SQL_PAYLOADS,
  ...HTML_PAYLOADS,
  ...TEMPLATE_PAYLOADS,
  ...PATH_PAYLOADS,
  ...NUMERIC_STRINGS.filter(Boolean),
  ...UNICODE_TEXT,
];
/** Everything, including NUL and lone surrogates. */
export const ATOMS = [...TEXT_ATOMS, '\u0000', 'a\u0000b', '\u0000'.repeat(8), ...LONE_SURROGATES];

/** The code points of a text (a lone surrogate counts as one). */
export const codePoints = (text: string) => Array.from(text);
export const codePointLength = (text: string) => codePoints(text).length;
export const takeCodePoints = (text: string, n: number) => codePoints(text).slice(0, n).join('');

/** `unit` repeated until the text is exactly `n` code points long. */
export function repeatToCodePoints(unit: string, n: number): string {
  const units = codePoints(unit);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i += 1) out[i] = units[i % units.length] ?? '';
  return out.join('');
}

export const fromCodePoints = (points: number[]) => points.map((point) => String.fromCodePoint(point)).join('');
export const hasLoneSurrogate = (text: string) => /\p{Surrogate}/u.test(text);
export const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Header values must be representable on the wire (no CR, LF or other controls but tab). */
export const headerSafe = (text: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(text);

/** Text that can sit inside a quoted part header parameter without ending it. */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters that would end the parameter
export const partParameter = (text: string) => /^[^\r\n"\\\u0000]*$/.test(text) && !hasLoneSurrogate(text);
