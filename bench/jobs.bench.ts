/**
 * What the job machinery costs on top of plain Python and plain file reads:
 * (a) submit → first user log line: `jobs.run` on a one-line script until that line arrives in a
 *     `jobs.log` event, against spawning `/usr/bin/python3 train.py` and reading its first stdout
 *     line (median of 10 each);
 * (b) log ingest: 200k records in a rank log consumed by the capture path (tail → metric writer
 *     → SQLite, plus events), against `fs.readFile` + split of the same file, and against parsing
 *     it in memory without the store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/engine.js';
import { EventBus } from '../engine/api/event-bus.js';
import { JobCapture, logDirOf } from '../engine/jobs/job-capture.js';
import { JobRepo } from '../engine/jobs/job-repo.js';
import { formatRecord, parseRecord } from '../engine/jobs/logs/log-format.js';
import { parseMetricLine } from '../engine/jobs/metrics/metric-parser.js';
import { openStore } from '../engine/store/store.js';
import { jobEnv, probePython, PYTHON } from '../engine/jobs/test-support/python.js';
import { trainJobYaml } from '../engine/jobs/test-support/workspaces.js';
import { engineFirstLine, spawnFirstLine } from './first-line.js';
import { median, ratioLine, timed, type Sample } from './measure.js';

const RUNS = 10;
const INGEST_LINES = 200_000;
const FIRST_LINE = 'first line from train.py';

const pythonFirstLine = (cwd: string) => spawnFirstLine(PYTHON, ['train.py'], { cwd, env: { ...jobEnv(), PYTHONUNBUFFERED: '1' } });

async function submitToFirstLine(dir: string): Promise<string[]> {
  const reason = probePython('import sys');
  if (reason) return [`submit → first log line: skipped (${reason})`];
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'trainjob.yaml'), trainJobYaml('first-line', { numProcPerNode: 1 }));
  fs.writeFileSync(path.join(ws, 'train.py'), `print(${JSON.stringify(FIRST_LINE)}, flush=True)\n`);

  const engine = createEngine({ dataDir: path.join(dir, 'engine'), env: jobEnv() });
  const long = path.join(dir, 'ws-long');
  fs.cpSync(ws, long, { recursive: true });
  // A script that keeps running: its line waits for the capture's next 200 ms publish tick
  // instead of going out with the job's end.
  fs.appendFileSync(path.join(long, 'train.py'), 'import time\ntime.sleep(0.3)\n');
  try {
    // Interleaved, so the three see the same machine (its load changes from second to second here).
    const times = { python: [] as number[], exits: [] as number[], runs: [] as number[] };
    // A pause between runs, as between two clicks on Run (the warm supervisor that one job takes
    // is replaced at once, but Node needs a moment to start).
    const pause = () => new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < RUNS + 2; i++) {
      const p = await pythonFirstLine(ws);
      await pause();
      const e = await engineFirstLine(engine, ws, FIRST_LINE);
      await pause();
      const r = await engineFirstLine(engine, long, FIRST_LINE);
      await pause();
      if (i < 2) continue; // warm-up (the engine's first job also starts its warm supervisor)
      times.python.push(p);
      times.exits.push(e);
      times.runs.push(r);
    }
    const baseline = median('spawn python3 train.py → first stdout line', times.python);
    const exits = median('jobs.run → line in a jobs.log event (script exits)', times.exits);
    const runs = median('jobs.run → line in a jobs.log event (script runs on 0.3 s)', times.runs);
    return [ratioLine(exits, baseline), ratioLine(runs, baseline), `  (goal ≤ 1.5× the baseline; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores)`];
  } finally {
    await engine.close();
  }
}

function writeRankLog(file: string, lines: number): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const ts = Date.now();
  const chunks: string[] = [];
  for (let i = 0; i < lines; i++) chunks.push(formatRecord({ ts: ts + Math.floor(i / 100), stream: 'o', text: `step=${i} loss=${(1 / (i + 1)).toFixed(6)} lr=0.001` }));
  fs.writeFileSync(file, chunks.join(''));
  return fs.statSync(file).size;
}

const rate = (s: Sample) => `${Math.round((INGEST_LINES / s.medianMs) * 1000).toLocaleString('en-US')} lines/s`;

async function logIngest(dir: string): Promise<string[]> {
  const store = openStore(path.join(dir, 'ingest'));
  const repo = new JobRepo(store.db);
  const events = new EventBus();
  let evented = 0;
  events.subscribe((event, payload) => {
    if (event === 'jobs.log') evented += (payload as { lines: unknown[] }).lines.length;
  });
  const source = path.join(dir, 'source.log');
  const bytes = writeRankLog(source, INGEST_LINES);
  let n = 0;
  const cpuMs: number[] = [];
  try {
    const captureTimes = await timed(3, 1, async () => {
      const id = `bench-${n++}`;
      const jobDir = path.join(dir, 'jobs', id);
      fs.mkdirSync(logDirOf(jobDir), { recursive: true });
      fs.copyFileSync(source, path.join(logDirOf(jobDir), 'rank-0.log'));
      repo.insert({ id, name: id, workspace: dir, spec: '', backend: 'local-process', target: '', numNodes: 1, numProcPerNode: 1, warnings: [], jobDir, parentId: null, createdAt: Date.now() });
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const capture = new JobCapture(store.db, events, id, jobDir);
      await capture.finish(); // everything in the file read, metrics committed, offsets saved
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      const rows = (store.db.prepare('SELECT COUNT(*) AS n FROM metrics WHERE job_id = ?').get(id) as { n: number }).n;
      if (rows !== INGEST_LINES * 2) throw new Error(`expected ${INGEST_LINES * 2} metric rows, got ${rows}`);
      return ms;
    });
    const capture = median(`capture path (tail + metric writer + events), ${INGEST_LINES / 1000}k records, ${(bytes / 1e6).toFixed(1)} MB`, captureTimes);
    const read = median('fs.readFile + split', await timed(5, 1, async () => {
      const t0 = performance.now();
      const lines = (await fs.promises.readFile(source, 'utf8')).split('\n');
      const ms = performance.now() - t0;
      if (lines.length !== INGEST_LINES + 1) throw new Error(`read ${lines.length} lines`);
      return ms;
    }));
    const parse = median('readFile + split + parseRecord + parseMetricLine (no store)', await timed(3, 1, async () => {
      const t0 = performance.now();
      let points = 0;
      for (const l of (await fs.promises.readFile(source, 'utf8')).split('\n')) {
        const r = l && parseRecord(l);
        if (r) points += Object.keys(parseMetricLine(r.text)?.values ?? {}).length;
      }
      if (points !== INGEST_LINES * 2) throw new Error(`parsed ${points} points`);
      return performance.now() - t0;
    }));
    return [
      `${ratioLine(capture, read)}`,
      `  ${rate(capture)} through the capture vs ${rate(read)} read+split; ${Math.round(evented / (n || 1))} lines per run went out as live events (the rest is paged from the files)`,
      `  ${rate(median('cpu', cpuMs))} per CPU-second of the capture (wall-clock rates drop with the machine's load: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores; goal ≥ 200,000 lines/s)`,
      `${ratioLine(capture, parse)}`,
    ];
  } finally {
    store.close();
  }
}

export async function run(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-jobs-'));
  try {
    return [...(await submitToFirstLine(dir)), ...(await logIngest(dir))];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
