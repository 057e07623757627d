/**
 * The files a local-process job keeps under `<jobDir>`: everything needed to re-attach after the
 * engine dies lives here, never only in the engine's memory. Shared by the engine side and the
 * job supervisor (which esbuild bundles, so keep this free of engine-only imports). Jobs started
 * by earlier versions had one rank wrapper per rank instead; the same files describe them.
 *
 *   logs/rank-<N>.log          records in engine/jobs/logs/log-format.ts format, appended by the supervisor
 *   ranks/job.json             JobManifest, written by the backend before and after starting the supervisor
 *   ranks/rank-<N>.spec.json   WrapperSpec (mode 0600; holds the env, so the supervisor deletes it on read)
 *   ranks/rank-<N>.pid.json    PidRecord, written by the supervisor
 *   ranks/rank-<N>.exit.json   ExitRecord, written by the supervisor when the command ends
 *   ranks/node-<n>.setup.json  SetupRecord: the node's setup commands finished
 *   ranks/stop.json            StopRecord: the backend began stopping the ranks, and why
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface WrapperSpec {
  jobId: string;
  globalRank: number;
  nodeRank: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** SIGTERM → SIGKILL delay the wrapper applies itself, so a stop finishes even if the engine dies. */
  graceMs: number;
  /** Node setup commands this wrapper runs before its own command (local rank 0 of a node). */
  setup?: { argv: string[]; env: Record<string, string> };
  /** Wait for `node-<nodeRank>.setup.json` before starting (the other local ranks of a node with setup). */
  waitForSetup?: boolean;
}

export interface PidRecord {
  /** The process supervising the rank (the job supervisor; a rank wrapper in jobs of earlier versions). */
  wrapperPid: number;
  /** Its start time (/proc), so a reused pid is not taken for it; absent in earlier versions' records. */
  wrapperStarted?: string;
  /** The command's pid, also its process group id; null until it has started. */
  pid: number | null;
  startedAt: number;
}

export interface ExitRecord {
  /** The command's exit code, or 128 + signal number when a signal ended it. */
  exitCode: number;
  signal: string | null;
  startedAt: number;
  finishedAt: number;
  pid: number | null;
  /** Which command ended the rank: its node's setup, or its own. */
  phase: 'setup' | 'main' | 'wait';
  /** Why the command could not run at all (e.g. "spawn python3 ENOENT"). */
  error?: string;
  /** Written by the backend because the wrapper itself was gone. */
  synthesized?: boolean;
}

export interface SetupRecord {
  exitCode: number;
  signal: string | null;
}

export type StopReason = 'cancel' | 'rank-failed' | 'rank-lost';

export interface StopRecord {
  reason: StopReason;
  at: number;
  rank: number | null;
}

export interface ManifestRank {
  globalRank: number;
  nodeRank: number;
  localRank: number;
  wrapperPid: number | null;
  wrapperStarted?: string;
}

export interface JobManifest {
  version: 1;
  jobId: string;
  numNodes: number;
  numProcPerNode: number;
  masterPort: number;
  graceMs: number;
  createdAt: number;
  ranks: ManifestRank[];
}

/** The program every local job runs under (one per job). */
export const SUPERVISOR_FILE = 'job-supervisor.mjs';
/** What earlier versions ran per rank; still recognised when re-attaching to their jobs. */
export const LEGACY_WRAPPER_FILE = 'rank-wrapper.mjs';

export function jobFiles(jobDir: string) {
  const ranks = path.join(jobDir, 'ranks');
  return {
    logsDir: path.join(jobDir, 'logs'),
    ranksDir: ranks,
    manifest: path.join(ranks, 'job.json'),
    stop: path.join(ranks, 'stop.json'),
    setup: (nodeRank: number) => path.join(ranks, `node-${nodeRank}.setup.json`),
    rank: (n: number) => ({
      log: path.join(jobDir, 'logs', `rank-${n}.log`),
      spec: path.join(ranks, `rank-${n}.spec.json`),
      pid: path.join(ranks, `rank-${n}.pid.json`),
      exit: path.join(ranks, `rank-${n}.exit.json`),
    }),
  };
}

/**
 * Readers never see half a file: write beside it, rename over. `durable` (default) also fsyncs,
 * so the record survives a power loss (exit records); pid records only matter while we run.
 */
export function writeJsonAtomic(file: string, value: unknown, options: { durable?: boolean } = {}): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value));
    if (options.durable !== false) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** `null` when the file does not exist (yet) or is not JSON. */
export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}
