/** Pipelines: compiled KFP pipelines run locally as DAGs of task jobs (pure zod; the renderer imports the types). */
import { z } from 'zod';
import { backendChoice, backendId } from './jobs.js';

export const pipelineRunStatus = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled']);
export type PipelineRunStatus = z.infer<typeof pipelineRunStatus>;
export const pipelineTaskStatus = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Skipped', 'Cancelled']);
export type PipelineTaskStatus = z.infer<typeof pipelineTaskStatus>;

export const pipelineArtifact = z.object({
  name: z.string(),
  /** Where it is: a path under the pipeline root in the data dir (stable; cached tasks point at the original). */
  uri: z.string(),
  type: z.object({ schemaTitle: z.string().optional(), schemaVersion: z.string().optional() }),
  metadata: z.record(z.string(), z.unknown()),
});
export type PipelineArtifact = z.infer<typeof pipelineArtifact>;

export const pipelineIO = z.object({
  parameters: z.record(z.string(), z.unknown()),
  artifacts: z.record(z.string(), z.array(pipelineArtifact)),
});
export type PipelineIO = z.infer<typeof pipelineIO>;

export const pipelineTask = z.object({
  /** Unique in the run: the task's path in the DAG, e.g. `train` or `for-loop-2[0]/square`. */
  path: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  kind: z.enum(['task', 'importer', 'dag', 'condition', 'loop', 'iteration']),
  component: z.string(),
  status: pipelineTaskStatus,
  cached: z.boolean(),
  jobId: z.string().nullable(),
  attempt: z.number().int(),
  message: z.string().nullable(),
  /** Things that run differently here than on a KFP cluster (resources not enforced, image not used …). */
  notes: z.array(z.string()),
  upstream: z.array(z.string()),
  inputs: pipelineIO,
  outputs: pipelineIO,
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type PipelineTask = z.infer<typeof pipelineTask>;

export const pipelineRunSummary = z.object({
  id: z.string(),
  name: z.string(),
  pipelineName: z.string(),
  /** The pipeline file it ran (YAML, or the .py it was compiled from). */
  file: z.string(),
  status: pipelineRunStatus,
  message: z.string().nullable(),
  backend: backendId,
  parameters: z.record(z.string(), z.unknown()),
  rerunOf: z.string().nullable(),
  enableCache: z.boolean(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  counts: z.record(z.string(), z.number().int()),
});
export type PipelineRunSummary = z.infer<typeof pipelineRunSummary>;

export const pipelineRunDetail = pipelineRunSummary.extend({
  tasks: z.array(pipelineTask),
  outputs: pipelineIO.nullable(),
  /** The pipeline spec YAML it ran. */
  spec: z.string(),
  warnings: z.array(z.string()),
});
export type PipelineRunDetail = z.infer<typeof pipelineRunDetail>;

export const pipelineParameter = z.object({
  name: z.string(),
  type: z.string(),
  defaultValue: z.unknown().optional(),
  optional: z.boolean(),
  description: z.string().optional(),
});
export type PipelineParameter = z.infer<typeof pipelineParameter>;

export const artifactPreview = z.object({
  uri: z.string(),
  schemaTitle: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  kind: z.enum(['metrics', 'classification', 'markdown', 'html', 'image', 'text', 'directory', 'binary', 'missing']),
  /** Text content (markdown, html, text), cut at `limit`. */
  text: z.string().optional(),
  /** An image as a data: URL. */
  dataUrl: z.string().optional(),
  /** Files of a directory artifact. */
  files: z.array(z.object({ name: z.string(), size: z.number() })).optional(),
  size: z.number(),
  truncated: z.boolean(),
});
export type ArtifactPreview = z.infer<typeof artifactPreview>;

const parameterValues = z.record(z.string(), z.unknown());

export const kfpRemote = z.object({
  endpoint: z.string(),
  namespace: z.string(),
  /** Where the token comes from: KFD_KFP_TOKEN, the token file, or none. */
  tokenSource: z.enum(['env', 'file']).nullable(),
});
export type KfpRemote = z.infer<typeof kfpRemote>;

export const pipelineMethods = {
  'pipelines.run': {
    input: z
      .object({
        /** A compiled pipeline (.yaml/.yml/.json) or a Python file with a @dsl.pipeline (compiled first). */
        path: z.string().min(1),
        /** Values as JSON, or as text (`"5"`) read by the parameter's type. */
        parameters: parameterValues.default({}),
        backend: backendChoice.default('local-process'),
        target: z.string().min(1).max(300).optional(),
        namespace: z.string().min(1).max(63).optional(),
        /** false = --no-cache: run every task even when a cached result exists. */
        enableCache: z.boolean().default(true),
        /** For a .py with several pipelines: which one. */
        pipeline: z.string().min(1).optional(),
      })
      .strict(),
    output: pipelineRunDetail,
  },
  'pipelines.list': {
    input: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.object({ runs: z.array(pipelineRunSummary) }),
  },
  'pipelines.get': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: pipelineRunDetail,
  },
  'pipelines.cancel': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: pipelineRunSummary,
  },
  /** The same pipeline and parameters again; tasks that succeeded in that run are reused (cached). */
  'pipelines.rerun': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: pipelineRunDetail,
  },
  'pipelines.compile': {
    input: z.object({ path: z.string().min(1), output: z.string().min(1).optional(), pipeline: z.string().min(1).optional() }).strict(),
    output: z.object({ output: z.string(), pipeline: z.string(), candidates: z.array(z.string()) }),
  },
  /** A pipeline file's name and parameters (root.inputDefinitions), for a run form. */
  'pipelines.inspect': {
    input: z.object({ path: z.string().min(1), pipeline: z.string().min(1).optional() }).strict(),
    output: z.object({ file: z.string(), name: z.string(), description: z.string().nullable(), parameters: z.array(pipelineParameter), tasks: z.number().int(), warnings: z.array(z.string()) }),
  },
  'pipelines.artifact': {
    input: z.object({ id: z.string().min(1), task: z.string().min(1), name: z.string().min(1), index: z.number().int().min(0).default(0), side: z.enum(['inputs', 'outputs']).default('outputs') }).strict(),
    output: artifactPreview,
  },
  /** Where a Kubeflow Pipelines installation is (the token is never returned, only where it comes from). */
  'pipelines.remote.get': {
    input: z.object({}).strict(),
    output: kfpRemote,
  },
  /** Sets the endpoint and namespace (settings) and the token (a 0600 file outside the database; '' removes it). */
  'pipelines.remote.configure': {
    input: z.object({ endpoint: z.string().max(2000).optional(), namespace: z.string().max(63).optional(), token: z.string().max(16384).optional() }).strict(),
    output: kfpRemote,
  },
  /** Uploads a pipeline (a file, or the spec a local run ran) to KFP and starts a run there. */
  'pipelines.remote.submit': {
    input: z
      .object({
        path: z.string().min(1).optional(),
        /** A local run: its spec and parameters go to KFP. */
        runId: z.string().min(1).optional(),
        parameters: parameterValues.optional(),
        experimentId: z.string().min(1).optional(),
        pipeline: z.string().min(1).optional(),
      })
      .strict()
      .refine((v) => Boolean(v.path) !== Boolean(v.runId), { message: 'give either path or runId' }),
    output: z.object({ pipelineId: z.string(), pipelineVersionId: z.string().nullable(), runId: z.string(), state: z.string().nullable(), runUrl: z.string() }),
  },
} as const;

export const pipelineEvents = {
  /** A run or one of its tasks changed (the run page refetches the run). */
  'pipelines.changed': pipelineRunSummary,
  /** Getting kfp ready (creating its environment, pip) before a compile or a task: what is happening now. */
  'pipelines.progress': z.object({ message: z.string() }),
} as const;
