// Which form field an API error is about, so the pages and the browser code
// put a message next to the right input.
import type { ErrorDetail } from '../errors.js';

/** Field name -> message, plus messages that belong to no field. */
export function fieldErrors(detail: ErrorDetail): { fields: Record<string, string>; general: string[] } {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  if (typeof detail === 'string') {
    const field = /^username/i.test(detail)
      ? 'username'
      : /^email/i.test(detail)
        ? 'email'
        : /password/i.test(detail)
          ? 'password'
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
