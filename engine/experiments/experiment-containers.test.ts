/**
 * Trials on another run target: the container backend (real Docker, the kfd-test/python image).
 * The orchestrator does not care where trials run; each trial is a container job in history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireDocker } from '../backends/container/test-support/docker-parts.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { writeTuneWorkspace } from './test-support/tune-workspace.js';

const ok = await requireDocker('Docker + kfd-test/python (experiment trials in containers)');

describe.runIf(ok)('experiments with container trials', () => {
  it('runs each trial as a container job and reads the objective from its output', async () => {
    const dir = makeTempDir('experiments', 'containers');
    const ws = writeTuneWorkspace(path.join(dir, 'ws'), { maxTrialCount: 3, parallel: 2 });
    const file = path.join(ws, 'experiment.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('          command:', '          image: kfd-test/python:bookworm\n          command:'));
    const t = TestEngine.open(path.join(dir, 'data'));
    try {
      const { id } = await t.call('experiments.create', { path: ws, backend: 'container' });
      const e = await waitFor('the container sweep to end', async () => {
        const d = await t.call('experiments.get', { id });
        return d.status === 'Succeeded' || d.status === 'Failed' ? d : null;
      }, 150_000, 250);
      expect(e).toMatchObject({ status: 'Succeeded', backend: 'container', reason: 'ExperimentMaxTrialsReached' });
      expect(e.trials.every((tr) => tr.status === 'Succeeded' && tr.objective !== null)).toBe(true);
      const job = await t.call('jobs.get', { id: e.trials[0]!.jobId! });
      expect(job.backend).toBe('container');
      expect(job.ranks[0]!.container).toMatch(/^kfd-/);
    } finally {
      await t.close();
    }
  }, 180_000);
});
