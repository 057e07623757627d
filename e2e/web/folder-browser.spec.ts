/**
 * The folder browser, in Chromium against a `kfd serve` whose home is a temp folder: Browse…
 * lists the folders under home (no files, hidden ones on request), moves by keyboard alone, and
 * the chosen folder opens as a workspace; it also fills "Create in", the Notebooks page and the
 * cluster's workspace field. A start folder outside home opens home and says why.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppPage } from '../pages/app-page.js';
import { FolderBrowserDialog } from '../pages/folder-browser.js';
import { expect, repoRoot, startServer, stopServer, test } from '../fixtures/kfd-server.js';

let home: string;
let server: Awaited<ReturnType<typeof startServer>>;

test.beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-home-'));
  for (const d of ['experiments/old-run', 'Alpha', 'zeta', '.cache/pip', 'experiments/.git']) mkdirSync(path.join(home, d), { recursive: true });
  cpSync(path.join(repoRoot, 'templates', 'python-basic'), path.join(home, 'experiments', 'mnist'), { recursive: true });
  writeFileSync(path.join(home, 'notes.txt'), 'a file, not a folder');
  server = await startServer({ HOME: home });
});
test.afterAll(async () => {
  await stopServer(server);
  rmSync(home, { recursive: true, force: true });
});

test('browse for a folder by keyboard alone and open it as a workspace', async ({ page }) => {
  const app = new AppPage(page);
  const fb = new FolderBrowserDialog(page);
  await page.goto(server.server.url);
  await app.setTheme('Light');
  await app.open('Workspace');
  await page.getByRole('button', { name: 'Browse…' }).first().click();
  await expect(fb.dialog).toBeVisible();
  await expect(fb.dialog.getByRole('heading', { name: 'Open a folder' })).toBeVisible();
  await expect(fb.list).toBeFocused();
  await fb.expectAt();
  await fb.expectFolders(['Alpha', 'experiments', 'zeta']); // folders only, no hidden ones
  await app.screenshot('web-folder-browser-light');

  await page.keyboard.press('e');
  await fb.expectActive('experiments');
  await page.keyboard.press('Enter');
  await fb.expectAt('experiments');
  await fb.expectFolders(['mnist', 'old-run']);
  await page.keyboard.press('Backspace');
  await fb.expectAt();
  await fb.expectActive('experiments'); // back where we came from
  await page.keyboard.press('Control+h');
  await expect(fb.showHidden).toBeChecked();
  await fb.expectFolders(['.cache', 'Alpha', 'experiments', 'zeta']);
  await page.keyboard.press('Control+h');
  await fb.expectFolders(['Alpha', 'experiments', 'zeta']);

  await page.keyboard.press('ArrowRight'); // into experiments (still highlighted)
  await fb.expectAt('experiments');
  await page.keyboard.press('ArrowDown');
  await fb.expectActive('mnist');
  await expect(fb.dialog.getByTestId('folder-picked')).toHaveText('~/experiments/mnist');
  await expect(fb.dialog.getByTestId('folder-picked')).toHaveAttribute('title', path.join(home, 'experiments', 'mnist'));
  await page.keyboard.press('Control+Enter');
  await expect(fb.dialog).toBeHidden();
  await expect(page.getByRole('tree', { name: 'Workspace files' })).toContainText('trainjob.yaml');
});

test('Create in, Notebooks and the cluster workspace use it too; Escape cancels; outside home opens home and says why', async ({ page }) => {
  const app = new AppPage(page);
  const fb = new FolderBrowserDialog(page);
  await page.goto(server.server.url);
  await app.setTheme('Dark');
  await app.open('Workspace');

  // "Create in": the dialog chooses the folder shown when nothing is highlighted.
  const createIn = page.getByLabel('Create in');
  // Cleared by an edit of the user's own: a bare fill('') before the recent list has loaded
  // changes nothing (the field is still empty), and the default that arrives next fills it.
  await createIn.fill('x');
  await createIn.fill('');
  await page.getByRole('button', { name: 'Browse…' }).nth(1).click();
  await expect(fb.dialog.getByRole('heading', { name: 'Create the workspace in' })).toBeVisible();
  await fb.option('zeta').dblclick();
  await fb.expectAt('zeta');
  await app.screenshot('web-folder-browser-dark');
  await fb.dialog.getByRole('button', { name: 'Choose' }).click();
  await expect(createIn).toHaveValue(path.join(home, 'zeta'));

  // Escape cancels and gives focus back to the button that opened it.
  const browse = page.getByRole('button', { name: 'Browse…' }).first();
  await browse.click();
  await expect(fb.list).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(fb.dialog).toBeHidden();
  await expect(browse).toBeFocused();

  // A start folder outside home: home is shown, with the reason.
  await page.getByLabel(/Folder with your code/).fill('/etc');
  await browse.click();
  await expect(fb.dialog).toContainText('shows folders under your home folder');
  await fb.expectAt();
  await fb.dialog.getByRole('button', { name: 'Cancel' }).click();

  await app.open('Notebooks');
  await page.getByRole('button', { name: 'Browse…' }).click();
  await expect(fb.dialog.getByRole('heading', { name: 'Open a folder of notebooks' })).toBeVisible();
  await fb.crumbs.getByRole('button', { name: 'Home' }).click();
  await fb.option('Alpha').click();
  await fb.dialog.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByText(/No \.ipynb files/)).toBeVisible();

  await app.open('Cluster');
  await page.getByRole('button', { name: 'Browse for the workspace folder' }).click();
  await fb.expectAt('Alpha'); // it starts at the folder in the field (the workspace shown)
  await fb.crumbs.getByRole('button', { name: 'Home' }).click();
  await fb.option('experiments').click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByLabel('Workspace folder mounted in the nodes')).toHaveValue(path.join(home, 'experiments'));
});
