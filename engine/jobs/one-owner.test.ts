/**
 * One engine owns a data dir: several engines open on it while a job runs — the app, `kfd`
 * commands (real processes), in-process clients, a second app — and every log line and metric
 * point is captured exactly once, by the owner. When the owner dies a waiting app takes over;
 * the background owner `kfd run` leaves behind hands over to the app when it opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../api/contract.js';
import { createEngine, type Engine } from '../engine.js';
import { readLease } from '../ownership/engine-lease.js';
import { isRunning } from '../ownership/process-identity.js';
import { openStore } from '../store/store.js';
import { DriverProcess } from './test-support/driver-process.js';
import { kfd } from './test-support/kfd-cli.js';
import { hasPython, tempDir } from './test-support/parts.js';
import { jobEnv } from './test-support/python.js';
import { TestEngine, waitFor } from './test-support/test-engine.js';
import { tickerScript, writeWorkspace } from './test-support/workspaces.js';

const numbered = (rank: number, n: number) => Array.from({ length: n }, (_, i) => `line ${rank} ${i}`);
const open: { close(): Promise<void> }[] = [];
const drivers: DriverProcess[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.kill9();
  for (const e of open.splice(0).reverse()) await e.close();
});

/** Every line of each rank once, in order; each (rank, step) point of `loss` once. */
async function expectExactlyOnce(t: TestEngine, id: string, lines: number) {
  const done = await t.waitForStatus(id, ['Complete', 'Failed', 'Cancelled'], 60_000);
  expect(done.status).toBe('Complete');
  for (const rank of [0, 1]) {
    const texts = (await t.allLogs(id, { rank })).lines.map((l) => l.text);
    expect(texts.filter((l) => l.startsWith('line '))).toEqual(numbered(rank, lines));
    expect(texts).toHaveLength(lines * 2);
  }
  expect(t.duplicateMetricRows(id)).toEqual([]);
  expect(t.metricRowCount(id, 'loss')).toBe(lines * 2);
  const { series } = await t.call('jobs.metrics', { id });
  expect(series.find((s) => s.name === 'loss')?.points.map(([step]) => step)).toEqual(Array.from({ length: lines }, (_, i) => i));
}

function recordEvents(engine: Engine): EventName[] {
  const seen: EventName[] = [];
  engine.events.subscribe((event) => seen.push(event));
  return seen;
}

describe.runIf(hasPython())('one owner engine per data dir', () => {
  it('the app, kfd commands, in-process clients and a second app on one data dir: every line and point captured once, by the app', async () => {
    const root = tempDir('owner-many');
    const dataDir = path.join(root, 'data');
    const t = TestEngine.open(dataDir);
    open.push(t);
    expect(t.engine.ownership.isOwner()).toBe(true);
    const job = await t.call('jobs.run', { path: writeWorkspace(path.join(root, 'ws'), 'ticker', tickerScript(40, 100)) });
    await t.waitForStatus(job.id, ['Running']);

    const others = [createEngine({ dataDir, env: jobEnv(), role: 'client' }), createEngine({ dataDir, env: jobEnv(), role: 'client' }), createEngine({ dataDir, env: jobEnv() })];
    open.push(...others);
    const otherEvents = others.map(recordEvents);
    expect(others.map((e) => e.ownership.isOwner())).toEqual([false, false, false]);
    // Real `kfd` processes, several at once, while the job runs.
    const cli = await Promise.all([kfd(dataDir, ['jobs']), kfd(dataDir, ['show', job.id]), kfd(dataDir, ['logs', job.id]), kfd(dataDir, ['jobs', '--json'])]);
    for (const r of cli) expect(r.code, r.stderr).toBe(0);
    for (const e of others) expect('result' in (await e.dispatch('jobs.get', { id: job.id }))).toBe(true);

    await expectExactlyOnce(t, job.id, 40);
    expect(t.logEvents(job.id).filter((l) => l.text.startsWith('line '))).toHaveLength(80); // live, once each
    for (const seen of otherEvents) expect(seen.filter((e) => e === 'jobs.log' || e === 'jobs.metrics')).toEqual([]);
    expect(readLease(t.engine.store.db)?.engine).toBe(t.engine.ownership.identity.engine);
  }, 120_000);

  it('the owner is killed -9 mid-job: a waiting app takes over and captures the rest, every line and point once', async () => {
    const root = tempDir('owner-dies');
    const dataDir = path.join(root, 'data');
    const driver = DriverProcess.start(path.join(root, 'driver.json'), { dataDir, env: jobEnv(), workspaces: [writeWorkspace(path.join(root, 'ws'), 'ticker', tickerScript(40, 100))] });
    drivers.push(driver);
    const [id] = await driver.started(1);
    await waitFor('the owner to capture some lines', () => driver.captured() >= 10, 30_000);

    const standby = TestEngine.open(dataDir);
    open.push(standby);
    expect(standby.engine.ownership.isOwner()).toBe(false);
    expect((await standby.call('jobs.get', { id: id! })).status).toBe('Running'); // reads work meanwhile
    await driver.kill9();
    await waitFor('the waiting app to take over', () => standby.engine.ownership.isOwner(), 5000);
    await expectExactlyOnce(standby, id!, 40);
  }, 120_000);

  it('kfd run leaves a background owner that captures; the app takes over from it when it opens', async () => {
    const root = tempDir('owner-bg');
    const dataDir = path.join(root, 'data');
    const started = await kfd(dataDir, ['run', writeWorkspace(path.join(root, 'ws'), 'ticker', tickerScript(60, 100))]);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    const peek = openStore(dataDir);
    let background: ReturnType<typeof readLease> = null;
    try {
      background = await waitFor('a background owner to capture', () => {
        const lease = readLease(peek.db);
        const rows = peek.db.prepare("SELECT COUNT(*) FROM metrics WHERE job_id = ?").pluck().get(id) as number;
        return lease?.kind === 'background' && rows > 0 ? lease : null;
      }, 30_000);
    } finally {
      peek.close();
    }
    const t = TestEngine.open(dataDir);
    open.push(t);
    await waitFor('the app to take over', () => t.engine.ownership.isOwner(), 5000);
    await waitFor('the background owner to exit', () => !isRunning(background!), 5000);
    await expectExactlyOnce(t, id, 60);
    expect(fs.readFileSync(path.join(dataDir, 'background-owner.log'), 'utf8')).toMatch(/the app took over; exiting/);
  }, 120_000);
});
