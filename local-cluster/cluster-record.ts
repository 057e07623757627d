/**
 * What the app knows about each local kind cluster it created, kept in
 * `<dataDir>/clusters/<name>/cluster.json` beside the cluster's app-private kubeconfig.
 *
 * This file is the hand-off between local-cluster/ (which writes it on create and removes it on
 * delete) and the Kubernetes backend (which lists local clusters as targets and, because the
 * workspace root is mounted into every node at the same path, ships a workspace by hostPath).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const clusterRecord = z.object({
  name: z.string(),
  /** kind names the kubeconfig context `kind-<name>`. */
  context: z.string(),
  /** App-private kubeconfig (mode 0600); the user's ~/.kube/config is touched only on request. */
  kubeconfigPath: z.string(),
  kindVersion: z.string(),
  nodeImage: z.string(),
  workers: z.number().int(),
  /** Host folder mounted read-write at the same path in every node; null = none. */
  workspaceRoot: z.string().nullable(),
  /** GPUs passed through to the nodes (0 = none). */
  gpus: z.number().int(),
  createdAt: z.number(),
});
export type ClusterRecord = z.infer<typeof clusterRecord>;

export function clustersDir(dataDir: string): string {
  return path.join(dataDir, 'clusters');
}

export function clusterDir(dataDir: string, name: string): string {
  return path.join(clustersDir(dataDir), name);
}

export function kubeconfigPathOf(dataDir: string, name: string): string {
  return path.join(clusterDir(dataDir, name), 'kubeconfig');
}

export function readClusterRecord(dataDir: string, name: string): ClusterRecord | null {
  try {
    const parsed = clusterRecord.safeParse(JSON.parse(readFileSync(path.join(clusterDir(dataDir, name), 'cluster.json'), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Every local cluster with a readable record, by name. A damaged record is skipped, not fatal. */
export function listClusterRecords(dataDir: string): ClusterRecord[] {
  let names: string[];
  try {
    names = readdirSync(clustersDir(dataDir));
  } catch {
    return [];
  }
  return names
    .sort()
    .map((n) => readClusterRecord(dataDir, n))
    .filter((r): r is ClusterRecord => r !== null);
}

/** Written atomically (temp file + rename) so a killed app never leaves half a record. */
export function writeClusterRecord(dataDir: string, record: ClusterRecord): void {
  const dir = clusterDir(dataDir, record.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'cluster.json');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(clusterRecord.parse(record), null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeClusterRecord(dataDir: string, name: string): void {
  rmSync(clusterDir(dataDir, name), { recursive: true, force: true });
}
