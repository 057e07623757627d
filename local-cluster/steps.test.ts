import { describe, expect, it } from 'vitest';
import { StepTracker } from './steps.js';

const steps = [
  { id: 'a', title: 'First' },
  { id: 'b', title: 'Kind' },
  { id: 'c', title: 'Last' },
];

describe('step tracker', () => {
  it('counts finished steps and the running step\'s fraction; the running step describes the progress', () => {
    const t = new StepTracker('op', 'create', 'kfd', steps, () => 5);
    expect(t.snapshot().progress).toEqual({ current: 0, max: 3, description: 'Starting' });
    t.start('a');
    t.done('a', 'ok');
    t.start('b');
    t.update('b', 'Starting control-plane', { current: 3, max: 9 });
    expect(t.snapshot().progress).toEqual({ current: 1.33, max: 3, description: 'Kind: Starting control-plane' });
    t.skip('c', 'not needed');
    t.done('c'); // a skipped step stays skipped
    expect(t.snapshot().steps.map((s) => s.status)).toEqual(['done', 'running', 'skipped']);
  });

  it('tags the failing step and keeps the last command and lines as failure details', () => {
    const t = new StepTracker('op', 'create', 'kfd', steps, () => 5);
    t.start('a');
    t.command('kind create cluster --name kfd');
    t.log('ERROR: failed to create cluster');
    t.fail('kind failed', 'do this');
    const s = t.snapshot();
    expect(s.status).toBe('failed');
    expect(s.error).toEqual({
      step: 'a',
      stepTitle: 'First',
      message: 'kind failed',
      fix: 'do this',
      details: { lastCommand: 'kind create cluster --name kfd', lastLogLines: ['$ kind create cluster --name kfd', 'ERROR: failed to create cluster'] },
    });
    expect(s.steps[0]!.logs).toEqual(['$ kind create cluster --name kfd', 'ERROR: failed to create cluster']);
    expect(s.progress.description).toBe('First failed');
  });
});
