/**
 * What a container job keeps under `<jobDir>/container/`, so an engine that restarts can pick it
 * up again from disk alone (the containers and their logs live on in the container engine):
 *
 *   job.json       ContainerJobManifest: engine address, network, node containers (before they exist)
 *   node-<n>.json  NodeRecord: how far the node's log has been copied, what its ranks did, how it ended
 *   stop.json      StopRecord: the backend began stopping the job, and why
 *   engine-interrupted.json  the engine stopped answering at least once while the job ran
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../local-process/job-files.js';

export interface ContainerJobManifest {
  version: 1;
  jobId: string;
  /** Socket path or tcp:// URL of the engine the containers run on. */
  engineAddress: string;
  /** "Docker 20.10.24 at /var/run/docker.sock". */
  engine: string;
  image: string;
  network: string;
  numNodes: number;
  numProcPerNode: number;
  graceMs: number;
  /** spec.trainer.resourcesPerNode.limits.memory as written, for an out-of-memory message. */
  memoryLimit?: string;
  createdAt: number;
  nodes: { nodeRank: number; name: string; containerId: string | null }[];
}

export interface RankExit {
  code: number;
  /** Engine log timestamp in ms (fractional: the engine's clock has ns). */
  ts: number;
  /** `setup`: the node's setup commands ended the rank; `never`: it never started. */
  phase: 'main' | 'setup' | 'never';
  /**
   * Taken from the container's end because the launcher could not report it (killed, OOM): the
   * code is the container's. With code 0 the rank's own exit code is unknown, never a success.
   */
  synthesized?: boolean;
  /**
   * Reported after its node's launcher announced it was stopping ("K stopping"), by the order of
   * the node's log, not its timestamps: the failing rank's "K exit" and the launcher's "K stopping"
   * are written back to back and the engine may stamp them alike. Absent in older records.
   */
  afterStopping?: boolean;
}

export interface NodeRecord {
  /** The last log entry copied: its timestamp (ns since the epoch, decimal) and how many entries had it. */
  cursor: { ns: string; count: number } | null;
  /** Each of the node's rank files' size (by global rank) when the cursor was saved. */
  sizes?: Record<string, number>;
  /** `oomKilled`: the launcher saw the rank killed while the container's memory cgroup counted an OOM kill. */
  ranks: { started: boolean; exit: RankExit | null; oomKilled?: boolean }[];
  /** When and why the node's launcher began stopping its ranks: one of them failed, or it got SIGTERM. */
  stopping: { at: number; why: 'rank-failed' | 'cancel' } | null;
  ended: { exitCode: number; finishedAt: number; oomKilled: boolean; error: string } | null;
  /** Why the node is lost: its container disappeared before it ended. */
  lost: string | null;
  /**
   * The engine's log timestamps are whole seconds (Podman's API before 6): they can read up to a
   * second earlier than the host clock's time for the same moment, so comparisons allow for that.
   */
  coarseClock?: boolean;
}

export type StopReason = 'cancel' | 'rank-failed' | 'node-lost';

export interface StopRecord {
  reason: StopReason;
  at: number;
  rank: number | null;
}

export function containerFiles(jobDir: string) {
  const dir = path.join(jobDir, 'container');
  return {
    dir,
    logsDir: path.join(jobDir, 'logs'),
    manifest: path.join(dir, 'job.json'),
    stop: path.join(dir, 'stop.json'),
    interrupted: path.join(dir, 'engine-interrupted.json'),
    node: (n: number) => path.join(dir, `node-${n}.json`),
    rankLog: (globalRank: number) => path.join(jobDir, 'logs', `rank-${globalRank}.log`),
  };
}
export type ContainerFiles = ReturnType<typeof containerFiles>;

export function newNodeRecord(numProcPerNode: number): NodeRecord {
  return { cursor: null, ranks: Array.from({ length: numProcPerNode }, () => ({ started: false, exit: null })), stopping: null, ended: null, lost: null };
}

export function readManifest(jobDir: string): ContainerJobManifest | null {
  return readJson<ContainerJobManifest>(containerFiles(jobDir).manifest);
}

export function writeManifest(jobDir: string, manifest: ContainerJobManifest): void {
  mkdirSync(containerFiles(jobDir).dir, { recursive: true, mode: 0o700 });
  writeJsonAtomic(containerFiles(jobDir).manifest, manifest);
}

export function readNode(files: ContainerFiles, nodeRank: number, numProcPerNode: number): NodeRecord {
  return readJson<NodeRecord>(files.node(nodeRank)) ?? newNodeRecord(numProcPerNode);
}

/**
 * Saved after every batch of copied lines, so it is renamed into place without fsync: a crash of
 * the engine loses nothing (the kernel has the data); only a power cut can cost a re-copy.
 */
export function writeNode(files: ContainerFiles, nodeRank: number, record: NodeRecord): void {
  const file = files.node(nodeRank);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
  renameSync(tmp, file);
}

export function readStop(files: ContainerFiles): StopRecord | null {
  return readJson<StopRecord>(files.stop);
}

export function writeStop(files: ContainerFiles, stop: StopRecord): void {
  writeJsonAtomic(files.stop, stop);
}
