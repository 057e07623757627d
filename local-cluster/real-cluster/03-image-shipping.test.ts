/**
 * A workspace that is not under the folder mounted into the nodes, and too big for a ConfigMap,
 * ships in an image built on spec.trainer.image with Docker and handed to the node with
 * `kind load docker-image` (no registry): the pod runs the code from the image.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { kindSuite, runToCompletion, suiteEngine } from './suite.js';

const s = kindSuite();
const PYTHON_IMAGE = 'kfd-test/python:bookworm';

function trainjob(name: string, image: string): string {
  return `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: ${name}
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    image: ${image}
    command: ["python3", "train.py"]
    numNodes: 1
`;
}

if (s.ready) {
  describe('a workspace shipped as an image to the local cluster (kind load)', () => {
    it('builds the image on spec.trainer.image, loads it into the node, and the pod runs the code from it', async () => {
      const ws = makeTempDir('kind', 'image-ws');
      fs.writeFileSync(path.join(ws, 'trainjob.yaml'), trainjob('shipped', PYTHON_IMAGE));
      fs.writeFileSync(path.join(ws, 'train.py'), 'import os\nprint("from the image:", sorted(f for f in os.listdir(".") if f.endswith(".bin")), flush=True)\n');
      // Over the ConfigMap limit, and noise so it does not compress below it.
      fs.writeFileSync(path.join(ws, 'weights.bin'), Buffer.from(Array.from({ length: 1_400_000 }, () => Math.floor(Math.random() * 256))));
      const te = suiteEngine(s);
      try {
        const { job, done, text } = await runToCompletion(te, s, ws);
        expect(text).toContain("from the image: ['weights.bin']");
        // The job said how its image got to the cluster.
        const progress = te.events.filter((e) => e.event === 'images.pullProgress' && (e.payload as { jobId?: string }).jobId === job.id).map((e) => e.payload as { action: string; done: boolean });
        expect(progress.some((p) => p.action === 'load' && p.done)).toBe(true);
      } finally {
        await te.close();
      }
    });
  });
}
