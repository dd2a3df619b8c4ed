// The one ajv configuration schemas are compiled with: request validation
// (src/plugins/validation.ts) and the export file of `npm run import`.
// Every error is collected, as the contract's 422 lists them all.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives one level down under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    removeAdditional: true,
    strict: false,
    coerceTypes: false,
    ...options,
  });
  addFormats(ajv, ['email', 'date-time', 'uri']);
  return ajv;
}
