/**
 * The files a local-process job keeps under `<jobDir>`: everything needed to re-attach after the
 * engine dies lives here, never only in the engine's memory. Shared by the engine side and the
 * rank wrapper (which esbuild bundles, so keep this free of engine-only imports).
 *
 *   logs/rank-<N>.log          records in engine/jobs/logs/log-format.ts format, appended by the wrapper
 *   ranks/job.json             JobManifest, written by the backend before and after starting wrappers
 *   ranks/rank-<N>.spec.json   WrapperSpec (mode 0600; holds the env, so the wrapper deletes it on read)
 *   ranks/rank-<N>.pid.json    PidRecord, written by the wrapper
 *   ranks/rank-<N>.exit.json   ExitRecord, written by the wrapper when the command ends
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
  wrapperPid: number;
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

export const WRAPPER_FILE = 'rank-wrapper.mjs';

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

/** Readers never see half a file: write beside it, fsync, rename over. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value));
    fsyncSync(fd);
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
