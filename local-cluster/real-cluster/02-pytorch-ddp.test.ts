/**
 * The pytorch-ddp template on the local cluster through the Kubernetes backend, the workspace
 * used in place (hostPath: it lives under the folder mounted into the nodes), real pods on the
 * real kubelet. `kfd-test/torch:bookworm` (Debian's python3-torch + scikit-learn) stands for the
 * template's pytorch/pytorch image, which cannot be pulled here; it is put into the node with
 * `kind load docker-image`, as a user would with an image of their own.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kindEnv } from '../../e2e/kind-node/kind-node.js';
import { waitFor } from '../../engine/jobs/test-support/test-engine.js';
import { JOB_ID_LABEL } from '../../engine/backends/kubernetes/manifest-adapt.js';
import { kindSuite, kubectlJson, runToCompletion, suiteEngine, templateWorkspace } from './suite.js';

const s = kindSuite();
const TORCH_IMAGE = 'kfd-test/torch:bookworm';
const run = promisify(execFile);

function torchImageMissing(): string | null {
  try {
    execFileSync('docker', ['image', 'inspect', TORCH_IMAGE], { stdio: 'ignore' });
    return null;
  } catch {
    return `${TORCH_IMAGE} is not built (scripts/build-test-images.sh torch)`;
  }
}

/**
 * What a user edits before running the template here: the image, and the CPU the pod asks for
 * (the template asks for 2; the CI node has 2 cores, of which the control plane and the
 * controllers request 1.35, so a 2-CPU pod would never be scheduled: "Insufficient cpu").
 */
function forThisMachine(ws: string, cpu: string, edit: (yaml: string) => string = (y) => y): void {
  const file = path.join(ws, 'trainjob.yaml');
  const yaml = fs.readFileSync(file, 'utf8').replace(/^(\s*image:\s*).*$/m, `$1${TORCH_IMAGE}`).replace(/^(\s*cpu:\s*).*$/m, `$1${cpu}`);
  fs.writeFileSync(file, edit(yaml));
}

async function podsOf(jobId: string): Promise<string[]> {
  const pods = await kubectlJson<{ items: { metadata: { name: string } }[] }>(s, ['get', 'pods', '-A', '-l', `${JOB_ID_LABEL}=${jobId}`]);
  return pods.items.map((p) => p.metadata.name);
}

if (s.ready) {
  describe('pytorch-ddp on the local cluster (Kubernetes backend, workspace in place)', () => {
    let loaded = false;
    async function loadTorchImage(skip: (note?: string) => never): Promise<void> {
      const missing = torchImageMissing();
      if (missing) {
        if (process.env.CI === 'true') throw new Error(missing);
        return skip(missing);
      }
      if (loaded) return;
      const started = Date.now();
      await run('kind', ['load', 'docker-image', TORCH_IMAGE, '--name', s.name], { env: kindEnv() });
      console.log(`kind load ${TORCH_IMAGE}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
      loaded = true;
    }

    it('runs as real pods: every rank\'s output in the history, metrics, Complete; an edit to train.py is used by Re-run', async (t) => {
      await loadTorchImage(t.skip);
      const ws = templateWorkspace(s, 'pytorch-ddp', 'ddp');
      forThisMachine(ws, '500m');
      const te = suiteEngine(s);
      try {
        const { job, done, text } = await runToCompletion(te, s, ws);
        // Both ranks of the node ran in the pod, joined one process group, and averaged gradients.
        expect(text).toContainEqual(expect.stringMatching(/^world_size=2 train_samples=\d+/));
        const sums = text.map((l) => /^rank=(\d) param_checksum=(\S+)$/.exec(l)).filter((m): m is RegExpExecArray => !!m);
        expect(sums.map((m) => m[1]).sort()).toEqual(['0', '1']);
        expect(new Set(sums.map((m) => m[2])).size).toBe(1);
        const { series } = await te.call('jobs.metrics', { id: job.id });
        const loss = series.find((x) => x.name === 'loss');
        expect(loss!.points.length).toBeGreaterThan(5);
        expect(series.find((x) => x.name === 'val_acc')!.points.at(-1)![1]).toBeGreaterThan(0.8);
        expect(done.ranks.map((r) => r.status)).toEqual(['Succeeded']);

        // Edit in place and re-run: the pod reads the edited file through the node's mount.
        const trainPy = path.join(ws, 'train.py');
        fs.writeFileSync(trainPy, fs.readFileSync(trainPy, 'utf8').replace('EPOCHS = 8', 'EPOCHS = 2').replace('def main():\n', 'def main():\n    print("edited: two epochs", flush=True)\n'));
        const again = await te.call('jobs.rerun', { id: job.id });
        const redone = await te.waitForStatus(again.id, ['Complete', 'Failed', 'Cancelled'], 300_000);
        const text2 = (await te.allLogs(again.id)).lines.map((l) => l.text);
        expect(redone.status).toBe('Complete');
        expect(text2).toContain('edited: two epochs');
        expect(text2.filter((l) => /^epoch=\d+ /.test(l)).map((l) => l.split(' ')[0])).toEqual(['epoch=1', 'epoch=2']);
      } finally {
        await te.close();
      }
    }, 900_000);

    it('two nodes: two pods join one process group over the pod network (master found by its DNS name)', async (t) => {
      await loadTorchImage(t.skip);
      const ws = templateWorkspace(s, 'pytorch-ddp', 'ddp-two-nodes');
      forThisMachine(ws, '300m', (y) => y.replace(/numNodes: 1/, 'numNodes: 2').replace(/numProcPerNode: 2/, 'numProcPerNode: 1'));
      fs.writeFileSync(path.join(ws, 'train.py'), fs.readFileSync(path.join(ws, 'train.py'), 'utf8').replace('EPOCHS = 8', 'EPOCHS = 1'));
      const te = suiteEngine(s);
      try {
        const { done, lines } = await runToCompletion(te, s, ws, 600_000);
        expect(done.ranks.map((r) => [r.nodeRank, r.status])).toEqual([[0, 'Succeeded'], [1, 'Succeeded']]);
        expect(lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/^world_size=2 /));
        const sums = lines.map((l) => ({ rank: l.rank, m: /^rank=(\d) param_checksum=(\S+)$/.exec(l.text) })).filter((x) => x.m);
        // Each pod's log is its node's rank in the history.
        expect(sums.map((x) => [x.rank, x.m![1]])).toEqual(expect.arrayContaining([[0, '0'], [1, '1']]));
        expect(new Set(sums.map((x) => x.m![2])).size).toBe(1);
      } finally {
        await te.close();
      }
    }, 900_000);

    it('cancel mid-run deletes the pods', async (t) => {
      await loadTorchImage(t.skip);
      const ws = templateWorkspace(s, 'pytorch-ddp', 'ddp-cancel');
      forThisMachine(ws, '500m');
      fs.writeFileSync(path.join(ws, 'train.py'), 'import time\nprint("started", flush=True)\ntime.sleep(600)\n');
      const te = suiteEngine(s);
      try {
        const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: `local:${s.name}` });
        await waitFor('the training to print', () => te.logEvents(job.id).some((l) => l.text === 'started'), 300_000, 500);
        expect(await podsOf(job.id)).toHaveLength(1);
        const cancelled = await te.call('jobs.cancel', { id: job.id });
        expect(['Cancelled', 'Running']).toContain(cancelled.status);
        expect((await te.waitForStatus(job.id, ['Cancelled'], 120_000)).status).toBe('Cancelled');
        await waitFor('the pods to be gone', async () => (await podsOf(job.id)).length === 0, 120_000, 1000);
      } finally {
        await te.close();
      }
    }, 600_000);
  });
}
