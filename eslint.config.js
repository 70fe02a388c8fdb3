// Flat config. The one architectural rule enforced here: `electron` may be
// imported only by the Electron entry files (src/main/*.ts, src/preload), so
// the services, CLI and tests run under plain Node where the binary is absent.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyInEntries = {
  paths: [{ name: 'electron', message: 'Only src/main/*.ts and src/preload may import electron (DESIGN.md §2).' }],
  patterns: [{ group: ['electron/*'], message: 'Only src/main/*.ts and src/preload may import electron (DESIGN.md §2).' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/**', 'coverage/**', '.bench-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', electronOnlyInEntries],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The Electron entry files: the only places electron is allowed.
    files: ['src/main/*.ts', 'src/preload/**/*.ts', 'test/e2e/electron*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The engine is pure: bytes in, numbers out. No project code outside core,
    // no I/O, no timers, no electron.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...electronOnlyInEntries.paths,
            ...['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'better-sqlite3', 'node:worker_threads', 'node:child_process', 'node:net', 'node:http', 'node:timers'].map(
              (name) => ({ name, message: 'src/core is pure computation (DESIGN.md §2): no I/O, sqlite or timers.' }),
            ),
          ],
          patterns: [{ group: ['../../*', '**/main/**', '**/shared/**', '**/cli/**', '**/renderer/**'], message: 'src/core imports nothing outside itself.' }],
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'Date'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
