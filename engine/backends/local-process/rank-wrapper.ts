/**
 * Rank wrapper: a standalone Node program, one per rank, usage `rank-wrapper.mjs <jobDir> <rank>`.
 * It is started detached (its own session), so it outlives the engine even after a SIGKILL and
 * keeps writing the rank's log and, at the end, its exit record. Everything else (argv, env, cwd)
 * comes from `ranks/rank-<N>.spec.json`, deleted as soon as it is read: the env may hold secrets
 * and must never show in a `ps` listing. esbuild bundles this file into one .mjs
 * (scripts/build-runtime.mjs, or on the fly by wrapper-runtime.ts), so it may only import node:*
 * and small engine modules without dependencies.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { LineSplitter, formatRecord } from '../../jobs/logs/log-format.js';
import type { LogStream } from '../../jobs/logs/log-format.js';
import type { ExitRecord, SetupRecord, StopRecord, WrapperSpec } from './job-files.js';
import { jobFiles, readJson, writeJsonAtomic } from './job-files.js';

interface RunResult {
  exitCode: number;
  signal: string | null;
  pid: number | null;
  error?: string;
}

const [jobDir, rankArg] = process.argv.slice(2);
const rank = Number(rankArg);
if (!jobDir || !Number.isInteger(rank)) {
  process.stderr.write('usage: rank-wrapper.mjs <jobDir> <globalRank>\n');
  process.exit(2);
}
const files = jobFiles(jobDir);
const mine = files.rank(rank);
const startedAt = Date.now();
let child: ChildProcess | null = null;
let stopSignal: NodeJS.Signals | null = null;
let killTimer: NodeJS.Timeout | null = null;
let graceMs = 10_000;

// Installed first: a stop that arrives while we are still reading the spec must not kill us
// without an exit record. SIGHUP is ignored so a closing terminal does not end the rank.
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => {});

// The pid record says "the handlers are in place": before it exists Node still has the default
// SIGTERM action, which would end us without an exit record (the rank would be Lost), so the
// backend does not signal a wrapper that has not written it. A stop that began meanwhile is read
// from stop.json instead: the backend writes that before it looks for pid records, and we look
// for it only after ours is written, so at least one of the two sees the other.
writeJsonAtomic(mine.pid, { wrapperPid: process.pid, pid: null, startedAt });
if (readJson<StopRecord>(files.stop)) stop('SIGTERM');
const log = openSync(mine.log, 'a');

function appendLog(stream: LogStream, lines: string[]): void {
  if (lines.length === 0) return;
  const ts = Date.now();
  // One write per batch on an O_APPEND fd: records never interleave mid-line.
  writeSync(log, lines.map((text) => formatRecord({ ts, stream, text })).join(''));
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/** Forward to the command's process group; escalate to SIGKILL after the grace period. */
function stop(signal: NodeJS.Signals): void {
  if (stopSignal) return;
  stopSignal = signal;
  if (child?.pid) signalGroup(child.pid, signal);
  killTimer = setTimeout(() => {
    if (child?.pid) signalGroup(child.pid, 'SIGKILL');
  }, graceMs);
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return n === undefined ? 1 : 128 + n;
}

function run(argv: string[], env: Record<string, string>, cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    let proc: ChildProcess;
    try {
      // detached: its own process group, so one kill(-pid) reaches everything it started.
      proc = spawn(file!, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve(cannotStart(file!, err));
      return;
    }
    child = proc;
    const splitters = { o: new LineSplitter(), e: new LineSplitter() };
    let open = 2;
    let exited: RunResult | null = null;
    const settle = () => {
      if (!exited || open > 0) return;
      appendLog('o', splitters.o.flush());
      appendLog('e', splitters.e.flush());
      child = null;
      resolve(exited);
    };
    for (const [stream, pipe] of [['o', proc.stdout!], ['e', proc.stderr!]] as const) {
      pipe.on('data', (chunk: Buffer) => appendLog(stream, splitters[stream].push(chunk)));
      pipe.on('close', () => {
        open--;
        settle();
      });
    }
    proc.on('error', (err) => {
      // Only spawn failures arrive here before 'exit' (e.g. ENOENT); the pipes close on their own.
      if (!exited) exited = cannotStart(file!, err);
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
      writeJsonAtomic(mine.pid, { wrapperPid: process.pid, pid: proc.pid, startedAt });
      if (stopSignal) signalGroup(proc.pid, stopSignal); // the stop raced with the spawn
    }
  });
}

function cannotStart(file: string, err: unknown): RunResult {
  const message = err instanceof Error ? err.message : String(err);
  appendLog('e', [`kfd: cannot start ${file}: ${message}`]);
  const code = (err as NodeJS.ErrnoException)?.code;
  // Shell conventions: 127 command not found, 126 found but not executable.
  return { exitCode: code === 'ENOENT' ? 127 : 126, signal: null, pid: null, error: message };
}

/** Exit record, then (for a node's setup) the setup record: waiting ranks must finish after us, so this rank counts as the first failure. */
function finish(result: RunResult, phase: ExitRecord['phase'], setupOfNode?: number): never {
  const record: ExitRecord = { exitCode: result.exitCode, signal: result.signal, startedAt, finishedAt: Date.now(), pid: result.pid, phase };
  if (result.error) record.error = result.error;
  writeJsonAtomic(mine.exit, record);
  if (setupOfNode !== undefined) writeJsonAtomic(files.setup(setupOfNode), { exitCode: result.exitCode, signal: result.signal } satisfies SetupRecord);
  closeSync(log);
  process.exit(0);
}

async function waitForSetup(nodeRank: number): Promise<SetupRecord | null> {
  for (;;) {
    if (stopSignal) return null;
    const record = readJson<SetupRecord>(files.setup(nodeRank));
    if (record) return record;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stoppedBeforeStart(): RunResult {
  const signal = stopSignal ?? 'SIGTERM';
  return { exitCode: exitCodeOf(null, signal), signal, pid: null, error: 'stopped before its command started' };
}

async function main(): Promise<never> {
  let spec: WrapperSpec;
  try {
    spec = JSON.parse(readFileSync(mine.spec, 'utf8')) as WrapperSpec;
  } finally {
    rmSync(mine.spec, { force: true });
  }
  graceMs = spec.graceMs;
  if (spec.waitForSetup) {
    const setup = await waitForSetup(spec.nodeRank);
    if (!setup) return finish(stoppedBeforeStart(), 'wait');
    if (setup.exitCode !== 0) {
      return finish({ ...setup, pid: null, error: `node ${spec.nodeRank}'s setup commands failed, so this rank did not start` }, 'wait');
    }
  }
  if (spec.setup) {
    const result = stopSignal ? stoppedBeforeStart() : await run(spec.setup.argv, spec.setup.env, spec.cwd);
    if (result.exitCode !== 0) return finish(result, 'setup', spec.nodeRank);
    writeJsonAtomic(files.setup(spec.nodeRank), { exitCode: 0, signal: null } satisfies SetupRecord);
  }
  const result = stopSignal ? stoppedBeforeStart() : await run(spec.argv, spec.env, spec.cwd);
  if (killTimer) clearTimeout(killTimer);
  return finish(result, 'main');
}

main().catch((err: unknown) => {
  if (child?.pid) signalGroup(child.pid, 'SIGKILL');
  const message = err instanceof Error ? err.message : String(err);
  try {
    appendLog('e', [`kfd: rank wrapper failed: ${message}`]);
  } catch {
    // the log itself may be the problem
  }
  finish({ exitCode: 1, signal: null, pid: null, error: `rank wrapper failed: ${message}` }, 'main');
});
