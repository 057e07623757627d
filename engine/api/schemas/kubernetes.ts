/**
 * Clusters as the API shows them: Kubernetes targets (every kubeconfig context plus the app's
 * local kind clusters), what a target supports, promoting a job to a target, and what a
 * kubernetes job looks like on its cluster (pods per node, events). Also the lineage and
 * side-by-side comparison of runs that promote creates. Pure zod; the renderer imports the types.
 *
 * Nothing here carries a credential: a target names its kubeconfig file, context and user entry,
 * and how that user authenticates (e.g. "exec: gke-gcloud-auth-plugin"), never a token or key.
 */
import { z } from 'zod';
import { jobDetail, jobRelation, jobSummary, specIssue } from './jobs.js';

export const targetKind = z.enum(['kubeconfig', 'local-cluster']);
export type TargetKind = z.infer<typeof targetKind>;

/** Where a job's code comes from on the cluster (DESIGN.md, "kubernetes" backend). */
export const shippingMode = z.enum(['hostPath', 'configMap', 'image']);
export type ShippingMode = z.infer<typeof shippingMode>;

/** Which Trainer API generation the target's TrainJob CRD has; each patches pods its own way. */
export const trainerApi = z.enum(['v2.0', 'v2.1', 'v2.2+']);
export type TrainerApi = z.infer<typeof trainerApi>;

export const targetProbe = z.object({
  targetId: z.string(),
  /** The namespace whose TrainingRuntimes and existence were checked (absent: the target's own, from before this was said). */
  namespace: z.string().optional(),
  /** When the probe ran (ms since the epoch). */
  at: z.number(),
  reachable: z.boolean(),
  /** Why the target could not be reached or asked (auth failed, timeout, …); null when it answered. */
  error: z.string().nullable(),
  /** "v1.31.2" */
  serverVersion: z.string().nullable(),
  trainer: z.object({
    installed: z.boolean(),
    /** Served versions of trainjobs.trainer.kubeflow.org, e.g. ["v1alpha1"]. */
    servedVersions: z.array(z.string()),
    api: trainerApi.nullable(),
    /** The TrainJob field pod patches go into on this target. */
    overridesField: z.enum(['podSpecOverrides', 'podTemplateOverrides', 'runtimePatches']).nullable(),
  }),
  jobset: z.object({ installed: z.boolean(), servedVersions: z.array(z.string()) }),
  /** Names; null when they could not be listed (e.g. forbidden), see `problems`. */
  clusterTrainingRuntimes: z.array(z.string()).nullable(),
  /** TrainingRuntimes in the target's namespace; null when they could not be listed. */
  trainingRuntimes: z.array(z.string()).nullable(),
  /** Sum of allocatable nvidia.com/gpu over the nodes; null when nodes cannot be listed. */
  gpus: z.object({ allocatable: z.number(), nodesWithGpus: z.number(), nodes: z.number() }).nullable(),
  namespaceExists: z.boolean().nullable(),
  /** Things that did not work but did not stop the probe, each a sentence ("cannot list nodes: forbidden"). */
  problems: z.array(z.string()),
});
export type TargetProbe = z.infer<typeof targetProbe>;

export const kubeTarget = z.object({
  /** Stable handle: `kubeconfig:<context>` or `local:<cluster name>`. */
  id: z.string(),
  kind: targetKind,
  context: z.string(),
  /** `<context>/<namespace>`: how jobs show their target. */
  label: z.string(),
  /** API server URL of the context's cluster. */
  server: z.string(),
  /** The kubeconfig file that defines the context (an app-private one for local clusters). */
  kubeconfigPath: z.string(),
  /** The context's user entry and how it authenticates; never the credential itself. */
  user: z.string(),
  auth: z.enum(['token', 'token-file', 'client-certificate', 'exec', 'auth-provider', 'basic', 'none']),
  /** E.g. "exec: gke-gcloud-auth-plugin", "auth-provider: oidc". */
  authDetail: z.string(),
  /** The kubeconfig's current-context. */
  current: z.boolean(),
  namespace: z.string(),
  /** setting: chosen in the app; context: the context's own namespace; default: "default". */
  namespaceSource: z.enum(['setting', 'context', 'default']),
  /** How a workspace is shipped when the job does not say: hostPath on local clusters, else configMap. */
  defaultShipping: shippingMode,
  /** Local clusters: the host folder mounted at the same path in every node. */
  workspaceRoot: z.string().nullable(),
  /** Where workspace images for this target are pushed (remote targets); null = not configured. */
  imageRegistry: z.string().nullable(),
  /** The last probe in this engine's lifetime; null until probed. */
  probe: targetProbe.nullable(),
});
export type KubeTarget = z.infer<typeof kubeTarget>;

const targetRef = z.string().min(1).max(300);
const namespaceName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace name: lowercase letters, digits and "-", at most 63 characters');

export const promoteResources = z
  .object({
    /** Per node, as Kubernetes quantities ("4", "500m", "16Gi"); written into resourcesPerNode.limits. */
    cpu: z.string().min(1).optional(),
    memory: z.string().min(1).optional(),
    gpu: z.number().int().min(0).max(64).optional(),
  })
  .strict();

export const promoteInput = z
  .object({
    /** A job id (or unique prefix) from history, or a workspace folder / trainjob.yaml path. */
    source: z.string().min(1),
    /** A target id (`kubeconfig:<ctx>`, `local:<name>`) or a context name. */
    target: targetRef,
    namespace: namespaceName.optional(),
    /** spec.runtimeRef.name on the cluster. */
    runtime: z.string().min(1).max(253).optional(),
    /** spec.trainer.image (the base image when shipping by image). */
    image: z.string().min(1).max(500).optional(),
    resources: promoteResources.optional(),
    numNodes: z.number().int().min(1).max(64).optional(),
    numProcPerNode: z.number().int().min(1).max(256).optional(),
    /** auto = hostPath on a local cluster when the workspace is under its mount, else configMap, else image. */
    shipping: z.enum(['auto', 'hostPath', 'configMap', 'image']).default('auto'),
  })
  .strict();
export type PromoteInput = z.input<typeof promoteInput>;

export const shippedFile = z.object({ path: z.string(), bytes: z.number().int() });
export type ShippedFile = z.infer<typeof shippedFile>;

export const promotePreview = z.object({
  /** The id the new job gets when this preview is passed to promote.run (names and labels use it). */
  jobId: z.string(),
  source: z.object({ jobId: z.string().nullable(), workspace: z.string() }),
  target: kubeTarget,
  namespace: z.string(),
  /** The source's trainjob.yaml (the job's spec as it ran, or the workspace file). */
  original: z.string(),
  /** The TrainJob exactly as it will be applied (YAML): the diff's right side. */
  trainJob: z.string(),
  /** Every object that will be applied, in order, as one multi-document YAML. A ConfigMap's archive is shown by size and sha256. */
  manifest: z.string(),
  objects: z.array(z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string() })),
  shipping: z.object({
    mode: shippingMode,
    /** One sentence: "workspace mounted from /home/me/ws (hostPath)", "archive of 12 files, 40 KiB in ConfigMap …". */
    detail: z.string(),
    /** Bytes of the compressed archive (configMap) or null. */
    archiveBytes: z.number().int().nullable(),
    /** The ConfigMap size limit the archive must fit. */
    limitBytes: z.number().int(),
    /** The image the job will run (image mode: the one to be built). */
    image: z.string().nullable(),
    sha256: z.string().nullable(),
  }),
  /** Files shipped (configMap / image), with their sizes; hostPath: the files the nodes will see. */
  files: z.array(shippedFile),
  totalBytes: z.number().int(),
  trainerApi: trainerApi.nullable(),
  /** Fields of the TrainJob the target cannot honour, at their line in the original. */
  specWarnings: z.array(specIssue),
  /** Everything else worth knowing before submitting, one sentence each. */
  warnings: z.array(z.string()),
  /** Why promote.run would refuse this now (Trainer missing, runtime absent, archive too large); null = ready. */
  blocked: z.string().nullable(),
});
export type PromotePreview = z.infer<typeof promotePreview>;

export const clusterPod = z.object({
  name: z.string(),
  /** Trainer node index (the pod's completion index) or null for other steps (initializers, launcher). */
  nodeRank: z.number().int().nullable(),
  /** The replicated job it belongs to ("node", "dataset-initializer", …). */
  role: z.string(),
  /** The Kubernetes node it runs on; null while unscheduled. */
  node: z.string().nullable(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number().int(),
  exitCode: z.number().int().nullable(),
  /** Why it is not running yet / why it ended ("Insufficient nvidia.com/gpu", "ImagePullBackOff: …"). */
  reason: z.string().nullable(),
});
export type ClusterPod = z.infer<typeof clusterPod>;

export const clusterEvent = z.object({
  time: z.number(),
  type: z.string(),
  reason: z.string(),
  /** "Pod/mnist-abc-node-0-0-x7k2p" */
  object: z.string(),
  message: z.string(),
  count: z.number().int(),
});
export type ClusterEvent = z.infer<typeof clusterEvent>;

export const clusterJobState = z.object({
  targetId: z.string(),
  context: z.string(),
  namespace: z.string(),
  /** The TrainJob's name on the cluster. */
  trainJob: z.string(),
  /** TrainJob conditions as the cluster reports them. */
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string(), message: z.string() })),
  jobsStatus: z.array(z.object({ name: z.string(), active: z.number(), ready: z.number(), succeeded: z.number(), failed: z.number(), suspended: z.number() })),
  pods: z.array(clusterPod),
  /** Pods grouped by the Kubernetes node they run on; `node: null` groups the pods not scheduled yet (listed last). */
  nodes: z.array(z.object({ node: z.string().nullable(), pods: z.array(z.string()) })),
  events: z.array(clusterEvent),
  /** Objects applied for this job (kind/name) and how the workspace was shipped. */
  applied: z.array(z.object({ kind: z.string(), name: z.string() })),
  shipping: shippingMode,
  /** Whether the state was read live from the cluster now, or is what the job last saw. */
  live: z.boolean(),
});
export type ClusterJobState = z.infer<typeof clusterJobState>;

/** A job in a lineage: `relation` says how it was made from its parent (null: it has none). */
export const lineageJob = jobSummary.extend({ relation: jobRelation.nullable() });
export type LineageJob = z.infer<typeof lineageJob>;

export const runComparison = z.object({
  job: jobSummary,
  durationMs: z.number().nullable(),
  /** Last value of each metric (rank 0), by name. */
  finalMetrics: z.array(z.object({ name: z.string(), step: z.number(), value: z.number() })),
});
export type RunComparison = z.infer<typeof runComparison>;

export const kubernetesMethods = {
  /** Every kubeconfig context (KUBECONFIG honoured, several files merged) and every local cluster. */
  'targets.list': {
    input: z.object({ probe: z.boolean().default(false) }).strict(),
    output: z.object({
      targets: z.array(kubeTarget),
      /** The kubeconfig files read, in order. */
      kubeconfigFiles: z.array(z.string()),
      /** Files or entries that could not be read, one sentence each. */
      problems: z.array(z.string()),
    }),
  },
  /**
   * Asks the target what it runs: reachability, version, Trainer, JobSet, runtimes, GPUs. With
   * `namespace`, its TrainingRuntimes and existence are checked instead of the remembered namespace's
   * (the promote dialog, while a namespace is being picked); the answer then does not replace the target's own.
   */
  'targets.probe': { input: z.object({ target: targetRef, namespace: namespaceName.optional() }).strict(), output: targetProbe },
  /** The target's namespaces, for a picker; when they cannot be listed (often: forbidden) `problem` says so and the user types one. */
  'targets.namespaces': {
    input: z.object({ target: targetRef }).strict(),
    output: z.object({ targetId: z.string(), namespaces: z.array(z.string()), listed: z.boolean(), problem: z.string().nullable() }),
  },
  /** Remembers the namespace jobs on this target go to (kept in the settings table). */
  'targets.setNamespace': { input: z.object({ target: targetRef, namespace: namespaceName }).strict(), output: kubeTarget },
  /** Remembers where workspace images for this target are pushed; null forgets it. */
  'targets.setImageRegistry': {
    input: z.object({ target: targetRef, registry: z.string().min(1).max(300).nullable() }).strict(),
    output: kubeTarget,
  },
  /** What promote would apply: the original against the final manifest, the files shipped, warnings. */
  'promote.preview': { input: promoteInput, output: promotePreview },
  /** Submits the promoted job: a new job whose parentId is the source job (when the source is a job). */
  'promote.run': {
    input: promoteInput.extend({ jobId: z.string().regex(/^[0-9a-z]{9}-[0-9a-f]{3}$/).optional() }).strict(),
    output: jobDetail,
  },
  /** The job's ancestors (root first) and the jobs promoted or re-run from it, each with how it was made from its parent. */
  'jobs.lineage': {
    input: z.object({ id: z.string() }).strict(),
    output: z.object({ ancestors: z.array(lineageJob), job: lineageJob, children: z.array(lineageJob) }),
  },
  /** Runs side by side: status, duration, final metrics. */
  'jobs.compare': {
    input: z.object({ ids: z.array(z.string()).min(1).max(8) }).strict(),
    output: z.object({ runs: z.array(runComparison) }),
  },
  /** A kubernetes job on its cluster: conditions, pods per node, events. */
  'jobs.cluster': { input: z.object({ id: z.string() }).strict(), output: clusterJobState },
} as const;

export const kubernetesEvents = {
  /** A target was probed (the targets list fills its rows in as probes answer). */
  'targets.probed': targetProbe,
} as const;
