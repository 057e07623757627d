/**
 * The Run toolbar's "Run on" choices: the engine's local backends (`workspace.targets`) and,
 * in place of its generic Kubernetes entry, one choice per cluster target from `targets.list`
 * (local kind clusters, then every kubeconfig context), each with its namespace. Pure.
 */
import type { KubeTarget, MethodInput, RunTarget } from '../../../engine/api/contract';

export type KubeList = { targets: KubeTarget[]; kubeconfigFiles: string[] } | { error: string };

/** "Local cluster kfd · default", "Context prod · team-a". */
export function kubeChoiceLabel(t: Pick<KubeTarget, 'kind' | 'context' | 'namespace'>): string {
  return `${t.kind === 'local-cluster' ? 'Local cluster' : 'Context'} ${t.context} · ${t.namespace}`;
}

/** Why a cluster target cannot take a job now, from what its last probe said; null = try it. */
export function kubeUnavailable(t: Pick<KubeTarget, 'context' | 'probe'>): string | null {
  const p = t.probe;
  if (!p) return null; // not probed yet: jobs.run will say what is wrong, if anything
  if (!p.reachable) return `${t.context} cannot be reached: ${p.error ?? 'no answer'}`;
  if (!p.trainer.installed) {
    const runtimes = p.clusterTrainingRuntimes?.length ? ` (runtimes found: ${p.clusterTrainingRuntimes.join(', ')})` : '';
    return `Kubeflow Trainer is not installed on ${t.context}${runtimes}.`;
  }
  return null;
}

export function kubeRunTarget(t: KubeTarget): RunTarget {
  const reason = kubeUnavailable(t);
  return { id: t.id, backend: 'kubernetes', label: kubeChoiceLabel(t), available: reason === null, reason };
}

/**
 * Local backends as the engine lists them, then the cluster targets (with namespace and probe
 * verdict), then the engine's disabled Kubernetes hints ("No local cluster yet: …"). If the
 * cluster list failed, the engine's own Kubernetes entries stay as they are; if there is no
 * target at all and the engine gave no hint, one disabled entry says where we looked.
 */
export function mergeRunTargets(local: readonly RunTarget[], kube: KubeList | null): RunTarget[] {
  const own = local.filter((t) => t.backend !== 'kubernetes');
  const engineKube = local.filter((t) => t.backend === 'kubernetes');
  if (kube === null || 'error' in kube) return [...own, ...engineKube];
  const ids = new Set(kube.targets.map((t) => t.id));
  const hints = engineKube.filter((t) => !t.available && !ids.has(t.id));
  if (kube.targets.length === 0 && hints.length === 0) {
    const where = kube.kubeconfigFiles.length ? kube.kubeconfigFiles.join(', ') : 'KUBECONFIG / ~/.kube/config';
    return [...own, { id: 'kubernetes:none', backend: 'kubernetes', label: 'Kubernetes: no contexts', available: false, reason: `No Kubernetes contexts found in ${where}, and no local cluster.` }];
  }
  return [...own, ...kube.targets.map(kubeRunTarget), ...hints];
}

/** What Run sends: a cluster choice names its target (the namespace is the target's remembered one). */
export function runInput(path: string, choice: Pick<RunTarget, 'id' | 'backend'> | undefined): MethodInput<'jobs.run'> {
  const backend = choice?.backend ?? 'local-process';
  if (backend !== 'kubernetes' || !choice || !/^(kubeconfig|local):/.test(choice.id)) return { path, backend };
  return { path, backend, target: choice.id };
}
