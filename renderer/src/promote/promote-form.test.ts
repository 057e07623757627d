import { describe, expect, it } from 'vitest';
import { probe, target } from '../clusters/test-targets';
import { defaultTarget, formErrors, overrideNote, initialForm, inputKey, runtimeOptions, specDefaults, toPromoteInput, withTarget } from './promote-form';

const SPEC = `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: digits
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    image: python:3.11
    numNodes: 2
    numProcPerNode: 2
    resourcesPerNode:
      limits:
        cpu: "2"
        memory: 4Gi
    command: ["python3", "train.py"]
`;

const defaults = specDefaults(SPEC, 2);
const kfd = target({ context: 'kfd', kind: 'local-cluster' });
const prod = target({ context: 'prod', namespace: 'team-a', current: true });

describe('specDefaults', () => {
  it("reads runtime, image, resources and nodes from the job's trainjob.yaml", () => {
    expect(defaults).toEqual({ runtime: 'torch-distributed', image: 'python:3.11', cpu: '2', memory: '4Gi', gpu: '', numNodes: '2' });
  });

  it("falls back to the job's node count and empty fields when the spec says nothing", () => {
    expect(specDefaults('spec: {}', 3)).toEqual({ runtime: '', image: '', cpu: '', memory: '', gpu: '', numNodes: '3' });
    expect(specDefaults(': not yaml : [', 1).numNodes).toBe('1');
  });
});

describe('the form', () => {
  it('starts on the local cluster with its namespace, and a new target brings its own', () => {
    expect(defaultTarget([prod, kfd])?.id).toBe('local:kfd');
    expect(defaultTarget([target({ context: 'a' }), prod])?.id).toBe('kubeconfig:prod');
    const form = initialForm(defaults, kfd);
    expect(form).toMatchObject({ target: 'local:kfd', namespace: 'default', shipping: 'auto', image: 'python:3.11' });
    expect(withTarget(form, prod)).toMatchObject({ target: 'kubeconfig:prod', namespace: 'team-a' });
  });

  it('an untouched form overrides nothing: the job goes as it ran', () => {
    expect(toPromoteInput('abc', initialForm(defaults, prod), defaults)).toEqual({ source: 'abc', target: 'kubeconfig:prod', namespace: 'team-a', shipping: 'auto' });
  });

  it('sends only what was changed, with numbers as numbers', () => {
    const form = { ...initialForm(defaults, prod), image: 'pytorch/pytorch:2.4', gpu: '1', memory: '16Gi', numNodes: '4' };
    expect(toPromoteInput('abc', form, defaults)).toEqual({
      source: 'abc',
      target: 'kubeconfig:prod',
      namespace: 'team-a',
      shipping: 'auto',
      image: 'pytorch/pytorch:2.4',
      numNodes: 4,
      resources: { memory: '16Gi', gpu: 1 },
    });
  });

  it('says under each field whether it overrides trainjob.yaml', () => {
    expect(overrideNote('python:3.11', 'python:3.11')).toBe('as in trainjob.yaml');
    expect(overrideNote('', 'python:3.11')).toBe('as in trainjob.yaml');
    expect(overrideNote('pytorch/pytorch:2.4', 'python:3.11')).toBe('overrides trainjob.yaml (python:3.11)');
    expect(overrideNote('', '')).toBe('not set in trainjob.yaml');
    expect(overrideNote('1', '')).toBe('added (not set in trainjob.yaml)');
  });

  it('names each bad field in Kubernetes terms', () => {
    const bad = { ...initialForm(defaults, prod), namespace: 'Team_A', cpu: 'two', memory: '4 GB', gpu: '1.5', numNodes: '0', target: '' };
    expect(Object.keys(formErrors(bad)).sort()).toEqual(['cpu', 'gpu', 'memory', 'namespace', 'numNodes', 'target']);
    expect(formErrors(bad).cpu).toMatch(/500m/);
    const good = { ...initialForm(defaults, prod), cpu: '500m', memory: '512Mi', gpu: '0' };
    expect(formErrors(good)).toEqual({});
  });

  it('gives equal inputs equal keys whatever the key order', () => {
    expect(inputKey({ source: 'a', target: 't', resources: { gpu: 1, cpu: '2' } })).toBe(inputKey({ target: 't', resources: { cpu: '2', gpu: 1 }, source: 'a' }));
    expect(inputKey({ source: 'a', target: 't' })).not.toBe(inputKey({ source: 'a', target: 'u' }));
  });
});

describe('runtimeOptions', () => {
  it("lists the target's runtimes and flags the job's own when the target lacks it", () => {
    const p = probe({ targetId: 'kubeconfig:prod', clusterTrainingRuntimes: ['torch-distributed', 'deepspeed'], trainingRuntimes: ['team-rt'] });
    expect(runtimeOptions(p, 'torch-distributed').map((r) => r.label)).toEqual(['torch-distributed', 'deepspeed', 'team-rt (namespace)']);
    const opts = runtimeOptions(probe({ targetId: 'x', clusterTrainingRuntimes: ['deepspeed'] }), 'torch-distributed');
    expect(opts[0]).toEqual({ name: 'torch-distributed', label: 'torch-distributed (not on this target)', missing: true });
  });

  it('before the probe answers, offers the job runtime without judging it', () => {
    expect(runtimeOptions(null, 'torch-distributed')).toEqual([{ name: 'torch-distributed', label: 'torch-distributed', missing: false }]);
  });
});
