/**
 * Template → served model in a few clicks, against the real engine: the sklearn template runs
 * as a job, Register model… on its page, Serve (MLServer in a managed venv pinned to the
 * training versions), Try it, a load test, Stop. The serving venv is shared between runs
 * (built from PyPI once per machine, like a user's).
 */
import { skipMissingPart } from '../../engine/test-support/real-parts.js';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JobsPage } from '../pages/jobs-page.js';
import { ModelsPage } from '../pages/models-page.js';
import { api, expect, repoRoot, startServer, stopServer, test } from '../fixtures/kfd-server.js';
import { startFakeModelRegistry } from '../../engine/models/test-support/fake-model-registry.js';
import { thirdPartyFile } from '../../engine/models/test-support/models-parts.js';

const SHARED_ENVS = process.env.KFD_TEST_SERVING_ENVS ?? path.join(os.tmpdir(), 'kfd-test-serving-envs');

test('template → register from the job → serve → try it → load test → stop', async ({ page }) => {
  test.setTimeout(900_000);
  const s = await startServer({}, (dataDir) => {
    mkdirSync(SHARED_ENVS, { recursive: true });
    symlinkSync(SHARED_ENVS, path.join(dataDir, 'python-envs'));
  });
  const root = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-models-'));
  try {
    const ws = path.join(root, 'digits');
    cpSync(path.join(repoRoot, 'templates', 'sklearn'), ws, { recursive: true });
    const job = await api<{ id: string }>(s.server, 'jobs.run', { path: ws });

    const jobs = new JobsPage(page);
    const models = new ModelsPage(page);
    await page.goto(s.server.url);
    await jobs.openJob('sklearn-digits');
    await jobs.waitForStatus('Complete');
    await models.registerFromJob('digits');

    // The version's page: lineage back to the job, what it was trained with, its tensors.
    const version = models.version('digits:v1');
    await expect(version).toBeVisible();
    await expect(version.getByTestId('lineage-job')).toHaveText(job.id);
    await expect(version.getByTestId('training-libs')).toContainText('scikit-learn');
    await expect(version.getByTestId('props-Metrics')).toContainText('accuracy');
    await page.screenshot({ path: 'e2e/artifacts/web-models-version.png', fullPage: true });

    await version.getByTestId('serve-local').click();
    await expect(models.server).toBeVisible();
    await models.waitForServer('Ready', 840_000);
    await expect(page.getByTestId('server-url')).toContainText('http://127.0.0.1:');

    const latency = await models.tryRandom();
    expect(latency).toMatch(/^HTTP 200 · [\d.]+ ms$/);
    const stats = await models.loadTest(60, 3);
    await expect(stats).toContainText('60 / 0');
    await expect(page.getByTestId('load-chart').locator('canvas')).toBeVisible();
    await page.screenshot({ path: 'e2e/artifacts/web-models-server.png', fullPage: true });

    // The job page of the server links back here; the version lists the deployment.
    await page.getByTestId('server-stop').click();
    await models.waitForServer('Stopped', 60_000);
    await page.getByRole('link', { name: 'digits:v1' }).first().click();
    await expect(version.getByTestId('deployment-row').getByTestId('deployment-state')).toHaveAttribute('data-state', 'Stopped');
  } finally {
    await stopServer(s);
    rmSync(root, { recursive: true, force: true });
  }
});

test('Push… registers a version in a Model Registry (fake-model-registry, checked against the OpenAPI spec)', async ({ page, kfd }) => {
  const spec = thirdPartyFile('kubeflow-hub/model-registry.yaml');
  if (!spec.file) skipMissingPart('the Model Registry OpenAPI spec', spec.reason, (note) => test.skip(true, note));
  const registry = await startFakeModelRegistry(spec.file!, 'e2e-token');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-push-'));
  try {
    writeFileSync(path.join(dir, 'model.joblib'), 'bytes');
    await api(kfd, 'models.register', { name: 'pushed', path: path.join(dir, 'model.joblib'), format: 'sklearn' });
    await api(kfd, 'models.settings.set', { registryEndpoint: registry.url, token: 'e2e-token' });
    await page.goto(kfd.url);
    await page.goto(`${kfd.origin}/#/models/pushed/v1`);
    const version = new ModelsPage(page).version('pushed:v1');
    await version.getByRole('button', { name: 'Push…' }).click();
    const dialog = page.getByTestId('push-dialog');
    await expect(dialog.getByLabel('Model Registry')).toHaveValue(registry.url);
    await dialog.getByLabel('Model uri').fill('s3://models/pushed/v1/');
    await dialog.getByRole('button', { name: 'Push', exact: true }).click();
    await expect(dialog.getByTestId('push-result')).toContainText(`Registered in ${registry.url}`);
    await page.screenshot({ path: 'e2e/artifacts/web-models-push.png' });
    expect(registry.violations).toEqual([]);
    expect(registry.artifacts.map((a) => a.uri)).toEqual(['s3://models/pushed/v1/']);
    await dialog.locator('footer').getByRole('button', { name: 'Close', exact: true }).click();
    await expect(version).toContainText(`Pushed to ${registry.url}`);
  } finally {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
