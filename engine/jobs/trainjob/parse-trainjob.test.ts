import { describe, expect, it } from 'vitest';
import { sourceOf } from './issues.js';
import type { TrainJobIssue } from './issues.js';
import { parseTrainJob } from './parse-trainjob.js';

const VALID = `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: mnist-ddp
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    image: pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime
    command: ["python3", "train.py"]
    args: ["--epochs", "3"]
    numNodes: 2
    numProcPerNode: 2
    env:
      - name: LR
        value: "0.1"
    resourcesPerNode:
      limits:
        cpu: "2"
        memory: 4Gi
        nvidia.com/gpu: 1
`;

/** 1-based line of the first line containing `needle`, and the column where `needle` starts. */
function where(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line contains ${needle}`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}

function errorsOf(text: string): TrainJobIssue[] {
  const result = parseTrainJob(text);
  if (result.ok) throw new Error('expected the parse to fail');
  return result.errors;
}

function only(issues: TrainJobIssue[]): TrainJobIssue {
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

describe('parseTrainJob: valid manifests', () => {
  it('returns the typed job, without warnings', () => {
    const result = parseTrainJob(VALID);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    const name: string = result.job.metadata.name;
    expect(name).toBe('mnist-ddp');
    expect(result.job.spec.trainer?.numNodes).toBe(2);
    expect(result.job.spec.trainer?.resourcesPerNode?.limits?.['nvidia.com/gpu']).toBe(1);
    const numNodes = where(VALID, 'numNodes: 2');
    expect(sourceOf(result.job)?.locate(['spec', 'trainer', 'numNodes'])).toEqual({ line: numNodes.line, column: numNodes.column + 'numNodes: '.length });
    expect(sourceOf(result.job)?.locate(['spec', 'trainer', 'numNodes'], { key: true })).toEqual(numNodes);
  });

  it('accepts Trainer v2.0/v2.1 numProcPerNode words and the v2.1/v2.2 override fields', () => {
    const text = VALID.replace('numProcPerNode: 2', 'numProcPerNode: auto') + '  podTemplateOverrides:\n    - targetJobs: [{ name: node }]\n      spec: { nodeSelector: { a: b } }\n  runtimePatches:\n    - manager: example.com/me\n';
    const result = parseTrainJob(text);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('accepts `kubectl get -o yaml` output (server-set metadata and status)', () => {
    const text = VALID.replace('  name: mnist-ddp', '  name: mnist-ddp\n  uid: 1234\n  resourceVersion: "42"\n  creationTimestamp: "2025-01-01T00:00:00Z"') + 'status:\n  conditions: []\n';
    const result = parseTrainJob(text);
    expect(result.ok && result.warnings).toEqual([]);
  });
});

describe('parseTrainJob: errors name the path and the line', () => {
  it('wrong type: numNodes "two"', () => {
    const text = VALID.replace('numNodes: 2', 'numNodes: two');
    const e = only(errorsOf(text));
    const at = where(text, 'two');
    expect(e).toMatchObject({ path: 'spec.trainer.numNodes', ...at });
    expect(e.message).toBe(`trainjob.yaml:${at.line}:${at.column} spec.trainer.numNodes: expected a whole number ≥ 1, got "two". Set it to the number of nodes, e.g. numNodes: 2.`);
  });

  it('uses the file name it is given', () => {
    const r = parseTrainJob(VALID.replace('numNodes: 2', 'numNodes: 0'), 'ws/trainjob.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(only(r.errors).message).toBe(`ws/trainjob.yaml:${where(VALID, 'numNodes').line}:15 spec.trainer.numNodes: expected a whole number ≥ 1, got 0. Set it to the number of nodes, e.g. numNodes: 2.`);
  });

  it('a quoted number for numProcPerNode says to drop the quotes', () => {
    const text = VALID.replace('numProcPerNode: 2', 'numProcPerNode: "2"');
    const e = only(errorsOf(text));
    expect(e).toMatchObject({ path: 'spec.trainer.numProcPerNode', line: where(text, 'numProcPerNode').line });
    expect(e.message).toMatch(/expected a whole number ≥ 1, or "auto", "cpu" or "gpu", got "2"\. Write a number without quotes/);
  });

  it('an env value that is a YAML number must be quoted', () => {
    const text = VALID.replace('value: "0.1"', 'value: 0.1');
    const e = only(errorsOf(text));
    expect(e).toMatchObject({ path: 'spec.trainer.env[0].value', line: where(text, 'value: 0.1').line });
    expect(e.message).toMatch(/expected a string, got 0\.1\. Quote it/);
  });

  it('command as a string, and a number inside the list', () => {
    const asString = VALID.replace('command: ["python3", "train.py"]', 'command: python3 train.py');
    const e = only(errorsOf(asString));
    expect(e).toMatchObject({ path: 'spec.trainer.command', ...where(asString, 'python3 train.py') });
    expect(e.message).toMatch(/expected a list of at most 128 strings \(the entrypoint\), got "python3 train.py"\. Write it as a YAML list/);
    const withNumber = VALID.replace('args: ["--epochs", "3"]', 'args: ["--epochs", 3]');
    const n = only(errorsOf(withNumber));
    expect(n).toMatchObject({ path: 'spec.trainer.args[1]', line: where(withNumber, 'args:').line, column: where(withNumber, '3]').column });
    expect(n.message).toMatch(/expected a string, got 3\. Quote values/);
  });

  it('a bad quantity under a dotted resource name', () => {
    const text = VALID.replace('nvidia.com/gpu: 1', 'nvidia.com/gpu: one');
    const e = only(errorsOf(text));
    expect(e).toMatchObject({ path: 'spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"]', line: where(text, 'gpu: one').line });
    expect(e.message).toMatch(/expected a Kubernetes quantity .*, got "one"/);
  });

  it('an invalid name says what a name may contain', () => {
    const text = VALID.replace('name: mnist-ddp', 'name: MNIST_ddp');
    const e = only(errorsOf(text));
    expect(e).toMatchObject({ path: 'metadata.name', ...where(text, 'MNIST_ddp') });
    expect(e.message).toMatch(/lowercase letters, digits and "-", starting with a letter/);
    expect(only(errorsOf(VALID.replace('name: mnist-ddp', `name: ${'a'.repeat(64)}`))).path).toBe('metadata.name');
  });

  it('missing required field points at its parent', () => {
    const text = VALID.replace('  runtimeRef:\n    name: torch-distributed\n', '');
    const e = only(errorsOf(text));
    expect(e).toMatchObject({ path: 'spec.runtimeRef', line: where(text, 'spec:').line });
    expect(e.message).toMatch(/spec\.runtimeRef: missing; expected a runtime reference \{ name, kind \}\. Add runtimeRef: \{ name: torch-distributed \}\./);
    const noName = errorsOf(VALID.replace('  name: mnist-ddp\n', '  labels: { a: b }\n'));
    expect(only(noName)).toMatchObject({ path: 'metadata.name', line: where(VALID, 'metadata:').line });
  });

  it('an empty value is reported at its key', () => {
    const text = VALID.replace('numNodes: 2', 'numNodes:');
    expect(only(errorsOf(text))).toMatchObject({ path: 'spec.trainer.numNodes', line: where(text, 'numNodes:').line });
    expect(only(errorsOf(text)).message).toContain('got an empty value');
  });

  it('duplicate env names and value+valueFrom', () => {
    const dup = VALID.replace('        value: "0.1"\n', '        value: "0.1"\n      - name: LR\n        value: "0.2"\n');
    const e = only(errorsOf(dup));
    expect(e).toMatchObject({ path: 'spec.trainer.env[1].name', line: where(dup, 'value: "0.2"').line - 1 });
    expect(e.message).toMatch(/duplicate name LR/);
    const both = VALID.replace('value: "0.1"', 'value: "0.1"\n        valueFrom: { secretKeyRef: { name: s, key: k } }');
    expect(only(errorsOf(both)).message).toMatch(/spec\.trainer\.env\[0\]: value and valueFrom are both set/);
  });

  it('PET_* env in a torch job is rejected as Trainer does', () => {
    const text = VALID.replace('name: LR', 'name: PET_NNODES');
    const e = only(errorsOf(text));
    expect(e).toMatchObject({ path: 'spec.trainer.env[0].name', line: where(text, 'PET_NNODES').line });
    expect(e.message).toMatch(/set by the torch runtime/);
  });

  it('several errors come back sorted by line', () => {
    const text = VALID.replace('numNodes: 2', 'numNodes: -1').replace('cpu: "2"', 'cpu: fast').replace('image: pytorch', 'image: [pytorch]\n    x: pytorch');
    const errors = errorsOf(text);
    expect(errors.map((e) => e.path)).toEqual(['spec.trainer.image', 'spec.trainer.numNodes', 'spec.trainer.resourcesPerNode.limits.cpu']);
    expect(errors.map((e) => e.line)).toEqual([where(text, 'image:').line, where(text, 'numNodes').line, where(text, 'cpu: fast').line]);
  });
});

describe('parseTrainJob: document-level problems', () => {
  it('YAML syntax errors carry their line', () => {
    const text = VALID.replace('command: ["python3", "train.py"]', 'command: ["python3", "train.py"');
    const e = errorsOf(text)[0]!;
    expect(e.path).toBe('');
    expect(e.message).toMatch(/^trainjob\.yaml:\d+:\d+ YAML syntax error: /);
    expect(e.line).toBeGreaterThanOrEqual(where(text, 'command:').line);
    const tab = errorsOf('apiVersion: x\n\tkind: TrainJob\n')[0]!;
    expect(tab).toMatchObject({ line: 2 });
    expect(tab.message).toMatch(/Tabs are not allowed/);
    const dupKey = errorsOf(VALID.replace('numNodes: 2', 'numNodes: 2\n    numNodes: 3'))[0]!;
    expect(dupKey.message).toMatch(/Map keys must be unique/);
    expect(dupKey.line).toBe(where(VALID, 'numNodes').line + 1);
  });

  it('an empty file', () => {
    expect(only(errorsOf('')).message).toBe('trainjob.yaml:1:1 the file is empty; expected a TrainJob manifest (apiVersion: trainer.kubeflow.org/v1alpha1, kind: TrainJob).');
    expect(only(errorsOf('# nothing\n---\n')).message).toMatch(/the file is empty/);
  });

  it('several documents name the count and the second one', () => {
    const text = `${VALID}---\n${VALID}---\n${VALID}`;
    const e = only(errorsOf(text));
    expect(e.line).toBe(VALID.split('\n').length + 1);
    expect(e.message).toMatch(/contains 3 YAML documents; expected exactly one TrainJob/);
    expect(parseTrainJob(`${VALID}---\n`).ok).toBe(true);
  });

  it('a top-level list or scalar', () => {
    expect(only(errorsOf('- a\n- b\n')).message).toMatch(/expected a mapping with apiVersion, kind, metadata and spec at the top level, got a list/);
    expect(only(errorsOf('hello\n')).message).toMatch(/got "hello"/);
  });

  it('a Training Operator v1 PyTorchJob gets a conversion hint, and nothing else', () => {
    const text = 'apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: x\nspec:\n  pytorchReplicaSpecs: {}\n';
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.path, e.line])).toEqual([['apiVersion', 1], ['kind', 2]]);
    expect(errors[1]!.message).toMatch(/Training Operator v1 PyTorchJob; Kubeflow Desktop runs Kubeflow Trainer v2 TrainJobs/);
  });

  it('a runtime instead of a job, and missing apiVersion/kind', () => {
    const runtime = errorsOf(VALID.replace('kind: TrainJob', 'kind: ClusterTrainingRuntime'));
    expect(only(runtime)).toMatchObject({ path: 'kind', line: 2 });
    expect(runtime[0]!.message).toMatch(/defines a runtime, not a job/);
    const bare = errorsOf('metadata:\n  name: x\n');
    expect(bare.map((e) => e.path).sort()).toEqual(['apiVersion', 'kind']);
    expect(bare[0]!.message).toMatch(/got nothing/);
  });
});

describe('parseTrainJob: unknown fields are kept and warned about', () => {
  it('suggests the likely spelling and points at the key', () => {
    const text = VALID.replace('    numNodes: 2\n', '    numNodes: 2\n    numNode: 3\n') + '  sideCar: true\n';
    const result = parseTrainJob(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map((w) => [w.path, w.line, w.column])).toEqual([
      ['spec.trainer.numNode', where(text, 'numNode:').line, 5],
      ['spec.sideCar', where(text, 'sideCar').line, 3],
    ]);
    expect(result.warnings[0]!.message).toBe(
      `trainjob.yaml:${where(text, 'numNode:').line}:5 spec.trainer.numNode: unknown field; it is not part of a trainer.kubeflow.org/v1alpha1 TrainJob and is passed through unchanged. Did you mean "numNodes"?`,
    );
    expect((result.job.spec as Record<string, unknown>).sideCar).toBe(true);
    expect((result.job.spec.trainer as Record<string, unknown>).numNode).toBe(3);
  });

  it('inside list items too', () => {
    const text = VALID.replace('value: "0.1"', 'value: "0.1"\n        vaule: "0.2"');
    const result = parseTrainJob(text);
    expect(result.ok && result.warnings.map((w) => [w.path, w.line])).toEqual([['spec.trainer.env[0].vaule', where(text, 'vaule').line]]);
  });
});
