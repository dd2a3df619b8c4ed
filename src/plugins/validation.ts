// Request validation. Bodies are validated strictly (a number is not a
// string), while query and path values, which are always text on the wire,
// are coerced to the declared integer type. Errors are collected for every
// field, as the contract's 422 lists them all.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS; its default export arrives one level down under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: true, strict: false, ...options });
  addFormats(ajv, ['email', 'date-time', 'uri']);
  return ajv;
}

export function installValidation(app: FastifyInstance): void {
  const bodies = createAjv({ coerceTypes: false });
  const parameters = createAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : parameters).compile(schema));
}
