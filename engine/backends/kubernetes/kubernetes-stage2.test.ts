/**
 * The kubernetes backend end to end on the harness's stage 2: the real Trainer and JobSet
 * controllers turn our TrainJob into a JobSet, Jobs and pods on a kwok node, so a job reaches
 * Complete or Failed as Trainer reports it. kwok runs no containers: its pods end at once (or
 * after KFD_FAKE_RUN_DURATION), fail with KFD_FAKE_EXIT_CODE, and its kubelet server answers
 * every pod's log from `cp.podLogsFile` — so log streaming goes through the real API server's
 * pods/log proxy; what the "training" prints is what the test writes into that file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_EXIT_CODE_ENV, FAKE_RUN_DURATION_ENV } from '../../../e2e/k8s-harness/harness.js';
import { writeClusterRecord } from '../../../local-cluster/cluster-record.js';
import { TestEngine, waitFor } from '../../jobs/test-support/test-engine.js';
import { jobEnv } from '../../jobs/test-support/python.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { engineWith, makeWorkspace, needHarness, TRAINJOB, useControlPlane } from './test-support/k8s-parts.js';

const { missing, cp } = useControlPlane(2);

/** Lines "the training prints": CRI log format, which kwok serves as the pod's log. */
function printLines(...lines: string[]): void {
  const now = Date.now();
  fs.appendFileSync(cp().podLogsFile!, lines.map((l, i) => `${new Date(now + i).toISOString().replace('Z', '000000Z')} stdout F ${l}\n`).join(''));
}

const gone = async (p: string) => (await cp().client.get(p).then(() => false, (e: { status?: number }) => e.status === 404));

describe('kubernetes backend with Trainer, JobSet and kwok (stage 2)', () => {
  it('a TrainJob reaches Complete; each node\'s pod log lands in its rank file; metrics are parsed', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    fs.writeFileSync(cp().podLogsFile!, '');
    printLines('starting', 'epoch=1 loss=0.90', 'epoch=2 loss=0.40', 'done');
    const te = engineWith(cp().kubeconfigPath);
    try {
      const job = await te.call('jobs.run', { path: makeWorkspace('complete', TRAINJOB('fast', { numNodes: 2 })), backend: 'kubernetes', target: 'kfd-harness' });
      const done = await te.waitForStatus(job.id, ['Complete', 'Failed', 'Cancelled'], 60_000);
      expect(done).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0, target: 'kfd-harness/default' });
      expect(done.ranks.map((r) => [r.nodeRank, r.status, r.exitCode])).toEqual([[0, 'Succeeded', 0], [1, 'Succeeded', 0]]);
      const { lines } = await te.allLogs(job.id);
      for (const rank of [0, 1]) expect(lines.filter((l) => l.rank === rank).map((l) => l.text)).toEqual(['starting', 'epoch=1 loss=0.90', 'epoch=2 loss=0.40', 'done']);
      const cluster = await te.call('jobs.cluster', { id: job.id });
      expect(cluster.conditions.find((c) => c.type === 'Complete')?.status).toBe('True');
      expect(cluster.nodes).toEqual([{ node: cp().nodeName, pods: expect.arrayContaining([expect.stringContaining(`fast-${job.id}-node-0-0`), expect.stringContaining(`fast-${job.id}-node-0-1`)]) }]);
      expect(cluster.events.some((e) => e.reason === 'Scheduled' || e.reason === 'SuccessfulCreate')).toBe(true);
      const { runs } = await te.call('jobs.compare', { ids: [job.id] });
      expect(runs[0]!.finalMetrics.find((m) => m.name === 'loss')).toMatchObject({ value: 0.4 });
      // What was shipped is owned by the TrainJob; the TrainJob is still there for kubectl to see.
      expect(await gone(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/default/trainjobs/fast-${job.id}`)).toBe(false);
      // A re-run goes to the same target and namespace, as a new TrainJob.
      const again = await te.call('jobs.rerun', { id: job.id });
      expect(again).toMatchObject({ parentId: job.id, backend: 'kubernetes', target: 'kfd-harness/default' });
      expect((await te.waitForStatus(again.id, ['Complete', 'Failed', 'Cancelled'], 60_000)).status).toBe('Complete');
      // Same backend, same target, yet it is the relation stored at creation that says "re-run".
      expect((await te.call('jobs.lineage', { id: job.id })).children.map((c) => c.relation)).toEqual(['rerun']);
    } finally {
      await te.close();
    }
  }, 120_000);

  it(`a failing node (${FAKE_EXIT_CODE_ENV}) makes the job Failed with its exit code and node`, async (t) => {
    if (missing) return needHarness(t.skip, missing);
    fs.writeFileSync(cp().podLogsFile!, '');
    printLines('Traceback (most recent call last):', 'RuntimeError: CUDA out of memory');
    const te = engineWith(cp().kubeconfigPath);
    try {
      const ws = makeWorkspace('failed', TRAINJOB('boom', { env: [{ name: FAKE_EXIT_CODE_ENV, value: '3' }] }));
      const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: 'kfd-harness' });
      const done = await te.waitForStatus(job.id, ['Complete', 'Failed', 'Cancelled'], 60_000);
      expect(done).toMatchObject({ status: 'Failed', exitCode: 3 });
      expect(done.message).toMatch(/^The TrainJob failed: .*Node 0's pod failed first with exit code 3\./);
      expect(done.failureLog).toEqual(['Traceback (most recent call last):', 'RuntimeError: CUDA out of memory']);
    } finally {
      await te.close();
    }
  }, 120_000);

  it('cancel deletes the TrainJob in the foreground: JobSet, Jobs, pods and the workspace ConfigMap go with it', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    fs.writeFileSync(cp().podLogsFile!, '');
    const te = engineWith(cp().kubeconfigPath);
    try {
      const ws = makeWorkspace('cancel', TRAINJOB('longrun', { numNodes: 2, env: [{ name: FAKE_RUN_DURATION_ENV, value: '10m' }] }));
      const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: 'kfd-harness' });
      const name = `longrun-${job.id}`;
      await waitFor('both nodes running', async () => (await te.call('jobs.get', { id: job.id })).ranks.filter((r) => r.status === 'Running').length === 2, 60_000, 200);
      const pods = await cp().client.get<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces/default/pods', { labelSelector: `jobset.sigs.k8s.io/jobset-name=${name}` });
      expect(pods.items).toHaveLength(2);
      expect(await gone(`/api/v1/namespaces/default/configmaps/${name}-workspace`)).toBe(false);

      const cancelled = await te.call('jobs.cancel', { id: job.id });
      expect(cancelled.status).toBe('Cancelled');
      expect(cancelled.message).toMatch(/foreground/);
      // Foreground: by the time the TrainJob is gone, what it owned is gone too.
      expect(await gone(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/default/trainjobs/${name}`)).toBe(true);
      expect(await gone(`/apis/jobset.x-k8s.io/v1alpha2/namespaces/default/jobsets/${name}`)).toBe(true);
      expect((await cp().client.get<{ items: unknown[] }>('/apis/batch/v1/namespaces/default/jobs', { labelSelector: `jobset.sigs.k8s.io/jobset-name=${name}` })).items).toEqual([]);
      expect(await gone(`/api/v1/namespaces/default/configmaps/${name}-workspace`)).toBe(true);
      await waitFor('pods gone', async () => (await cp().client.get<{ items: unknown[] }>('/api/v1/namespaces/default/pods', { labelSelector: `jobset.sigs.k8s.io/jobset-name=${name}` })).items.length === 0, 30_000, 200);
      const detail = await te.call('jobs.get', { id: job.id });
      expect(detail.ranks.every((r) => r.status === 'Cancelled' || r.status === 'Succeeded' || r.status === 'Failed')).toBe(true);
    } finally {
      await te.close();
    }
  }, 120_000);

  it('re-attaches after an engine restart: the job is followed to its end and no log line is written twice', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    fs.writeFileSync(cp().podLogsFile!, '');
    printLines('line before the restart');
    const dataDir = makeTempDir('k8s', 'reattach');
    const ws = makeWorkspace('reattach', TRAINJOB('restart', { env: [{ name: FAKE_RUN_DURATION_ENV, value: '12s' }] }));
    let te = engineWith(cp().kubeconfigPath, dataDir);
    let id: string;
    try {
      id = (await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: 'kfd-harness' })).id;
      await waitFor('the first line', async () => (await te.call('jobs.logs', { id, limit: 100 })).lines.length === 1, 60_000, 200);
      expect((await te.call('jobs.get', { id })).status).toBe('Running');
    } finally {
      await te.close(); // the app stops; the TrainJob keeps running on the cluster
    }
    printLines('line while no app ran');
    te = engineWith(cp().kubeconfigPath, dataDir);
    try {
      expect((await te.call('jobs.get', { id })).status).toBe('Running');
      printLines('line after the restart');
      const done = await te.waitForStatus(id, ['Complete', 'Failed', 'Cancelled'], 60_000);
      expect(done.status).toBe('Complete');
      const { lines } = await te.allLogs(id);
      expect(lines.map((l) => l.text)).toEqual(['line before the restart', 'line while no app ran', 'line after the restart']);
    } finally {
      await te.close();
    }
  }, 120_000);

  it('promote: a local job goes to the local cluster (hostPath), linked to its parent; lineage and comparison show both runs', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    fs.writeFileSync(cp().podLogsFile!, '');
    printLines('loss=0.25');
    const dataDir = makeTempDir('k8s', 'promote');
    const root = makeTempDir('k8s', 'wsroot');
    const ws = path.join(root, 'digits');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'train.py'), 'print("loss=0.5")\n');
    fs.writeFileSync(path.join(ws, 'trainjob.yaml'), TRAINJOB('digits', { command: ['python3', 'train.py'] }).replace('    image: kfd-test/python:bookworm\n', ''));
    // The harness stands in for the app's kind cluster (no kind node image here): same record, same hand-off.
    writeClusterRecord(dataDir, { name: 'kfd', context: 'kfd-harness', kubeconfigPath: cp().kubeconfigPath, kindVersion: 'v0.30.0', nodeImage: 'fake-kindest-node', workers: 0, workspaceRoot: fs.realpathSync(root), gpus: 0, createdAt: Date.now() });
    const te = TestEngine.open(dataDir, { ...jobEnv(), KUBECONFIG: path.join(dataDir, 'no-such-kubeconfig'), HOME: dataDir });
    try {
      const local = await te.call('jobs.run', { path: ws, backend: 'local-process' });
      await te.waitForStatus(local.id);
      const preview = await te.call('promote.preview', { source: local.id, target: 'local:kfd', image: 'kfd-test/python:bookworm' });
      expect(preview.blocked).toBeNull();
      expect(preview.shipping.mode).toBe('hostPath');
      expect(preview.original).toBe(local.spec);
      expect(preview.trainJob).toContain(`path: ${fs.realpathSync(ws)}`);
      expect(preview.trainJob).toContain('image: kfd-test/python:bookworm');
      const promoted = await te.call('promote.run', { source: local.id, target: 'local:kfd', image: 'kfd-test/python:bookworm', jobId: preview.jobId });
      expect(promoted).toMatchObject({ id: preview.jobId, parentId: local.id, backend: 'kubernetes', target: 'kfd-harness/default' });
      const done = await te.waitForStatus(promoted.id, ['Complete', 'Failed', 'Cancelled'], 60_000);
      expect(done.status).toBe('Complete');
      const tj = await cp().client.get<{ spec: unknown }>(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/default/trainjobs/digits-${promoted.id}`);
      expect(JSON.stringify(tj.spec)).toContain(fs.realpathSync(ws));

      const lineage = await te.call('jobs.lineage', { id: promoted.id });
      expect(lineage.ancestors.map((j) => j.id)).toEqual([local.id]);
      expect(lineage.job.relation).toBe('promote');
      expect((await te.call('jobs.lineage', { id: local.id })).children.map((j) => [j.id, j.relation])).toEqual([[promoted.id, 'promote']]);
      const { runs } = await te.call('jobs.compare', { ids: [local.id, promoted.id] });
      expect(runs.map((r) => [r.job.backend, r.job.status, r.finalMetrics.find((m) => m.name === 'loss')?.value])).toEqual([['local-process', 'Complete', 0.5], ['kubernetes', 'Complete', 0.25]]);
      expect(runs.every((r) => r.durationMs !== null && r.durationMs >= 0)).toBe(true);
    } finally {
      await te.close();
    }
  }, 120_000);
});