// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'events', 'url'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The wire module is imported by the server, main and the renderer: it may not
    // depend on any one runtime.
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'src-shared must stay free of Electron.' },
            { group: nodeBuiltins, message: 'src-shared must stay free of Node built-ins.' },
            { group: ['react', 'react-dom', 'react-dom/*', 'socket.io', 'socket.io-client', 'better-sqlite3', 'simple-peer'], message: 'src-shared holds pure logic and wire types only.' },
            { group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**', '**/server/**'], message: 'src-shared imports nothing from the runtimes.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The renderer reaches main only through window.heartline.' },
            { group: nodeBuiltins, message: 'The renderer runs in a browser too.' },
            { group: ['**/src-main/**', '**/server/**'], message: 'The renderer imports only src-shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'electron/*', '**/src-main/**', '**/src-renderer/**'], message: 'The server imports only src-shared.' }] },
      ],
    },
  },
  {
    // Desktop app (main): *.std.ts files hold the decisions and are tested under Node, so
    // they import neither Electron nor Node built-ins nor native modules; *.node.ts may use
    // Node but not Electron. Electron lives in src-main/electron/*.main.ts and index.ts.
    files: ['src-main/**/*.std.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'Pure main modules (*.std.ts) take Electron objects as injected interfaces.' },
            { group: nodeBuiltins, message: 'Pure main modules (*.std.ts) stay free of Node built-ins.' },
            { group: ['better-sqlite3', '**/*.node', '**/*.node.js', '**/*.main', '**/electron/**'], message: 'Pure main modules (*.std.ts) import only other pure modules and src-shared.' },
            { group: ['**/src-renderer/**', '**/server/**'], message: 'Main imports only src-shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'electron/*', '**/*.main', '**/electron/**'], message: 'Node modules of main (*.node.ts) are tested under plain Node: no Electron.' }, { group: ['**/src-renderer/**', '**/server/**'], message: 'Main imports only src-shared.' }] },
      ],
    },
  },
  {
    // The ring window and screen picker pages: plain browser scripts.
    files: ['build/pages/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
);
