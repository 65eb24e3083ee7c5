// Lint rules for the whole repository: correctness and layering only, no formatting rules.
// TypeScript files are linted with type information (the tsconfig.json program); the few plain
// JavaScript files (this config, the service worker, the build check) without it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import { noTypeImportCycle } from './scripts/eslint/no-type-import-cycle.js';

const SRC = ['src/engine', 'src/energy', 'src/lab', 'src/ui', 'src/results', 'src/i18n', 'src/bench'];
const OUTSIDE = ['workers', 'kernels', 'server', 'scripts', 'tests'];
/** @param {string} target @param {string[]} from @param {string} why */
const zone = (target, from, why) => ({ target: `./${target}`, from: from.map((f) => `./${f}`), message: why });
const except = (list, ...keep) => list.filter((x) => !keep.includes(x));
const LAYER_ZONES = [
  zone('src/shared', [...SRC, ...OUTSIDE], 'src/shared is the bottom layer (types, schema, pure helpers used by the app and the server).'),
  zone('kernels', [...SRC, ...except(OUTSIDE, 'kernels')], 'kernels know nothing of models, the engine or the app; only src/shared.'),
  zone('src/engine', [...except(SRC, 'src/engine'), ...except(OUTSIDE, 'kernels')], 'the engine imports only kernels and src/shared.'),
  zone('src/energy', [...except(SRC, 'src/energy'), ...OUTSIDE], 'the energy model is pure: src/shared and data/ only.'),
  zone('src/i18n', [...except(SRC, 'src/i18n'), ...OUTSIDE], 'the dictionaries know nothing of the app: src/shared at most.'),
  zone('src/results', ['src/engine', 'src/lab', 'src/ui', 'src/bench', ...OUTSIDE], 'results (history, upload) sit below the UI and beside the lab.'),
  zone('src/lab', ['src/ui', 'src/results', 'src/bench', ...OUTSIDE], 'the lab client never reaches up into the UI.'),
  zone('src/ui', ['src/bench', ...OUTSIDE], 'the UI talks to the worker through src/lab only.'),
  zone('workers', ['src/ui', 'src/results', 'src/bench', 'server', 'scripts', 'tests'], 'the worker exposes the engine; it knows nothing of the UI.'),
  zone('server', [...SRC, 'workers', 'kernels', 'scripts', 'tests'], 'the server shares only src/shared with the app.'),
  zone('scripts', ['tests'], 'scripts never import tests: move what both need to src/shared.'),
];

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
      // Layering (docs/ARCHITECTURE.md): data flows UI → lab → worker → engine → kernels, and each
      // layer imports only the layers below it. Types included, except where noted.
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
      'import-x/no-duplicates': 'error',

      // Promises: a forgotten await hides a failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',

      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
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
    // A file a newcomer can read in one sitting. Dictionaries and data are exempt.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['src/i18n/dict/**'],
    rules: { 'max-lines': ['error', { max: 600 }] },
  },
  {
    // The lab client runs on the page: it may build plans from the engine's pure model configs and
    // presets (src/engine/models/), and use engine types; everything else runs in the worker.
    files: ['src/lab/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+engine/(?!models/(config|presets|flops)\\.ts$)',
              allowTypeImports: true,
              message: 'The lab reaches engine code through the worker (LabApi); only the pure model configs and presets run on the page.',
            },
          ],
        },
      ],
    },
  },
  {
    // The page never runs engine code: it asks the worker through src/lab. Engine types are fine.
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+engine/', allowTypeImports: true, message: 'The UI reaches the engine only through src/lab (the worker); type imports are fine.' }] },
      ],
    },
  },
  {
    // Consent to a foreign model host is minted in one place (the visitor's answer on the card, or
    // a host they typed themselves): anywhere else, reaching for the minting method is an error,
    // however it is spelled (member, computed member, destructuring).
    files: ['src/**/*.{ts,tsx}', 'workers/**/*.ts'],
    ignores: ['src/ui/realmodels/consent.ts', 'src/lab/base-agreement.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='fromVisitorConsent']", message: 'Only src/ui/realmodels/consent.ts mints a BaseAgreement.' },
        { selector: "Literal[value='fromVisitorConsent']", message: 'Only src/ui/realmodels/consent.ts mints a BaseAgreement.' },
        { selector: "Property[key.name='fromVisitorConsent']", message: 'Only src/ui/realmodels/consent.ts mints a BaseAgreement.' },
      ],
    },
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
