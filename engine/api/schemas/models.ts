/**
 * Models as the API shows them, shaped like the Kubeflow Model Registry REST API
 * (`/api/model_registry/v1alpha3`): RegisteredModel → ModelVersion → ModelArtifact, with the
 * API's field names and its typed customProperties (MetadataStringValue, MetadataDoubleValue, …),
 * plus what is ours: where a version came from (lineage to the job), the training environment's
 * library versions, and deployments (local V2 servers, InferenceServices on clusters).
 * Pure zod; the renderer imports the types.
 */
import { z } from 'zod';
import { backendId, jobStatus, localBackendChoice } from './jobs.js';

/** The Model Registry's MetadataValue, one of its typed property values (same JSON shape). */
export const metadataValue = z.discriminatedUnion('metadataType', [
  z.object({ metadataType: z.literal('MetadataStringValue'), string_value: z.string() }).strict(),
  z.object({ metadataType: z.literal('MetadataDoubleValue'), double_value: z.number() }).strict(),
  /** int32 as a decimal string, as the API has it. */
  z.object({ metadataType: z.literal('MetadataIntValue'), int_value: z.string().regex(/^-?([1-9][0-9]{0,8}|0)$/) }).strict(),
  z.object({ metadataType: z.literal('MetadataBoolValue'), bool_value: z.boolean() }).strict(),
  /** Base64 of a JSON object. */
  z.object({ metadataType: z.literal('MetadataStructValue'), struct_value: z.string() }).strict(),
]);
export type MetadataValue = z.infer<typeof metadataValue>;
export const customProperties = z.record(z.string().min(1).max(200), metadataValue);
export type CustomProperties = z.infer<typeof customProperties>;

export const registeredModelState = z.enum(['LIVE', 'ARCHIVED']);
export const modelVersionState = z.enum(['LIVE', 'ARCHIVED']);
export const artifactState = z.enum(['UNKNOWN', 'PENDING', 'LIVE', 'MARKED_FOR_DELETION', 'DELETED', 'ABANDONED', 'REFERENCE']);

/** Model formats by KServe's `predictor.model.modelFormat.name`. */
export const modelFormat = z.enum(['sklearn', 'xgboost', 'lightgbm', 'pytorch', 'onnx', 'tensorflow', 'custom']);
export type ModelFormat = z.infer<typeof modelFormat>;

/** Times are ms since the epoch as decimal strings, like the API's createTimeSinceEpoch. */
const epochMs = z.string().regex(/^\d+$/);

export const registeredModel = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  owner: z.string(),
  state: registeredModelState,
  customProperties,
  createTimeSinceEpoch: epochMs,
  lastUpdateTimeSinceEpoch: epochMs,
});
export type RegisteredModel = z.infer<typeof registeredModel>;

/** The Python and library versions a model was trained with (recorded at registration). */
export const trainingEnv = z.object({
  /** The interpreter that trained it (a managed venv's python, or the chosen one); null when unknown. */
  python: z.string().nullable(),
  pythonVersion: z.string().nullable(),
  /** Distribution name → version, for the libraries that decide whether a model loads the same. */
  packages: z.record(z.string(), z.string()),
  /** How the versions were found, or why they could not be ("recorded from /usr/bin/python3"). */
  source: z.string(),
});
export type TrainingEnv = z.infer<typeof trainingEnv>;

/** Where a version came from: a job (lineage), a pipeline's system.Model artifact, or a path. */
export const modelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('job'), jobId: z.string(), path: z.string() }),
  z.object({ kind: z.literal('pipeline'), runId: z.string().nullable(), taskId: z.string().nullable(), path: z.string() }),
  z.object({ kind: z.literal('path'), path: z.string() }),
]);
export type ModelSource = z.infer<typeof modelSource>;

export const modelArtifact = z.object({
  id: z.string(),
  artifactType: z.literal('model-artifact'),
  name: z.string(),
  /** `file://` of the content-addressed copy in the data dir (or what a push replaced it with). */
  uri: z.string(),
  modelFormatName: z.string(),
  modelFormatVersion: z.string(),
  storageKey: z.string(),
  storagePath: z.string(),
  modelSourceKind: z.string(),
  modelSourceClass: z.string(),
  modelSourceGroup: z.string(),
  modelSourceId: z.string(),
  modelSourceName: z.string(),
  state: artifactState,
  customProperties,
  createTimeSinceEpoch: epochMs,
  lastUpdateTimeSinceEpoch: epochMs,
  /** sha256 of the content (a folder: of its sorted file list with each file's sha256). */
  digest: z.string(),
  sizeBytes: z.number().int(),
  /** The files in it, relative to the artifact root. */
  files: z.array(z.string()),
  /** The file the server loads (e.g. model.joblib), relative to the artifact root. */
  modelFile: z.string(),
  /** The absolute local path of the copy. */
  localPath: z.string(),
});
export type ModelArtifact = z.infer<typeof modelArtifact>;

/** What the model looks like to a V2 server: tensor names, types and shapes (from the model itself when it could be read). */
export const tensorSpec = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number().int()) });
export type TensorSpec = z.infer<typeof tensorSpec>;
export const modelSignature = z.object({ inputs: z.array(tensorSpec), outputs: z.array(tensorSpec), detail: z.string() });
export type ModelSignature = z.infer<typeof modelSignature>;

/** Local: Preparing (venv) → Starting → Ready → Stopping → Stopped, or Failed. Cluster: Applied → Ready / NotReady. */
export const deploymentState = z.enum(['Preparing', 'Starting', 'Ready', 'Stopping', 'Failed', 'Stopped', 'Applied', 'NotReady']);
export type DeploymentState = z.infer<typeof deploymentState>;

export const deployment = z.object({
  id: z.string(),
  modelVersionId: z.string(),
  modelName: z.string(),
  versionName: z.string(),
  kind: z.enum(['local', 'cluster']),
  /** local: local-process | container. */
  backend: backendId.nullable(),
  /** The serving job (local): its logs, status and restarts come from the job system. */
  jobId: z.string().nullable(),
  jobStatus: jobStatus.nullable(),
  /** V2 base URL: `http://127.0.0.1:<port>` locally, the InferenceService's status.url on a cluster. */
  url: z.string().nullable(),
  port: z.number().int().nullable(),
  /** Cluster: target id and namespace. */
  target: z.string().nullable(),
  namespace: z.string().nullable(),
  /** The KServe InferenceService this deployment is (the same file goes to a cluster). */
  manifest: z.string(),
  state: deploymentState,
  message: z.string(),
  /** Cluster: the InferenceService's status.conditions as last read. */
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Deployment = z.infer<typeof deployment>;

export const modelVersion = z.object({
  id: z.string(),
  registeredModelId: z.string(),
  name: z.string(),
  description: z.string(),
  author: z.string(),
  state: modelVersionState,
  customProperties,
  createTimeSinceEpoch: epochMs,
  lastUpdateTimeSinceEpoch: epochMs,
  source: modelSource,
  /** The job that trained it (lineage job → version → deployments); null when not from a job. */
  jobId: z.string().nullable(),
  trainingEnv,
  signature: modelSignature,
});
export type ModelVersion = z.infer<typeof modelVersion>;

export const modelVersionDetail = modelVersion.extend({
  model: registeredModel,
  artifacts: z.array(modelArtifact),
  deployments: z.array(deployment),
  pushes: z.array(z.object({ registry: z.string(), registeredModelId: z.string(), modelVersionId: z.string(), artifactId: z.string(), uri: z.string(), at: z.number() })),
});
export type ModelVersionDetail = z.infer<typeof modelVersionDetail>;

export const modelSummary = registeredModel.extend({
  versions: z.array(modelVersion.pick({ id: true, name: true, state: true, createTimeSinceEpoch: true, jobId: true })),
  latestVersion: z.string().nullable(),
  /** Local servers running (Starting/Ready) across its versions. */
  serving: z.number().int(),
});
export type ModelSummary = z.infer<typeof modelSummary>;

/** `name` or `name:version`; the version defaults to the newest. */
const modelRef = z.string().min(1).max(300);
const nameRule = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

export const v2InferResult = z.object({
  /** The server's answer (a V2 InferenceResponse), or its error body. */
  response: z.unknown(),
  status: z.number().int(),
  latencyMs: z.number(),
});

export const loadTestResult = z.object({
  requests: z.number().int(),
  concurrency: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  firstError: z.string().nullable(),
  durationMs: z.number(),
  throughput: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  /** [ms since the test started, latency ms] per request, in completion order. */
  samples: z.array(z.tuple([z.number(), z.number()])),
});
export type LoadTestResult = z.infer<typeof loadTestResult>;

export const isvcPromotePreview = z.object({
  manifest: z.string(),
  target: z.string(),
  namespace: z.string(),
  /** The cluster has KServe's InferenceService CRD (serving.kserve.io/v1beta1). */
  kserveInstalled: z.boolean(),
  /** What stops an apply (no CRD, a storageUri the cluster cannot read, a dry run the server refused); null when it may go. */
  blocked: z.string().nullable(),
  /** The server-side dry run's answer: accepted, or its message. */
  dryRun: z.object({ ok: z.boolean(), message: z.string() }).nullable(),
  warnings: z.array(z.string()),
});
export type IsvcPromotePreview = z.infer<typeof isvcPromotePreview>;

export const modelSettings = z.object({
  /** Base URL of a Kubeflow Model Registry (its REST API lives under /api/model_registry/v1alpha3); '' = none. */
  registryEndpoint: z.string(),
  /** A registry token is available (never returned): from the app's private token file or KFD_MODEL_REGISTRY_TOKEN. */
  tokenSet: z.boolean(),
  tokenSource: z.enum(['file', 'env', 'none']),
  /** The image the container backend serves with when a serve names none ('' = none). */
  servingImage: z.string(),
});
export type ModelSettings = z.infer<typeof modelSettings>;

const promoteInput = z
  .object({
    /** A deployment id, a `name:version`, or the InferenceService YAML itself. */
    deployment: z.string().max(300).optional(),
    model: modelRef.optional(),
    manifest: z.string().max(1_000_000).optional(),
    target: z.string().min(1).max(300),
    namespace: z.string().min(1).max(63).optional(),
    /** Replaces spec.predictor.model.storageUri (a local file:// cannot be read by a cluster). */
    storageUri: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const modelMethods = {
  'models.list': { input: z.object({}).strict(), output: z.array(modelSummary) },
  'models.get': {
    input: z.object({ model: modelRef }).strict(),
    output: z.object({ model: registeredModel, versions: z.array(modelVersionDetail) }),
  },
  'models.version': { input: z.object({ model: modelRef }).strict(), output: modelVersionDetail },
  /** The versions registered from a job (its lineage onward). */
  'models.ofJob': { input: z.object({ jobId: z.string().min(1) }).strict(), output: z.array(z.object({ model: z.string(), version: z.string(), state: modelVersionState, deployments: z.number().int() })) },
  'models.register': {
    input: z
      .object({
        name: nameRule,
        version: nameRule.optional(),
        format: modelFormat.default('sklearn'),
        description: z.string().max(10_000).optional(),
        author: z.string().max(200).optional(),
        /** From a finished job: `path` is relative to its workspace (or absolute inside it). */
        jobId: z.string().min(1).max(100).optional(),
        /** A file or folder (a job's output, a pipeline artifact's path, anything). */
        path: z.string().min(1).max(4096),
        /** A KFP pipeline's system.Model artifact: the run and task that made it. */
        pipeline: z.object({ runId: z.string().max(200).optional(), taskId: z.string().max(200).optional() }).strict().optional(),
        customProperties: customProperties.optional(),
      })
      .strict(),
    output: modelVersionDetail,
  },
  'models.setState': {
    input: z.object({ model: modelRef, state: modelVersionState }).strict(),
    output: modelVersionDetail,
  },
  /** The InferenceService a version would be served with (local file:// storageUri). */
  'models.inferenceService': { input: z.object({ model: modelRef, backend: localBackendChoice.default('local-process') }).strict(), output: z.object({ manifest: z.string() }) },
  'models.serve': {
    input: z
      .object({
        model: modelRef,
        backend: localBackendChoice.default('local-process'),
        port: z.number().int().min(1).max(65535).optional(),
        /** Container backend: the image with MLServer and the model's libraries (default: the servingImage setting). */
        image: z.string().min(1).max(500).optional(),
      })
      .strict(),
    output: deployment,
  },
  'models.servers.list': { input: z.object({ active: z.boolean().optional() }).strict(), output: z.array(deployment) },
  'models.servers.get': { input: z.object({ id: z.string().min(1) }).strict(), output: deployment },
  'models.servers.stop': { input: z.object({ id: z.string().min(1) }).strict(), output: deployment },
  'models.servers.restart': { input: z.object({ id: z.string().min(1) }).strict(), output: deployment },
  /** GET /v2/models/{name} of a ready server. */
  'models.servers.metadata': { input: z.object({ id: z.string().min(1) }).strict(), output: z.object({ metadata: z.unknown(), example: z.unknown() }) },
  'models.servers.infer': {
    input: z.object({ id: z.string().min(1), request: z.unknown() }).strict(),
    output: v2InferResult,
  },
  'models.servers.loadTest': {
    input: z.object({ id: z.string().min(1), request: z.unknown(), requests: z.number().int().min(1).max(20_000).default(200), concurrency: z.number().int().min(1).max(64).default(4) }).strict(),
    output: loadTestResult,
  },
  'models.loadTest.cancel': { input: z.object({ id: z.string().min(1) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'models.settings.get': { input: z.object({}).strict(), output: modelSettings },
  'models.settings.set': {
    input: z
      .object({
        registryEndpoint: z.string().max(2000).optional(),
        /** Stored in a private file (0600) in the data dir; never in the database, logs or argv. */
        token: z.string().min(1).max(20_000).optional(),
        clearToken: z.boolean().optional(),
        servingImage: z.string().max(500).optional(),
      })
      .strict(),
    output: modelSettings,
  },
  'models.push': {
    input: z
      .object({
        model: modelRef,
        /** Default: the endpoint in Settings. */
        registry: z.string().min(1).max(2000).optional(),
        /** The uri the cluster reads the model from (s3://, gs://, pvc://, oci://, https://); replaces the local file://. */
        uri: z.string().min(1).max(2000).optional(),
        /** Instead of uri: build the model into this image (files under /models, KServe's modelcar) and push it; the uri becomes oci://<image>. */
        oci: z.string().min(1).max(500).optional(),
        /** The modelcar's base image (a shell); default busybox. */
        ociBase: z.string().min(1).max(500).optional(),
      })
      .strict(),
    output: z.object({
      registry: z.string(),
      registeredModelId: z.string(),
      modelVersionId: z.string(),
      artifactId: z.string(),
      uri: z.string(),
      /** What the user still has to do (upload the files the uri points at). */
      notes: z.array(z.string()),
    }),
  },
  'models.promote.preview': { input: promoteInput, output: isvcPromotePreview },
  'models.promote.apply': { input: promoteInput, output: deployment },
  'models.deployments.refresh': { input: z.object({ id: z.string().min(1) }).strict(), output: deployment },
} as const;

export const modelEvents = {
  /** A model, version or deployment changed (registered, serving state, …). */
  'models.changed': z.object({ modelName: z.string().nullable(), deploymentId: z.string().nullable() }),
  'models.loadTestProgress': z.object({ id: z.string(), done: z.number().int(), total: z.number().int() }),
  /** A push's steps (building and pushing a modelcar image, the registry calls). */
  'models.pushProgress': z.object({ model: z.string(), message: z.string() }),
} as const;
