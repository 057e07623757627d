/**
 * Pure transforms of the rendered add-on manifests: the GPU and /dev/shm patches of Trainer's
 * ClusterTrainingRuntimes, the device plugin's placement on GPU nodes, the `nvidia`
 * RuntimeClass, and the container images every manifest needs (for prepare and `kind load`).
 */
import { parseAllDocuments, stringify } from 'yaml';
import { GPU_PRESENT_LABEL } from '../kind-config.js';

export type Doc = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };

export function parseDocs(text: string, file = 'manifest'): Doc[] {
  return parseAllDocuments(text).flatMap((d, i) => {
    if (d.errors.length) throw new Error(`${file}: YAML document ${i + 1}: ${d.errors[0]!.message}`);
    const v = d.toJS() as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? [v as Doc] : [];
  });
}

export function stringifyDocs(docs: Doc[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

interface PodSpec {
  runtimeClassName?: string;
  nodeSelector?: Record<string, string>;
  volumes?: { name: string; [k: string]: unknown }[];
  containers?: Container[];
  initContainers?: Container[];
}
interface Container {
  name: string;
  image?: string;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface ReplicatedJob {
  name: string;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { template?: { spec?: PodSpec } } };
}

export const NVIDIA_RUNTIME_CLASS = 'nvidia';
export const SHM_VOLUME = 'kfd-dshm';
const TRAINER_STEP_LABEL = 'trainer.kubeflow.org/trainjob-ancestor-step';

function replicatedJobs(doc: Doc): ReplicatedJob[] {
  const spec = doc['spec'] as { template?: { spec?: { replicatedJobs?: ReplicatedJob[] } } } | undefined;
  return spec?.template?.spec?.replicatedJobs ?? [];
}

/** Pod templates in a Deployment/DaemonSet/StatefulSet/Job, or in every replicated job of a (Cluster)TrainingRuntime. */
export function podSpecsOf(doc: Doc): PodSpec[] {
  if (doc.kind === 'ClusterTrainingRuntime' || doc.kind === 'TrainingRuntime') {
    return replicatedJobs(doc).flatMap((j) => (j.template?.spec?.template?.spec ? [j.template.spec.template.spec] : []));
  }
  const spec = (doc['spec'] as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
  return spec ? [spec] : [];
}

/** Every container image the manifests name, once each, in order of appearance. */
export function imagesOf(docs: Doc[]): string[] {
  const out: string[] = [];
  for (const doc of docs) {
    for (const pod of podSpecsOf(doc)) {
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) if (c.image && !out.includes(c.image)) out.push(c.image);
    }
  }
  return out;
}

export interface RuntimePatch {
  /** GPU nodes exist: the trainer pods run with the nvidia RuntimeClass. */
  gpu: boolean;
  /** Size limit of the memory-backed /dev/shm (PyTorch data loaders share tensors through it). */
  shmSize: string;
}

/**
 * Trainer's runtimes, patched for this cluster: the trainer step's pods get a memory-backed
 * /dev/shm (a container's default is 64 MiB, which breaks DataLoader workers) and, with GPUs,
 * `runtimeClassName: nvidia`. Other documents pass through unchanged. Idempotent.
 */
export function patchRuntimes(docs: Doc[], patch: RuntimePatch): Doc[] {
  const copy = structuredClone(docs);
  for (const doc of copy) {
    if (doc.kind !== 'ClusterTrainingRuntime') continue;
    for (const job of replicatedJobs(doc)) {
      const isTrainer = job.name === 'node' || job.template?.metadata?.labels?.[TRAINER_STEP_LABEL] === 'trainer';
      const pod = job.template?.spec?.template?.spec;
      if (!isTrainer || !pod) continue;
      if (patch.gpu) pod.runtimeClassName = NVIDIA_RUNTIME_CLASS;
      pod.volumes = (pod.volumes ?? []).filter((v) => v.name !== SHM_VOLUME);
      pod.volumes.push({ name: SHM_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: patch.shmSize } });
      for (const c of pod.containers ?? []) {
        c.volumeMounts = (c.volumeMounts ?? []).filter((m) => m.mountPath !== '/dev/shm');
        c.volumeMounts.push({ name: SHM_VOLUME, mountPath: '/dev/shm' });
      }
    }
  }
  return copy;
}

/** The RuntimeClass GPU pods use; it also schedules them onto GPU nodes only. */
export function nvidiaRuntimeClass(): Doc {
  return {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name: NVIDIA_RUNTIME_CLASS },
    handler: 'nvidia',
    scheduling: { nodeSelector: { [GPU_PRESENT_LABEL]: 'true' } },
  };
}

/** NVIDIA's static device-plugin DaemonSet, run with the nvidia runtime on GPU nodes only (as nvkind's helm values do). */
export function patchDevicePlugin(docs: Doc[]): Doc[] {
  const copy = structuredClone(docs);
  for (const doc of copy) {
    if (doc.kind !== 'DaemonSet') continue;
    for (const pod of podSpecsOf(doc)) {
      pod.runtimeClassName = NVIDIA_RUNTIME_CLASS;
      pod.nodeSelector = { ...(pod.nodeSelector ?? {}), [GPU_PRESENT_LABEL]: 'true' };
    }
  }
  return copy;
}

/** Deployments in the manifests as "namespace/name", to wait for. */
export function deploymentsOf(docs: Doc[]): string[] {
  return docs.filter((d) => d.kind === 'Deployment').map((d) => `${d.metadata?.namespace ?? 'default'}/${d.metadata?.name ?? ''}`);
}
