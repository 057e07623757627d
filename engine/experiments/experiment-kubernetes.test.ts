/**
 * Trials on a Kubernetes target: the k8s harness (stage 2: real kube-apiserver, Trainer and
 * JobSet controllers, kwok for the nodes). Each trial is a TrainJob on the cluster; kwok serves
 * every pod the same log (`fake-training`: the lines below stand for what the script prints), so
 * every trial reports the same accuracy, read from its pods' logs like a local trial's output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { engineWith, needHarness, useControlPlane } from '../backends/kubernetes/test-support/k8s-parts.js';
import { writeTuneWorkspace } from './test-support/tune-workspace.js';

const { missing, cp } = useControlPlane(2);

describe('experiments with trials on a Kubernetes target (stage 2)', () => {
  it('each trial is a TrainJob on the cluster; the objective comes from its pods\' logs', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const now = Date.now();
    fs.writeFileSync(cp().podLogsFile!, ['step=1 accuracy=0.61', 'step=2 accuracy=0.83'].map((l, i) => `${new Date(now + i).toISOString().replace('Z', '000000Z')} stdout F ${l}\n`).join(''));
    const dir = makeTempDir('experiments', 'k8s');
    const ws = writeTuneWorkspace(path.join(dir, 'ws'), { maxTrialCount: 2, parallel: 2 });
    const file = path.join(ws, 'experiment.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('          command:', '          image: kfd-test/python:bookworm\n          command:'));
    const te = engineWith(cp().kubeconfigPath, path.join(dir, 'data'));
    try {
      const { id } = await te.call('experiments.create', { path: ws, backend: 'kubernetes', target: 'kfd-harness' });
      const e = await waitFor('the cluster sweep to end', async () => {
        const d = await te.call('experiments.get', { id });
        return d.status === 'Succeeded' || d.status === 'Failed' ? d : null;
      }, 150_000, 500);
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentMaxTrialsReached', backend: 'kubernetes' });
      expect(e.trials.map((tr) => [tr.status, tr.objective])).toEqual([['Succeeded', 0.83], ['Succeeded', 0.83]]);
      for (const tr of e.trials) {
        const job = await te.call('jobs.get', { id: tr.jobId! });
        expect(job).toMatchObject({ backend: 'kubernetes', target: 'kfd-harness/default', owner: { kind: 'experiment', id, role: tr.name } });
        expect(job.spec).toContain(`--lr=${tr.parameters.lr}`);
      }
    } finally {
      await te.close();
    }
  }, 200_000);
});
