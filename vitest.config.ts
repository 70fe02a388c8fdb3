import { defineConfig } from 'vitest/config';

const shared = {
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Two cores in CI: heavier integration files would fight each other.
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: ['test/e2e/large-case.e2e.test.ts'], sequence: { groupOrder: 1 } } },
      // Measures frame times: runs alone, so the other tests do not take its cores.
      { test: { ...shared, name: 'ui-timing', include: ['test/e2e/large-case.e2e.test.ts'], sequence: { groupOrder: 2 } } },
    ],
  },
});
