/** The local kind cluster: diagnostics, create (with progress), status, delete, logs, kubeconfig, offline assets. Pure zod. */
import { z } from 'zod';

/** Same shape as the doctor's results (contract.ts cannot be imported here: it imports this file). */
export const clusterCheck = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['ok', 'warning', 'missing']),
  detail: z.string(),
  fix: z.string(),
});
export type ClusterCheck = z.infer<typeof clusterCheck>;

export const stepState = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped', 'cancelled']),
  detail: z.string(),
  logs: z.array(z.string()),
  sub: z.object({ current: z.number(), max: z.number() }).nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type ClusterStep = z.infer<typeof stepState>;

export const operationState = z.object({
  id: z.string(),
  kind: z.enum(['create', 'delete', 'prepare', 'bundle-export', 'bundle-import']),
  cluster: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  steps: z.array(stepState),
  /** Rancher Desktop's progress: whole steps done (fractions inside a step), out of max. */
  progress: z.object({ current: z.number(), max: z.number(), description: z.string() }),
  error: z
    .object({
      step: z.string().nullable(),
      stepTitle: z.string().nullable(),
      message: z.string(),
      fix: z.string(),
      details: z.object({ lastCommand: z.string().nullable(), lastLogLines: z.array(z.string()) }),
    })
    .nullable(),
  result: z.record(z.string(), z.string()).nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ClusterOperation = z.infer<typeof operationState>;

/** A container image reference (no spaces), e.g. a node image built on this machine. */
const imageRef = z.string().min(1).max(300).regex(/^\S+$/, 'an image reference without spaces');

const clusterName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-", starting and ending with a letter or digit')
  .max(32);

export const clusterCreateInput = z
  .object({
    name: clusterName.optional(),
    workers: z.number().int().min(0).max(16).optional(),
    /** auto | all | none | a list of GPU indexes like "0,1". */
    gpus: z.string().max(100).optional(),
    workspaceRoot: z.string().optional(),
    offline: z.boolean().optional(),
    waitSeconds: z.number().int().min(10).max(3600).optional(),
    /** The kind node image (default: the prepared one, else the one pinned for the kind on PATH). */
    nodeImage: imageRef.optional(),
  })
  .strict();
export type ClusterCreateInput = z.infer<typeof clusterCreateInput>;

export const detectedGpu = z.object({ index: z.number().int(), name: z.string(), uuid: z.string(), memoryMiB: z.number().nullable() });

export const gpuDecision = z.object({ enabled: z.boolean(), reason: z.string(), indexes: z.array(z.number().int()) });

export const clusterInfo = z.object({
  name: z.string(),
  context: z.string(),
  kubeconfigPath: z.string(),
  /** running: every node container runs; stopped: some exist but are not running; missing: recorded, but kind has no nodes. */
  state: z.enum(['running', 'stopped', 'missing', 'unknown']),
  nodes: z.array(z.object({ name: z.string(), state: z.string() })),
  /** false: kind knows the cluster, but this app did not create it (or its create did not finish). */
  recorded: z.boolean(),
  workers: z.number().int(),
  gpus: z.number().int(),
  workspaceRoot: z.string().nullable(),
  createdAt: z.number().nullable(),
});
export type ClusterInfo = z.infer<typeof clusterInfo>;

export const assetsStatus = z.object({
  prepared: z.boolean(),
  preparedAt: z.number().nullable(),
  dir: z.string(),
  nodeImage: z.string().nullable(),
  manifests: z.array(z.string()),
  images: z.array(z.object({ ref: z.string(), role: z.string(), present: z.boolean() })),
  problems: z.array(z.string()),
});
export type AssetsStatus = z.infer<typeof assetsStatus>;

const operationStarted = z.object({ operationId: z.string() });
const named = z.object({ name: clusterName }).strict();
const absoluteFile = z.string().min(1).refine((f) => f.startsWith('/') || /^[A-Za-z]:[\\/]/.test(f), 'must be an absolute path');

export const clusterMethods = {
  /** The pre-flight checks for the cluster these settings would create, with the exact fixes. */
  'cluster.doctor': {
    input: clusterCreateInput,
    output: z.object({ checks: z.array(clusterCheck), gpus: z.array(detectedGpu), gpu: gpuDecision }),
  },
  /** A dry run: the kind config and every step with what it runs. */
  'cluster.plan': {
    input: clusterCreateInput,
    output: z.object({
      name: z.string(),
      kindConfig: z.string(),
      steps: z.array(z.object({ id: z.string(), title: z.string(), runs: z.array(z.string()) })),
      gpu: gpuDecision,
      text: z.string(),
    }),
  },
  /** Starts a create; progress arrives as cluster.operation events. One operation at a time. */
  'cluster.create': { input: clusterCreateInput, output: operationStarted },
  'cluster.delete': { input: named, output: operationStarted },
  /** `nodeImage`: record this node image instead of kind's default (one built or loaded on this machine). */
  'cluster.prepare': { input: z.object({ nodeImage: imageRef.optional() }).strict(), output: operationStarted },
  'cluster.bundleExport': { input: z.object({ file: absoluteFile }).strict(), output: operationStarted },
  'cluster.bundleImport': { input: z.object({ file: absoluteFile }).strict(), output: operationStarted },
  /** The running operation (no id) or a finished one by id; null when there is none. */
  'cluster.operation': { input: z.object({ id: z.string().optional() }).strict(), output: operationState.nullable() },
  'cluster.cancel': { input: z.object({ operationId: z.string() }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'cluster.status': {
    input: z.object({}).strict(),
    output: z.object({ clusters: z.array(clusterInfo), assets: assetsStatus, operation: operationState.nullable() }),
  },
  /** `kind export logs` into a folder (default: <data dir>/clusters/<name>/logs-<time>). */
  'cluster.logs': { input: z.object({ name: clusterName, dir: absoluteFile.optional() }).strict(), output: z.object({ dir: z.string() }) },
  /** The app-private kubeconfig; with `merge` also merged into ~/.kube/config (only then is it touched); `output` copies it. */
  'cluster.kubeconfig': {
    input: z
      .object({
        name: clusterName,
        /** Add the cluster to the user's kubeconfig (KUBECONFIG's first file, else ~/.kube/config). */
        merge: z.boolean().optional(),
        /** With merge: also make it the current context (default: the user's stays). */
        setCurrent: z.boolean().optional(),
        output: absoluteFile.optional(),
      })
      .strict(),
    output: z.object({
      path: z.string(),
      context: z.string(),
      /** The file the merge wrote (a symlinked kubeconfig's target), or null without merge. */
      mergedInto: z.string().nullable(),
      /** What the merge did, in sentences (file, added/replaced entries, current context). */
      mergeSummary: z.string().nullable(),
      currentContext: z.string().nullable(),
      writtenTo: z.string().nullable(),
    }),
  },
} as const;

export const clusterEvents = {
  /** A cluster operation moved on (throttled; the final state is always sent). */
  'cluster.operation': operationState,
} as const;
