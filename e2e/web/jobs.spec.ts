/**
 * The jobs screens against the real engine: jobs are started through the API (as the CLI or
 * the run toolbar would), real python3 processes run them, and the UI shows what happened.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JobsPage } from '../pages/jobs-page.js';
import { api, expect, repoRoot, test } from '../fixtures/kfd-server.js';

let root: string;
test.beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-ws-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

function workspace(name: string, script: string, procs = 2): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'train.py'), script);
  writeFileSync(
    path.join(dir, 'trainjob.yaml'),
    `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: ${name}
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    numNodes: 1
    numProcPerNode: ${procs}
    command: ["python3", "train.py"]
`,
  );
  return dir;
}

const LONG_RUN = `import os, sys, time
rank = int(os.environ["RANK"])
for step in range(1, 400):
    print(f"\\x1b[32mstep={step} loss={1.0 / step:.4f}\\x1b[0m rank {rank} working", flush=True)
    time.sleep(0.1)
`;
const FAILS = `import os, sys, time
if os.environ["RANK"] == "1":
    print("about to fail", flush=True)
    raise RuntimeError("deliberate failure on rank 1")
time.sleep(30)
`;

test('a finished job shows its logs from every rank and its loss chart', async ({ page, kfd }) => {
  const ws = path.join(root, 'python-basic');
  cpSync(path.join(repoRoot, 'templates', 'python-basic'), ws, { recursive: true });
  const job = await api<{ id: string }>(kfd, 'jobs.run', { path: ws });
  const jobs = new JobsPage(page);
  await page.goto(kfd.url);
  await jobs.openJob('python-basic');
  await jobs.waitForStatus('Complete');
  expect(page.url()).toContain(job.id);
  await expect(jobs.chart('loss')).toBeVisible();
  await expect(jobs.logLines().filter({ hasText: 'step=20' }).first()).toBeVisible();
  const ranks = await jobs.logLines().evaluateAll((els) => [...new Set(els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-rank')))].sort());
  expect(ranks).toEqual(['0', '1']);
  await jobs.rankFilter(1);
  await expect
    .poll(async () => jobs.logLines().evaluateAll((els) => [...new Set(els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-rank')))]))
    .toEqual(['1']);
  await jobs.rankFilter(null);
  await jobs.searchLogs('slope');
  await expect(page.getByTestId('log-match-count')).toContainText(/\d/);
  await page.screenshot({ path: 'e2e/artifacts/web-job-complete.png' });
});

test('a failing rank fails the job and the page says which rank and why', async ({ page, kfd }) => {
  await api(kfd, 'jobs.run', { path: workspace('fails-on-rank-1', FAILS) });
  const jobs = new JobsPage(page);
  await page.goto(kfd.url);
  await jobs.openJob('fails-on-rank-1');
  await jobs.waitForStatus('Failed');
  const failure = page.getByTestId('job-failure');
  await expect(failure).toContainText('rank 1');
  await expect(failure).toContainText('deliberate failure on rank 1');
  await page.screenshot({ path: 'e2e/artifacts/web-job-failed.png' });
});

test('a running job streams logs and metrics live, and Cancel stops it', async ({ page, kfd }) => {
  await api(kfd, 'jobs.run', { path: workspace('long-run', LONG_RUN) });
  const jobs = new JobsPage(page);
  await page.goto(kfd.url);
  await jobs.openJob('long-run');
  await jobs.waitForStatus('Running');
  await expect(jobs.logLines().filter({ hasText: 'step=5 ' }).first()).toBeVisible();
  // Lines keep arriving while the page is open (live events, not a reload). Counted by the log
  // footer: the view is virtualized, so its rendered rows stop growing once it is full.
  const loaded = async () => Number(/([\d,]+) lines? loaded/.exec(await page.getByTestId('log-footer').innerText())?.[1]?.replace(/,/g, '') ?? 0);
  const before = await loaded();
  await expect.poll(loaded, { timeout: 10_000 }).toBeGreaterThan(before);
  await expect(jobs.chart('loss')).toBeVisible();
  // ANSI colour from the program is rendered, not shown as escape codes.
  expect(await jobs.logText()).not.toContain('\x1b[');
  await page.screenshot({ path: 'e2e/artifacts/web-job-running.png' });
  await jobs.cancel();
  await jobs.waitForStatus('Cancelled', 30_000);
  await page.getByRole('link', { name: /all jobs/i }).click();
  await jobs.filterChip('Cancelled').click();
  await expect(jobs.row('long-run')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/web-jobs-list.png' });
});

test('re-run starts a new job with the same manifest and opens it', async ({ page, kfd }) => {
  await api(kfd, 'jobs.run', { path: workspace('quick', 'print("step=1 loss=0.5")\n', 1) });
  const jobs = new JobsPage(page);
  await page.goto(kfd.url);
  await jobs.openJob('quick');
  await jobs.waitForStatus('Complete');
  const firstId = await jobs.detail.getAttribute('data-job-id');
  const newId = await jobs.rerun();
  expect(newId).not.toBe(firstId);
  await jobs.waitForStatus('Complete');
});
