// fetch() for the JSON API. The session is the HttpOnly cookie the browser
// sends by itself: no token is ever visible to this code.
import type { ErrorDetail } from '../src/errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
  ) {
    super(typeof detail === 'string' ? detail : 'The request was not valid');
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof URLSearchParams) {
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => null)) as { detail?: ErrorDetail } | null;
  if (!response.ok) {
    if (response.status === 401 && url.startsWith('/api/')) {
      throw new ApiError(401, 'Your session has ended. Please log in again.');
    }
    throw new ApiError(response.status, data?.detail ?? `The server answered ${response.status}.`);
  }
  return data as T;
}
