import { defineConfig } from 'vitest/config';

// Two projects: unit tests run in parallel and touch nothing outside the
// process; integration tests share one testbed (booted once in globalSetup)
// and run one file at a time so hosts are not fought over.
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'bot/test/**/*.test.ts', 'test/dashboard/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
