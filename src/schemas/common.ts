import { Type } from 'typebox';

/**
 * Text must be storable as UTF-8 by both databases: no NUL (PostgreSQL
 * refuses it) and no unpaired UTF-16 surrogate (it cannot be encoded and would
 * come back changed). ajv compiles patterns with the `u` flag, so a valid
 * surrogate pair is one code point and passes.
 */
export const NO_NUL = '^[^\\u0000\\ud800-\\udfff]*$';

export const Text = (min: number, max: number, description?: string) =>
  Type.String({ minLength: min, maxLength: max, pattern: NO_NUL, ...(description ? { description } : {}) });

export const Id = (description: string) => Type.Integer({ description });

export const PageQuery = (defaultLimit: number) =>
  Type.Object({
    skip: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Posts to skip' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: defaultLimit, description: 'Posts to return (1-100)' }),
  });

export const NoContent = Type.Null({ description: 'No content' });

/**
 * The security requirement of routes that need a signed-in user, who shows
 * a bearer token or the web session cookie; the auth plugin enforces it.
 */
export const bearerAuth: Record<string, string[]>[] = [{ OAuth2PasswordBearer: [] }, { SessionCookie: [] }];

/** Body limit of routes whose bodies are a few short fields (accounts, passwords, forms). */
export const SMALL_BODY_LIMIT = 16 * 1024;
