import { describe, expect, it } from 'vitest';
import { parseExperiment } from './parse-experiment.js';
import { experimentYaml } from './test-support/experiment-yaml.js';

const errorsOf = (text: string, local = true) => {
  const r = parseExperiment(text, 'experiment.yaml', { local });
  if (r.ok) throw new Error(`expected errors, got a plan; warnings: ${JSON.stringify(r.warnings)}`);
  return r.errors;
};

describe('parseExperiment', () => {
  it('reads a valid Experiment into a plan with Katib defaults', () => {
    const r = parseExperiment(experimentYaml(), 'experiment.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.plan.parameters.map((p) => [p.name, p.type, p.min, p.max, p.step, p.log])).toEqual([
      ['lr', 'double', 0.001, 0.1, undefined, true],
      ['alpha', 'double', 0, 1, 0.25, false],
      ['layers', 'int', 1, 4, undefined, false],
      ['optimizer', 'categorical', undefined, undefined, undefined, false],
    ]);
    expect(r.plan.objective.strategies).toEqual({ accuracy: 'max' }); // Katib: max when maximizing
    expect(r.plan.algorithm).toEqual({ name: 'random', settings: { random_state: '7' } });
    expect(r.plan.maxFailedTrialCount).toBeNull();
  });

  it('points at the line and field of a bad value', () => {
    const text = experimentYaml({ parameters: `    - name: lr\n      parameterType: double\n      feasibleSpace: {min: "0.5", max: "0.1"}` });
    const [e] = errorsOf(text.replace(/\n {6}- \{name: (alpha|layers|optimizer).*$/gm, '').replace(/ {10}args:.*\n {10}env:\n.*\n.*\n/, '          args: ["--lr=${trialParameters.lr}"]\n'));
    expect(e!.path).toBe('spec.parameters[0].feasibleSpace.min');
    const line = text.split('\n').findIndex((l) => l.includes('min: "0.5"')) + 1;
    expect(e!.line).toBe(line);
    expect(e!.message).toMatch(/^experiment\.yaml:\d+:\d+ spec\.parameters\[0\]\.feasibleSpace\.min: min \(0\.5\) is greater than max/);
  });

  it('rejects a wrong type of value with the schema message', () => {
    const errors = errorsOf(experimentYaml().replace('parallelTrialCount: 2', 'parallelTrialCount: two'));
    expect(errors[0]!.path).toBe('spec.parallelTrialCount');
    expect(errors[0]!.message).toMatch(/expected a whole number ≥ 1.*got "two"/);
  });

  it('warns about fields it cannot honour locally, and about unknown fields, without dropping them', () => {
    const text = experimentYaml({ extraSpec: '  resumePolicy: LongRunning\n  metricsCollectorSpec:\n    collector: {kind: File}\n  surprise: 1' });
    const r = parseExperiment(text, 'experiment.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const paths = r.warnings.map((w) => w.path);
    expect(paths).toEqual(expect.arrayContaining(['spec.resumePolicy', 'spec.metricsCollectorSpec.collector.kind', 'spec.surprise']));
    expect((r.experiment.spec as Record<string, unknown>).surprise).toBe(1);
  });

  it('requires every ${trialParameters.X} to be defined, and every trial parameter to be used', () => {
    const undefinedRef = errorsOf(experimentYaml().replace('--layers=${trialParameters.layers}', '--layers=${trialParameters.depth}'));
    expect(undefinedRef.map((e) => e.message).join('\n')).toMatch(/\$\{trialParameters\.depth\} is used in trialSpec but not defined/);
    expect(undefinedRef.map((e) => e.message).join('\n')).toMatch(/\$\{trialParameters\.layers\} is not used in trialSpec/);
  });

  it('algorithms only Katib runs are errors locally and warnings for promote', () => {
    const text = experimentYaml({ algorithm: 'hyperband', settings: '' });
    expect(errorsOf(text)[0]!.message).toMatch(/"hyperband" runs only on Katib/);
    const r = parseExperiment(text, 'experiment.yaml', { local: false });
    expect(r.ok).toBe(true);
  });

  it('grid needs a step for doubles', () => {
    expect(errorsOf(experimentYaml({ algorithm: 'grid', settings: '' })).map((e) => e.message).join('\n')).toMatch(/grid search needs a step for the double parameter "lr"/);
  });

  it('checks the trial TrainJob and reports its problems under trialSpec', () => {
    const errors = errorsOf(experimentYaml().replace('runtimeRef:\n          name: torch-distributed', 'runtimeRef:\n          name: 7'));
    expect(errors[0]!.path).toBe('spec.trialTemplate.trialSpec.spec.runtimeRef.name');
    expect(errors[0]!.message).toMatch(/in the trial's TrainJob/);
  });

  it('refuses a TrainJob given where an Experiment is expected, saying how to wrap it', () => {
    const errors = errorsOf('apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: {name: x}\nspec: {}\n');
    expect(errors.map((e) => e.message).join('\n')).toMatch(/wraps it under spec.trialTemplate.trialSpec/);
  });

  it('reads medianstop settings and custom metrics formats, and refuses a regex without two groups', () => {
    const ok = parseExperiment(
      experimentYaml({ extraSpec: '  earlyStopping:\n    algorithmName: medianstop\n    algorithmSettings:\n      - {name: min_trials_required, value: "2"}\n      - {name: start_step, value: "3"}\n  metricsCollectorSpec:\n    source:\n      filter:\n        metricsFormat: ["([\\\\w-]+):\\\\s*([-+]?\\\\d*\\\\.?\\\\d+)"]' }),
      'experiment.yaml',
    );
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(ok.plan.earlyStopping).toEqual({ algorithm: 'medianstop', minTrialsRequired: 2, startStep: 3 });
    expect(ok.plan.metricsFormat).toEqual(['([\\w-]+):\\s*([-+]?\\d*\\.?\\d+)']);
    const bad = errorsOf(experimentYaml({ extraSpec: '  metricsCollectorSpec:\n    source:\n      filter:\n        metricsFormat: ["accuracy=\\\\d+"]' }));
    expect(bad[0]!.path).toBe('spec.metricsCollectorSpec.source.filter.metricsFormat[0]');
    expect(bad[0]!.message).toMatch(/needs two groups/);
  });
});
