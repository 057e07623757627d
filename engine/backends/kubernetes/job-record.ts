/**
 * What a kubernetes job keeps under `<jobDir>/kubernetes/`, so a restarted engine re-attaches
 * from disk alone (the TrainJob and its pods live on in the cluster, found again by name and
 * by the job-id label):
 *
 *   job.json        KubeJobRecord: target, namespace, TrainJob name/uid, what was applied (written before applying)
 *   cancel.json     the user cancelled: a TrainJob that disappears is Cancelled, not lost
 *   state.json      the last cluster state seen (conditions, pods, events) for jobs.cluster when offline
 *   log-<n>.json    node n's log cursor (pod-log-copier.ts)
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ClusterJobState, ShippingMode } from '../../api/schemas/kubernetes.js';
import { readJson, writeJsonAtomic } from '../local-process/job-files.js';

export interface KubeJobRecord {
  version: 1;
  jobId: string;
  targetId: string;
  context: string;
  namespace: string;
  trainJobName: string;
  /** The applied TrainJob's uid; null until the apply answered. */
  uid: string | null;
  shipping: ShippingMode;
  applied: { apiVersion: string; kind: string; name: string }[];
  numNodes: number;
  createdAt: number;
}

export function kubeFiles(jobDir: string) {
  const dir = path.join(jobDir, 'kubernetes');
  return {
    dir,
    record: path.join(dir, 'job.json'),
    cancel: path.join(dir, 'cancel.json'),
    state: path.join(dir, 'state.json'),
    logCursor: (node: number) => path.join(dir, `log-${node}.json`),
    rankLog: (node: number) => path.join(jobDir, 'logs', `rank-${node}.log`),
  };
}

export function readRecord(jobDir: string): KubeJobRecord | null {
  return readJson<KubeJobRecord>(kubeFiles(jobDir).record);
}

export function writeRecord(jobDir: string, record: KubeJobRecord): void {
  const f = kubeFiles(jobDir);
  mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  mkdirSync(path.dirname(f.rankLog(0)), { recursive: true, mode: 0o700 });
  writeJsonAtomic(f.record, record);
}

export function markCancelled(jobDir: string): void {
  writeJsonAtomic(kubeFiles(jobDir).cancel, { at: Date.now() });
}

export function wasCancelled(jobDir: string): boolean {
  return readJson(kubeFiles(jobDir).cancel) !== null;
}

export function readState(jobDir: string): ClusterJobState | null {
  return readJson<ClusterJobState>(kubeFiles(jobDir).state);
}

export function writeState(jobDir: string, state: ClusterJobState): void {
  writeJsonAtomic(kubeFiles(jobDir).state, state);
}
