// ESLint: typescript-eslint's strict and stylistic type-checked rules over all
// TypeScript (server, browser code, tests, bench). Formatting is Prettier's
// (eslint-config-prettier turns off the rules it owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // client/api-schema.d.ts is generated (npm run build:api).
  { ignores: ['dist/', 'public/build/', 'node_modules/', 'coverage/', 'data/', 'client/api-schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // Numbers in messages and URLs are the common case and always print well.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `value || fallback` on text is meant: an empty environment variable or form field counts as unset.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    },
  },
  {
    files: ['client/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
