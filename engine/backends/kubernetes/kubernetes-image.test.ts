/**
 * Whole jobs that ship their workspace in an image, on the harness's stage 2 (real API server,
 * Trainer and JobSet controllers, kwok's node), the real Docker engine and a real registry
 * (e2e/registry, the CNCF distribution registry built from Go modules; .ci/run builds it, so
 * under CI these run). The job page's progress (images.pullProgress for the job, its message)
 * follows the build and the push, and a cancel in the middle of either — or of `kind load` for
 * the local cluster — ends the job Cancelled with nothing left on the cluster, in the registry
 * or on the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobSummary, PullProgress } from '../../api/contract.js';
import { writeClusterRecord } from '../../../local-cluster/cluster-record.js';
import { TestEngine, waitFor } from '../../jobs/test-support/test-engine.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { imagePresent } from '../container/images.js';
import { requireDocker, testDocker } from '../container/test-support/docker-parts.js';
import { JOB_ID_LABEL } from './manifest-adapt.js';
import { engineWith, makeWorkspace, needHarness, TRAINJOB, useControlPlane } from './test-support/k8s-parts.js';
import { registryMissing, startRegistry, type TestRegistry } from '../../../e2e/registry/registry.js';

const { missing, cp } = useControlPlane(2);
const dockerOk = await requireDocker('Docker + kfd-test/python (workspace images)');
const noRegistry = registryMissing();

const progressOf = (te: TestEngine, id: string) => te.events.filter((e) => e.event === 'images.pullProgress' && (e.payload as PullProgress).jobId === id).map((e) => e.payload as PullProgress);
const messagesOf = (te: TestEngine, id: string) => te.events.filter((e) => e.event === 'jobs.changed' && (e.payload as JobSummary).id === id).map((e) => (e.payload as JobSummary).message ?? '');

/** A workspace over the ConfigMap limit: `mb` MB of weights (sparse on disk, sent and copied in full). */
function bigWorkspace(name: string, mb: number): string {
  const ws = makeWorkspace(name, TRAINJOB(name), { 'train.py': 'print(1)\n' });
  const weights = path.join(ws, 'weights.bin');
  fs.closeSync(fs.openSync(weights, 'w'));
  fs.truncateSync(weights, mb * 1_000_000);
  // Sparse zeros compress to nothing: a little noise keeps auto shipping from choosing a ConfigMap.
  fs.writeFileSync(path.join(ws, 'noise.bin'), Buffer.from(Array.from({ length: 1_300_000 }, () => Math.floor(Math.random() * 256))));
  return ws;
}

/** Nothing of the job on the cluster: no TrainJob, no ConfigMap with its label. */
async function onCluster(jobId: string): Promise<number> {
  const q = { labelSelector: `${JOB_ID_LABEL}=${jobId}` };
  const tjs = await cp().client.get<{ items: unknown[] }>('/apis/trainer.kubeflow.org/v1alpha1/trainjobs', q);
  const cms = await cp().client.get<{ items: unknown[] }>('/api/v1/configmaps', q);
  return tjs.items.length + cms.items.length;
}

describe('kubernetes jobs that ship their workspace in an image (stage 2, Docker, registry)', () => {
  const ready = (t: { skip: (note?: string) => void }): boolean => {
    if (missing) return needHarness(t.skip, missing), false;
    // The registry is test infrastructure with its own build (.ci/run builds it): under CI its absence fails.
    if (noRegistry) return needHarness(t.skip, noRegistry, 'the test registry'), false;
    if (!dockerOk) return t.skip('needs Docker + kfd-test/python (reported when the file loaded)'), false;
    return true;
  };

  it("a workspace over the ConfigMap limit ships in an image: built on spec.trainer.image, pushed to the target's registry, run from there; the job shows the build and the push", async (t) => {
    if (!ready(t)) return;
    fs.writeFileSync(cp().podLogsFile!, '');
    const reg = await startRegistry();
    const te = engineWith(cp().kubeconfigPath);
    let image = '';
    try {
      const ws = makeWorkspace('image', TRAINJOB('big'), { 'train.py': 'print(1)\n', 'weights.bin': Buffer.from(Array.from({ length: 1_300_000 }, () => Math.floor(Math.random() * 256))) });
      await te.call('targets.setImageRegistry', { target: 'kfd-harness', registry: reg.address });
      const preview = await te.call('promote.preview', { source: ws, target: 'kfd-harness' });
      expect(preview.blocked).toBeNull();
      expect(preview.shipping.mode).toBe('image');
      image = `${reg.address}/kubeflow-desktop/big:${preview.jobId}`;
      expect(preview.shipping.image).toBe(image);
      expect(preview.objects.map((o) => o.kind)).toEqual(['TrainJob']);
      const job = await te.call('promote.run', { source: ws, target: 'kfd-harness', jobId: preview.jobId });
      const done = await te.waitForStatus(job.id, ['Complete', 'Failed', 'Cancelled'], 120_000);
      expect(done.status, done.message ?? '').toBe('Complete');
      expect(await reg.tags('kubeflow-desktop/big')).toEqual([preview.jobId]);
      const tj = await cp().client.get<{ spec: { trainer: { image: string } } }>(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/default/trainjobs/big-${job.id}`);
      expect(tj.spec.trainer.image).toBe(image);

      // What the job page showed while it waited: the build's steps, then the push by layer.
      const progress = progressOf(te, job.id);
      expect(progress.filter((p) => p.action === 'build').at(-1)).toMatchObject({ image, done: true });
      expect(progress.some((p) => p.action === 'build' && p.step?.text.startsWith('COPY'))).toBe(true);
      const pushes = progress.filter((p) => p.action === 'push');
      expect(pushes.at(-1)).toMatchObject({ image, done: true });
      expect(pushes.some((p) => p.layers.length > 0 && p.total > 0)).toBe(true);
      const messages = messagesOf(te, job.id);
      expect(messages.some((m) => m.startsWith(`Building image ${image}: step `))).toBe(true);
      expect(messages.some((m) => m.startsWith(`Pushing image ${image}`))).toBe(true);
    } finally {
      await te.close();
      await reg.stop();
      if (image) await testDocker().getImage(image).remove({ force: true }).catch(() => undefined);
    }
  }, 240_000);

  for (const when of ['build', 'push'] as const) {
    it(`cancel during the image ${when}: Cancelled at once, nothing on the cluster, in the registry or on the engine`, async (t) => {
      if (!ready(t)) return;
      const reg: TestRegistry = await startRegistry();
      const te = engineWith(cp().kubeconfigPath);
      try {
        await te.call('targets.setImageRegistry', { target: 'kfd-harness', registry: reg.address });
        const ws = bigWorkspace(`cancel${when}`, 300);
        const job = await te.call('promote.run', { source: ws, target: 'kfd-harness', shipping: 'image' });
        const image = `${reg.address}/kubeflow-desktop/cancel${when}:${job.id}`;
        // Under way: a build step reported (the engine is working on it), or pushed bytes.
        await waitFor(`the image ${when} under way`, () => progressOf(te, job.id).some((p) => (when === 'build' ? p.action === 'build' && p.step !== null && !p.done : p.action === 'push' && p.current > 0)), 120_000, 20);
        expect((await te.call('jobs.get', { id: job.id })).status).toBe('Created');
        const cancelled = await te.call('jobs.cancel', { id: job.id });
        expect(cancelled).toMatchObject({ status: 'Cancelled', reason: 'Cancelled' });
        expect(cancelled.message).toBe(`Cancelled while ${when === 'build' ? 'building' : 'pushing'} image ${image}; nothing was submitted to the cluster.`);
        if (when === 'build') expect(progressOf(te, job.id).some((p) => p.action === 'push')).toBe(false);
        expect(await onCluster(job.id)).toBe(0);
        expect(await reg.tags(`kubeflow-desktop/cancel${when}`)).toEqual([]);
        await waitFor('the half-made image removed', async () => !(await imagePresent(testDocker(), image)), 30_000, 200);
      } finally {
        await te.close();
        await reg.stop();
      }
    }, 240_000);
  }

  it('cancel during kind load (local cluster): the kind process is stopped, the job Cancelled, the image removed', async (t) => {
    if (!ready(t)) return;
    const dataDir = makeTempDir('k8s', 'kindload');
    // fake-kind: stands for the kind binary, whose `load docker-image` copies the image into the
    // nodes of a kind cluster (which cannot run here). It says so on stderr and takes its time.
    const bin = makeTempDir('k8s', 'fakekind');
    const pidFile = path.join(bin, 'pid');
    fs.writeFileSync(path.join(bin, 'kind'), `#!/bin/sh\necho $$ > ${pidFile}\necho "Image: \\"$3\\" with ID \\"sha256:x\\" not yet present on node \\"kfd-control-plane\\", loading..." >&2\nexec sleep 600\n`, { mode: 0o755 });
    writeClusterRecord(dataDir, { name: 'kfd', context: 'kfd-harness', kubeconfigPath: cp().kubeconfigPath, kindVersion: 'v0.30.0', nodeImage: 'fake-kindest-node', workers: 0, workspaceRoot: null, gpus: 0, createdAt: Date.now() });
    const te = TestEngine.open(dataDir, { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, KUBECONFIG: path.join(dataDir, 'none'), HOME: dataDir });
    try {
      const job = await te.call('promote.run', { source: makeWorkspace('kindload', TRAINJOB('kindload')), target: 'local:kfd', shipping: 'image' });
      const image = `kfd.local/kubeflow-desktop/kindload:${job.id}`;
      await waitFor('kind load under way', () => fs.existsSync(pidFile) && progressOf(te, job.id).some((p) => p.action === 'load' && p.status.includes('loading')), 120_000, 50);
      const kindPid = Number(fs.readFileSync(pidFile, 'utf8'));
      expect(messagesOf(te, job.id).at(-1)).toMatch(new RegExp(`^Loading image ${image.replace(/[.:/]/g, '\\$&')} into the local cluster \\(kind load\\): Image: `));
      const cancelled = await te.call('jobs.cancel', { id: job.id });
      expect(cancelled).toMatchObject({ status: 'Cancelled', message: `Cancelled while loading image ${image} into the local cluster kfd; nothing was submitted to the cluster.` });
      // The sleep that fake-kind became is gone (execa SIGTERMs it on cancel).
      const alive = () => {
        try {
          process.kill(kindPid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await waitFor('fake-kind stopped', () => !alive(), 10_000, 50);
      expect(await onCluster(job.id)).toBe(0);
      await waitFor('the image removed', async () => !(await imagePresent(testDocker(), image)), 30_000, 200);
    } finally {
      await te.close();
    }
  }, 240_000);
});
