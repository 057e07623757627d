/**
 * A pipeline run from the UI: the pipeline-sklearn template's pipeline.py is loaded (compiled by
 * real kfp in the engine's managed environment), its parameter form is filled, the run starts,
 * the graph shows the tasks succeed, and the evaluate task's artifacts open: the metrics table,
 * the confusion matrix and ROC curve, the Markdown report. Needs kfp (PyPI) and python3 with
 * scikit-learn; a missing part skips locally and fails under CI.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kfpUnavailable, seedKfpRuntime, shareKfpEnvs } from '../../engine/pipelines/test-support/kfp-fixtures.js';
import { skipMissingPart } from '../../engine/test-support/real-parts.js';
import { api, expect, repoRoot, startServer, stopServer, test } from '../fixtures/kfd-server.js';
import { FakeKfpServer } from '../../engine/pipelines/kfp-remote/test-support/fake-kfp-server.js';
import { KfpSettings, PipelinesPage } from '../pages/pipelines-page.js';

let server: Awaited<ReturnType<typeof startServer>> | null = null;
let ws = '';
let missing: string | null = null;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  missing = await kfpUnavailable();
  if (missing) return; // each test reports it (skips locally, fails under CI)
  ws = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-pipeline-'));
  cpSync(path.join(repoRoot, 'templates', 'pipeline-sklearn'), ws, { recursive: true });
  let dataDir = '';
  server = await startServer({}, (dir) => {
    dataDir = dir;
    shareKfpEnvs(dir);
  });
  await seedKfpRuntime(dataDir || server.server.dataDir);
});
test.afterAll(async () => {
  if (server) await stopServer(server);
  if (ws) rmSync(ws, { recursive: true, force: true });
});

test('runs the sklearn pipeline from its file and opens the evaluation\'s artifacts', async ({ page }) => {
  if (missing) skipMissingPart('kfp + python3 + scikit-learn', missing, (note) => test.skip(true, note));
  test.setTimeout(420_000);
  const ui = new PipelinesPage(page);
  await page.goto(server!.server.url);
  await ui.open();
  await ui.load(path.join(ws, 'pipeline.py'));
  await expect(ui.parameter('c')).toHaveValue('1');
  await ui.parameter('max_iter').fill('300');
  const runId = await ui.start();
  expect(page.url()).toContain(`#/pipelines/runs/${runId}`);
  await expect(ui.node('load-digits-data')).toBeVisible();
  await ui.waitForRun('Succeeded');
  await expect(ui.node('evaluate')).toHaveAttribute('data-status', 'Succeeded');

  const panel = await ui.openTask('evaluate');
  await expect(panel.getByRole('heading', { name: 'evaluate' })).toBeVisible();
  const metrics = await ui.openArtifact('out: metrics');
  await expect(metrics.getByTestId('metrics-table')).toContainText('accuracy');
  const confusion = await ui.openArtifact('out: confusion');
  await expect(confusion.getByTestId('confusion-matrix').locator('tbody tr')).toHaveCount(10);
  await expect(confusion.getByTestId('roc-curve')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-pipeline-run.png', fullPage: true });
  const report = await ui.openArtifact('out: report');
  await expect(report.getByRole('heading', { name: 'Digits classifier' })).toBeVisible();

  // The run page opens straight from its address, with the task selected.
  await page.goto(`${server!.server.origin}/#/pipelines/runs/${runId}/train-model`);
  await expect(page.getByTestId('task-panel')).toHaveAttribute('data-path', 'train-model');
  await expect(page.getByTestId('task-panel')).toContainText('max_iter');
});

test('compares two runs\' parameters and metrics, and hands a run to Kubeflow Pipelines (fake-kfp-server checks KFP\'s OpenAPI)', async ({ page }) => {
  if (missing) skipMissingPart('kfp + python3 + scikit-learn', missing, (note) => test.skip(true, note));
  test.setTimeout(420_000);
  const kfd = server!.server;
  const file = path.join(ws, 'pipeline.py');
  const wait = async (id: string) => {
    await expect.poll(async () => (await api<{ status: string }>(kfd, 'pipelines.get', { id })).status, { timeout: 240_000 }).toMatch(/Succeeded|Failed/);
  };
  const a = await api<{ id: string }>(kfd, 'pipelines.run', { path: file, parameters: { c: 1 } });
  await wait(a.id);
  const b = await api<{ id: string }>(kfd, 'pipelines.run', { path: file, parameters: { c: 0.01 } });
  await wait(b.id);

  const ui = new PipelinesPage(page);
  await page.goto(kfd.url);
  await ui.open();
  await page.getByRole('checkbox', { name: `Pick run ${a.id} to compare` }).check();
  await page.getByRole('checkbox', { name: `Pick run ${b.id} to compare` }).check();
  await page.getByTestId('compare-runs').click();
  const compare = page.getByTestId('page-pipeline-compare');
  await expect(compare.getByRole('row', { name: /^c 1 0\.01$/ })).toBeVisible();
  const metrics = compare.getByTestId('compare-metrics');
  await expect(metrics.getByRole('row', { name: /evaluate\/accuracy/ })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-pipeline-compare.png', fullPage: true });

  const fake = await new FakeKfpServer('e2e-kfp-token').start();
  try {
    await page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Settings', exact: true }).click();
    await new KfpSettings(page).save({ endpoint: fake.url, namespace: 'team-e2e', token: 'e2e-kfp-token' });
    await expect(page.getByTestId('kfp-settings').getByLabel('Token')).toHaveValue('');
    await expect(page.getByTestId('kfp-settings')).toContainText('saved (in a file only you can read');
    await page.goto(`${kfd.origin}/#/pipelines/runs/${b.id}`);
    await page.getByTestId('send-to-kfp').click();
    await expect(page.getByTestId('kfp-sent')).toContainText('Started on Kubeflow Pipelines as run');
    expect(fake.violations).toEqual([]);
    expect(fake.runs[0]!.body).toMatchObject({ runtime_config: { parameters: { c: 0.01, max_iter: 200, test_size: 0.2 } } });
  } finally {
    await fake.stop();
  }
});
