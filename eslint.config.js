import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'net',
  'http',
  'events',
  'stream',
  'buffer',
  'url',
  'util',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules: a promise nobody awaits loses its error; a switch over a union must name
    // every member (a new contract code or card kind is then a lint error, not a silent default).
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    // Plain Node scripts (not type-checked).
    files: ['scripts/**/*.mjs', 'packaging/**/*.mjs', '*.js', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Playwright fixtures take their dependencies as a destructured first argument, even when empty.
    files: ['tests/e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The renderer and the shared contract run in the browser: no Node, no Electron, no native addon.
    files: ['src/renderer/**/*.{ts,tsx}', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Renderer and shared code must run in a plain browser.',
          })),
          patterns: [
            { group: ['node:*'], message: 'Renderer and shared code must run in a plain browser.' },
            { group: ['electron', 'electron/*', 'pcsclite', 'sql.js', 'ws'], message: 'Main-process only.' },
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'Talk to the main process through window.api.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  ...importBoundaries(),
);

/** Electron is imported only by the thin shell; the pcsclite addon only by its transport adapter. */
function importBoundaries() {
  const noElectron = {
    selector: 'ImportDeclaration[source.value=/^electron(\\u002F.*)?$/]',
    message: 'Electron is imported only in src/main/electron and src/preload.',
  };
  const noAddon = {
    selector: "ImportDeclaration[source.value='pcsclite']",
    message: 'Only the pcsclite transport adapter loads the addon.',
  };
  const shell = ['src/main/electron/**', 'src/preload/**'];
  const adapter = ['src/main/cards/transport/pcsclite-transport.ts'];
  const all = ['src/**/*.{ts,tsx}', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];
  return [
    {
      files: all,
      ignores: [...shell, ...adapter],
      rules: { 'no-restricted-syntax': ['error', noElectron, noAddon] },
    },
    { files: shell, rules: { 'no-restricted-syntax': ['error', noAddon] } },
    { files: adapter, rules: { 'no-restricted-syntax': ['error', noElectron] } },
  ];
}
