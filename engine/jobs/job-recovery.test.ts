/**
 * The app is killed with SIGKILL while its jobs run: a real engine in a separate Node process
 * (test-support/engine-driver.ts) starts them and is killed; a new engine on the same data dir
 * (in this process) re-attaches, and logs and metrics come out exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DriverProcess } from './test-support/driver-process.js';
import { hasPython, tempDir } from './test-support/parts.js';
import { processesOfJob } from './test-support/procs.js';
import { jobEnv } from './test-support/python.js';
import { TestEngine, waitFor } from './test-support/test-engine.js';
import { tickerScript, writeWorkspace } from './test-support/workspaces.js';

const open: TestEngine[] = [];
const drivers: DriverProcess[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.kill9();
  for (const e of open.splice(0)) await e.close();
});

function setup(name: string) {
  const root = tempDir(name);
  const dataDir = path.join(root, 'data');
  const start = (workspaces: string[], extra: { killAtFirstMetricRow?: boolean } = {}) => {
    const driver = DriverProcess.start(path.join(root, 'driver.json'), { dataDir, env: jobEnv(), workspaces, ...extra });
    drivers.push(driver);
    return driver;
  };
  const reopen = () => {
    const engine = TestEngine.open(dataDir);
    open.push(engine);
    return engine;
  };
  return { root, dataDir, start, reopen };
}

const exitRecord = (dataDir: string, id: string, rank: number) => path.join(dataDir, 'jobs', id, 'ranks', `rank-${rank}.exit.json`);
const numbered = (rank: number, n: number) => Array.from({ length: n }, (_, i) => `line ${rank} ${i}`);

describe.runIf(hasPython())('jobs survive a kill -9 of the engine', () => {
  it('re-attaches to a running job: Running, then Complete; every line once and in order; no duplicate metric rows', async () => {
    const { root, dataDir, start, reopen } = setup('kill9');
    const ws = writeWorkspace(path.join(root, 'ws'), 'ticker', tickerScript(30, 100));
    const driver = start([ws]);
    const [id] = await driver.started(1);
    await waitFor('the first engine to capture some lines', () => driver.captured() >= 10);
    await driver.kill9();
    const linesBeforeKill = driver.captured();
    expect(processesOfJob(id!).length).toBeGreaterThanOrEqual(2); // the ranks outlived their engine

    const t = reopen();
    await t.engine.jobs.ready;
    const reattached = await t.call('jobs.get', { id: id! });
    expect(reattached.status).toBe('Running');
    expect(reattached.ranks.map((r) => r.status)).toEqual(['Running', 'Running']);

    const done = await t.waitForStatus(id!);
    expect(done).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0 });
    expect(done.ranks.map((r) => [r.status, r.exitCode])).toEqual([['Succeeded', 0], ['Succeeded', 0]]);
    expect(t.statuses(id!)).toContain('Complete');

    for (const rank of [0, 1]) {
      const lines = (await t.allLogs(id!, { rank })).lines.map((l) => l.text);
      expect(lines.filter((l) => l.startsWith('line '))).toEqual(numbered(rank, 30));
      expect(lines).toHaveLength(60);
    }
    const merged = (await t.allLogs(id!, { limit: 7 })).lines;
    expect(merged).toHaveLength(120);
    for (const rank of [0, 1]) expect(merged.filter((l) => l.rank === rank && l.text.startsWith('line ')).map((l) => l.text)).toEqual(numbered(rank, 30));
    // The new engine tailed on from where the old one had saved its offsets.
    const liveAfterRestart = t.logEvents(id!).length;
    expect(liveAfterRestart).toBeGreaterThan(0);
    expect(liveAfterRestart).toBeLessThanOrEqual(120 - linesBeforeKill);

    expect(t.duplicateMetricRows(id!)).toEqual([]);
    expect(t.metricRowCount(id!, 'loss')).toBe(60); // 30 steps × 2 ranks: none lost, none twice
    const { series } = await t.call('jobs.metrics', { id: id! });
    expect(series.find((s) => s.name === 'loss')?.points.map(([step]) => step)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(processesOfJob(id!)).toEqual([]);
  });

  it('jobs whose ranks all ended while no engine ran are Complete / Failed with the real exit codes at the next start', async () => {
    const { root, dataDir, start, reopen } = setup('down');
    const ok = writeWorkspace(path.join(root, 'ok'), 'ends-ok', tickerScript(3, 300));
    const bad = writeWorkspace(path.join(root, 'bad'), 'ends-bad', tickerScript(3, 300, 3));
    const driver = start([ok, bad]);
    const [okId, badId] = await driver.started(2);
    await driver.running([okId!, badId!]); // jobs.run returns before the ranks start
    await driver.kill9();
    expect(fs.existsSync(exitRecord(dataDir, okId!, 0))).toBe(false); // they end after their engine
    await waitFor('every rank to end', () => [okId!, badId!].every((id) => [0, 1].every((r) => fs.existsSync(exitRecord(dataDir, id, r)))));

    const t = reopen();
    await t.engine.jobs.ready; // reconciled before anyone reads: no waiting on the job
    const { jobs } = await t.call('jobs.list', {});
    expect(jobs.map((j) => [j.id, j.status])).toEqual([[badId, 'Failed'], [okId, 'Complete']]);

    const done = await t.call('jobs.get', { id: okId! });
    expect(done).toMatchObject({ status: 'Complete', exitCode: 0 });
    expect(done.ranks.map((r) => [r.status, r.exitCode])).toEqual([['Succeeded', 0], ['Succeeded', 0]]);
    const failed = await t.call('jobs.get', { id: badId! });
    expect(failed).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 3 });
    expect(failed.message).toMatch(/^rank 1 \(node 0, local rank 1\) exited with code 3/);
    expect(failed.ranks.map((r) => [r.status, r.exitCode])).toEqual([['Succeeded', 0], ['Failed', 3]]);
    expect(failed.failureLog).toEqual(['line 1 0', 'step=0 loss=0.50000', 'line 1 1', 'step=1 loss=0.33333', 'line 1 2', 'step=2 loss=0.25000']);

    for (const id of [okId!, badId!]) {
      for (const rank of [0, 1]) expect((await t.allLogs(id, { rank })).lines.filter((l) => l.text.startsWith('line ')).map((l) => l.text)).toEqual(numbered(rank, 3));
      expect(t.duplicateMetricRows(id)).toEqual([]);
      expect(t.metricRowCount(id, 'loss')).toBe(6);
    }
  });

  it('a burst of metric lines committed just before the kill is not counted twice after the restart', async () => {
    const { root, start, reopen } = setup('burst');
    const script = 'import time\nfor i in range(3000):\n    print(f"step={i} loss={i}", flush=True)\ntime.sleep(1)\nprint("end", flush=True)\n';
    const driver = start([writeWorkspace(path.join(root, 'ws'), 'burst', script, { numProcPerNode: 1 })], { killAtFirstMetricRow: true });
    const [id] = await driver.started(1);
    expect(await driver.exit()).toEqual({ signal: 'SIGKILL' }); // it killed itself right after the first commit

    const t = reopen();
    const done = await t.waitForStatus(id!);
    expect(done.status).toBe('Complete');
    expect(t.duplicateMetricRows(id!)).toEqual([]);
    expect(t.metricRowCount(id!, 'loss')).toBe(3000);
  });
});
