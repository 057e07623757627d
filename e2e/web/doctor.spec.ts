import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppPage } from '../pages/app-page.js';
import { expect, repoRoot, test } from '../fixtures/kfd-server.js';

const run = promisify(execFile);

test('the Doctor page shows the same checks and verdicts as `kfd doctor --json`', async ({ page, kfd }) => {
  const { stdout } = await run(process.execPath, [path.join(repoRoot, 'bin/kfd.mjs'), 'doctor', '--json'], {
    env: kfd.env,
    cwd: repoRoot,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' })); // exit 1 = something missing
  const cli = JSON.parse(stdout) as { id: string; status: string; detail: string; fix: string }[];
  expect(cli.length).toBeGreaterThanOrEqual(8);
  for (const entry of cli) expect(Object.keys(entry).sort()).toEqual(['detail', 'fix', 'id', 'status']);

  const app = new AppPage(page);
  await page.goto(kfd.url);
  await app.open('Doctor');
  const ui = await app.doctorResults();
  expect(Object.keys(ui)).toEqual(cli.map((c) => c.id));
  expect(ui).toEqual(Object.fromEntries(cli.map((c) => [c.id, c.status])));

  // A check that is not ok shows its exact fix, with a copy button.
  const notOk = cli.find((c) => c.status !== 'ok');
  if (notOk) {
    const row = page.locator(`[data-testid="doctor-row"][data-check-id="${notOk.id}"]`);
    await expect(row).toContainText(notOk.fix.slice(0, 40));
    await expect(row.getByRole('button', { name: /copy/i })).toBeVisible();
  }
  await app.screenshot('web-doctor-vs-cli');

  await page.getByRole('button', { name: /run again/i }).click();
  expect(Object.keys(await app.doctorResults())).toEqual(cli.map((c) => c.id));
});
