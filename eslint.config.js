import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ and what each may import (ARCHITECTURE.md): a lower layer never imports a
 * higher one, and nothing but the simulator's own files imports the simulator.
 */
const forbid = (files, patterns, why) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message: why }] }] },
});
const higherThanProvider = ['**/cli/**', '**/plugin.js', '**/index.js'];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.package-test/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Library code reports through debug, onWarning and errors; it never prints.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  forbid(['src/**/*.ts'], ['**/simulator/**'], 'Only the simulator imports the simulator (the CLI runs it as a process of its own).'),
  forbid(['src/simulator/**/*.ts'], ['**/http/**', '**/okta/**', '**/provider/**', '**/config/**', '**/cli/**', '**/util/**'], 'The simulator is an independent model of Okta: it imports nothing of the connector (but the SDK types).'),
  forbid(['src/util/**/*.ts'], ['../**'], 'util/ holds generic helpers: it imports nothing else of the connector.'),
  forbid(['src/{errors,clock,secret,sdk}.ts'], ['./*/**'], 'The base (errors, clock, secret, the SDK types) imports nothing above it.'),
  forbid(['src/okta/**/*.ts'], ['**/config/**', '**/http/**', '**/provider/**', ...higherThanProvider], 'okta/ (what Okta is) is below config, http and provider.'),
  forbid(['src/config/**/*.ts'], ['**/http/**', '**/provider/**', ...higherThanProvider], 'config/ is below http and provider.'),
  forbid(['src/http/**/*.ts'], ['**/provider/**', ...higherThanProvider], 'http/ (the REST client) never imports the provider.'),
  forbid(['src/provider/**/*.ts'], higherThanProvider, 'The provider never imports the CLI or the entry points.'),
  forbid(['src/provider/{identity,context,validate}.ts', 'src/provider/store/**/*.ts'], ['**/store/**', '**/reads/**', '**/sync/**', '**/resolve/**', '**/changes/**', '**/provider.js', '**/access.js'], 'The provider base (identity, context, validate) and the store are below the reads and the features.'),
  forbid(['src/provider/reads/**/*.ts'], ['**/sync/**', '**/resolve/**', '**/changes/**', '**/provider.js'], 'reads/ is below sync, resolve and changes.'),
  forbid(['src/provider/{sync,resolve,changes}/**/*.ts'], ['**/provider.js', '**/access.js'], 'The features are below the provider class.'),
  forbid(['src/provider/sync/**/*.ts'], ['**/resolve/**', '**/changes/**'], 'sync/, resolve/ and changes/ are features side by side: none imports another.'),
  forbid(['src/provider/resolve/**/*.ts'], ['**/sync/**', '**/changes/**'], 'sync/, resolve/ and changes/ are features side by side: none imports another.'),
  forbid(['src/provider/changes/**/*.ts'], ['**/sync/**', '**/resolve/**'], 'sync/, resolve/ and changes/ are features side by side: none imports another.'),
);
