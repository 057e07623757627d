/**
 * Promote against a real control plane (e2e/k8s-harness stage 2: kube-apiserver, JobSet and
 * Trainer controllers, kwok's fake node): a job that ran locally (real python3 ranks) is promoted
 * from its page, the diff and shipped files are shown, Submit creates the TrainJob on the
 * cluster, it reaches Complete there, and lineage and the side-by-side comparison show both runs.
 * The engine sees only the harness's kubeconfig (KUBECONFIG), exactly as a user's would be read.
 * Shipping by image uses the real Docker engine and the test registry (e2e/registry).
 */
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessMissing, needHarness, startControlPlane, type ControlPlane } from '../k8s-harness/harness.js';
import { namespaceUserKubeconfig } from '../k8s-harness/namespace-user.js';
import { registryMissing, startRegistry } from '../registry/registry.js';
import { dockerMissing, TEST_IMAGE } from '../fixtures/docker.js';
import { api, expect, repoRoot, test as base } from '../fixtures/kfd-server.js';
import { AppPage } from '../pages/app-page.js';
import { JobsPage } from '../pages/jobs-page.js';
import { PromotePage } from '../pages/promote-page.js';
import { WorkspacePage } from '../pages/workspace-page.js';

const missing = harnessMissing(2);
const CONTEXT = 'kfd-harness';
const TARGET = `kubeconfig:${CONTEXT}`;

const test = base.extend<{ needCluster: void }, { cp: ControlPlane | null }>({
  cp: [
    async ({}, use) => {
      const cp = missing ? null : await startControlPlane({ stage: 2 });
      if (cp) {
        // A namespace with a TrainingRuntime of its own: the promote dialog offers it when that namespace is typed.
        await cp.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } }, { fieldManager: 'kfd-e2e', force: true });
        const ctr = await cp.client.get<{ spec: unknown }>('/apis/trainer.kubeflow.org/v1alpha1/clustertrainingruntimes/torch-distributed');
        await cp.client.apply({ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainingRuntime', metadata: { name: 'team-b-torch', namespace: 'team-b' }, spec: ctr.spec } as never, { fieldManager: 'kfd-e2e', force: true });
      }
      if (cp?.podLogsFile) {
        // What every pod on the fake node "prints" (kwok serves this file as each pod's log):
        // metric lines, so the cluster run has final metrics to compare with the local one.
        const t = Date.now();
        const lines = Array.from({ length: 20 }, (_, i) => `${new Date(t + i).toISOString()} stdout F step=${i + 1} loss=${(1 / (i + 2)).toFixed(4)}`);
        writeFileSync(cp.podLogsFile, `${lines.join('\n')}\n`);
      }
      await use(cp);
      await cp?.stop();
    },
    { scope: 'worker', timeout: 240_000 },
  ],
  // The harness's kubeconfig, one for a user who may only work in namespace team-ml (context
  // "team"), and one that is broken, as a user's KUBECONFIG list may be.
  kfdEnv: [
    async ({ cp }, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-kubeconfig-'));
      const broken = path.join(dir, 'broken.yaml');
      writeFileSync(broken, 'apiVersion: v1\nkind: Config\ncontexts: [ {name: half-written\n');
      const team = cp ? await namespaceUserKubeconfig(cp, dir, 'team-ml') : '';
      await use(cp ? { KUBECONFIG: [cp.kubeconfigPath, team, broken].join(path.delimiter) } : {});
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  needCluster: [
    async ({}, use) => {
      if (missing) needHarness((note) => test.skip(true, note), missing);
      await use();
    },
    { auto: true },
  ],
});

let root: string;
test.beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-promote-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test('Settings lists the cluster context, probed; Run on that context runs the workspace there', async ({ page, kfd }) => {
  const app = new AppPage(page);
  const promote = new PromotePage(page);
  await page.goto(kfd.url);
  await app.open('Settings');
  const card = promote.targetCard(TARGET);
  await expect(card).toBeVisible();
  await expect(page.getByTestId('kubeconfig-problems')).toContainText('broken.yaml is not a readable kubeconfig');
  await expect(card).toHaveAttribute('data-tone', /ok|warning/, { timeout: 30_000 });
  const facts = card.getByTestId('target-facts');
  await expect(facts).toContainText('v1.36');
  await expect(facts).toContainText('Trainer API');
  await expect(facts).toContainText('torch-distributed');
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/artifacts/web-clusters-settings.png' });

  // A namespace chosen here is remembered and probed: one that does not exist says so.
  const namespace = card.getByLabel('Namespace', { exact: true });
  await namespace.fill('team-a');
  await namespace.press('Enter');
  await expect(facts).toContainText('team-a does not exist on the cluster', { timeout: 30_000 });
  await expect(card).toHaveAttribute('data-tone', 'warning');
  await namespace.fill('default');
  await namespace.press('Enter');
  await expect(facts).not.toContainText('does not exist', { timeout: 30_000 });
  // The namespace field offers the cluster's namespaces…
  await namespace.focus();
  await expect.poll(() => promote.suggestions(namespace)).toEqual(expect.arrayContaining(['default', 'kube-system', 'team-b', 'team-ml']));
  // …and for a user who may not list them says so, and takes a typed one.
  const team = promote.targetCard('kubeconfig:team');
  await expect(team).toHaveAttribute('data-tone', /ok|warning/, { timeout: 30_000 });
  const teamNamespace = team.getByLabel('Namespace', { exact: true });
  await expect(teamNamespace).toHaveValue('team-ml');
  await teamNamespace.focus();
  await expect(team.getByTestId('field-note')).toHaveText('ml-user may not list the namespaces of team (forbidden); type the namespace you work in.');
  expect(await promote.suggestions(teamNamespace)).toEqual(['team-ml']);
  await team.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/artifacts/web-clusters-forbidden-namespaces.png' });

  // The run toolbar offers the same context, with its namespace.
  const ws = path.join(root, 'picker');
  cpSync(path.join(repoRoot, 'templates', 'python-basic'), ws, { recursive: true });
  const workspace = new WorkspacePage(page);
  await workspace.open();
  await workspace.openFolder(ws);
  const picker = page.getByLabel('Run on', { exact: true });
  await expect(picker.locator(`option[value="${TARGET}"]`)).toHaveText(`Context ${CONTEXT} · default`);
  await picker.selectOption(TARGET);
  const id = await workspace.run();
  await expect.poll(async () => (await api<{ status: string }>(kfd, 'jobs.get', { id })).status, { timeout: 120_000 }).toBe('Complete');
  await workspace.waitForRun('Complete', 10_000);
  const job = await api<{ backend: string; target: string }>(kfd, 'jobs.get', { id });
  expect(job).toMatchObject({ backend: 'kubernetes', target: `${CONTEXT}/default` });
  await page.screenshot({ path: 'e2e/artifacts/web-run-on-context.png' });
});

test('a local job promoted to the cluster: diff, shipped files, Complete on the cluster, lineage and compare', async ({ page, kfd }) => {
  test.setTimeout(240_000);
  const ws = path.join(root, 'digits-local');
  cpSync(path.join(repoRoot, 'templates', 'python-basic'), ws, { recursive: true });
  const local = await api<{ id: string }>(kfd, 'jobs.run', { path: ws });

  const jobs = new JobsPage(page);
  const promote = new PromotePage(page);
  await page.goto(kfd.url);
  await jobs.openJob('python-basic');
  await jobs.waitForStatus('Complete');

  await promote.open();
  await expect(promote.field('Cluster or context')).toHaveValue(TARGET);
  await expect(promote.field('Runtime')).toHaveValue('torch-distributed');
  await promote.field('CPU / node').fill('1');
  await promote.field('Memory / node').fill('2Gi');
  await promote.waitForPreview();
  await expect(promote.preview).toHaveAttribute('data-blocked', 'false');
  // The diff is the job's trainjob.yaml against the TrainJob as applied: Monaco finds changes.
  await expect(promote.diff).toBeVisible();
  await expect(promote.diff).toHaveAttribute('data-changes', /^[1-9]/, { timeout: 20_000 });
  // The applied TrainJob can be longer than the pane (Monaco draws only the lines in view): find
  // the memory in it, as a reader would.
  await promote.diff.locator('.modified .view-lines').click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type('2Gi');
  await page.keyboard.press('Enter');
  await expect(promote.diff.locator('.modified .view-lines')).toContainText('memory: 2Gi');
  await page.keyboard.press('Escape');
  await expect(promote.dialog.getByTestId('promote-shipping')).toHaveAttribute('data-mode', 'configMap');
  await page.screenshot({ path: 'e2e/artifacts/web-promote-diff.png' });

  // Escape inside the Monaco diff is the editor's; the dialog stays open.
  await promote.diff.locator('.modified .view-lines').click();
  await page.keyboard.press('Escape');
  await expect(promote.dialog).toBeVisible();
  // Tab and Shift+Tab stay inside the dialog, through the diff's editors too.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    expect(await promote.focusInside(), `focus left the dialog after ${i + 1} presses`).toBe(true);
  }
  await promote.submitButton.focus();
  await page.keyboard.press('Tab');
  await expect(promote.dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(promote.submitButton).toBeFocused();

  // The namespace is a combobox with the cluster's namespaces; the runtimes follow the namespace typed.
  expect(await promote.namespaceSuggestions()).toEqual(expect.arrayContaining(['default', 'kube-system', 'team-b']));
  await promote.field('Namespace').fill('team-b');
  await expect.poll(() => promote.runtimeChoices(), { timeout: 20_000 }).toContain('team-b-torch (namespace)');
  await page.screenshot({ path: 'e2e/artifacts/web-promote-namespace.png' });
  await promote.field('Namespace').fill('default');
  await expect.poll(() => promote.runtimeChoices(), { timeout: 20_000 }).not.toContain('team-b-torch (namespace)');
  await promote.waitForPreview();

  await promote.showTab(/^Files/);
  await expect(promote.shippedFiles().filter({ hasText: 'train.py' })).toHaveCount(1);
  await expect(promote.shippedFiles().filter({ hasText: 'trainjob.yaml' })).toHaveCount(1);
  await page.screenshot({ path: 'e2e/artifacts/web-promote-files.png' });

  const promotedId = await promote.submit(local.id);
  await expect(promote.jobPage).toHaveAttribute('data-status', 'Complete', { timeout: 150_000 });
  await expect(promote.clusterPanel).toBeVisible();
  await expect(promote.clusterPods().first()).toBeVisible();
  await expect(promote.lineageRow(local.id)).toHaveAttribute('data-relation', 'parent');
  await page.screenshot({ path: 'e2e/artifacts/web-promoted-job.png', fullPage: true });

  await promote.compareWithParent();
  await expect(promote.compareStatuses()).toHaveCount(2);
  await expect(page.locator(`th[data-job-id="${local.id}"]`)).toBeVisible();
  await expect(page.locator(`th[data-job-id="${promotedId}"]`)).toBeVisible();
  for (const s of await promote.compareStatuses().all()) await expect(s).toHaveAttribute('data-status', 'Complete');
  await expect(page.locator('[data-testid="compare-metric"][data-metric="loss"]')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-compare.png' });

  // And from the parent's side: the promoted job is its child.
  await page.goto(`${kfd.url}#/jobs/${local.id}`);
  await expect(promote.lineageRow(promotedId)).toHaveAttribute('data-relation', /^promoted to /);
  // The history names the job each run came from.
  await page.goto(`${kfd.url}#/jobs`);
  await expect(page.locator(`[data-testid="job-row"][data-job-id="${promotedId}"]`).getByTestId('job-parent')).toHaveText(`↳ ${local.id}`);
  await page.screenshot({ path: 'e2e/artifacts/web-jobs-lineage.png' });
});

test('a job promoted with a GPU the cluster lacks shows why it waits, and Cancel removes it', async ({ page, kfd }) => {
  test.setTimeout(180_000);
  const ws = path.join(root, 'wants-gpu');
  cpSync(path.join(repoRoot, 'templates', 'python-basic'), ws, { recursive: true });
  const local = await api<{ id: string }>(kfd, 'jobs.run', { path: ws });
  const jobs = new JobsPage(page);
  const promote = new PromotePage(page);
  await page.goto(`${kfd.url}#/jobs/${local.id}`);
  await jobs.waitForStatus('Complete');

  await promote.open();
  await promote.field('GPUs / node').fill('1');
  await promote.waitForPreview();
  await expect(promote.diff).toContainText('nvidia.com/gpu');
  const id = await promote.submit(local.id);
  // The fake node has no nvidia.com/gpu: the scheduler's reason is on the page while it waits.
  await expect(promote.clusterPanel.getByTestId('cluster-pending')).toContainText('nvidia.com/gpu', { timeout: 60_000 });
  await expect(promote.clusterPods().first()).toHaveAttribute('data-phase', 'Pending');
  await page.screenshot({ path: 'e2e/artifacts/web-promoted-pending.png' });
  await jobs.cancel();
  await expect(promote.clusterPanel.getByTestId('cluster-pending')).toBeHidden();
  expect((await api<{ status: string }>(kfd, 'jobs.get', { id })).status).toBe('Cancelled');
});

test('the dialog closes while a submit is under way; the submit goes on and the job page shows it', async ({ page, kfd }) => {
  test.setTimeout(180_000);
  const ws = path.join(root, 'close-early');
  cpSync(path.join(repoRoot, 'templates', 'python-basic'), ws, { recursive: true });
  const local = await api<{ id: string }>(kfd, 'jobs.run', { path: ws });
  const jobs = new JobsPage(page);
  const promote = new PromotePage(page);
  await page.goto(`${kfd.url}#/jobs/${local.id}`);
  await jobs.waitForStatus('Complete');
  await promote.open();
  await promote.waitForPreview();
  const newId = await promote.preview.getAttribute('data-job-id');
  // Submit, then Close in the same moment (one browser task), before the engine can answer.
  await page.evaluate(`(() => {
    const d = document.querySelector('[data-testid="promote-dialog"]');
    d.querySelector('.dialog-foot .btn-primary').click();
    d.querySelector('.dialog-close').click();
  })()`);
  // Closing does not wait for the submit, and does not stop it.
  await expect(promote.dialog).toBeHidden();
  await expect(promote.jobPage).toHaveAttribute('data-job-id', local.id);
  // While it is under way the page says so; then the new job is in the lineage (its page is not forced open).
  await expect(page.getByTestId('pending-promote').or(promote.lineageRow(newId!))).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-promote-closed-early.png' });
  await expect(promote.lineageRow(newId!)).toHaveAttribute('data-relation', `promoted to ${CONTEXT}/default`, { timeout: 60_000 });
  await expect(page.getByTestId('pending-promotes')).toBeHidden();
  await expect(promote.jobPage).toHaveAttribute('data-job-id', local.id);
  await expect.poll(async () => (await api<{ status: string }>(kfd, 'jobs.get', { id: newId })).status, { timeout: 120_000 }).toBe('Complete');
});

test('a workspace shipped as an image: the job page shows the build as it goes, and Cancel stops it', async ({ page, kfd }) => {
  test.setTimeout(240_000);
  const noRegistry = registryMissing() ?? (await dockerMissing());
  if (noRegistry) needHarness((note) => test.skip(true, note), noRegistry, 'the test registry');
  const reg = await startRegistry();
  try {
    await api(kfd, 'targets.setImageRegistry', { target: TARGET, registry: reg.address });
    const ws = path.join(root, 'big-weights');
    cpSync(path.join(repoRoot, 'templates', 'python-basic'), ws, { recursive: true });
    // 600 MB of weights (sparse here; the engine reads and copies every byte): the build takes a while.
    closeSync(openSync(path.join(ws, 'weights.bin'), 'w'));
    truncateSync(path.join(ws, 'weights.bin'), 600_000_000);
    const local = await api<{ id: string }>(kfd, 'jobs.run', { path: ws });
    const jobs = new JobsPage(page);
    const promote = new PromotePage(page);
    await page.goto(`${kfd.url}#/jobs/${local.id}`);
    await jobs.waitForStatus('Complete');
    await promote.open();
    await promote.field('Image').fill(TEST_IMAGE);
    await promote.field('Ship the workspace as').selectOption('image');
    await promote.waitForPreview();
    await expect(promote.dialog.getByTestId('promote-shipping')).toHaveAttribute('data-mode', 'image');
    const id = await promote.submit(local.id);
    const starting = page.getByTestId('job-starting');
    const bar = starting.getByTestId('pull-progress');
    await expect(bar).toHaveAttribute('data-action', 'build', { timeout: 60_000 });
    await expect(starting).toContainText(`Building image ${reg.address}/kubeflow-desktop/python-basic:${id}: sending the workspace`);
    await expect(promote.clusterPanel.getByTestId('cluster-not-yet')).toBeVisible();
    await page.screenshot({ path: 'e2e/artifacts/web-promote-image-build.png' });
    // Once the engine has the workspace, the Dockerfile's steps; Cancel in the middle of one.
    await expect(bar.getByTestId('build-step')).toBeVisible({ timeout: 120_000 });
    await expect(starting).toContainText(/step \d\/\d/);
    await page.screenshot({ path: 'e2e/artifacts/web-promote-image-step.png' });
    await jobs.cancel();
    await expect(promote.jobPage).toHaveAttribute('data-status', 'Cancelled', { timeout: 30_000 });
    await expect(page.getByTestId('job-failure')).toContainText(`Cancelled while building image ${reg.address}/kubeflow-desktop/python-basic:${id}; nothing was submitted to the cluster.`);
    expect(await reg.tags('kubeflow-desktop/python-basic')).toEqual([]);
    await page.screenshot({ path: 'e2e/artifacts/web-promote-image-cancelled.png' });
  } finally {
    await reg.stop();
  }
});
