/** Hyperparameter tuning: Katib Experiments run locally as trial jobs, and promoted to Katib (pure zod). */
import { z } from 'zod';
import { backendChoice, backendId, specIssue } from './jobs.js';

/** Katib's experiment condition types. */
export const experimentStatus = z.enum(['Created', 'Running', 'Succeeded', 'Failed']);
export type ExperimentStatus = z.infer<typeof experimentStatus>;
export const FINAL_EXPERIMENT_STATUSES: readonly ExperimentStatus[] = ['Succeeded', 'Failed'];

/** Katib's trial condition types. */
export const trialStatus = z.enum(['Created', 'Running', 'Succeeded', 'Failed', 'Killed', 'EarlyStopped', 'MetricsUnavailable']);
export type TrialStatus = z.infer<typeof trialStatus>;

export const metricObservation = z.object({ name: z.string(), min: z.number(), max: z.number(), latest: z.number() });

export const trialSummary = z.object({
  name: z.string(),
  seq: z.number().int(),
  status: trialStatus,
  reason: z.string(),
  /** Parameter name → value, as Katib assigns them (strings). */
  parameters: z.record(z.string(), z.string()),
  /** The objective metric by its strategy; null until the trial printed it. */
  objective: z.number().nullable(),
  metrics: z.array(metricObservation),
  jobId: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type TrialSummary = z.infer<typeof trialSummary>;

export const experimentParameter = z.object({
  name: z.string(),
  type: z.enum(['double', 'int', 'discrete', 'categorical']),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  list: z.array(z.string()).optional(),
  log: z.boolean(),
});

export const experimentSummary = z.object({
  id: z.string(),
  name: z.string(),
  workspace: z.string(),
  file: z.string(),
  backend: backendId,
  target: z.string(),
  status: experimentStatus,
  /** Katib's reason: ExperimentGoalReached, ExperimentMaxTrialsReached, ExperimentSuggestionEndReached, ExperimentFailed, ExperimentKilled. */
  reason: z.string(),
  message: z.string(),
  algorithm: z.string(),
  objective: z.object({ type: z.enum(['minimize', 'maximize']), metric: z.string(), goal: z.number().nullable() }),
  parallelTrialCount: z.number().int(),
  maxTrialCount: z.number().int().nullable(),
  counts: z.object({ total: z.number().int(), running: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), earlyStopped: z.number().int(), killed: z.number().int() }),
  bestTrial: z.object({ name: z.string(), parameters: z.record(z.string(), z.string()), objective: z.number() }).nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ExperimentSummary = z.infer<typeof experimentSummary>;

export const experimentDetail = experimentSummary.extend({
  spec: z.string(),
  warnings: z.array(specIssue),
  parameters: z.array(experimentParameter),
  trials: z.array(trialSummary),
});
export type ExperimentDetail = z.infer<typeof experimentDetail>;

const idInput = z.object({ id: z.string().min(1) }).strict();

export const promoteExperimentResult = z.object({
  target: z.string(),
  namespace: z.string(),
  name: z.string(),
  dryRun: z.boolean(),
  /** The Experiment exactly as applied (YAML). */
  manifest: z.string(),
  warnings: z.array(z.string()),
  /** From the cluster's Experiment status (empty on a dry run). */
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string(), message: z.string() })),
  trials: z.array(z.object({ name: z.string(), status: z.string() })),
  currentOptimalTrial: z.object({ bestTrialName: z.string(), parameterAssignments: z.array(z.object({ name: z.string(), value: z.string() })), metrics: z.array(z.object({ name: z.string(), latest: z.string() })) }).nullable(),
});
export type PromoteExperimentResult = z.infer<typeof promoteExperimentResult>;

export const experimentMethods = {
  'experiments.create': {
    input: z
      .object({
        /** An experiment.yaml, or a workspace folder containing one. */
        path: z.string().min(1),
        backend: backendChoice.default('local-process'),
        target: z.string().min(1).max(300).optional(),
        namespace: z.string().min(1).max(63).optional(),
      })
      .strict(),
    output: experimentDetail,
  },
  'experiments.validate': {
    input: z.object({ path: z.string().min(1).optional(), text: z.string().max(1_000_000).optional(), local: z.boolean().default(true) }).strict(),
    output: z.object({ ok: z.boolean(), errors: z.array(specIssue), warnings: z.array(specIssue) }),
  },
  'experiments.list': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({ experiments: z.array(experimentSummary) }),
  },
  'experiments.get': { input: idInput, output: experimentDetail },
  'experiments.cancel': { input: idInput, output: experimentSummary },
  /** The Experiment for a workspace's TrainJob and a search space (the Tune… form), as YAML. */
  'experiments.draft': {
    input: z
      .object({
        workspace: z.string().min(1),
        name: z.string().min(1).max(63).optional(),
        objectiveMetric: z.string().min(1),
        objectiveType: z.enum(['minimize', 'maximize']),
        goal: z.number().optional(),
        algorithm: z.string().min(1),
        randomState: z.number().int().optional(),
        maxTrialCount: z.number().int().min(1),
        parallelTrialCount: z.number().int().min(1),
        maxFailedTrialCount: z.number().int().min(0).optional(),
        parameters: z.array(experimentParameter.extend({ distribution: z.enum(['uniform', 'logUniform']).optional() })).min(1),
        /** How each parameter reaches the trial: appended to the command as `--<name>=<value>` (default) or set as an env var. */
        pass: z.enum(['args', 'env']).default('args'),
      })
      .strict(),
    output: z.object({ yaml: z.string(), errors: z.array(specIssue), warnings: z.array(specIssue) }),
  },
  'experiments.jsonSchema': { input: z.object({}).strict(), output: z.record(z.string(), z.unknown()) },
  'experiments.promote': {
    input: z
      .object({
        /** An experiment id (a prefix is enough) or an experiment.yaml / workspace path. */
        source: z.string().min(1),
        target: z.string().min(1).max(300),
        namespace: z.string().min(1).max(63).optional(),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: promoteExperimentResult,
  },
  'experiments.clusterStatus': {
    input: z.object({ target: z.string().min(1).max(300), namespace: z.string().min(1).max(63).optional(), name: z.string().min(1) }).strict(),
    output: promoteExperimentResult,
  },
} as const;

export const experimentEvents = {
  /** An experiment or one of its trials changed (status, objective, a new trial). */
  'experiments.changed': experimentSummary,
} as const;
