/**
 * "Create local Kubeflow" pressed for real: the page drives the real engine, the real kind,
 * Docker and kubectl, with the node image built on this machine (e2e/kind-node/) and the JobSet
 * and Trainer images built from the pinned modules. The assets are prepared the way a user on
 * an offline machine would, with `kfd cluster prepare --node-image …` (it records every image
 * here; only the default runtime's image cannot be pulled, and prepare says so). The page shows
 * kind's steps as they happen and the running cluster; Delete leaves nothing behind.
 * `npm run test:kind` runs this spec; `npm test` runs it with the other web specs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { controllerImageRefs, ensureControllerImages } from '../kind-node/controller-images.js';
import { deleteTestCluster, kindClusterMissing, kindEnv, nodeImageInfo, testClusters, TEST_CLUSTER_PREFIX } from '../kind-node/kind-node.js';
import { readAssets } from '../../local-cluster/assets/asset-store.js';
import { KIND_CLUSTER_LABEL } from '../../local-cluster/cli/docker-cli.js';
import { AppPage } from '../pages/app-page.js';
import { ClusterPage } from '../pages/cluster-page.js';
import { expect, repoRoot, startServer, stopServer, test } from '../fixtures/kfd-server.js';

const name = `${TEST_CLUSTER_PREFIX}e2e-${process.pid}`;

test.afterAll(() => {
  if (testClusters().includes(name)) deleteTestCluster(name);
});

test('the create button makes a real kind cluster with JobSet and Trainer; delete removes it', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  const missing = kindClusterMissing();
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`CI=true requires this part: ${missing}`);
    test.skip(true, missing);
  }
  const env = kindEnv();
  const nodeImage = nodeImageInfo()!.image;
  ensureControllerImages(await controllerImageRefs(env), env);
  const s = await startServer({ PATH: env.PATH }, (dataDir) => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/kfd.mjs'), 'cluster', 'prepare', '--node-image', nodeImage], { cwd: repoRoot, env: { ...env, KFD_DATA_DIR: dataDir }, encoding: 'utf8' });
    const assets = readAssets(dataDir);
    // No registry here: only the default runtime's image is missing, and prepare says which.
    const runtime = assets?.images.find((i) => i.role === 'runtime');
    if (!assets || assets.nodeImage !== nodeImage || !runtime || !r.stderr.includes(`Could not pull 1 of ${assets.images.length} image(s): ${runtime.ref}`)) {
      throw new Error(`kfd cluster prepare --node-image did not prepare what it should (exit ${r.status}):\n${r.stderr}`);
    }
  });
  try {
    const app = new AppPage(page);
    const cluster = new ClusterPage(page);
    await page.goto(s.server.url);
    await app.open('Cluster');
    // The machine checks come first (other kind clusters may be listed: this is a shared machine).
    await expect(page.locator('[data-testid="cluster-wizard"] [data-testid="doctor-row"]').first()).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Cluster name').fill(name);
    await cluster.createButton.click();
    await expect(cluster.operation).toBeVisible();
    // kind's own steps, live, inside the "Create the kind nodes" step.
    await expect(cluster.step('kind')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    await expect(cluster.step('kind')).toContainText(/Preparing nodes|Writing configuration|Starting control-plane/, { timeout: 120_000 });
    await app.screenshot('web-cluster-kind-creating');
    await cluster.waitForOperation('succeeded', 15 * 60_000);
    const total = await page.getByTestId('cluster-step').count();
    await expect(page.locator('[data-testid="cluster-step"][data-status="done"]')).toHaveCount(total);
    await expect(page.getByTestId('cluster-progress-text')).toContainText(`${total} of ${total} steps · Done`);
    await expect(await cluster.openStepLog('kind')).toContainText('✓ Starting control-plane');
    await expect(cluster.step('wait-trainer')).toContainText('kubeflow-trainer-controller-manager');
    await expect(cluster.cluster(name)).toHaveAttribute('data-state', 'running');
    await app.screenshot('web-cluster-kind-created');

    await cluster.cluster(name).getByTestId('cluster-delete').click();
    await page.getByRole('button', { name: `Delete ${name}` }).click();
    await cluster.waitForOperation('succeeded', 180_000);
    await expect(cluster.cluster(name)).toHaveCount(0);
    expect(execFileSync('docker', ['ps', '-a', '--filter', `label=${KIND_CLUSTER_LABEL}=${name}`, '--format', '{{.Names}}'], { encoding: 'utf8' }).trim()).toBe('');
  } finally {
    await stopServer(s);
  }
});
