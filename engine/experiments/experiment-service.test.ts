/**
 * The orchestrator on a real engine: trials are real local-process jobs (python3), the state is
 * in a real SQLite file, and a second engine on the same data dir carries a sweep on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExperimentDetail } from '../api/contract.js';
import { PYTHON, jobEnv } from '../jobs/test-support/python.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { probePython } from '../jobs/test-support/python.js';
import { writeTuneWorkspace } from './test-support/tune-workspace.js';

const missing = probePython('import argparse');
const hasPython = missing === null || reportMissingPart('python3', missing);

async function finished(t: TestEngine, id: string, timeoutMs = 60_000): Promise<ExperimentDetail> {
  return waitFor(`experiment ${id} to end`, async () => {
    const e = await t.call('experiments.get', { id });
    return e.status === 'Succeeded' || e.status === 'Failed' ? e : null;
  }, timeoutMs, 100);
}

describe.runIf(hasPython)('experiments on local processes', () => {
  it('runs maxTrialCount trials as owned jobs, at most parallelTrialCount at once, and names the best', async () => {
    const dir = makeTempDir('experiments', 'max');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 5, parallel: 2 });
    const t = TestEngine.open(`${dir}/data`, jobEnv({ KFD_PYTHON: PYTHON }));
    try {
      const created = await t.call('experiments.create', { path: ws });
      const e = await finished(t, created.id);
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentMaxTrialsReached' });
      expect(e.trials).toHaveLength(5);
      expect(e.trials.every((tr) => tr.status === 'Succeeded' && tr.objective !== null && tr.jobId)).toBe(true);
      const best = e.trials.reduce((a, b) => (b.objective! > a.objective! ? b : a));
      expect(e.bestTrial).toEqual({ name: best.name, parameters: best.parameters, objective: best.objective });
      // Each trial is a job in history, owned by the experiment, and ran with its own parameters.
      const owned = await t.call('jobs.list', { owner: { kind: 'experiment', id: e.id } });
      expect(owned.jobs.map((j) => j.owner?.role).sort()).toEqual(e.trials.map((tr) => tr.name).sort());
      const job = await t.call('jobs.get', { id: e.trials[0]!.jobId! });
      expect(job.spec).toContain(`--lr=${e.trials[0]!.parameters.lr}`);
      // Never more than parallelTrialCount trial jobs running at once.
      const runningAt = owned.jobs.map((j) => ({ s: j.startedAt!, f: j.finishedAt! }));
      for (const a of runningAt) expect(runningAt.filter((b) => b.s <= a.s && b.f > a.s).length).toBeLessThanOrEqual(2);
      // The objective is accuracy's max over the run (Katib's default for maximize): the last step's value here.
      const lines = (await t.allLogs(e.trials[0]!.jobId!)).lines.map((l) => l.text).filter((l) => l.includes('accuracy='));
      expect(e.trials[0]!.objective).toBeCloseTo(Math.max(...lines.map((l) => Number(/accuracy=([-\d.]+)/.exec(l)![1]))), 6);
    } finally {
      await t.close();
    }
  }, 90_000);

  it('ends with ExperimentGoalReached as soon as a trial reaches the goal, stopping the others', async () => {
    const dir = makeTempDir('experiments', 'goal');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 30, parallel: 2, objective: '    type: maximize\n    goal: 0.2\n    objectiveMetricName: accuracy' });
    const t = TestEngine.open(`${dir}/data`);
    try {
      const e = await finished(t, (await t.call('experiments.create', { path: ws })).id);
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentGoalReached' });
      expect(e.bestTrial!.objective).toBeGreaterThanOrEqual(0.2);
      expect(e.trials.length).toBeLessThan(30);
      await waitFor('every trial to be final', async () => (await t.call('experiments.get', { id: e.id })).trials.every((tr) => tr.finishedAt !== null));
    } finally {
      await t.close();
    }
  }, 90_000);

  it('fails with ExperimentFailed when maxFailedTrialCount trials failed', async () => {
    const dir = makeTempDir('experiments', 'fail');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 6, parallel: 1, env: { FAIL: '1' }, extraSpec: '  maxFailedTrialCount: 2' });
    const t = TestEngine.open(`${dir}/data`);
    try {
      const e = await finished(t, (await t.call('experiments.create', { path: ws })).id);
      expect(e).toMatchObject({ status: 'Failed', reason: 'ExperimentFailed' });
      expect(e.trials.map((tr) => tr.status)).toEqual(['Failed', 'Failed']);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('medianstop stops trials worse than the median through the job cancel', async () => {
    const dir = makeTempDir('experiments', 'median');
    // grid over lr: the first trials are good (near 0.01) or bad; later bad ones get stopped after start_step.
    const ws = writeTuneWorkspace(`${dir}/ws`, {
      algorithm: 'grid',
      settings: '',
      maxTrialCount: 6,
      parallel: 1,
      env: { STEPS: '60', PAUSE: '0.1' }, // 6 s: stopping after start_step (0.5 s) has time to spare under load
      parameters: `    - name: lr\n      parameterType: discrete\n      feasibleSpace: {list: ["0.01", "0.012", "0.009", "0.0001", "0.00011", "0.00012"]}\n    - name: alpha\n      parameterType: discrete\n      feasibleSpace: {list: ["0"]}\n    - name: layers\n      parameterType: int\n      feasibleSpace: {min: "1", max: "1"}\n    - name: optimizer\n      parameterType: categorical\n      feasibleSpace: {list: ["sgd"]}`,
      extraSpec: '  earlyStopping:\n    algorithmName: medianstop\n    algorithmSettings:\n      - {name: min_trials_required, value: "3"}\n      - {name: start_step, value: "5"}',
    });
    const t = TestEngine.open(`${dir}/data`);
    try {
      const e = await finished(t, (await t.call('experiments.create', { path: ws })).id, 80_000);
      expect(e.trials.slice(0, 3).map((tr) => tr.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
      expect(e.trials.slice(3).map((tr) => tr.status)).toEqual(['EarlyStopped', 'EarlyStopped', 'EarlyStopped']);
      for (const tr of e.trials.slice(3)) {
        const job = await t.call('jobs.get', { id: tr.jobId! });
        expect(job.status).toBe('Cancelled'); // stopped through the backend's cancel
        expect(tr.metrics.find((m) => m.name === 'accuracy')!.latest).toBeLessThan(0.9);
      }
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentMaxTrialsReached' });
    } finally {
      await t.close();
    }
  }, 90_000);

  it('a second engine carries a sweep on: running trials re-attach, no trial is run twice', async () => {
    const dir = makeTempDir('experiments', 'resume');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 4, parallel: 2, env: { STEPS: '10', PAUSE: '0.1' } });
    const first = TestEngine.open(`${dir}/data`);
    const id = (await first.call('experiments.create', { path: ws })).id;
    await waitFor('two trials running', async () => (await first.call('experiments.get', { id })).trials.filter((tr) => tr.status === 'Running').length === 2);
    await first.close(); // the app goes away while two trials run
    // A trial written but not yet submitted when the engine stopped is submitted by the next one.
    const second = TestEngine.open(`${dir}/data`);
    try {
      const e = await finished(second, id);
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentMaxTrialsReached' });
      expect(e.trials.map((tr) => tr.name)).toEqual(['digits-tune-1', 'digits-tune-2', 'digits-tune-3', 'digits-tune-4']);
      expect(e.trials.every((tr) => tr.status === 'Succeeded')).toBe(true);
      const owned = await second.call('jobs.list', { owner: { kind: 'experiment', id } });
      expect(owned.total).toBe(4);
    } finally {
      await second.close();
    }
  }, 90_000);

  it('cancel stops the running trials and ends the experiment as Katib names it', async () => {
    const dir = makeTempDir('experiments', 'cancel');
    const ws = writeTuneWorkspace(`${dir}/ws`, { maxTrialCount: 4, parallel: 2, env: { STEPS: '100', PAUSE: '0.1' } });
    const t = TestEngine.open(`${dir}/data`);
    try {
      const id = (await t.call('experiments.create', { path: ws })).id;
      await waitFor('a trial running', async () => (await t.call('experiments.get', { id })).trials.some((tr) => tr.status === 'Running'));
      const s = await t.call('experiments.cancel', { id: id.slice(0, 6) });
      expect(s).toMatchObject({ status: 'Failed', reason: 'ExperimentKilled' });
      const e = await waitFor('trials recorded', async () => {
        const d = await t.call('experiments.get', { id });
        return d.trials.every((tr) => tr.finishedAt !== null) ? d : null;
      });
      expect(e.trials.every((tr) => tr.status === 'Killed')).toBe(true);
      for (const tr of e.trials) expect((await t.call('jobs.get', { id: tr.jobId! })).status).toBe('Cancelled');
    } finally {
      await t.close();
    }
  }, 60_000);

  it('refuses an invalid experiment with the file, line and field', async () => {
    const dir = makeTempDir('experiments', 'bad');
    const ws = writeTuneWorkspace(`${dir}/ws`, { parallel: 0 });
    const t = TestEngine.open(`${dir}/data`);
    try {
      const err = await t.callError('experiments.create', { path: ws });
      expect(err.code).toBe('bad_request');
      expect(err.message).toMatch(/experiment\.yaml:\d+:\d+ spec\.parallelTrialCount: expected a whole number ≥ 1/);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(hasPython)('experiments and managed Python environments', () => {
  it('trials of a workspace with requirements.txt share one managed venv: built once, never per trial', async () => {
    const { findVenvPython, makeWheel } = await import('../jobs/python-env/test-support.js');
    const venvPython = findVenvPython();
    if (!venvPython.python) return;
    const dir = makeTempDir('experiments', 'venv');
    const wheels = path.join(dir, 'wheels');
    makeWheel(venvPython.python, wheels, 'kfdtunedep', '1.0', 'BONUS = 0.001\ndef main():\n    pass\n');
    const ws = writeTuneWorkspace(path.join(dir, 'ws'), { maxTrialCount: 4, parallel: 2 });
    fs.writeFileSync(path.join(ws, 'requirements.txt'), 'kfdtunedep==1.0\n');
    fs.writeFileSync(path.join(ws, 'train.py'), `import kfdtunedep\n${fs.readFileSync(path.join(ws, 'train.py'), 'utf8')}`);
    const t = TestEngine.open(path.join(dir, 'data'), jobEnv({ KFD_PYTHON: venvPython.python, KFD_WHEELHOUSE: wheels }));
    try {
      const e = await finished(t, (await t.call('experiments.create', { path: ws })).id);
      expect(e.trials.map((tr) => tr.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
      const envs = fs.readdirSync(path.join(dir, 'data', 'python-envs')).filter((n) => !n.endsWith('.lock') && !n.startsWith('.'));
      expect(envs).toHaveLength(1);
      // Each trial job said which interpreter it got; the env was created by one of them only.
      const said = (jobId: string) => t.events.filter((ev) => ev.event === 'jobs.changed' && (ev.payload as { id: string }).id === jobId).map((ev) => String((ev.payload as { message: string | null }).message));
      for (const tr of e.trials) expect(said(tr.jobId!).some((m) => m.includes(`managed environment ${envs[0]}`))).toBe(true);
      expect(e.trials.filter((tr) => said(tr.jobId!).some((m) => m.startsWith('Creating a Python environment')))).toHaveLength(1);
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe.runIf(hasPython)('experiments after a crash between writing a trial and submitting it', () => {
  it('the next engine submits the written trial once, with the parameters written', async () => {
    const dir = makeTempDir('experiments', 'crash');
    const ws = writeTuneWorkspace(path.join(dir, 'ws'), { maxTrialCount: 2, parallel: 1, env: { STEPS: '10', PAUSE: '0.1' } });
    const first = TestEngine.open(path.join(dir, 'data'));
    const id = (await first.call('experiments.create', { path: ws })).id;
    await waitFor('trial 1 running', async () => (await first.call('experiments.get', { id })).trials[0]?.status === 'Running');
    // The app dies right after writing trial 2 (its row exists, its job was never submitted).
    first.engine.store.db
      .prepare("INSERT INTO experiment_trials (experiment_id, seq, name, parameters, status, created_at) VALUES (?, 2, 'digits-tune-2', ?, 'Created', ?)")
      .run(id, JSON.stringify({ lr: '0.01', alpha: '0.5', layers: '2', optimizer: 'adam' }), Date.now());
    await first.close();
    const second = TestEngine.open(path.join(dir, 'data'));
    try {
      const e = await finished(second, id);
      expect(e.trials.map((tr) => [tr.name, tr.status])).toEqual([['digits-tune-1', 'Succeeded'], ['digits-tune-2', 'Succeeded']]);
      expect((await second.call('jobs.list', { owner: { kind: 'experiment', id } })).total).toBe(2);
      expect((await second.call('jobs.get', { id: e.trials[1]!.jobId! })).spec).toContain('--lr=0.01');
    } finally {
      await second.close();
    }
  }, 90_000);
});
