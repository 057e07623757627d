/**
 * Pipelines on the kubernetes backend against a real kube-apiserver (e2e/k8s-harness stage 1):
 * a cluster that does not mount this machine's folders cannot read or write the pipeline root,
 * so each task is refused with that reason before anything is applied, and the run fails naming
 * the task. (The local kind cluster, created with --workspace over the data dir, takes them by
 * hostPath; no kind node image can be pulled here to run that end to end.)
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { engineWith, needHarness, useControlPlane } from '../backends/kubernetes/test-support/k8s-parts.js';
import { compileFixture, kfpUnavailable, seedKfpRuntime } from './test-support/kfp-fixtures.js';

const kfpMissing = await kfpUnavailable();
if (kfpMissing) reportMissingPart('kfp (PyPI)', kfpMissing);
const { missing, cp } = useControlPlane(1);

const SOURCE = `
from kfp import dsl

@dsl.component
def hello() -> str:
    return 'hi'

@dsl.pipeline(name='on-cluster')
def on_cluster():
    hello()
`;

describe.runIf(!kfpMissing)('pipelines on a kubeconfig context (real kube-apiserver)', () => {
  it('refuses tasks on a cluster that cannot reach the pipeline root, saying why, and applies nothing', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const dir = makeTempDir('pipelines', 'k8s');
    const yaml = await compileFixture(dir, 'on-cluster', SOURCE);
    const data = path.join(dir, 'data');
    await seedKfpRuntime(data);
    const te = engineWith(cp().kubeconfigPath, data);
    try {
      const started = await te.call('pipelines.run', { path: yaml, backend: 'kubernetes', target: 'kfd-harness', parameters: {} });
      const run = await waitFor('the run to end', async () => {
        const r = await te.call('pipelines.get', { id: started.id });
        return ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) ? r : null;
      }, 120_000, 200);
      expect(run.status).toBe('Failed');
      expect(run.message).toContain('Task hello failed');
      const task = run.tasks.find((x) => x.path === 'hello')!;
      expect(task.message).toMatch(/only a local cluster mounts this machine's folders/);
      const job = await te.call('jobs.get', { id: task.jobId! });
      expect(job.backend).toBe('kubernetes');
      expect(job.owner).toEqual({ kind: 'pipeline-run', id: run.id, role: 'hello' });
      const list = await cp().client.get<{ items: unknown[] }>('/apis/trainer.kubeflow.org/v1alpha1/namespaces/default/trainjobs');
      expect(list.items).toEqual([]);
    } finally {
      await te.engine.close();
    }
  }, 300_000);
});
