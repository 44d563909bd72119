// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', '.vscode-test/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
      curly: ['error', 'multi-line'],
    },
  },
  {
    // The extension talks to people through VS Code, never through the console.
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The local Concur server's command line (`npm run mock-concur`) is a terminal program.
    files: ['src/localConcur/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Each feature's core runs in plain Node (and in the unit tests): only its ui/ folder and the
    // composition root adapt it to VS Code. test/support/checkLayout.ts checks the rest of the layout.
    files: ['src/**/*.ts'],
    ignores: ['src/**/ui/**', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: "Only a feature's ui/ folder and src/extension.ts import vscode; keep this module's logic in plain Node and adapt it in ui/." }] },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
