// Request validation. Bodies are validated strictly (a number is not a
// string). Query and path values are always text on the wire: a value
// declared as an integer is converted only when it is written as a plain
// decimal integer, so "0x1", "1e0" or " 1" are 422s rather than aliases of 1.
// ajv's errors become the contract's 422 details, worded as FastAPI words them.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ValidationDetail } from '../errors.js';
import { createAjv } from '../schemas/compile.js';

const DECIMAL_INTEGER = /^-?\d{1,20}$/;

/** Where each part of a request is, in a detail's `loc`. */
const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function describe(error: ErrorObject): { msg: string; type: string } {
  const p = error.params as {
    limit?: number;
    type?: string;
    format?: string;
    allowedValue?: unknown;
    allowedValues?: unknown;
  };
  switch (error.keyword) {
    case 'required':
      return { msg: 'Field required', type: 'missing' };
    case 'minLength':
      return {
        msg: `String should have at least ${p.limit} character${p.limit === 1 ? '' : 's'}`,
        type: 'string_too_short',
      };
    case 'maxLength':
      return { msg: `String should have at most ${p.limit} characters`, type: 'string_too_long' };
    case 'minimum':
      return { msg: `Input should be greater than or equal to ${p.limit}`, type: 'greater_than_equal' };
    case 'maximum':
      return { msg: `Input should be less than or equal to ${p.limit}`, type: 'less_than_equal' };
    case 'type':
      if (p.type === 'integer') return { msg: 'Input should be a valid integer', type: 'int_parsing' };
      if (p.type === 'object') return { msg: 'Input should be a valid object', type: 'model_attributes_type' };
      return { msg: `Input should be a valid ${p.type}`, type: `${p.type}_type` };
    case 'format':
      if (p.format === 'email') return { msg: 'value is not a valid email address', type: 'value_error' };
      return { msg: `Input should be a valid ${p.format}`, type: 'value_error' };
    case 'pattern':
      return {
        msg: 'String should not contain NUL characters or unpaired surrogates',
        type: 'string_pattern_mismatch',
      };
    case 'const':
    case 'enum':
      return { msg: `Input should be ${JSON.stringify(p.allowedValue ?? p.allowedValues)}`, type: 'literal_error' };
    default:
      return { msg: error.message ?? 'Invalid value', type: error.keyword };
  }
}

/** ajv's errors for one part of the request (`body`, `querystring`, `params`) as the contract's 422 details. */
export function validationDetails(errors: ErrorObject[], part: string): ValidationDetail[] {
  return errors.map((error) => {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    return { loc: [LOCATION[part] ?? part, ...path], ...describe(error) };
  });
}

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
    return valid
      ? { value: data }
      : { error: Object.assign(new Error('validation failed'), { validation: validate.errors }) };
  };
}

/**
 * For handlers that validate a body themselves (web forms that re-render with
 * messages): the contract's 422 details, or null when the body is valid.
 */
export function compileBodyValidator(schema: object): (data: unknown) => ValidationDetail[] | null {
  const validate = createAjv().compile(schema);
  return (data) => (validate(data) ? null : validationDetails(validate.errors ?? [], 'body'));
}

export default fp(
  function validation(app: FastifyInstance, _options: unknown, done: () => void) {
    const bodies = createAjv();
    const parameters = createAjv();
    app.setValidatorCompiler(({ schema, httpPart }) => {
      if (httpPart === 'body') return bodies.compile(schema);
      return parameterValidator(parameters.compile(schema), schema as ObjectSchema);
    });
    done();
  },
  { name: 'validation' },
);
