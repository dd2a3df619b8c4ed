/**
 * Where login may lead: only a path on this site. Browsers drop tabs and
 * newlines and read "\\" as "/", so "/\t/evil.example" or "/\\evil.example"
 * would lead elsewhere: such values, and anything that resolves to another
 * origin, fall back to "/".
 */
export function safeNextPath(next: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (!next?.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  const base = 'http://site.invalid';
  try {
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
