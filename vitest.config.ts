import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{engine,electron,cli,local-cluster,renderer,scripts,templates}/**/*.test.{ts,tsx}', 'e2e/k8s-harness/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'e2e/!(k8s-harness)/**', 'e2e/k8s-harness/.cache/**', 'dist/**', 'local-cluster/real-cluster/**'],
    // 2 cores: integration tests start real processes, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
