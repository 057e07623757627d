import { describe, expect, it } from 'vitest';
import { readQuick, writeQuick } from './quick-controls';

const JOB = `# My experiment — keep this comment
apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: demo # inline comment
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    command: ["python3", "train.py"] # flow style kept
    numNodes: 1
    numProcPerNode: 2 # two ranks
    resourcesPerNode:
      limits:
        cpu: "2"
`;

describe('quick controls', () => {
  it('reads nodes, processes per node and GPUs from the YAML', () => {
    expect(readQuick(JOB)).toEqual({ numNodes: 1, numProcPerNode: 2, gpus: null, error: null });
    expect(readQuick(JOB.replace('numProcPerNode: 2', 'numProcPerNode: two')).numProcPerNode).toBeNull();
    expect(readQuick(JOB.replace('numProcPerNode: 2', 'numProcPerNode: "3"')).numProcPerNode).toBe(3);
  });

  it('writes a value back, keeping every comment and the rest of the layout', () => {
    const out = writeQuick(JOB, 'numProcPerNode', 4);
    expect(out).toBe(JOB.replace('numProcPerNode: 2 # two ranks', 'numProcPerNode: 4 # two ranks'));
    expect(writeQuick(JOB, 'numNodes', 3)).toBe(JOB.replace('numNodes: 1', 'numNodes: 3'));
  });

  it('adds the GPU limit under the existing limits, and removes it again (pruning what it added)', () => {
    const withGpu = writeQuick(JOB, 'gpus', 2);
    expect(withGpu).toContain('        cpu: "2"\n        nvidia.com/gpu: 2\n');
    expect(readQuick(withGpu).gpus).toBe(2);
    expect(writeQuick(withGpu, 'gpus', 0)).toBe(JOB);
    const bare = JOB.replace(/    resourcesPerNode:\n      limits:\n        cpu: "2"\n/, '');
    const added = writeQuick(bare, 'gpus', 1);
    expect(added).toContain('    resourcesPerNode:\n      limits:\n        nvidia.com/gpu: 1\n');
    expect(writeQuick(added, 'gpus', 0)).toBe(bare);
  });

  it('fixes a wrong value (the inline error says "expected a whole number")', () => {
    const broken = JOB.replace('numProcPerNode: 2 # two ranks', 'numProcPerNode: two # two ranks');
    expect(writeQuick(broken, 'numProcPerNode', 2)).toBe(JOB);
  });

  it('leaves text with a YAML syntax error alone and says why the controls are off', () => {
    const broken = `${JOB}  bad: [unclosed\n`;
    expect(readQuick(broken).error).toMatch(/YAML syntax/);
    expect(writeQuick(broken, 'numNodes', 2)).toBe(broken);
  });
});
