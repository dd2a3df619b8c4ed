// Errors raised on purpose, anywhere in the application. The error handler
// (src/plugins/errors.ts) answers them in the contract's shapes: `{detail}`
// with the status code, or a 422 listing every problem.
import type { ValidationDetail } from './schemas/errors.js';

export type { ValidationDetail };

/** The contract's `detail`: a message, or the problems of a 422. */
export type ErrorDetail = string | ValidationDetail[];

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

/** A 422 found by the application rather than by a route schema (a missing upload, a web form). */
export class RequestValidationError extends Error {
  readonly statusCode = 422;
  constructor(readonly details: ValidationDetail[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}

export const badRequest = (detail: string) => new HttpError(400, detail);
export const unauthorized = (detail: string) => new HttpError(401, detail, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail: string) => new HttpError(403, detail);
export const notFound = (detail: string) => new HttpError(404, detail);
export const conflict = (detail: string) => new HttpError(409, detail);
export const payloadTooLarge = (detail: string) => new HttpError(413, detail);
export const unsupportedMediaType = (detail: string) => new HttpError(415, detail);
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new HttpError(429, detail, { 'retry-after': String(retryAfterSeconds) });
