/**
 * "Tune…" on a workspace: an Experiment around the workspace's own TrainJob and a search space
 * from the form. Each parameter reaches the trial as `--<name>=${trialParameters.<name>}` appended
 * to spec.trainer.args, or as an environment variable (NAME in capitals), so the training script
 * reads it as it would any option. The result is YAML the user sees and edits before saving.
 */
import { parseDocument, stringify } from 'yaml';
import type { MethodInput } from '../api/contract.js';
import { isPlainObject } from '../jobs/trainjob/schema-walk.js';

type DraftInput = MethodInput<'experiments.draft'>;

export function envNameOf(param: string): string {
  return param.replace(/[^A-Za-z0-9]+/g, '_').replace(/^(\d)/, '_$1').toUpperCase();
}

export function draftExperiment(trainJobYaml: string, input: DraftInput): string {
  const job = parseDocument(trainJobYaml).toJS() as Record<string, unknown>;
  const spec = (isPlainObject(job.spec) ? job.spec : {}) as Record<string, unknown>;
  const trainer = (isPlainObject(spec.trainer) ? { ...spec.trainer } : {}) as Record<string, unknown>;
  const jobName = isPlainObject(job.metadata) && typeof job.metadata.name === 'string' ? job.metadata.name : 'trial';
  const pass = input.pass ?? 'args';
  if (pass === 'args') {
    const args = Array.isArray(trainer.args) ? [...(trainer.args as unknown[])] : [];
    for (const p of input.parameters) args.push(`--${p.name}=\${trialParameters.${p.name}}`);
    trainer.args = args;
  } else {
    const env = Array.isArray(trainer.env) ? [...(trainer.env as unknown[])] : [];
    for (const p of input.parameters) env.push({ name: envNameOf(p.name), value: `\${trialParameters.${p.name}}` });
    trainer.env = env;
  }
  const { metadata: _m, ...rest } = job;
  const trialSpec = { ...rest, spec: { ...spec, trainer } };
  const experiment = {
    apiVersion: 'kubeflow.org/v1beta1',
    kind: 'Experiment',
    metadata: { name: input.name ?? `${jobName}-tune`.slice(0, 63) },
    spec: {
      objective: { type: input.objectiveType, objectiveMetricName: input.objectiveMetric, ...(input.goal !== undefined ? { goal: input.goal } : {}) },
      algorithm: { algorithmName: input.algorithm, ...(input.randomState !== undefined ? { algorithmSettings: [{ name: 'random_state', value: String(input.randomState) }] } : {}) },
      parallelTrialCount: input.parallelTrialCount,
      maxTrialCount: input.maxTrialCount,
      ...(input.maxFailedTrialCount !== undefined ? { maxFailedTrialCount: input.maxFailedTrialCount } : {}),
      parameters: input.parameters.map((p) => ({
        name: p.name,
        parameterType: p.type,
        feasibleSpace:
          p.type === 'categorical' || p.type === 'discrete'
            ? { list: p.list ?? [] }
            : { min: String(p.min ?? 0), max: String(p.max ?? 1), ...(p.step !== undefined ? { step: String(p.step) } : {}), ...(p.distribution ? { distribution: p.distribution } : {}) },
      })),
      trialTemplate: {
        primaryContainerName: 'node',
        trialParameters: input.parameters.map((p) => ({ name: p.name, reference: p.name })),
        trialSpec,
      },
    },
  };
  return `# A Katib Experiment: kfd tune runs it here; kfd experiment promote sends it unchanged to a cluster with Katib.\n${stringify(experiment, { lineWidth: 0 })}`;
}
