// Request validation. Bodies are validated strictly (a number is not a
// string). Query and path values are always text on the wire: a value
// declared as an integer is converted only when it is written as a plain
// decimal integer, so "0x1", "1e0" or " 1" are 422s rather than aliases of 1.
// Errors are collected for every field, as the contract's 422 lists them all.
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { createAjv } from '../schemas/compile.js';
import { validationDetails, type ValidationDetail } from './errors.js';

const DECIMAL_INTEGER = /^-?\d{1,20}$/;

interface ObjectSchema {
  properties?: Record<string, { type?: unknown }>;
}

/** Validates query or path parameters after turning decimal integer text into numbers. */
function parameterValidator(validate: ValidateFunction, schema: ObjectSchema) {
  const integerFields = Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.type === 'integer')
    .map(([name]) => name);
  return (data: Record<string, unknown>) => {
    for (const name of integerFields) {
      const value = data[name];
      if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) data[name] = Number(value);
    }
    const valid = validate(data);
    return valid ? { value: data } : { error: Object.assign(new Error('validation failed'), { validation: validate.errors }) };
  };
}

export function installValidation(app: FastifyInstance): void {
  const bodies = createAjv();
  const parameters = createAjv();
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return bodies.compile(schema);
    return parameterValidator(parameters.compile(schema), schema as ObjectSchema);
  });
}

/**
 * For handlers that validate a body themselves (web forms that re-render with
 * messages): the contract's 422 details, or null when the body is valid.
 */
export function compileBodyValidator(schema: object): (data: unknown) => ValidationDetail[] | null {
  const validate = createAjv().compile(schema);
  return (data) => (validate(data) ? null : validationDetails(validate.errors as never, 'body'));
}
