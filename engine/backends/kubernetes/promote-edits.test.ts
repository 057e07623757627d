import { describe, expect, it } from 'vitest';
import { applyPromoteEdits } from './promote-edits.js';

const YAML = `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: digits # the run's name
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    command: [python3, train.py]
    resourcesPerNode:
      limits:
        nvidia.com/gpu: 1
`;

describe('applyPromoteEdits', () => {
  it('writes runtime, image, resources and sizes into the YAML and keeps comments', () => {
    const out = applyPromoteEdits(YAML, { runtime: 'torch-cuda', image: 'nvcr.io/nvidia/pytorch:24.05', resources: { cpu: '8', memory: '32Gi', gpu: 4 }, numNodes: 2, numProcPerNode: 4 });
    expect(out).toContain('name: digits # the run\'s name');
    expect(out).toContain('name: torch-cuda');
    expect(out).toContain('image: nvcr.io/nvidia/pytorch:24.05');
    expect(out).toMatch(/limits:\n\s+nvidia.com\/gpu: 4\n\s+cpu: "8"\n\s+memory: 32Gi/);
    expect(out).toContain('numNodes: 2');
    expect(out).toContain('numProcPerNode: 4');
  });

  it('gpu 0 removes the GPU request; no edits leave the text as it is', () => {
    expect(applyPromoteEdits(YAML, { resources: { gpu: 0 } })).not.toContain('nvidia.com/gpu');
    expect(applyPromoteEdits(YAML, {})).toBe(YAML);
  });
});
