/** Shapes of training jobs as the API shows them (pure zod; the renderer imports the types). */
import { z } from 'zod';

export const jobStatus = z.enum(['Created', 'Running', 'Complete', 'Failed', 'Cancelled']);
export type JobStatus = z.infer<typeof jobStatus>;
export const FINAL_STATUSES: readonly JobStatus[] = ['Complete', 'Failed', 'Cancelled'];

export const backendId = z.enum(['local-process', 'container', 'kubernetes']);
export type BackendId = z.infer<typeof backendId>;
/** A backend as a caller names it: `local` is the short name of `local-process` (the CLI's first spelling). */
export const backendChoice = z
  .enum(['local', ...backendId.options])
  .transform((name): BackendId => (name === 'local' ? 'local-process' : name));
/** The same for what runs only on this machine (model servers: processes or containers). */
export const localBackendChoice = z
  .enum(['local', 'local-process', 'container'])
  .transform((name): 'local-process' | 'container' => (name === 'local' ? 'local-process' : name));

/** A problem in trainjob.yaml, or a field a backend cannot honour: where it is and what to do. */
export const specIssue = z.object({
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type SpecIssue = z.infer<typeof specIssue>;

/**
 * The orchestrator that made a job (Katib-style experiment → trial, pipeline run → task, model
 * server → its serving process); null for jobs a user started. `role` is the trial or task name.
 */
export const jobOwnerKind = z.enum(['experiment', 'pipeline-run', 'model-server']);
export type JobOwnerKind = z.infer<typeof jobOwnerKind>;
export const jobOwner = z.object({ kind: jobOwnerKind, id: z.string(), role: z.string() });
export type JobOwner = z.infer<typeof jobOwner>;

export const jobSummary = z.object({
  id: z.string(),
  name: z.string(),
  workspace: z.string(),
  backend: backendId,
  target: z.string(),
  status: jobStatus,
  /** Short machine-readable cause for a final status, e.g. `RankFailed`, `Cancelled`, `EngineRestart`. */
  reason: z.string().nullable(),
  /** What happened, in a sentence a user can act on. */
  message: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  numNodes: z.number().int(),
  numProcPerNode: z.number().int(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  parentId: z.string().nullable(),
  owner: jobOwner.nullable(),
});
export type JobSummary = z.infer<typeof jobSummary>;

/** How a job was made from its parent: the same job run again, or promoted (to a cluster). */
export const jobRelation = z.enum(['rerun', 'promote']);
export type JobRelation = z.infer<typeof jobRelation>;

export const rankInfo = z.object({
  globalRank: z.number().int(),
  nodeRank: z.number().int(),
  localRank: z.number().int(),
  pid: z.number().int().nullable(),
  /** The container the rank runs in (container backend): its name, e.g. `kfd-<job>-node-1`. */
  container: z.string().nullable().optional(),
  status: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled']),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
});
export type RankInfo = z.infer<typeof rankInfo>;

export const jobDetail = jobSummary.extend({
  /** trainjob.yaml as it was when the job was submitted. */
  spec: z.string(),
  warnings: z.array(specIssue),
  ranks: z.array(rankInfo),
  /** For a failed job: the first failing rank's last log lines. */
  failureLog: z.array(z.string()),
});
export type JobDetail = z.infer<typeof jobDetail>;

export const logLine = z.object({
  rank: z.number().int(),
  ts: z.number(),
  stream: z.enum(['o', 'e']),
  text: z.string(),
});
export type LogLine = z.infer<typeof logLine>;

export const metricSeries = z.object({
  name: z.string(),
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type MetricSeries = z.infer<typeof metricSeries>;

export const jobMethods = {
  'jobs.run': {
    input: z
      .object({
        /** A workspace folder (with trainjob.yaml) or the trainjob.yaml file itself. */
        path: z.string().min(1),
        backend: backendChoice.default('local-process'),
        /** Quick overrides from the run toolbar; written into the job's spec, not the file. */
        numNodes: z.number().int().min(1).max(64).optional(),
        numProcPerNode: z.number().int().min(1).max(256).optional(),
        /** Backend kubernetes: a target id (`kubeconfig:<ctx>`, `local:<name>`) or context name (targets.list). */
        target: z.string().min(1).max(300).optional(),
        /** Backend kubernetes: the namespace; default = the target's remembered namespace. */
        namespace: z.string().min(1).max(63).optional(),
      })
      .strict(),
    output: jobDetail,
  },
  'jobs.validate': {
    input: z.object({ path: z.string().min(1), backend: backendChoice.default('local-process') }).strict(),
    output: z.object({ ok: z.boolean(), errors: z.array(specIssue), warnings: z.array(specIssue) }),
  },
  'jobs.list': {
    input: z
      .object({
        status: z.array(jobStatus).optional(),
        search: z.string().optional(),
        /** Only the jobs one orchestrator made (an experiment's trials, a pipeline run's tasks). */
        owner: z.object({ kind: jobOwnerKind, id: z.string() }).strict().optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
        offset: z.number().int().min(0).default(0),
        /** The `nextCursor` of the page before: the rows after it (rows added meanwhile do not shift it). */
        cursor: z.string().max(2000).optional(),
      })
      .strict(),
    output: z.object({
      jobs: z.array(jobSummary),
      total: z.number().int(),
      /** Where the next page starts; null after the last row. */
      nextCursor: z.string().nullable().optional(),
    }),
  },
  'jobs.get': { input: z.object({ id: z.string() }).strict(), output: jobDetail },
  'jobs.cancel': { input: z.object({ id: z.string() }).strict(), output: jobSummary },
  'jobs.rerun': { input: z.object({ id: z.string() }).strict(), output: jobDetail },
  'jobs.logs': {
    input: z
      .object({
        id: z.string(),
        rank: z.number().int().min(0).optional(),
        /** Opaque cursor from a previous answer; absent = from the first line. */
        cursor: z.string().optional(),
        /** Read backwards from the end instead (the "follow" view opens here). */
        tail: z.number().int().min(1).max(10_000).optional(),
        limit: z.number().int().min(1).max(10_000).default(2000),
      })
      .strict(),
    output: z.object({ lines: z.array(logLine), cursor: z.string(), done: z.boolean() }),
  },
  'jobs.metrics': {
    input: z.object({ id: z.string(), maxPoints: z.number().int().min(10).max(100_000).default(2000) }).strict(),
    output: z.object({ series: z.array(metricSeries) }),
  },
} as const;

export const jobEvents = {
  /** A job was created or its status / ranks changed. */
  'jobs.changed': jobSummary,
  /** New log lines of a running job, batched (at most a few per second per job). */
  'jobs.log': z.object({ jobId: z.string(), lines: z.array(logLine) }),
  /** New metric points of a running job, batched. */
  'jobs.metrics': z.object({
    jobId: z.string(),
    points: z.array(z.object({ name: z.string(), step: z.number(), value: z.number() })),
  }),
} as const;
