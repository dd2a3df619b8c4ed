// Which form field an API error is about, so the pages and the browser code
// put a message next to the right input.
import type { ErrorDetail } from '../errors.js';

/**
 * Field name -> message, plus messages that belong to no field. Given the
 * fields a form `shows`, a message about any other field (a hidden one, or a
 * "password" that a form without one reads in a 429's wording) goes with the
 * general messages, so it is never lost.
 */
export function fieldErrors(
  detail: ErrorDetail,
  shows?: readonly string[],
): { fields: Record<string, string>; general: string[] } {
  const { fields, general } = byField(detail);
  if (!shows) return { fields, general };
  const shown = Object.entries(fields).filter(([name]) => shows.includes(name));
  const elsewhere = Object.entries(fields).filter(([name]) => !shows.includes(name));
  return { fields: Object.fromEntries(shown), general: [...general, ...elsewhere.map(([, message]) => message)] };
}

function byField(detail: ErrorDetail): { fields: Record<string, string>; general: string[] } {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  if (typeof detail === 'string') {
    const field = /^username/i.test(detail)
      ? 'username'
      : /^email/i.test(detail)
        ? 'email'
        : /password/i.test(detail)
          ? 'password'
          : detail.startsWith('Invalid two-factor code')
            ? 'code'
            : undefined;
    if (field) fields[field] = detail;
    else general.push(detail);
    return { fields, general };
  }
  for (const item of detail) {
    const field = item.loc.length > 1 ? String(item.loc[item.loc.length - 1]) : undefined;
    if (field && !(field in fields)) fields[field] = item.msg;
    else if (!field) general.push(item.msg);
  }
  return { fields, general };
}
