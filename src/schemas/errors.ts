import { Type, type Static, type TSchema } from 'typebox';

export const ErrorResponse = Type.Object(
  { detail: Type.String({ examples: ['Post not found'] }) },
  { $id: 'ErrorResponse', description: 'An HTTP error' },
);

/** One problem of a 422: where it is (`["body", "title"]`), what is wrong, and its kind. */
export const ValidationDetail = Type.Object({
  loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
  msg: Type.String(),
  type: Type.String(),
});
export type ValidationDetail = Static<typeof ValidationDetail>;

export const ValidationErrorResponse = Type.Object(
  { detail: Type.Array(ValidationDetail) },
  { $id: 'ValidationErrorResponse', description: 'The request did not pass validation' },
);

/** An answer that only says something (202 Accepted): the same shape as an error's. */
export const Message = Type.Object({ detail: Type.String() });

const errorRef = Type.Ref('ErrorResponse');
const validationRef = Type.Ref('ValidationErrorResponse');

/** Response schemas for the error statuses a route can answer, for the documentation. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 422 | 429)[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, status === 422 ? validationRef : errorRef]));
}
