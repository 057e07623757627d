/**
 * The daily loop in a real browser against the real engine: a new workspace from the
 * pytorch-ddp template, a hyper-parameter changed in train.py, Run on local processes (real
 * torch DDP ranks), logs and the loss chart beside the editor, then a deliberate trainjob.yaml
 * error fixed from the engine's inline message. Plus: files changed on disk while open.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppPage } from '../pages/app-page.js';
import { WorkspacePage } from '../pages/workspace-page.js';
import { api, expect, test } from '../fixtures/kfd-server.js';

let parent: string;
test.beforeAll(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-workspace-'));
});
test.afterAll(() => rmSync(parent, { recursive: true, force: true }));

test('new workspace from pytorch-ddp: edit, run locally, watch it, fix a YAML error from the inline message', async ({ page, kfd }) => {
  test.setTimeout(240_000);
  const app = new AppPage(page);
  const ws = new WorkspacePage(page);
  await page.goto(kfd.url);
  await app.setTheme('Dark');
  await ws.open();
  await app.screenshot('web-workspace-start-dark');

  // New from template: the job file and the code open, train.py in front.
  await ws.createFromTemplate('pytorch-ddp', parent, 'ddp-demo');
  const dir = path.join(parent, 'ddp-demo');
  await expect(ws.treeItem('train.py')).toBeVisible();
  await expect(ws.tab('trainjob.yaml')).toBeVisible();
  await expect(ws.editorPane).toHaveAttribute('data-path', 'train.py');
  await expect(ws.editor).toBeVisible();
  await expect.poll(() => ws.editorText()).toContain('LEARNING_RATE = 0.05');
  await expect(ws.quick('Procs/node')).toHaveValue('2');

  // A hyper-parameter: fewer epochs. The tab is dirty until Run saves it.
  await ws.replaceLine('EPOCHS = 8', 'EPOCHS = 3');
  await expect(ws.tab('train.py')).toHaveAttribute('data-dirty', 'true');
  await ws.run();
  await expect(ws.runPanel).toBeVisible();
  await expect(ws.tab('train.py')).toHaveAttribute('data-dirty', 'false');
  expect(readFileSync(path.join(dir, 'train.py'), 'utf8')).toContain('EPOCHS = 3\n');

  // Logs and the loss chart beside the editor, filled in live.
  await expect(ws.chart('loss')).toBeVisible({ timeout: 90_000 });
  await ws.waitForRun('Complete');
  await expect(ws.chart('loss')).toBeVisible();
  await expect(ws.chart('loss').locator('.metric-last')).toHaveText(/\d/);
  await expect(ws.logLines().filter({ hasText: /^.*epoch=3 step=\d+ val_loss=/ }).first()).toBeVisible();
  await expect(ws.logLines().filter({ hasText: 'epoch=4 ' })).toHaveCount(0); // the edit took effect
  await app.screenshot('web-workspace-run-dark');

  // The run panel is as wide as it is dragged (Home: back to half); the file tree folds away.
  const panelWidth = async () => (await ws.runPanel.boundingBox())!.width;
  const half = await panelWidth();
  const splitter = page.getByRole('separator', { name: 'Resize the run panel' });
  const handle = (await splitter.boundingBox())!;
  await page.mouse.move(handle.x + 2, handle.y + 200);
  await page.mouse.down();
  await page.mouse.move(handle.x - 150, handle.y + 200, { steps: 5 });
  await page.mouse.up();
  await expect.poll(panelWidth).toBeGreaterThan(half + 100);
  await splitter.press('Home');
  await expect.poll(async () => Math.abs((await panelWidth()) - half)).toBeLessThan(3);
  await page.getByRole('button', { name: 'Hide files', exact: true }).click();
  await expect(ws.tree).toHaveCount(0);
  await expect.poll(panelWidth).toBeGreaterThan(half + 50); // half of what the folded tree leaves
  await app.screenshot('web-workspace-run-wide-dark');
  await page.getByRole('button', { name: 'Show files', exact: true }).click();
  await expect(ws.treeItem('train.py')).toBeVisible();

  // A deliberate mistake in trainjob.yaml: the engine's message shows inline as you type.
  await ws.showTab('trainjob.yaml');
  await ws.replaceLine('numProcPerNode: 2', 'numProcPerNode: two');
  const message = 'spec.trainer.numProcPerNode: expected a whole number ≥ 1, or "auto", "cpu" or "gpu", got "two".';
  await expect(ws.problems('error')).toHaveCount(1);
  await expect(ws.problems('error').first()).toContainText(`trainjob.yaml:15:21 ${message}`);
  await expect(ws.squiggles().first()).toBeVisible();
  const hover = await ws.hoverFirstError();
  await expect(hover).toContainText(message);
  await expect(hover).toContainText('Write a number without quotes (numProcPerNode: 2)');
  await expect(ws.quick('Procs/node')).toHaveValue('');
  // Run refuses, with the same message, and does not save the broken file.
  await ws.pressRun();
  await expect(ws.runError).toContainText(`Not started: trainjob.yaml has a problem. trainjob.yaml:15:21 ${message}`);
  expect(readFileSync(path.join(dir, 'trainjob.yaml'), 'utf8')).toContain('numProcPerNode: 2\n');
  await app.screenshot('web-workspace-yaml-error-dark');

  // Fixed as the message says; the squiggle and the problem go; Ctrl+S saves.
  await ws.replaceLine('numProcPerNode: two', 'numProcPerNode: 2');
  await expect(ws.problems('error')).toHaveCount(0);
  await expect(ws.squiggles()).toHaveCount(0);
  await expect(ws.quick('Procs/node')).toHaveValue('2');
  await expect(ws.tab('trainjob.yaml')).toHaveAttribute('data-dirty', 'false'); // back to what is on disk
  // Hovers document TrainJob fields; completion offers the runtimes the target knows.
  await expect(await ws.hoverOn('numNodes: 1')).toContainText('Number of nodes');
  await ws.replaceLine('name: torch-distributed', 'name: ');
  const suggestions = await ws.suggest();
  await expect(suggestions).toContainText('deepspeed-distributed');
  await suggestions.getByRole('option', { name: /^torch-distributed\b/ }).first().click();
  await expect.poll(() => ws.editorText()).toContain('name: torch-distributed');
  await expect(ws.problems('error')).toHaveCount(0);
  // The quick control writes into the YAML (comments kept), and Run saves it.
  await ws.quick('Procs/node').fill('1');
  await expect.poll(() => ws.editorText()).toContain('numProcPerNode: 1');
  await ws.save();
  await expect(ws.tab('trainjob.yaml')).toHaveAttribute('data-dirty', 'false');
  expect(readFileSync(path.join(dir, 'trainjob.yaml'), 'utf8')).toContain('# The image must contain scikit-learn');
  expect(readFileSync(path.join(dir, 'trainjob.yaml'), 'utf8')).toContain('    numProcPerNode: 1\n');
  await ws.run();
  await ws.waitForRun('Complete');
  await expect(ws.runPanel).toContainText('ddp-demo');
  await app.screenshot('web-workspace-editor-dark');

  // The same screen in the light theme (the open workspace comes back from the sidebar).
  await app.setTheme('Light');
  await ws.open();
  await expect(ws.editor).toBeVisible();
  await app.screenshot('web-workspace-editor-light');
});

test('files changed on disk: the tree and clean tabs follow, unsaved edits get a conflict prompt', async ({ page, kfd }) => {
  const ws = new WorkspacePage(page);
  const created = await api<{ workspace: { root: string } }>(kfd, 'workspace.create', { template: 'python-basic', dir: path.join(parent, 'basic') });
  const root = created.workspace.root;
  await page.goto(kfd.url);
  await ws.open();
  await ws.openFolder(root);
  await expect(ws.editorPane).toHaveAttribute('data-path', 'train.py');
  await expect.poll(() => ws.editorText()).toContain('LEARNING_RATE = 0.1');

  // A new file from outside appears in the tree; a clean tab reloads by itself.
  writeFileSync(path.join(root, 'notes.md'), '# notes\n');
  await expect(ws.treeItem('notes.md')).toBeVisible();
  const original = readFileSync(path.join(root, 'train.py'), 'utf8');
  writeFileSync(path.join(root, 'train.py'), original.replace('STEPS = 20', 'STEPS = 25'));
  await expect.poll(() => ws.editorText()).toContain('STEPS = 25');

  // With unsaved edits, a change on disk is flagged, and saving asks what to keep.
  await ws.replaceLine('LEARNING_RATE = 0.1', 'LEARNING_RATE = 0.2');
  writeFileSync(path.join(root, 'train.py'), original.replace('STEPS = 20', 'STEPS = 30'));
  await expect(ws.editorPane.getByRole('alert')).toContainText('changed on disk');
  await ws.save();
  const dialog = page.getByTestId('conflict-dialog');
  await expect(dialog).toContainText('train.py changed on disk since you opened it');
  await page.screenshot({ path: 'e2e/artifacts/web-workspace-conflict.png' });
  await dialog.getByRole('button', { name: /Reload from disk/ }).click();
  await expect.poll(() => ws.editorText()).toContain('STEPS = 30');
  await expect(ws.tab('train.py')).toHaveAttribute('data-dirty', 'false');
  expect(await ws.editorText()).toContain('LEARNING_RATE = 0.1');

  // New file, rename, delete from the tree: on disk too, and the tab follows. The engine's answers
  // to rename and delete are held back so the watcher's event for the same change comes first,
  // as it can on a loaded machine: the tab must still follow the operation.
  await ws.newFile('utils.py');
  await page.route(/\/api\/workspace\.(rename|delete)$/, async (route) => {
    const answer = await route.fetch();
    await new Promise((r) => setTimeout(r, 600));
    await route.fulfill({ response: answer });
  });
  await expect(ws.editorPane).toHaveAttribute('data-path', 'utils.py');
  await ws.renameEntry('utils.py', 'helpers.py');
  await expect(ws.treeItem('helpers.py')).toBeVisible();
  await expect(ws.tab('helpers.py')).toBeVisible();
  expect(existsSync(path.join(root, 'helpers.py'))).toBe(true);
  await ws.deleteEntry('helpers.py');
  await expect(ws.tab('helpers.py')).toHaveCount(0);
  expect(existsSync(path.join(root, 'helpers.py'))).toBe(false);
});

test('large and binary files open read-only; tabs close, and one with unsaved edits asks first', async ({ page, kfd }) => {
  const app = new AppPage(page);
  const ws = new WorkspacePage(page);
  const created = await api<{ workspace: { root: string } }>(kfd, 'workspace.create', { template: 'python-basic', dir: path.join(parent, 'files') });
  const root = created.workspace.root;
  writeFileSync(path.join(root, 'weights.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
  writeFileSync(path.join(root, 'big.log'), 'x'.repeat(2 * 1024 * 1024 + 100) + '\n');
  await page.goto(kfd.url);
  await ws.open();
  await ws.openFolder(root);
  await expect(ws.treeItem('weights.bin')).toBeVisible();

  await ws.treeItem('weights.bin').click();
  await expect(ws.editorPane).toHaveAttribute('data-path', 'weights.bin');
  await expect(page.getByTestId('binary-file')).toContainText('weights.bin is a binary file (10 bytes); it is not shown.');

  await ws.treeItem('big.log').click();
  await expect(ws.editorPane.getByRole('status')).toContainText('big.log is 2.0 MiB: opened read-only, showing its first 2 MiB.');
  await ws.editor.click({ position: { x: 200, y: 10 } });
  await page.keyboard.type('typed');
  await expect(ws.tab('big.log')).toHaveAttribute('data-dirty', 'false'); // nothing typed went in
  await app.screenshot('web-workspace-readonly');

  // Closing: a clean tab just closes; one with unsaved edits asks.
  await page.getByRole('button', { name: 'Close big.log', exact: true }).click();
  await expect(ws.tab('big.log')).toHaveCount(0);
  await ws.showTab('train.py');
  await ws.replaceLine('LEARNING_RATE = 0.1', 'LEARNING_RATE = 0.3');
  await page.getByRole('button', { name: 'Close train.py (unsaved changes)', exact: true }).click();
  const ask = page.getByRole('alertdialog', { name: 'Unsaved changes' });
  await expect(ask).toContainText('train.py');
  await ask.getByRole('button', { name: /^Save/ }).click();
  await expect(ws.tab('train.py')).toHaveCount(0);
  expect(readFileSync(path.join(root, 'train.py'), 'utf8')).toContain('LEARNING_RATE = 0.3');
});
