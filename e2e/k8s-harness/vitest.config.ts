// The harness's own tests: `npx vitest run -c e2e/k8s-harness/vitest.config.ts`.
// (The root config excludes e2e/**; see README.md for the pattern to add there instead.)
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.cache/**'],
    pool: 'forks',
    // One control plane at a time on 2 cores.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
