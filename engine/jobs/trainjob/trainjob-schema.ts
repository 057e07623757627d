/**
 * zod schema for the parts of a `trainer.kubeflow.org/v1alpha1` TrainJob that Kubeflow Desktop
 * reads. Field names follow upstream Kubeflow Trainer (pkg/apis/trainer/v1alpha1/trainjob_types.go)
 * across v2.0 (`podSpecOverrides`), v2.1 (`podTemplateOverrides`, `numProcPerNode` int or
 * "auto"/"cpu"/"gpu") and v2.2+ (`runtimePatches`, `activeDeadlineSeconds`, int `numProcPerNode`).
 *
 * Every object is loose: unknown fields pass through to the manifest unchanged (the cluster is
 * the authority) and `unknownFields` reports them. Each leaf carries `meta({ expected, hint })`,
 * which the parser turns into "expected …, got …" messages.
 */
import { z } from 'zod';
import { isNonNegativeQuantity } from './quantity.js';

export const TRAINJOB_API_VERSION = 'trainer.kubeflow.org/v1alpha1';
export const TRAINJOB_KIND = 'TrainJob';
export const GPU_RESOURCE = 'nvidia.com/gpu';
export const MANAGED_BY_VALUES = ['trainer.kubeflow.org/trainjob-controller', 'kueue.x-k8s.io/multikueue'] as const;
export const NUM_PROC_WORDS = ['auto', 'cpu', 'gpu'] as const;
/** Trainer's torch plugin owns these; its webhook rejects a TrainJob whose trainer.env sets them. */
export const TORCH_RESERVED_ENV = ['PET_NNODES', 'PET_NPROC_PER_NODE', 'PET_NODE_RANK', 'PET_MASTER_ADDR', 'PET_MASTER_PORT'] as const;

export interface FieldMeta {
  expected: string;
  hint?: string;
}

function field<T extends z.ZodType>(schema: T, expected: string, hint?: string): T {
  return schema.meta({ expected, ...(hint ? { hint } : {}) }) as T;
}

const INT32_MAX = 2 ** 31 - 1;
// Upstream's CEL rule for TrainJob names is the RFC 1035 label (must start with a letter).
const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const quotedString = field(z.string(), 'a string', 'Quote values that look like numbers or booleans, e.g. "1" or "true".');

const stringMap = (what: string) =>
  field(z.record(z.string(), quotedString), `a mapping of ${what} to strings`, 'Quote values that look like numbers or booleans, e.g. "true".');

const stringList = (what: string) =>
  field(z.array(quotedString).max(128), `a list of at most 128 strings (${what})`, 'Write it as a YAML list, e.g. ["python3", "train.py"]; quote numbers.');

const quantity = field(
  z.union([z.string(), z.number()]).refine(isNonNegativeQuantity),
  'a Kubernetes quantity such as "2", "500m", "4Gi" or "512Mi"',
  'Use a number with an optional suffix: m (milli), k/M/G (decimal) or Ki/Mi/Gi (binary).',
);

const resourceList = field(z.record(z.string(), quantity), 'a mapping of resource names to quantities', `For example: { cpu: "2", memory: "4Gi", ${GPU_RESOURCE}: 1 }.`);

export const envVarSchema = field(
  z
    .looseObject({
      name: field(z.string().regex(/^[^=]+$/), 'a non-empty environment variable name without "="'),
      value: field(z.string(), 'a string', 'Quote it, e.g. value: "1".').optional(),
      valueFrom: field(
        z.looseObject({
          fieldRef: z.unknown().optional(),
          resourceFieldRef: z.unknown().optional(),
          configMapKeyRef: z.unknown().optional(),
          secretKeyRef: z.unknown().optional(),
          fileKeyRef: z.unknown().optional(),
        }),
        'a source such as secretKeyRef, configMapKeyRef or fieldRef',
      ).optional(),
    })
    .refine((e) => e.value === undefined || e.valueFrom === undefined, {
      message: "value and valueFrom are both set; keep one of them",
    }),
  'an environment variable { name, value } or { name, valueFrom }',
  'Set either value or valueFrom, not both.',
);
export type EnvVar = z.infer<typeof envVarSchema>;

function envList() {
  // Checks go before meta: zod 4 clones a schema on .superRefine(), which would drop the meta.
  const list = z.array(envVarSchema).max(128).superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate name ${e.name}; each variable may be set once` });
      seen.add(e.name);
    });
  });
  return field(list, 'a list of { name, value } entries', 'For example: env: [{ name: LR, value: "0.1" }].');
}

const initializerSource = field(
  z.looseObject({
    storageUri: field(z.string().max(2048), 'a URI such as hf://org/name or s3://bucket/path').optional(),
    env: envList().optional(),
    secretRef: field(z.looseObject({ name: z.string() }), 'a secret reference { name }').optional(),
  }),
  'an initializer { storageUri, env, secretRef }',
);

const targetJobs = field(z.array(z.looseObject({ name: field(z.string().min(1), 'a replicated job name such as "node"') })), 'a list of { name } entries');

export const trainerSchema = field(
  z.looseObject({
    image: field(z.string().min(1).max(500), 'a container image reference such as "pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime"').optional(),
    command: stringList('the entrypoint').optional(),
    args: stringList('arguments to the entrypoint').optional(),
    env: envList().optional(),
    numNodes: field(z.int().min(1).max(INT32_MAX), 'a whole number ≥ 1', 'Set it to the number of nodes, e.g. numNodes: 2.').optional(),
    numProcPerNode: field(
      z.union([z.int().min(1).max(INT32_MAX), z.enum(NUM_PROC_WORDS)]),
      'a whole number ≥ 1, or "auto", "cpu" or "gpu"',
      'Write a number without quotes (numProcPerNode: 2); the words are accepted by Trainer v2.0–v2.1 only.',
    ).optional(),
    resourcesPerNode: field(
      z.looseObject({ limits: resourceList.optional(), requests: resourceList.optional(), claims: z.unknown().optional() }),
      'resource requirements { limits, requests }',
    ).optional(),
  }),
  'a trainer { image, command, args, env, numNodes, numProcPerNode, resourcesPerNode }',
);

export const specSchema = field(
  z.looseObject({
    runtimeRef: field(
      z.looseObject({
        name: field(z.string().min(1).max(253), 'the name of a (Cluster)TrainingRuntime, e.g. "torch-distributed"'),
        apiGroup: field(z.literal('trainer.kubeflow.org'), '"trainer.kubeflow.org"', 'Leave it out to use the default.').optional(),
        kind: field(z.enum(['ClusterTrainingRuntime', 'TrainingRuntime']), '"ClusterTrainingRuntime" or "TrainingRuntime"').optional(),
      }),
      'a runtime reference { name, kind }',
      'Add runtimeRef: { name: torch-distributed }.',
    ),
    initializer: field(
      z.looseObject({ dataset: initializerSource.optional(), model: initializerSource.optional() }),
      'an initializer { dataset, model }',
    ).optional(),
    trainer: trainerSchema.optional(),
    labels: stringMap('label names').optional(),
    annotations: stringMap('annotation names').optional(),
    podSpecOverrides: field(z.array(z.looseObject({ targetJobs })), 'a list of pod spec overrides (Trainer v2.0)').optional(),
    podTemplateOverrides: field(
      z.array(z.looseObject({ targetJobs, metadata: z.unknown().optional(), spec: z.unknown().optional() })),
      'a list of { targetJobs, metadata, spec } (Trainer v2.1)',
    ).optional(),
    runtimePatches: field(
      z.array(
        z.looseObject({
          manager: field(z.string().min(1).max(253), 'the patch owner, e.g. "example.com/me"'),
          time: z.unknown().optional(),
          trainingRuntimeSpec: z.unknown().optional(),
        }),
      ).max(16),
      'a list of at most 16 { manager, trainingRuntimeSpec } (Trainer v2.2+)',
    ).optional(),
    suspend: field(z.boolean(), 'true or false').optional(),
    activeDeadlineSeconds: field(z.int().min(1), 'a whole number of seconds ≥ 1').optional(),
    managedBy: field(z.enum(MANAGED_BY_VALUES), MANAGED_BY_VALUES.map((v) => `"${v}"`).join(' or '), 'Leave it out unless Kueue MultiKueue manages the job.').optional(),
  }),
  'a spec with runtimeRef and trainer',
  'Add spec: { runtimeRef: { name: torch-distributed }, trainer: { command: [python3, train.py] } }.',
);

// Fields kubectl or the API server fill in; allowed so `kubectl get -o yaml` output parses quietly.
const serverMeta = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers', 'managedFields', 'selfLink', 'generateName'];

export const trainJobSchema = z.looseObject({
  apiVersion: field(z.literal(TRAINJOB_API_VERSION), `"${TRAINJOB_API_VERSION}"`),
  kind: field(z.literal(TRAINJOB_KIND), `"${TRAINJOB_KIND}"`),
  metadata: field(
    z.looseObject({
      name: field(
        z.string().max(63).regex(RFC1035_LABEL),
        'a name of at most 63 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"',
        'For example: name: mnist-ddp.',
      ),
      namespace: field(z.string().max(63).regex(RFC1123_LABEL), 'a namespace name (lowercase letters, digits, "-")').optional(),
      labels: stringMap('label names').optional(),
      annotations: stringMap('annotation names').optional(),
      ...Object.fromEntries(serverMeta.map((k) => [k, z.unknown().optional()])),
    }),
    'metadata with a name',
    'Add metadata: { name: my-job }.',
  ),
  spec: specSchema,
  status: z.unknown().optional(),
});

export type TrainJob = z.infer<typeof trainJobSchema>;
export type Trainer = z.infer<typeof trainerSchema>;
export type TrainJobSpec = z.infer<typeof specSchema>;
