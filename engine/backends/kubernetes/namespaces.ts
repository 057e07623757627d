/**
 * The namespaces of a target, for the namespace pickers. Many users may work in a namespace but
 * not list them (a cluster-scoped permission): that is an answer too, in words, and the user
 * types the namespace instead.
 */
import { describeKubeError, KubeError, type KubeClient } from './kube-client.js';

export interface NamespaceList {
  targetId: string;
  /** Sorted; empty when they could not be listed. */
  namespaces: string[];
  listed: boolean;
  /** Why they could not be listed, and what to do; null when listed. */
  problem: string | null;
}

export async function listNamespaces(client: KubeClient, target: { id: string; context: string; user: string }): Promise<NamespaceList> {
  try {
    const list = await client.get<{ items?: { metadata: { name: string } }[] }>('/api/v1/namespaces', undefined, 10_000);
    return { targetId: target.id, namespaces: (list.items ?? []).map((n) => n.metadata.name).sort(), listed: true, problem: null };
  } catch (err) {
    const problem =
      err instanceof KubeError && err.status === 403
        ? `${target.user} may not list the namespaces of ${target.context} (forbidden); type the namespace you work in.`
        : `Could not list the namespaces of ${target.context}: ${describeKubeError(err, client.server)} Type the namespace instead.`;
    return { targetId: target.id, namespaces: [], listed: false, problem };
  }
}
