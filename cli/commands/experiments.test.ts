/** `kfd tune`, `kfd experiments`, `kfd experiment show|cancel` through the real binary (python3 trials). */
import { describe, expect, it } from 'vitest';
import { kfd } from '../../engine/jobs/test-support/kfd-cli.js';
import { probePython } from '../../engine/jobs/test-support/python.js';
import { makeTempDir, reportMissingPart } from '../../engine/test-support/real-parts.js';
import { writeTuneWorkspace } from '../../engine/experiments/test-support/tune-workspace.js';

const missing = probePython('import argparse');
const hasPython = missing === null || reportMissingPart('python3', missing);

describe.runIf(hasPython)('kfd tune / experiments', () => {
  it('tune --follow exits 0 when the experiment Succeeded; show --json has exactly the promised shape', async () => {
    const dir = makeTempDir('experiments', 'cli');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 3, parallel: 2 });
    const run = await kfd(`${dir}/data`, ['tune', ws, '--follow'], 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/digits-tune-3 Succeeded accuracy=/);
    expect(run.stdout).toMatch(/Succeeded \(ExperimentMaxTrialsReached\)/);

    const list = await kfd(`${dir}/data`, ['experiments', '--json']);
    const [e] = JSON.parse(list.stdout) as { id: string }[];
    const show = await kfd(`${dir}/data`, ['experiment', 'show', e!.id.slice(0, 6), '--json']);
    const shown = JSON.parse(show.stdout) as Record<string, unknown> & { trials: Record<string, unknown>[]; bestTrial: Record<string, unknown> };
    expect(Object.keys(shown)).toEqual(['id', 'name', 'status', 'bestTrial', 'trials']);
    expect(Object.keys(shown.bestTrial)).toEqual(['name', 'parameters', 'objective']);
    expect(Object.keys(shown.trials[0]!)).toEqual(['name', 'status', 'parameters', 'objective', 'jobId']);
    expect(shown.status).toBe('Succeeded');
    const best = shown.trials.reduce((a, b) => ((b.objective as number) > (a.objective as number) ? b : a));
    expect(shown.bestTrial).toEqual({ name: best.name, parameters: best.parameters, objective: best.objective });
    // The trials are ordinary jobs: `kfd show` opens one.
    const job = await kfd(`${dir}/data`, ['show', String(best.jobId)]);
    expect(job.stdout).toContain('Complete');
  }, 120_000);

  it('tune --follow exits 1 when the experiment Failed; a bad file names its line', async () => {
    const dir = makeTempDir('experiments', 'clifail');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 3, parallel: 1, env: { FAIL: '1' }, extraSpec: '  maxFailedTrialCount: 1' });
    const run = await kfd(`${dir}/data`, ['tune', `${ws}/experiment.yaml`, '--follow'], 60_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Failed \(ExperimentFailed\)/);
    const bad = writeTuneWorkspace(`${dir}/bad`, { algorithm: 'hyperbandd', settings: '' });
    const refused = await kfd(`${dir}/data`, ['tune', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/experiment\.yaml:\d+:\d+ spec\.algorithm\.algorithmName: unknown algorithm "hyperbandd".*Did you mean "hyperband"/);
  }, 90_000);
});
