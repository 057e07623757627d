import { describe, expect, it } from 'vitest';
import type { PipelineTask } from '../../../engine/api/contract';
import { layoutRun } from './graph-layout';

const t = (path: string, kind: PipelineTask['kind'], upstream: string[] = [], parent: string | null = null): PipelineTask => ({
  path, name: path.split('/').pop()!, parent, kind, component: `comp-${path}`, status: 'Succeeded', cached: false, jobId: null, attempt: 0, message: null, notes: [], upstream, inputs: { parameters: {}, artifacts: {} }, outputs: { parameters: {}, artifacts: {} }, startedAt: null, finishedAt: null,
});

describe('run graph layout', () => {
  it('puts a task below the tasks it waits for and frames sub-DAGs around their tasks', () => {
    const tasks = [
      t('a', 'task'),
      t('loop', 'loop', ['a']),
      t('loop[0]', 'iteration', [], 'loop'),
      t('loop[0]/sq', 'task', [], 'loop[0]'),
      t('loop[1]', 'iteration', [], 'loop'),
      t('loop[1]/sq', 'task', [], 'loop[1]'),
      t('sum', 'task', ['loop']),
      t('cond', 'condition', ['a']),
    ];
    const g = layoutRun(tasks);
    const at = (p: string) => g.nodes.find((n) => n.task.path === p)!;
    expect(g.nodes.map((n) => n.task.path).sort()).toEqual(['a', 'cond', 'loop[0]/sq', 'loop[1]/sq', 'sum']);
    expect(at('loop[0]/sq').y).toBeGreaterThan(at('a').y);
    expect(at('sum').y).toBeGreaterThan(at('loop[1]/sq').y);
    // Edges attach to the loop's tasks, not to the frame.
    expect(g.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['a>cond', 'a>loop[0]/sq', 'a>loop[1]/sq', 'loop[0]/sq>sum', 'loop[1]/sq>sum']);
    const loop = g.frames.find((f) => f.task.path === 'loop')!;
    const sq = at('loop[0]/sq');
    expect(sq.x).toBeGreaterThanOrEqual(loop.x);
    expect(sq.x + sq.width).toBeLessThanOrEqual(loop.x + loop.width);
    expect(g.frames.map((f) => f.task.path)).toEqual(['loop', 'loop[0]', 'loop[1]']);
    expect(g.width).toBeGreaterThan(0);
  });
});
