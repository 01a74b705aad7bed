import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Any module below server/src/engine but its index: the engine's insides, which only the engine may import. */
const ENGINE_INSIDE = {
  group: ['**/engine/*', '**/engine/*/**', '!**/engine/index', '!**/engine/index.{ts,js}'],
  message: 'Import the engine through its front door, server/src/engine (index.ts); export what you need there.',
};

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
  // Layers: common/ imports neither vscode nor node; server/ never imports vscode; client/ never imports server/;
  // outside the engine, server/ reaches the engine only through its front door (server/src/engine/index.ts).
  {
    files: ['common/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vscode', 'node:*', 'fs', 'path', 'child_process', 'os'] }] },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vscode'] }], 'no-console': ['error', { allow: ['error'] }] },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/src/engine/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['vscode'] }, ENGINE_INSIDE] }] },
  },
  { files: ['client/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: ['**/server/**'] }] } },
);
