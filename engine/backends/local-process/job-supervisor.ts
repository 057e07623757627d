/**
 * Job supervisor: one standalone Node program per local job, supervising every rank of the job
 * on this host. `job-supervisor.mjs <jobDir>`, or `job-supervisor.mjs --spare`: a warm spare the
 * engine starts ahead of time, which reads the job dir from its stdin when a job comes (so the
 * ranks start without waiting for Node to boot) and exits at EOF if none does.
 *
 * It is started detached (its own session), so it outlives the engine even after a SIGKILL. For
 * each `ranks/rank-<N>.spec.json` (argv, env, cwd; deleted as soon as read: the env may hold
 * secrets and must never show in a `ps` listing) it starts the rank in a process group of its
 * own, appends its output to `logs/rank-<N>.log`, and writes its pid record and, at its end, its
 * exit record (job-files.ts). SIGTERM/SIGINT stop every rank (SIGKILL after the grace period).
 * esbuild bundles this file into one .mjs (scripts/build-runtime.mjs, or on the fly by
 * wrapper-runtime.ts), so it may only import node:* and small engine modules without dependencies.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { LineSplitter, formatRecord, type LogStream } from '../../jobs/logs/log-format.js';
import type { ExitRecord, SetupRecord, StopRecord, WrapperSpec } from './job-files.js';
import { jobFiles, readJson, writeJsonAtomic } from './job-files.js';

interface RunResult {
  exitCode: number;
  signal: string | null;
  pid: number | null;
  error?: string;
}

interface Rank {
  n: number;
  files: ReturnType<ReturnType<typeof jobFiles>['rank']>;
  log: number;
  child: ChildProcess | null;
  done: boolean;
}

const startedAt = Date.now();
const ranks: Rank[] = [];
let stopSignal: NodeJS.Signals | null = null;
let onStop: () => void = () => {};
const stopped = new Promise<void>((resolve) => (onStop = resolve));
let graceMs = 10_000;
let killTimer: NodeJS.Timeout | null = null;
let jobDir: string | null = null;

// Installed first: a stop that arrives while we are still reading the specs must not kill us
// without exit records. SIGHUP is ignored so a closing terminal does not end the job.
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => {});

/** Our start time as /proc shows it: with the pid, how the backend recognises us after a restart. */
function selfStarted(): string {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/** Forward to every rank's process group; escalate to SIGKILL after the grace period. */
function stop(signal: NodeJS.Signals): void {
  if (stopSignal) return;
  stopSignal = signal;
  if (!jobDir) process.exit(0); // a spare without a job
  for (const r of ranks) if (r.child?.pid) signalGroup(r.child.pid, signal);
  killTimer = setTimeout(() => {
    for (const r of ranks) if (r.child?.pid) signalGroup(r.child.pid, 'SIGKILL');
  }, graceMs);
  onStop();
}

function appendLog(rank: Rank, stream: LogStream, lines: string[]): void {
  if (lines.length === 0) return;
  const ts = Date.now();
  // One write per batch on an O_APPEND fd: records never interleave mid-line.
  writeSync(rank.log, lines.map((text) => formatRecord({ ts, stream, text })).join(''));
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return n === undefined ? 1 : 128 + n;
}

function cannotStart(rank: Rank, file: string, err: unknown): RunResult {
  const message = err instanceof Error ? err.message : String(err);
  appendLog(rank, 'e', [`kfd: cannot start ${file}: ${message}`]);
  const code = (err as NodeJS.ErrnoException)?.code;
  // Shell conventions: 127 command not found, 126 found but not executable.
  return { exitCode: code === 'ENOENT' ? 127 : 126, signal: null, pid: null, error: message };
}

function run(rank: Rank, argv: string[], env: Record<string, string>, cwd: string, started: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    let proc: ChildProcess;
    try {
      // detached: its own process group, so one kill(-pid) reaches everything it started.
      proc = spawn(file!, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve(cannotStart(rank, file!, err));
      return;
    }
    rank.child = proc;
    const splitters = { o: new LineSplitter(), e: new LineSplitter() };
    let open = 2;
    let exited: RunResult | null = null;
    const settle = () => {
      if (!exited || open > 0) return;
      appendLog(rank, 'o', splitters.o.flush());
      appendLog(rank, 'e', splitters.e.flush());
      rank.child = null;
      resolve(exited);
    };
    for (const [stream, pipe] of [['o', proc.stdout!], ['e', proc.stderr!]] as const) {
      pipe.on('data', (chunk: Buffer) => appendLog(rank, stream, splitters[stream].push(chunk)));
      pipe.on('close', () => {
        open--;
        settle();
      });
    }
    proc.on('error', (err) => {
      // Only spawn failures arrive here before 'exit' (e.g. ENOENT); the pipes close on their own.
      if (!exited) exited = cannotStart(rank, file!, err);
      settle();
    });
    proc.on('exit', (code, signal) => {
      exited = { exitCode: exitCodeOf(code, signal), signal, pid: proc.pid ?? null };
      // As when a pod's main container ends: whatever it left running in its group goes too,
      // and a descendant that escaped the group cannot hold the pipes (and us) open forever.
      if (proc.pid) signalGroup(proc.pid, 'SIGKILL');
      setTimeout(() => {
        proc.stdout?.destroy();
        proc.stderr?.destroy();
      }, 2000).unref();
      settle();
    });
    if (proc.pid) {
      writeJsonAtomic(rank.files.pid, { wrapperPid: process.pid, wrapperStarted: started, pid: proc.pid, startedAt }, { durable: false });
      if (stopSignal) signalGroup(proc.pid, stopSignal); // the stop raced with the spawn
    }
  });
}

function stoppedBeforeStart(): RunResult {
  const signal = stopSignal ?? 'SIGTERM';
  return { exitCode: exitCodeOf(null, signal), signal, pid: null, error: 'stopped before its command started' };
}

/** The rank's exit record (and, for a node's setup, the node's setup record). */
function finish(rank: Rank, result: RunResult, phase: ExitRecord['phase'], setupOf?: { file: string }): void {
  const record: ExitRecord = { exitCode: result.exitCode, signal: result.signal, startedAt, finishedAt: Date.now(), pid: result.pid, phase };
  if (result.error) record.error = result.error;
  writeJsonAtomic(rank.files.exit, record);
  if (setupOf) writeJsonAtomic(setupOf.file, { exitCode: result.exitCode, signal: result.signal } satisfies SetupRecord);
  closeSync(rank.log);
  rank.done = true;
}

/** Node setups, by node rank: its local rank 0 runs them, the node's other ranks wait. */
const setups = new Map<number, { done: Promise<SetupRecord>; resolve: (r: SetupRecord) => void }>();
function setupOf(nodeRank: number) {
  let s = setups.get(nodeRank);
  if (!s) {
    let resolve!: (r: SetupRecord) => void;
    const done = new Promise<SetupRecord>((r) => (resolve = r));
    setups.set(nodeRank, (s = { done, resolve }));
  }
  return s;
}

async function superviseRank(rank: Rank, spec: WrapperSpec, files: ReturnType<typeof jobFiles>, started: string): Promise<void> {
  if (spec.waitForSetup) {
    const setup = await Promise.race([setupOf(spec.nodeRank).done, stopped.then(() => null)]);
    if (!setup) return finish(rank, stoppedBeforeStart(), 'wait');
    if (setup.exitCode !== 0) {
      return finish(rank, { ...setup, pid: null, error: `node ${spec.nodeRank}'s setup commands failed, so this rank did not start` }, 'wait');
    }
  }
  if (spec.setup) {
    const result = stopSignal ? stoppedBeforeStart() : await run(rank, spec.setup.argv, spec.setup.env, spec.cwd, started);
    // Waiting ranks must finish after this one, so it counts as the first failure.
    if (result.exitCode !== 0) {
      finish(rank, result, 'setup', { file: files.setup(spec.nodeRank) });
      setupOf(spec.nodeRank).resolve({ exitCode: result.exitCode, signal: result.signal });
      return;
    }
    writeJsonAtomic(files.setup(spec.nodeRank), { exitCode: 0, signal: null } satisfies SetupRecord);
    setupOf(spec.nodeRank).resolve({ exitCode: 0, signal: null });
  }
  const result = stopSignal ? stoppedBeforeStart() : await run(rank, spec.argv, spec.env, spec.cwd, started);
  finish(rank, result, 'main');
}

/** A spare learns its job dir from its stdin (one line); EOF first: no job, exit. */
function jobDirFromStdin(): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      text += d;
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        process.stdin.pause();
        process.stdin.destroy();
        resolve(text.slice(0, nl));
      }
    });
    process.stdin.on('end', () => resolve(null));
    process.stdin.on('error', () => resolve(null));
  });
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  const dir = arg === '--spare' ? await jobDirFromStdin() : (arg ?? null);
  if (!dir) process.exit(arg === '--spare' ? 0 : 2);
  jobDir = dir;
  if (arg === '--spare') process.title = `kfd-job-supervisor ${dir}`; // what `ps` shows
  const files = jobFiles(dir);
  const started = selfStarted();
  const numbers = readdirSync(files.ranksDir)
    .map((f) => /^rank-(\d+)\.spec\.json$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  for (const n of numbers) {
    const f = files.rank(n);
    ranks.push({ n, files: f, log: openSync(f.log, 'a'), child: null, done: false });
    // The pid record says "the handlers are in place"; the backend signals us only after it.
    writeJsonAtomic(f.pid, { wrapperPid: process.pid, wrapperStarted: started, pid: null, startedAt }, { durable: false });
  }
  // A stop that began before our pid records existed is read from stop.json instead: the
  // backend writes it before it looks for pid records, so at least one of us sees the other.
  if (readJson<StopRecord>(files.stop)) stop('SIGTERM');
  const specs = ranks.map((r) => {
    try {
      return JSON.parse(readFileSync(r.files.spec, 'utf8')) as WrapperSpec;
    } finally {
      rmSync(r.files.spec, { force: true });
    }
  });
  graceMs = Math.max(...specs.map((s) => s.graceMs));
  await Promise.all(ranks.map((r, i) => superviseRank(r, specs[i]!, files, started)));
  if (killTimer) clearTimeout(killTimer);
  process.exit(0);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  for (const r of ranks) {
    if (r.done) continue;
    if (r.child?.pid) signalGroup(r.child.pid, 'SIGKILL');
    try {
      appendLog(r, 'e', [`kfd: job supervisor failed: ${message}`]);
      finish(r, { exitCode: 1, signal: null, pid: null, error: `job supervisor failed: ${message}` }, 'main');
    } catch {
      // the files themselves may be the problem
    }
  }
  process.exit(1);
});
