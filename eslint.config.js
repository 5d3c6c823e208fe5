// One lint configuration for the whole tree (`npm run lint`, also run by `npm test`). Type-aware rules are left
// out on purpose: `tsc` already runs per workspace, and linting stays fast enough to run on every test.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Nothing depends on the backend: shared shapes live in @dxoc/contracts. */
const noBackendImports = {
  patterns: [
    { group: ['@dxoc/backend', '@dxoc/backend/*'], message: 'nothing depends on the backend: shared shapes live in @dxoc/contracts' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/.dxoc/**',
      '**/test-artifacts/**',
      'load-tests/scenarios/**',
      'frontend/public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // a workspace reaches another only through its package name and exports, never through its files
      'import-x/no-relative-packages': 'error',
      'no-restricted-imports': ['error', noBackendImports],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // the wall and the console
    files: ['frontend/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // useLoad(load, deps) takes its deps as useEffect does: check them at every call
      'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^useLoad$' }],
    },
  },
  {
    // configuration is read and validated once: only the config modules (and the agent's entry, which hands the
    // environment to its config) read process.env
    files: ['backend/src/**', 'ingest/src/**', 'contracts/src/**', 'dashboards/src/**', 'frontend/src/**'],
    ignores: [
      'backend/src/config/config.ts',
      'ingest/src/agent/config.ts',
      'ingest/src/agent/main.ts',
      'contracts/src/testing/**',
      '**/*.test.ts',
    ],
    rules: { 'no-process-env': 'error' },
  },
  {
    // tests may use non-null assertions freely, and read JSON answers without declaring their every shape
    files: ['**/*.test.ts', '**/test/**', '**/e2e/**', '**/bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
