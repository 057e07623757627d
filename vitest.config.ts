import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{engine,electron,cli,local-cluster,renderer,scripts,templates}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'e2e/**', 'dist/**'],
    // 2 cores: integration tests start real processes, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
