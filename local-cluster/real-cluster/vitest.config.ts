// The local cluster on a real kind cluster (`npm run test:kind`, and a step of `npm test`): one
// cluster for the whole suite, made by 01-create and removed by 09-delete, so the files run one
// after another in name order. The root vitest config leaves this folder out.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

class ByFileName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['local-cluster/real-cluster/**/*.test.ts'],
    globalSetup: ['local-cluster/real-cluster/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { sequencer: ByFileName },
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
