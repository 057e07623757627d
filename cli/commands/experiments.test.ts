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

describe.runIf(hasPython)('an experiment whose app is killed', () => {
  it('kill -9 of `kfd tune --follow` mid-sweep: the next engine re-attaches the running trials and finishes the sweep', async () => {
    const { spawn } = await import('node:child_process');
    const { KFD_BIN, kfdEnv } = await import('../../engine/jobs/test-support/kfd-cli.js');
    const { TestEngine, waitFor } = await import('../../engine/jobs/test-support/test-engine.js');
    const { REPO_ROOT } = await import('../../engine/jobs/test-support/workspaces.js');
    const dir = makeTempDir('experiments', 'kill9');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 4, parallel: 2, env: { STEPS: '20', PAUSE: '0.1' } });
    const child = spawn(process.execPath, [KFD_BIN, 'tune', ws, '--follow'], { env: kfdEnv(`${dir}/data`), cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('two trials running in the killed app', () => (out.match(/ Running /g) ?? []).length >= 2, 60_000);
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;

    const t = TestEngine.open(`${dir}/data`, kfdEnv(`${dir}/data`));
    try {
      const [e0] = (await t.call('experiments.list', {})).experiments;
      const e = await waitFor('the sweep to finish in the new engine', async () => {
        const d = await t.call('experiments.get', { id: e0!.id });
        return d.status === 'Succeeded' || d.status === 'Failed' ? d : null;
      }, 60_000, 200);
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentMaxTrialsReached' });
      expect(e.trials.map((tr) => [tr.name, tr.status])).toEqual([1, 2, 3, 4].map((n) => [`digits-tune-${n}`, 'Succeeded']));
      expect((await t.call('jobs.list', { owner: { kind: 'experiment', id: e.id } })).total).toBe(4);
    } finally {
      await t.close();
    }
  }, 120_000);
});
