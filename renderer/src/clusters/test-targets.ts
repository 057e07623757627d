/** Targets and probes for unit tests: sensible defaults, override what the test is about. */
import type { KubeTarget, TargetProbe } from '../../../engine/api/contract';

export function probe(over: Partial<TargetProbe> & { targetId: string }): TargetProbe {
  return {
    at: 1000,
    reachable: true,
    error: null,
    serverVersion: 'v1.36.2',
    trainer: { installed: true, servedVersions: ['v1alpha1'], api: 'v2.2+', overridesField: 'runtimePatches' },
    jobset: { installed: true, servedVersions: ['v1alpha2'] },
    clusterTrainingRuntimes: ['torch-distributed'],
    trainingRuntimes: [],
    gpus: { allocatable: 0, nodesWithGpus: 0, nodes: 1 },
    namespaceExists: true,
    problems: [],
    ...over,
  };
}

export function target(over: Partial<KubeTarget> & { context: string }): KubeTarget {
  const kind = over.kind ?? 'kubeconfig';
  const namespace = over.namespace ?? 'default';
  return {
    id: kind === 'local-cluster' ? `local:${over.context}` : `kubeconfig:${over.context}`,
    kind,
    label: `${over.context}/${namespace}`,
    server: 'https://127.0.0.1:6443',
    kubeconfigPath: '/home/me/.kube/config',
    user: `${over.context}-admin`,
    auth: 'token',
    authDetail: '',
    current: false,
    namespace,
    namespaceSource: 'default',
    defaultShipping: kind === 'local-cluster' ? 'hostPath' : 'configMap',
    workspaceRoot: null,
    imageRegistry: null,
    probe: null,
    ...over,
  };
}
