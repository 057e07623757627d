// Real PyTorch DDP (gloo) across two containers with templates/pytorch-ddp, on the torch test
// image (scripts/build-test-images.sh torch: ~8 min cold, ~1.9 GB; .ci/run builds it once and
// keeps it). The plain-Python rendezvous in container-backend.test.ts covers multi-node too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createContainerBackend } from './container-backend.js';
import type { RunningJob } from '../backend.js';
import { hasTorchImage, jobFolders, logLines, makeLaunch, recorder, testDocker, TORCH_IMAGE } from './test-support/docker-parts.js';

const template = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/pytorch-ddp/train.py');

let running: { job: RunningJob; jobId: string } | null = null;

// A test that times out never reaches its own end: stop its containers here, so a slow machine
// does not keep a DDP rank spinning for the rest of the run.
afterEach(async () => {
  if (!running) return;
  const { job, jobId } = running;
  running = null;
  await Promise.race([job.cancel(), new Promise((r) => setTimeout(r, 30_000))]).catch(() => undefined);
  const docker = testDocker();
  const filters = JSON.stringify({ label: [`org.kubeflow.desktop.job-id=${jobId}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}, 60_000);

describe.runIf(await hasTorchImage())('container backend: PyTorch DDP across containers (kfd-test/torch)', () => {
  it('2 nodes × 1 process: Complete, identical param_checksum on both ranks, the model learned', async () => {
    const f = jobFolders('ddp', fs.readFileSync(template, 'utf8'));
    const started = Date.now();
    const job = await createContainerBackend().start(makeLaunch({ image: TORCH_IMAGE, command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 1 }, f), recorder());
    running = { job, jobId: f.jobId };
    const outcome = await job.done;
    running = null;
    console.log(`DDP 2 containers × 1 rank: ${Date.now() - started} ms start → done`);
    const all = [0, 1].map((r) => logLines(f.jobDir, r));
    expect(outcome, JSON.stringify(all.map((l) => l.slice(-5)))).toMatchObject({ status: 'Complete', exitCode: 0 });
    const checksums = all.map((lines) => lines.map((l) => /param_checksum=(\S+)/.exec(l.text)?.[1]).find(Boolean));
    expect(checksums[0]).toMatch(/^-?\d+\.\d+$/);
    expect(checksums[1]).toBe(checksums[0]); // gradients were all-reduced across the two containers
    const acc = all[0]!.map((l) => /^epoch=8 .*val_acc=([\d.]+)/.exec(l.text)?.[1]).find(Boolean);
    expect(Number(acc)).toBeGreaterThan(0.8);
  }, 300_000);
});
