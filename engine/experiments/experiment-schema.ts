/**
 * zod schema for a Katib `kubeflow.org/v1beta1` Experiment, the fields Kubeflow Desktop reads.
 * Field names follow upstream Katib (pkg/apis/controller/experiments/v1beta1/experiment_types.go,
 * v0.19). Objects are loose: unknown fields pass through unchanged (the cluster is the authority
 * when the same file is promoted) and are reported as warnings. Each leaf carries
 * `meta({ expected, hint })` for "expected …, got …" messages, like the TrainJob schema.
 */
import { z } from 'zod';

export const EXPERIMENT_API_VERSION = 'kubeflow.org/v1beta1';
export const EXPERIMENT_KIND = 'Experiment';

/** Katib's algorithm names; the first seven run locally. */
export const LOCAL_ALGORITHMS = ['random', 'grid', 'tpe', 'multivariate-tpe', 'cmaes', 'sobol', 'bayesianoptimization'] as const;
export const KATIB_ALGORITHMS = [...LOCAL_ALGORITHMS, 'hyperband', 'enas', 'darts', 'pbt'] as const;
export type LocalAlgorithm = (typeof LOCAL_ALGORITHMS)[number];

export const PARAMETER_TYPES = ['double', 'int', 'discrete', 'categorical'] as const;
export const DISTRIBUTIONS = ['uniform', 'logUniform', 'normal', 'logNormal'] as const;
export const COLLECTOR_KINDS = ['StdOut', 'File', 'TensorFlowEvent', 'PrometheusMetric', 'Custom', 'None'] as const;

function field<T extends z.ZodType>(schema: T, expected: string, hint?: string): T {
  return schema.meta({ expected, ...(hint ? { hint } : {}) }) as T;
}

// Katib writes numbers in feasibleSpace as strings ("0.01"); plain YAML numbers are accepted too.
const numberText = field(
  z.union([z.string().regex(/^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/), z.number()]),
  'a number (Katib writes them as strings, e.g. "0.01")',
);

const nameValue = field(z.looseObject({ name: field(z.string().min(1), 'a non-empty name'), value: field(z.union([z.string(), z.number(), z.boolean()]), 'a string value') }), 'a { name, value } entry');

export const feasibleSpaceSchema = field(
  z.looseObject({
    min: numberText.optional(),
    max: numberText.optional(),
    step: numberText.optional(),
    list: field(z.array(z.union([z.string(), z.number()])).min(1), 'a non-empty list of values', 'Quote them, e.g. list: ["adam", "sgd"].').optional(),
    distribution: field(z.enum(DISTRIBUTIONS), `one of ${DISTRIBUTIONS.join(', ')}`).optional(),
  }),
  'a feasible space { min, max, step } or { list }',
);

export const parameterSchema = field(
  z.looseObject({
    name: field(z.string().min(1), 'a non-empty parameter name'),
    parameterType: field(z.enum(PARAMETER_TYPES), `one of ${PARAMETER_TYPES.join(', ')}`),
    feasibleSpace: feasibleSpaceSchema,
  }),
  'a parameter { name, parameterType, feasibleSpace }',
);

export const objectiveSchema = field(
  z.looseObject({
    type: field(z.enum(['minimize', 'maximize']), 'minimize or maximize'),
    goal: field(z.number(), 'a number', 'The experiment succeeds as soon as a trial reaches it.').optional(),
    objectiveMetricName: field(z.string().min(1), 'the metric name the trials print, e.g. loss'),
    additionalMetricNames: field(z.array(z.string().min(1)), 'a list of metric names').optional(),
    metricStrategies: field(
      z.array(z.looseObject({ name: field(z.string().min(1), 'a metric name'), value: field(z.enum(['min', 'max', 'latest']), 'min, max or latest') })),
      'a list of { name, value: min | max | latest }',
    ).optional(),
  }),
  'an objective { type, objectiveMetricName, goal? }',
);

export const algorithmSchema = field(
  z.looseObject({
    algorithmName: field(z.string().min(1), `an algorithm name: ${KATIB_ALGORITHMS.join(', ')}`),
    algorithmSettings: field(z.array(nameValue), 'a list of { name, value } settings').optional(),
  }),
  'an algorithm { algorithmName, algorithmSettings? }',
);

export const trialParameterSchema = field(
  z.looseObject({
    name: field(z.string().min(1), 'a non-empty name, used as ${trialParameters.<name>}'),
    description: z.string().optional(),
    reference: field(z.string().min(1), 'a parameter name from spec.parameters (or ${trialSpec.Name})'),
  }),
  'a trial parameter { name, reference }',
);

export const trialTemplateSchema = field(
  z.looseObject({
    retain: z.boolean().optional(),
    trialParameters: field(z.array(trialParameterSchema), 'a list of trial parameters').optional(),
    trialSpec: field(z.record(z.string(), z.unknown()), 'a Kubeflow TrainJob manifest (apiVersion trainer.kubeflow.org/v1alpha1, kind TrainJob)').optional(),
    configMap: z.unknown().optional(),
    primaryContainerName: z.string().optional(),
    primaryPodLabels: z.record(z.string(), z.string()).optional(),
    successCondition: z.string().optional(),
    failureCondition: z.string().optional(),
  }),
  'a trial template { trialParameters, trialSpec }',
);

export const metricsCollectorSchema = field(
  z.looseObject({
    collector: field(z.looseObject({ kind: field(z.enum(COLLECTOR_KINDS), `one of ${COLLECTOR_KINDS.join(', ')}`), customCollector: z.unknown().optional() }), 'a collector { kind }').optional(),
    source: field(
      z.looseObject({
        filter: field(z.looseObject({ metricsFormat: field(z.array(z.string().min(1)), 'a list of regular expressions with two groups (name, value)') }), 'a filter { metricsFormat }').optional(),
        fileSystemPath: z.unknown().optional(),
        httpGet: z.unknown().optional(),
      }),
      'a metrics source',
    ).optional(),
  }),
  'a metrics collector spec',
);

const count = (what: string) => field(z.number().int().min(1), `a whole number ≥ 1 (${what})`);

export const experimentSpecSchema = field(
  z.looseObject({
    parameters: field(z.array(parameterSchema).min(1), 'a list of at least one parameter'),
    objective: objectiveSchema,
    algorithm: algorithmSchema,
    earlyStopping: field(z.looseObject({ algorithmName: field(z.string().min(1), 'an early stopping algorithm, e.g. medianstop'), algorithmSettings: field(z.array(nameValue), 'a list of { name, value } settings').optional() }), 'an early stopping spec').optional(),
    trialTemplate: trialTemplateSchema,
    parallelTrialCount: count('trials run at the same time').optional(),
    maxTrialCount: count('trials in all').optional(),
    maxFailedTrialCount: field(z.number().int().min(0), 'a whole number ≥ 0').optional(),
    metricsCollectorSpec: metricsCollectorSchema.optional(),
    resumePolicy: field(z.enum(['Never', 'LongRunning', 'FromVolume']), 'Never, LongRunning or FromVolume').optional(),
    nasConfig: z.unknown().optional(),
  }),
  'an experiment spec',
);

export const experimentSchema = z.looseObject({
  apiVersion: z.literal(EXPERIMENT_API_VERSION),
  kind: z.literal(EXPERIMENT_KIND),
  metadata: field(
    z.looseObject({
      name: field(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63), 'a lowercase DNS label of at most 63 characters, e.g. tune-digits'),
      namespace: z.string().optional(),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
    'metadata with a name',
  ),
  spec: experimentSpecSchema,
  status: z.unknown().optional(),
});

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentSpec = z.infer<typeof experimentSpecSchema>;
export type ParameterSpec = z.infer<typeof parameterSchema>;
export type ObjectiveSpec = z.infer<typeof objectiveSchema>;
