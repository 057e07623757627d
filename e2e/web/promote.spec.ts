/**
 * Promote against a real control plane (e2e/k8s-harness stage 2: kube-apiserver, JobSet and
 * Trainer controllers, kwok's fake node): a job that ran locally (real python3 ranks) is promoted
 * from its page, the diff and shipped files are shown, Submit creates the TrainJob on the
 * cluster, it reaches Complete there, and lineage and the side-by-side comparison show both runs.
 * The engine sees only the harness's kubeconfig (KUBECONFIG), exactly as a user's would be read.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessMissing, needHarness, startControlPlane, type ControlPlane } from '../k8s-harness/harness.js';
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
  // The harness's kubeconfig plus one that is broken, as a user's KUBECONFIG list may be.
  kfdEnv: [
    async ({ cp }, use) => {
      const broken = path.join(mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-kubeconfig-')), 'broken.yaml');
      writeFileSync(broken, 'apiVersion: v1\nkind: Config\ncontexts: [ {name: half-written\n');
      await use(cp ? { KUBECONFIG: [cp.kubeconfigPath, broken].join(path.delimiter) } : {});
      rmSync(path.dirname(broken), { recursive: true, force: true });
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
  await expect(promote.diff).toContainText('2Gi');
  await expect(promote.dialog.getByTestId('promote-shipping')).toHaveAttribute('data-mode', 'configMap');
  await page.screenshot({ path: 'e2e/artifacts/web-promote-diff.png' });

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
