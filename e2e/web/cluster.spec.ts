/**
 * The Cluster page against the real engine in web mode.
 *
 * Success path: no kind node image can be pulled and no GPU exists on these machines, so this
 * server runs with fake-kind / fake-kubectl / fake-docker first on PATH
 * (local-cluster/test-support/fake-tools.ts). They stand for the cluster kind would make; the
 * engine, API, events and page are real.
 * Failure path: a server with the real kind, real Docker and the real kubectl (built by the k8s
 * harness): "Prepare" renders the real manifests and then fails to pull images (no registry
 * here), and "Create" fails where the real kind fails, pulling the node image.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipMissingPart } from '../../engine/test-support/real-parts.js';
import { harnessCacheDir } from '../k8s-harness/harness.js';
import { nodeNames } from '../../local-cluster/create-plan.js';
import { createFakeTools } from '../../local-cluster/test-support/fake-tools.js';
import { FAKE_IMAGES, writeFakeAssets } from '../../local-cluster/test-support/fake-assets.js';
import { AppPage } from '../pages/app-page.js';
import { ClusterPage } from '../pages/cluster-page.js';
import { expect, startServer, stopServer, test } from '../fixtures/kfd-server.js';

test.describe.configure({ mode: 'serial' });

const fakeDirs: string[] = [];
test.afterAll(() => fakeDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeTools() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-fakes-'));
  fakeDirs.push(dir);
  const fakes = createFakeTools(dir);
  fakes.setNodes(nodeNames('kfd', 0));
  fakes.setImages([FAKE_IMAGES.jobset, FAKE_IMAGES.trainer]);
  return fakes;
}

test('fake-kind cluster: one click creates it with live steps and logs; then delete', async ({ page }) => {
  test.setTimeout(180_000);
  const fakes = fakeTools();
  const server = await startServer({ PATH: fakes.env.PATH! }, (dataDir) => writeFakeAssets(dataDir));
  try {
    const app = new AppPage(page);
    const cluster = new ClusterPage(page);
    await page.goto(server.server.url);
    await app.open('Cluster');
    // First run: the setup card with the diagnostics and their fixes.
    await expect(page.getByRole('heading', { name: 'Set up your local Kubeflow' })).toBeVisible();
    await expect(page.locator('[data-testid="cluster-wizard"] [data-testid="doctor-row"]').first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('cluster-gpu-passthrough')).toContainText('Passthrough:');
    await app.screenshot('web-cluster-first-run');

    await cluster.createButton.click();
    await expect(cluster.operation).toBeVisible();
    await expect(cluster.step('kind')).toHaveAttribute('data-status', /running|done/, { timeout: 30_000 });
    await cluster.waitForOperation('succeeded');
    await expect(page.locator('[data-testid="cluster-step"][data-status="done"]')).toHaveCount(await page.getByTestId('cluster-step').count());
    await expect(page.getByTestId('cluster-progress-text')).toContainText('11 of 11 steps · Done');
    const kindLog = await cluster.openStepLog('kind');
    await expect(kindLog).toContainText('✓ Starting control-plane');
    await expect(cluster.cluster('kfd')).toHaveAttribute('data-state', 'running');
    await app.screenshot('web-cluster-created');

    await cluster.cluster('kfd').getByTestId('cluster-delete').click();
    await page.getByRole('button', { name: 'Delete kfd' }).click();
    await expect(cluster.operation).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByRole('heading', { name: /Deleting the cluster "kfd" — done/ })).toBeVisible();
    await expect(cluster.cluster('kfd')).toHaveCount(0);
    expect(fakes.calls().some((c) => c.tool === 'fake-kind' && c.args[0] === 'delete')).toBe(true);
  } finally {
    await stopServer(server);
  }
});

test('fake-kind create can be cancelled from the page; nothing is left', async ({ page }) => {
  const fakes = fakeTools();
  const s = await startServer({ FAKE_KIND_MODE: 'hang', PATH: fakes.env.PATH! }, (dataDir) => writeFakeAssets(dataDir));
  try {
    const app = new AppPage(page);
    const cluster = new ClusterPage(page);
    await page.goto(s.server.url);
    await app.open('Cluster');
    await cluster.createButton.click();
    await expect(cluster.step('kind')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    await page.getByTestId('cluster-cancel').click();
    await cluster.waitForOperation('cancelled', 30_000);
    await expect(page.getByTestId('cluster-error-step')).toHaveText('Create the kind nodes');
    await expect(cluster.step('kind')).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('cluster-row')).toHaveCount(0);
    expect(fakes.calls().filter((c) => c.tool === 'fake-kind').map((c) => c.args[0])).toContain('delete');
  } finally {
    await stopServer(s);
  }
});

test('real kind: prepare renders the manifests, create fails on the missing node image with kind\'s words and the fix', async ({ page }) => {
  test.setTimeout(240_000);
  const kubectlDir = path.join(harnessCacheDir(), 'bin');
  if (!existsSync(path.join(kubectlDir, 'kubectl'))) {
    skipMissingPart('the harness kubectl', `not built in ${kubectlDir} (e2e/k8s-harness/build.sh)`, (note) => test.skip(true, note));
  }
  const s = await startServer({ PATH: `${kubectlDir}${path.delimiter}${process.env.PATH ?? ''}` });
  try {
    const app = new AppPage(page);
    const cluster = new ClusterPage(page);
    await page.goto(s.server.url);
    await app.open('Cluster');
    await page.getByTestId('cluster-prepare').click();
    await cluster.waitForOperation('failed', 120_000);
    await expect(cluster.step('render')).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('cluster-error-step')).toHaveText('Pull the node and add-on images');
    await expect(page.getByTestId('cluster-error-message')).toContainText('The manifests are prepared; the images are not.');
    await expect(page.getByTestId('cluster-assets')).toContainText('Prepared: jobset, trainer, runtimes manifests');

    await cluster.createButton.click();
    await cluster.waitForOperation('failed', 120_000);
    await expect(page.getByTestId('cluster-error-step')).toHaveText('Create the kind nodes');
    await expect(page.getByTestId('cluster-error-message')).toContainText('kind create cluster failed at "Ensuring node image (kindest/node:v1.34.0)": failed to create cluster: failed to pull image');
    await expect(page.getByTestId('cluster-error-fix')).toContainText('kfd cluster prepare');
    await expect(await cluster.openStepLog('kind')).toContainText('✗ Ensuring node image (kindest/node:v1.34.0)');
    await app.screenshot('web-cluster-real-kind-failed');
  } finally {
    await stopServer(s);
  }
});
