import { describe, expect, it } from 'vitest';
import { ownerLabel, ownerTitle } from './job-owner';

describe('job owner labels', () => {
  it('names the role and the orchestrator', () => {
    expect(ownerLabel({ kind: 'experiment', id: 'e1', role: 'digits-t3' })).toBe('trial digits-t3 of experiment e1');
    expect(ownerLabel({ kind: 'pipeline-run', id: 'r1', role: 'train' })).toBe('task train of pipeline run r1');
    expect(ownerLabel({ kind: 'model-server', id: 's1', role: '' })).toBe('model server s1');
    expect(ownerTitle({ kind: 'pipeline-run', id: 'r1', role: 'x' })).toBe('Pipeline run');
  });
});
