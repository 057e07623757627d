import { describe, expect, it } from 'vitest';
import { unsupportedFields } from './backend-support.js';
import { parseTrainJob } from './parse-trainjob.js';
import type { TrainJob } from './trainjob-schema.js';

const BASE = `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: demo
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    image: pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime
    command: ["python3", "train.py"]
    numNodes: 1
    numProcPerNode: 2
    resourcesPerNode:
      limits:
        cpu: "2"
        memory: 2Gi
`;

const FULL = `${BASE}        nvidia.com/gpu: 2
        ephemeral-storage: 1Gi
    env:
      - name: TOKEN
        valueFrom:
          secretKeyRef: { name: hf, key: token }
  initializer:
    dataset:
      storageUri: hf://tatsu-lab/alpaca
  podTemplateOverrides:
    - targetJobs: [{ name: node }]
  runtimePatches:
    - manager: example.com/me
  suspend: true
  managedBy: kueue.x-k8s.io/multikueue
  activeDeadlineSeconds: 600
  labels: { team: ml }
  sideCar: true
`;

function job(text: string): TrainJob {
  const result = parseTrainJob(text);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.job;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const paths = (issues: { path: string }[]) => issues.map((i) => i.path);

describe('unsupportedFields', () => {
  it('a plain job is fully honoured by container and kubernetes; local-process reports the image and the limits', () => {
    const j = job(BASE);
    expect(unsupportedFields(j, 'kubernetes')).toEqual([]);
    expect(unsupportedFields(j, 'container')).toEqual([]);
    const [image, ...rest] = unsupportedFields(j, 'local-process');
    // Host processes share the machine: the cpu and memory limits are reported, not applied.
    expect(paths(rest)).toEqual(['spec.trainer.resourcesPerNode.limits.cpu', 'spec.trainer.resourcesPerNode.limits.memory']);
    expect(rest[0]!.message).toMatch(/the cpu limit is not applied to local processes; use the container backend/);
    expect(image).toMatchObject({ path: 'spec.trainer.image', line: lineOf(BASE, 'image:'), column: 5 });
    expect(image!.message).toBe(
      `trainjob.yaml:${lineOf(BASE, 'image:')}:5 spec.trainer.image: the local-process backend cannot honour this; the command runs with this machine's Python instead of inside the image, so the packages it needs must be installed locally.`,
    );
  });

  it('local-process reports everything it cannot do, each at its line', () => {
    const issues = unsupportedFields(job(FULL), 'local-process');
    expect(issues.map((i) => i.line)).toEqual(issues.map((i) => i.line).sort((a, b) => a - b));
    expect(paths(issues).sort()).toEqual([
      'spec.sideCar',
      'spec.trainer.image',
      'spec.podTemplateOverrides',
      'spec.runtimePatches',
      'spec.initializer.dataset',
      'spec.suspend',
      'spec.managedBy',
      'spec.activeDeadlineSeconds',
      'spec.labels',
      'spec.trainer.env[0].valueFrom',
      'spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"]',
      'spec.trainer.resourcesPerNode.limits.cpu',
      'spec.trainer.resourcesPerNode.limits.ephemeral-storage',
      'spec.trainer.resourcesPerNode.limits.memory',
    ].sort());
    for (const issue of issues) {
      const key = issue.path.replace(/"?\]$/, '').replace(/.*[.[]"?/, '');
      expect(issue.line, issue.path).toBe(lineOf(FULL, `${key}:`) || lineOf(FULL, key));
      expect(issue.message.startsWith(`trainjob.yaml:${issue.line}:${issue.column} ${issue.path}: the local-process backend cannot honour this; `)).toBe(true);
    }
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['spec.initializer.dataset']).toMatch(/nothing downloads hf:\/\/tatsu-lab\/alpaca/);
    expect(byPath['spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"]']).toMatch(/2 GPU\(s\) per node requested but 0 available/);
    expect(byPath['spec.trainer.env[0].valueFrom']).toMatch(/TOKEN is not set/);
  });

  it('GPUs the backend has are not reported', () => {
    const issues = paths(unsupportedFields(job(FULL), 'container', { gpusPerNode: 2 }));
    expect(issues).not.toContain('spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"]');
    expect(paths(unsupportedFields(job(FULL), 'container', { gpusPerNode: 1 }))).toContain('spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"]');
  });

  it('container honours the image but not pod-level overrides', () => {
    const issues = paths(unsupportedFields(job(FULL), 'container'));
    expect(issues).not.toContain('spec.trainer.image');
    expect(issues).toEqual(expect.arrayContaining(['spec.podTemplateOverrides', 'spec.runtimePatches', 'spec.sideCar']));
  });

  it('kubernetes only reports unknown fields, unless the Trainer version is known', () => {
    const issues = unsupportedFields(job(FULL), 'kubernetes');
    expect(paths(issues)).toEqual(['spec.sideCar']);
    expect(issues[0]!.message).toMatch(/the API server drops it, or rejects the TrainJob under strict field validation/);
    expect(paths(unsupportedFields(job(FULL), 'kubernetes', { trainerVersion: 'v2.1.0' }))).toEqual(['spec.runtimePatches', 'spec.sideCar']);
    expect(paths(unsupportedFields(job(FULL), 'kubernetes', { trainerVersion: '2.2.0' }))).toEqual(['spec.podTemplateOverrides', 'spec.labels', 'spec.sideCar']);
    const words = job(BASE.replace('numProcPerNode: 2', 'numProcPerNode: auto'));
    expect(paths(unsupportedFields(words, 'kubernetes', { trainerVersion: '2.2.0' }))).toEqual(['spec.trainer.numProcPerNode']);
    expect(unsupportedFields(words, 'kubernetes', { trainerVersion: '2.1.0' })).toEqual([]);
  });

  it('a non-torch runtime is reported by the local backends', () => {
    const j = job(BASE.replace('name: torch-distributed', 'name: mpi-distributed'));
    expect(paths(unsupportedFields(j, 'container'))).toEqual(['spec.runtimeRef.name']);
    expect(unsupportedFields(j, 'kubernetes')).toEqual([]);
  });

  it('a job without source positions (e.g. a copy) still gets every warning, at line 0', () => {
    const copy = structuredClone(job(FULL));
    const issues = unsupportedFields(copy, 'container');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ line: 0, column: 0 });
    expect(issues[0]!.message).toMatch(/^trainjob\.yaml spec\./);
  });
});
