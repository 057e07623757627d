/**
 * Runtime names for the editor's completion: on a Kubernetes run target, the runtimes that
 * target has (its last probe, or a new one), then Trainer's built-in list; elsewhere the
 * built-in list alone.
 */
import type { RuntimeInfo } from '../../api/schemas/workspace.js';
import { builtinRuntimeCatalog, type RuntimeCatalog } from '../../workspace/runtimes.js';
import type { KubernetesTargets } from './kubernetes-targets.js';

export function clusterRuntimeCatalog(targets: KubernetesTargets): RuntimeCatalog {
  return {
    async list(target) {
      const builtin = await builtinRuntimeCatalog.list(target);
      if (!target?.startsWith('kubeconfig:') && !target?.startsWith('local:')) return builtin;
      let names: string[] = [];
      try {
        const source = await targets.resolve(target);
        const probe = await targets.freshProbe(source, targets.namespaceOf(source).namespace);
        names = [...(probe.clusterTrainingRuntimes ?? []), ...(probe.trainingRuntimes ?? [])];
      } catch {
        return builtin; // the target went away or cannot be asked: the editor still completes
      }
      const have = new Set(names);
      const cluster: RuntimeInfo[] = [...have].map((name) => ({ name, description: builtin.find((b) => b.name === name)?.description ?? `A runtime on ${target.replace(/^\w+:/, '')}.`, source: 'cluster' }));
      return [...cluster, ...builtin.filter((b) => !have.has(b.name))];
    },
  };
}
