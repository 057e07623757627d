/**
 * The create plan as a pure function: the kind config, the GPU decision and the named steps
 * (with what each will run), from the user's choices and what the machine has. A dry run
 * prints exactly this; the create runs exactly these steps.
 */
import { kindClusterConfig, type KindConfigResult } from './kind-config.js';
import { bringsOwnPodNetwork } from './node-images.js';
import { createArgs } from './cli/kind-cli.js';
import { planGpus, type GpuChoice, type GpuPlan, type HostGpuReadiness } from './gpu/gpu-selection.js';
import type { NvidiaGpu } from '../engine/doctor/checks/nvidia-smi-parse.js';
import type { StepSpec } from './steps.js';

export interface CreateOptions {
  name: string;
  workers: number;
  gpus: GpuChoice;
  /** Host folder mounted at the same path in every node (edit-and-run on the cluster). */
  workspaceRoot?: string | undefined;
  /** Fail before kind starts when any prepared asset is missing (default: let nodes pull what is missing). */
  offline?: boolean | undefined;
  /** How long each wait may take, in seconds. */
  waitSeconds?: number | undefined;
  /** The kind node image (default: the prepared one, else the one pinned for this kind release). */
  nodeImage?: string | undefined;
}

export interface MachineFacts {
  kindVersion: string;
  gpus: NvidiaGpu[];
  hostGpu: HostGpuReadiness;
  kubeconfigPath: string;
  /** Docker runs its containers on cgroup v1 (kubelet 1.35+ must be told to accept that). */
  cgroupV1?: boolean;
  /** The labels of the node image, when it is on this machine. */
  nodeImageLabels?: Record<string, string> | null;
}

export interface PlannedStep extends StepSpec {
  /** What the step runs, for the dry run. */
  runs: string[];
}

export interface CreatePlan {
  name: string;
  kind: KindConfigResult;
  gpu: GpuPlan;
  /** kind names the nodes <name>-control-plane, <name>-worker, <name>-worker2, ... */
  nodes: string[];
  gpuNodes: { node: string; visible: number[] | 'all' }[];
  steps: PlannedStep[];
  waitSeconds: number;
}

export const DEFAULT_CLUSTER_NAME = 'kfd';
export const DEFAULT_WAIT_SECONDS = 300;

export function nodeNames(name: string, workers: number): string[] {
  return [`${name}-control-plane`, ...Array.from({ length: workers }, (_, i) => `${name}-worker${i === 0 ? '' : i + 1}`)];
}

export function planCreate(opts: CreateOptions, facts: MachineFacts): CreatePlan {
  const gpu = planGpus(opts.gpus, facts.gpus, facts.hostGpu, opts.workers);
  const kind = kindClusterConfig({
    name: opts.name,
    kindVersion: facts.kindVersion,
    workers: opts.workers,
    gpus: gpu.specs,
    ...(opts.workspaceRoot ? { workspaceRoot: opts.workspaceRoot } : {}),
    ...(opts.nodeImage ? { nodeImage: opts.nodeImage } : {}),
    ...(bringsOwnPodNetwork(facts.nodeImageLabels) ? { nodePodNetwork: true } : {}),
    ...(facts.cgroupV1 ? { hostCgroupV1: true } : {}),
  });
  const nodes = nodeNames(opts.name, opts.workers);
  const gpuNodeNames = opts.workers > 0 ? nodes.slice(1) : nodes.slice(0, 1);
  const gpuNodes = gpu.enabled
    ? gpu.specs.flatMap((s, i) => (s.mode === 'none' ? [] : [{ node: gpuNodeNames[i]!, visible: s.mode === 'all' ? ('all' as const) : (s.gpuIndexes ?? []) }]))
    : [];
  const wait = opts.waitSeconds ?? DEFAULT_WAIT_SECONDS;
  const kc = `--kubeconfig ${facts.kubeconfigPath}`;
  const steps: PlannedStep[] = [
    { id: 'preflight', title: 'Check Docker, kind and kubectl', runs: ['docker info', 'kind version', 'kind get clusters'] },
    { id: 'assets', title: 'Check the prepared manifests and images', runs: ['docker image inspect <node image and add-on images>'] },
    { id: 'kind', title: 'Create the kind nodes', runs: [`kind ${createArgs(opts.name, facts.kubeconfigPath, wait).join(' ')}   # config on stdin, printed above`] },
    ...(kind.nodeFiles.length ? [{ id: 'node-files', title: 'Write containerd registry settings into the nodes', runs: kind.nodeFiles.map((f) => `docker exec <node> tee ${f.nodePath}`) }] : []),
    { id: 'load-images', title: 'Load the prepared images into the nodes', runs: [`kind load docker-image --name ${opts.name} <every prepared image on this machine>`] },
    { id: 'wait-nodes', title: 'Wait for the nodes to be Ready', runs: [`kubectl ${kc} wait nodes --all --for=condition=Ready --timeout=${wait}s`] },
    { id: 'wait-coredns', title: 'Wait for CoreDNS', runs: [`kubectl ${kc} wait -n kube-system deployment/coredns --for=condition=Available --timeout=${wait}s`] },
    ...(gpu.enabled
      ? [
          { id: 'gpu-runtime', title: 'NVIDIA runtime for containerd on the GPU nodes', runs: gpuNodes.map((n) => `docker exec ${n.node} bash -c '<install toolkit; nvidia-ctk runtime configure --runtime=containerd --set-as-default; systemctl restart containerd>'`) },
          { id: 'gpu-proc', title: 'Patch /proc/driver/nvidia on the GPU nodes', runs: gpuNodes.map((n) => `docker exec ${n.node} bash -c '<umount -R /proc/driver/nvidia; ModifyDeviceFiles: 0>'`) },
          { id: 'gpu-runtimeclass', title: 'RuntimeClass nvidia', runs: [`kubectl ${kc} apply --server-side -f - # RuntimeClass nvidia`] },
          { id: 'gpu-device-plugin', title: 'NVIDIA device plugin', runs: [`kubectl ${kc} apply --server-side -f <prepared device-plugin.yaml>`, 'wait until nodes report nvidia.com/gpu'] },
        ]
      : []),
    { id: 'jobset', title: 'Install JobSet', runs: [`kubectl ${kc} apply --server-side -f <prepared jobset.yaml>  # retried while its webhook starts`, `kubectl ${kc} wait deployment --for=condition=Available`] },
    { id: 'trainer', title: 'Install Kubeflow Trainer', runs: [`kubectl ${kc} apply --server-side -f <prepared trainer.yaml>  # retried while webhooks start`] },
    { id: 'runtimes', title: 'Install the ClusterTrainingRuntimes', runs: [`kubectl ${kc} apply --server-side -f <prepared runtimes.yaml, patched: /dev/shm in memory${gpu.enabled ? ', runtimeClassName: nvidia' : ''}>`] },
    { id: 'wait-trainer', title: 'Wait until Trainer is available', runs: [`kubectl ${kc} wait deployment --for=condition=Available --timeout=${wait}s`] },
    { id: 'record', title: 'Save the cluster record', runs: ['write <data dir>/clusters/<name>/cluster.json'] },
  ];
  return { name: opts.name, kind, gpu, nodes, gpuNodes, steps, waitSeconds: wait };
}

/** The dry run's text: the kind config, then each step and what it runs. */
export function describePlan(plan: CreatePlan): string {
  const lines = [`# kind config for "${plan.name}" (kind reads it on stdin)`, plan.kind.yaml.trimEnd(), '', `# GPUs: ${plan.gpu.reason}`, '', '# Steps'];
  plan.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${s.title}`);
    for (const r of s.runs) lines.push(`     ${r}`);
  });
  return lines.join('\n') + '\n';
}
