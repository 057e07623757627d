import { describe, expect, it } from 'vitest';
import { compareRows, confusionMatrixOf, defaultText, rocOf, runMetrics } from './pipeline-view';

describe('pipeline view helpers', () => {
  it('reads kfp ClassificationMetrics metadata', () => {
    const meta = {
      confusionMatrix: { annotationSpecs: [{ displayName: 'cat' }, { displayName: 'dog' }], rows: [{ row: [8, 2] }, { row: [1, 9] }] },
      confidenceMetrics: [{ falsePositiveRate: 1, recall: 1, confidenceThreshold: 0 }, { falsePositiveRate: 0, recall: 0, confidenceThreshold: 1 }, { falsePositiveRate: 0.1, recall: 0.8, confidenceThreshold: 0.5 }],
    };
    expect(confusionMatrixOf(meta)).toEqual({ labels: ['cat', 'dog'], rows: [[8, 2], [1, 9]], max: 9 });
    expect(rocOf(meta).map((p) => [p.fpr, p.tpr])).toEqual([[0, 0], [0.1, 0.8], [1, 1]]);
    expect(confusionMatrixOf({})).toBeNull();
  });
  it('gathers Metrics artifacts per task and lines two runs up', () => {
    const task = (path: string, metadata: Record<string, unknown>) => ({ path, outputs: { parameters: {}, artifacts: { metrics: [{ name: 'metrics', uri: '/x', type: { schemaTitle: 'system.Metrics' }, metadata }] } } });
    const a = runMetrics({ tasks: [task('eval', { accuracy: 0.9, note: 'x' })] as never });
    const b = runMetrics({ tasks: [task('eval', { accuracy: 0.95 })] as never });
    expect(a).toEqual({ 'eval/accuracy': 0.9 });
    expect(compareRows({ lr: 0.1, n: 3 }, { lr: 0.2, n: 3 })).toEqual([{ key: 'lr', a: '0.1', b: '0.2', differs: true }, { key: 'n', a: '3', b: '3', differs: false }]);
    expect(compareRows(a, b)[0]).toMatchObject({ a: '0.9', b: '0.95', differs: true });
    expect(defaultText([1, 2])).toBe('[1,2]');
  });
});
