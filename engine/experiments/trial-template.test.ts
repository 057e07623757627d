import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from './parse-experiment.js';
import { experimentYaml } from './test-support/experiment-yaml.js';
import { buildTrialJob, trialName } from './trial-template.js';

describe('trial jobs', () => {
  it('substitutes ${trialParameters.X} in command, args and env, and names the job after the trial', () => {
    const r = parseExperiment(experimentYaml({ command: '["python3", "train.py", "--name=${trialParameters.who}"]' }).replace('      - {name: optimizer, reference: optimizer}', '      - {name: optimizer, reference: optimizer}\n      - {name: who, reference: "${trialSpec.Name}"}'), 'experiment.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const job = parse(buildTrialJob(r.plan, { lr: '0.01', alpha: '0.5', layers: '3', optimizer: 'adam' }, 'digits-tune-3'));
    expect(job.metadata.name).toBe('digits-tune-3');
    expect(job.spec.trainer.command).toEqual(['python3', 'train.py', '--name=digits-tune-3']);
    expect(job.spec.trainer.args).toEqual(['--lr=0.01', '--alpha=0.5', '--layers=3']);
    expect(job.spec.trainer.env).toEqual([{ name: 'OPTIMIZER', value: 'adam' }]);
  });

  it('makes valid TrainJob names from any experiment name', () => {
    expect(trialName('digits', 12)).toBe('digits-12');
    expect(trialName('9lives', 1)).toBe('t9lives-1');
    expect(trialName('x'.repeat(63), 100)).toHaveLength(63);
  });
});
