import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', '.vscode-e2e/**', '.bench/**', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Protocol messages are namespaces with a literal method and a typed type, as in vscode-languageserver.
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  // Layers: common/ imports neither vscode nor node; server/ never imports vscode; client/ never imports server/.
  {
    files: ['common/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vscode', 'node:*', 'fs', 'path', 'child_process', 'os'] }] },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vscode'] }], 'no-console': ['error', { allow: ['error'] }] },
  },
  { files: ['client/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: ['**/server/**'] }] } },
);
