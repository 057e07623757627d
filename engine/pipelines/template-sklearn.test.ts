/**
 * templates/pipeline-sklearn compiled by real kfp and run on local processes: digits loaded,
 * a model trained, the evaluation's metrics, confusion matrix, ROC curve and report read back.
 * Needs kfp (PyPI) and a python3 with scikit-learn (Debian's /usr/bin/python3; else PyPI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../jobs/test-support/workspaces.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { compilePipeline } from './kfp/compile-pipeline.js';
import { KFP_TEST_DATA, KFP_TEST_ENV, kfpUnavailable, seedKfpRuntime, shareKfpEnvs } from './test-support/kfp-fixtures.js';

const missing = await kfpUnavailable();
if (missing) reportMissingPart('kfp (PyPI)', missing);

describe.runIf(!missing)('templates/pipeline-sklearn (real kfp)', () => {
  let dir = '';
  let engine: TestEngine;
  beforeAll(async () => {
    dir = makeTempDir('pipelines', 'template');
    fs.cpSync(path.join(REPO_ROOT, 'templates', 'pipeline-sklearn'), path.join(dir, 'ws'), { recursive: true });
    shareKfpEnvs(path.join(dir, 'data'));
    await seedKfpRuntime(path.join(dir, 'data'));
    engine = TestEngine.open(path.join(dir, 'data'));
  }, 600_000);
  afterAll(async () => engine?.engine.close());

  it('compiles to a KFP pipeline spec and trains and evaluates on the digits', async () => {
    const compiled = await compilePipeline(path.join(dir, 'ws', 'pipeline.py'), { dataDir: KFP_TEST_DATA, env: KFP_TEST_ENV, settings: {} });
    expect(compiled.pipeline).toBe('digits_pipeline');
    expect(compiled.yaml).toContain('schemaVersion: 2.1.0');
    const started = await engine.call('pipelines.run', { path: compiled.output, parameters: { max_iter: '300' } });
    const run = await waitFor('the template run to end', async () => {
      const r = await engine.call('pipelines.get', { id: started.id });
      return ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) ? r : null;
    }, 600_000, 500);
    expect(run.status, JSON.stringify(run.tasks.map((t) => [t.path, t.status, t.message]))).toBe('Succeeded');
    expect(run.tasks.find((t) => t.path === 'load-digits-data')!.outputs.parameters.Output).toBe(1437);
    const evaluate = run.tasks.find((t) => t.path === 'evaluate')!;
    expect(evaluate.outputs.parameters.Output as number).toBeGreaterThan(0.9);
    const metrics = evaluate.outputs.artifacts.metrics![0]!;
    expect(metrics.metadata.accuracy).toBe(evaluate.outputs.parameters.Output);
    const cm = await engine.call('pipelines.artifact', { id: run.id, task: 'evaluate', name: 'confusion' });
    expect(cm.kind).toBe('classification');
    const matrix = (cm.metadata.confusionMatrix as { rows: { row: number[] }[] }).rows;
    expect(matrix).toHaveLength(10);
    expect(matrix.flatMap((r) => r.row).reduce((a, b) => a + b, 0)).toBe(360);
    expect((cm.metadata.confidenceMetrics as unknown[]).length).toBeGreaterThan(2);
    const report = await engine.call('pipelines.artifact', { id: run.id, task: 'evaluate', name: 'report' });
    expect(report.kind).toBe('markdown');
    expect(report.text).toContain('# Digits classifier');
  }, 900_000);
});
