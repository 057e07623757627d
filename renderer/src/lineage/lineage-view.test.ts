import { describe, expect, it } from 'vitest';
import type { LineageJob, RunComparison } from '../../../engine/api/contract';
import { job } from '../jobs/test-job';
import { compareHref, compareTable, formatDelta, formatMetric, hasLineage, lineageRows, relationOf } from './lineage-view';

const entry = (j: ReturnType<typeof job>, relation: LineageJob['relation'] = null): LineageJob => ({ ...j, relation });
const local = entry(job({ id: 'aaaaaaaaa-001', backend: 'local-process', target: 'local' }));
const promoted = entry(job({ id: 'bbbbbbbbb-002', backend: 'kubernetes', target: 'kfd/default', parentId: local.id, createdAt: 3000 }), 'promote');
const rerun = entry(job({ id: 'ccccccccc-003', backend: 'local-process', target: 'local', parentId: local.id, createdAt: 2000 }), 'rerun');

describe('lineage', () => {
  it('orders ancestors root first, then this job, then its children oldest first', () => {
    const root = entry(job({ id: 'rrrrrrrrr-000' }));
    const rows = lineageRows({ ancestors: [root, entry(job({ id: 'ppppppppp-000' }), 'rerun')], job: local, children: [promoted, rerun] });
    expect(rows.map((r) => [r.job.id, r.relation, r.current])).toEqual([
      ['rrrrrrrrr-000', 'root', false],
      ['ppppppppp-000', 'parent', false],
      ['aaaaaaaaa-001', 'this job', true],
      ['ccccccccc-003', 're-run', false],
      ['bbbbbbbbb-002', 'promoted to kfd/default', false],
    ]);
  });

  it('a promoted job names its parent as such; a child is labelled by the relation the engine stored', () => {
    expect(lineageRows({ ancestors: [local], job: promoted, children: [] })[0]?.relation).toBe('parent');
    // Promoted to the very place its parent ran: still a promotion, because that is what was recorded.
    expect(relationOf({ relation: 'promote', target: 'local' })).toBe('promoted to local');
    expect(relationOf({ relation: 'rerun', target: 'kfd/default' })).toBe('re-run');
  });

  it('a lone job has no lineage section', () => {
    expect(hasLineage({ ancestors: [], job: local, children: [] })).toBe(false);
    expect(hasLineage(null)).toBe(false);
    expect(hasLineage({ ancestors: [], job: local, children: [rerun] })).toBe(true);
  });

  it('links to the comparison of the runs', () => {
    expect(compareHref([local.id, promoted.id])).toBe('#/jobs/compare/aaaaaaaaa-001/bbbbbbbbb-002');
  });
});

const run = (j: typeof local, durationMs: number | null, metrics: [string, number, number][]): RunComparison => ({
  job: j,
  durationMs,
  finalMetrics: metrics.map(([name, step, value]) => ({ name, step, value })),
});

describe('compareTable', () => {
  it('lines metrics up by name, with each run against the first', () => {
    const t = compareTable([
      run(local, 42_000, [
        ['loss', 200, 0.25],
        ['accuracy', 200, 0.9],
      ]),
      run(promoted, 65_000, [
        ['loss', 200, 0.2],
        ['gpu_util', 200, 88],
      ]),
    ]);
    expect(t.durations).toEqual(['42s', '1m 05s']);
    expect(t.metrics.map((m) => m.name)).toEqual(['loss', 'accuracy', 'gpu_util']);
    expect(t.metrics[0]).toEqual({ name: 'loss', values: [0.25, 0.2], steps: [200, 200], deltas: [null, '−0.05 (−20%)'] });
    expect(t.metrics[1]?.values).toEqual([0.9, null]);
    expect(t.metrics[2]?.deltas).toEqual([null, null]);
  });

  it('a run still without a duration shows a dash', () => {
    expect(compareTable([run(local, null, [])]).durations).toEqual(['—']);
  });

  it('formats values and deltas readably', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(12345678)).toBe('1.235e+7');
    expect(formatMetric(0)).toBe('0');
    expect(formatDelta(1.1, 1)).toBe('+0.1 (+10%)');
    expect(formatDelta(3, 3)).toBe('±0 (±0%)');
    expect(formatDelta(2, 0)).toBe('+2');
  });
});
