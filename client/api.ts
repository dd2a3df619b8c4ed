// The JSON API client, typed by client/api-schema.d.ts (generated from the
// OpenAPI document by npm run build:api), so a path, a parameter or a body
// the API does not have fails to compile. The session is the HttpOnly cookie
// the browser sends by itself: no token is ever visible to this code.
// `answer` turns what openapi-fetch returns into the data or an ApiError.
import createClient from 'openapi-fetch';
import type { ErrorDetail } from '../src/errors.js';
import type { paths } from './api-schema.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
  ) {
    super(typeof detail === 'string' ? detail : 'The request was not valid');
  }
}

export const api = createClient<paths>({ credentials: 'same-origin', headers: { accept: 'application/json' } });

/** The data of a successful answer; an ApiError for an error answer or no answer at all. */
export async function answer<Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Exclude<Data, undefined>> {
  let result: Awaited<typeof pending>;
  try {
    result = await pending;
  } catch {
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  const { response } = result;
  if (response.ok) return result.data as Exclude<Data, undefined>;
  throw failure(response.status, result.error, '/api/');
}

/** The ApiError of an error answer; a 401 of the API means the session cookie has expired or was revoked. */
function failure(status: number, body: unknown, url: string): ApiError {
  if (status === 401 && url.startsWith('/api/'))
    return new ApiError(401, 'Your session has ended. Please log in again.');
  const detail = (body as { detail?: ErrorDetail } | null | undefined)?.detail;
  return new ApiError(status, detail ?? `The server answered ${status}.`);
}

/**
 * A JSON answer from a URL the page gives: a page's form (login,
 * registration: not the API), or the next page of a list whose API URL the
 * server wrote into the page. Errors as ApiError.
 */
export async function fetchJson<Answer>(url: string, form?: Record<string, string>): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { accept: 'application/json' },
      body: form && new URLSearchParams(form),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw failure(response.status, body, url);
  return body as Answer;
}

/** A multipart body as openapi-fetch sends it: FormData goes out as is, with the browser's boundary. */
export const multipart = <Fields>(data: FormData) => data as unknown as NonNullable<Fields>;
