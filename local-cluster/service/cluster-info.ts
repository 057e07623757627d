/**
 * The clusters the user has: the records this app wrote, joined with what kind and Docker say
 * now (a record whose nodes are gone is "missing"; a kind cluster without a record is shown too).
 */
import { kindClusters } from '../cli/kind-cli.js';
import { nodeContainers } from '../cli/docker-cli.js';
import type { Runner } from '../cli/runner.js';
import { kubeconfigPathOf, listClusterRecords, type ClusterRecord } from '../cluster-record.js';
import type { ClusterInfo } from '../../engine/api/schemas/cluster.js';

export function clusterState(nodes: { state: string }[], kindKnows: boolean): ClusterInfo['state'] {
  if (!nodes.length) return kindKnows ? 'unknown' : 'missing';
  return nodes.every((n) => n.state === 'running') ? 'running' : 'stopped';
}

export async function listClusters(r: Runner, dataDir: string): Promise<ClusterInfo[]> {
  const records = listClusterRecords(dataDir);
  let kind: string[] = [];
  try {
    kind = await kindClusters(r);
  } catch {
    // kind or Docker missing: show the records, state unknown
  }
  const names = [...new Set([...records.map((x) => x.name), ...kind])].sort();
  return Promise.all(
    names.map(async (name) => {
      const rec: ClusterRecord | undefined = records.find((x) => x.name === name);
      const nodes = await nodeContainers(r, name).catch(() => []);
      return {
        name,
        context: rec?.context ?? `kind-${name}`,
        kubeconfigPath: rec?.kubeconfigPath ?? kubeconfigPathOf(dataDir, name),
        state: clusterState(nodes, kind.includes(name)),
        nodes: nodes.map((n) => ({ name: n.name, state: n.state })),
        recorded: !!rec,
        workers: rec?.workers ?? Math.max(nodes.length - 1, 0),
        gpus: rec?.gpus ?? 0,
        workspaceRoot: rec?.workspaceRoot ?? null,
        createdAt: rec?.createdAt ?? null,
      };
    }),
  );
}
