/**
 * Hyperparameter tuning in the browser against the real engine: a 12-trial Katib Experiment runs
 * as python3 trial jobs; the page shows it live and the best trial is read off the page.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExperimentsPage } from '../pages/experiments-page.js';
import { AppPage } from '../pages/app-page.js';
import { api, expect, repoRoot, test } from '../fixtures/kfd-server.js';

let root: string;
test.beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-tune-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a 12-trial sweep runs live on the page and its best trial is marked', async ({ page, kfd }) => {
  test.setTimeout(180_000);
  const ws = path.join(root, 'hpo');
  cpSync(path.join(repoRoot, 'templates', 'hpo-sklearn'), ws, { recursive: true });
  const created = await api<{ id: string; name: string }>(kfd, 'experiments.create', { path: ws });
  const experiments = new ExperimentsPage(page);
  await page.goto(kfd.url);
  await experiments.open();
  await expect(experiments.row(created.name)).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-experiments-list.png' });
  await experiments.openExperiment(created.name);
  expect(page.url()).toContain(`#/experiments/${created.id}`);
  // Live: trial rows appear while the experiment runs.
  await expect(experiments.trialRows().first()).toBeVisible();
  await experiments.waitForStatus('Succeeded', 150_000);
  await expect(experiments.trialRows()).toHaveCount(12);
  await expect(page.getByTestId('experiment-reason')).toContainText('ExperimentMaxTrialsReached');

  const best = await experiments.bestTrial();
  const shown = await experiments.objectives();
  expect(best.objective).toBe(Math.max(...shown));
  expect(best.markedRow).toBe(best.name);
  const engine = await api<{ bestTrial: { name: string; objective: number } }>(kfd, 'experiments.get', { id: created.id });
  expect(best.name).toBe(engine.bestTrial.name);
  expect(best.objective).toBeCloseTo(engine.bestTrial.objective, 4);

  // Sorting by the objective puts the best trial first (descending for a maximized metric).
  await experiments.sortBy('objective');
  await expect(experiments.trialRows().first()).toHaveAttribute('data-trial', best.name);
  await expect(page.getByTestId('objective-chart')).toBeVisible();
  await expect(page.getByTestId('parallel-coordinates').locator('polyline')).toHaveCount(12);

  const app = new AppPage(page);
  const here = page.url();
  for (const theme of ['Light', 'Dark'] as const) {
    await app.setTheme(theme);
    await page.goto(here);
    await expect(experiments.trialRows()).toHaveCount(12);
    await page.screenshot({ path: `e2e/artifacts/web-experiment-${theme.toLowerCase()}.png`, fullPage: true });
  }
  // A trial opens its job page.
  await experiments.trialRows().first().click();
  await expect(page.getByTestId('page-job')).toBeVisible();
  expect(page.url()).toMatch(/#\/jobs\//);
});

test('Tune… drafts an Experiment from the workspace TrainJob, checked as typed, and runs it', async ({ page, kfd }) => {
  test.setTimeout(120_000);
  const ws = path.join(root, 'sk');
  cpSync(path.join(repoRoot, 'templates', 'sklearn'), ws, { recursive: true });
  await page.goto(`${kfd.url}#/experiments/tune/${encodeURIComponent(ws)}`);
  await expect(page.getByTestId('tune-view')).toBeVisible();
  await page.getByTestId('tune-trials').fill('3');
  const editor = page.getByTestId('tune-view').locator('.monaco-editor, textarea').first();
  await expect(editor).toBeVisible();
  await expect(page.getByTestId('tune-view')).toContainText('maxTrialCount: 3', { timeout: 15_000 });
  await expect(page.getByTestId('tune-issues').locator('.error')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/artifacts/web-tune.png', fullPage: true });
  await page.getByTestId('tune-run').click();
  await expect(page.getByTestId('experiment-detail')).toBeVisible();
  await expect(page.getByTestId('experiment-detail')).toHaveAttribute('data-status', /Running|Succeeded/);
});

test('experiment.yaml in the workspace editor is checked as typed, with the messages kfd tune gives', async ({ page, kfd }) => {
  const { WorkspacePage } = await import('../pages/workspace-page.js');
  const ws = path.join(root, 'hpo-edit');
  cpSync(path.join(repoRoot, 'templates', 'hpo-sklearn'), ws, { recursive: true });
  const workspace = new WorkspacePage(page);
  await page.goto(kfd.url);
  await workspace.open();
  await workspace.openFolder(ws);
  // Opening a workspace opens trainjob.yaml and train.py; then experiment.yaml from the tree.
  await expect(workspace.tab('train.py')).toBeVisible();
  await workspace.treeItem('experiment.yaml').dblclick();
  await workspace.showTab('experiment.yaml');
  await workspace.replaceLine('parallelTrialCount: 2', 'parallelTrialCount: two');
  await expect(workspace.problems('error')).toHaveCount(1);
  await expect(workspace.problems('error').first()).toContainText(/experiment\.yaml:\d+:\d+ spec\.parallelTrialCount: expected a whole number ≥ 1/);
  await expect(workspace.squiggles().first()).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-experiment-yaml-editor.png' });
  await workspace.replaceLine('parallelTrialCount: two', 'parallelTrialCount: 2');
  await expect(workspace.problems('error')).toHaveCount(0);
  // The Tune… button sits beside Run.
  await expect(page.getByTestId('tune-button')).toHaveAttribute('href', `#/experiments/tune/${encodeURIComponent(ws)}`);
});
