/**
 * What a user meets when something is wrong, on the real cluster: an image the node does not
 * have and cannot pull (no registry here) keeps the pod waiting, and the job page and
 * `kfd show` say why (ErrImagePull / ImagePullBackOff) until the job is cancelled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { showCommand } from '../../cli/commands/jobs.js';
import { waitFor } from '../../engine/jobs/test-support/test-engine.js';
import { kindSuite, suiteEngine } from './suite.js';

const s = kindSuite();
const ABSENT = 'kfd-test/absent:never-built';

if (s.ready) {
  describe('failure paths on the real cluster', () => {
    it('an image the node cannot get: the pull error is the pending reason on the job page and in kfd show', async () => {
      const ws = path.join(s.workspaceRoot, 'absent-image');
      fs.mkdirSync(ws);
      fs.writeFileSync(
        path.join(ws, 'trainjob.yaml'),
        `apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: absent\nspec:\n  runtimeRef:\n    name: torch-distributed\n  trainer:\n    image: ${ABSENT}\n    command: ["python3", "train.py"]\n`,
      );
      fs.writeFileSync(path.join(ws, 'train.py'), 'print(1)\n');
      const te = suiteEngine(s);
      try {
        const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: `local:${s.name}` });
        const waiting = await waitFor('the pull error to reach the job', async () => {
          const j = await te.call('jobs.get', { id: job.id });
          return /ErrImagePull|ImagePullBackOff/.test(j.message ?? '') ? j : null;
        }, 180_000, 1000);
        expect(waiting.status).not.toMatch(/Complete|Failed/);
        expect(waiting.message).toContain(`cannot pull image ${ABSENT}`);
        const cluster = await te.call('jobs.cluster', { id: job.id });
        expect(JSON.stringify(cluster)).toMatch(/ErrImagePull|ImagePullBackOff/);

        let out = '';
        const write = { write: (text: string) => (out += text) };
        const code = await showCommand(job.id, {}, { dispatch: te.engine.dispatch.bind(te.engine), subscribe: (l) => te.engine.events.subscribe(l), stdout: write, stderr: write });
        expect(code).toBe(0);
        expect(out).toMatch(/ErrImagePull|ImagePullBackOff/);
        expect(out).toContain(ABSENT);

        await te.call('jobs.cancel', { id: job.id });
        expect((await te.waitForStatus(job.id, ['Cancelled'], 120_000)).status).toBe('Cancelled');
      } finally {
        await te.close();
      }
    });
  });
}
