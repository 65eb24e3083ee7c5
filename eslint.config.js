// Lint rules for the whole repository: correctness and layering only, no formatting rules.
// TypeScript files are linted with type information (the tsconfig.json program); the few plain
// JavaScript files (this config, the service worker, the build check) without it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import { noTypeImportCycle } from './scripts/eslint/no-type-import-cycle.js';

export default defineConfig(
  { ignores: ['dist/', 'data/', 'node_modules/', '.vitest-attachments/', 'test-results/', '**/__screenshots__/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, local: { rules: { 'no-type-import-cycle': noTypeImportCycle } } },
    settings: { 'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'] },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Layering: no module may reach itself through its imports, types included.
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
      'local/no-type-import-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',

      // Promises: a forgotten await hides a failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',

      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'error',
      // An async method that does not await still has an async contract (Comlink endpoints,
      // interfaces that other implementations fulfil with real awaits).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['workers/**/*.ts'],
    languageOptions: { globals: globals.worker },
  },
  {
    files: ['server/**/*.ts', 'scripts/**/*.{ts,js,mjs}', 'tests/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['public/sw.js'],
    languageOptions: { globals: globals.serviceworker, sourceType: 'script' },
  },
  {
    // Plain JavaScript is outside the tsconfig program: lint it without type information.
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { 'local/no-type-import-cycle': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
