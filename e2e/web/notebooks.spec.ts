/**
 * Notebooks in Chromium against the real engine and a real Jupyter server (Debian's
 * python3-jupyter-server + ipykernel + matplotlib via /usr/bin/python3): open a notebook, run
 * it, see text, a matplotlib image, HTML and JavaScript outputs in their sandboxed frames, an
 * ANSI traceback, interrupt a sleep, and the outputs saved to the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipMissingPart } from '../../engine/test-support/real-parts.js';
import { NotebooksPage } from '../pages/notebooks-page.js';
import { api, expect, test } from '../fixtures/kfd-server.js';

const PYTHON = '/usr/bin/python3';

function jupyterMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import jupyter_server, ipykernel, matplotlib'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} cannot import jupyter_server, ipykernel and matplotlib: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
}

const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });

function notebook(): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }, custom: { kept: true } },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Digits\n\nA *small* look at the data.' },
      { ...code('print("hello from the kernel")\n6 * 7'), id: 'text' },
      { ...code('import matplotlib.pyplot as plt\nplt.figure(figsize=(4, 2.5))\nplt.plot([1, 4, 2, 5], marker="o")\nplt.title("loss")\nplt.show()'), id: 'plot' },
      {
        ...code(
          'from IPython.display import HTML, Javascript, SVG, display\n' +
            'display(HTML("<table><tr><th>step</th><th>loss</th></tr><tr><td>1</td><td>0.52</td></tr></table><b id=\\"b\\">bold html</b><script>document.getElementById(\\"b\\").textContent += \\" + script ran\\"</script>"))\n' +
            'display(Javascript("element.textContent = \'javascript ran in ' + "' + location.protocol" + '"))\n' +
            'display(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="alert(1)"><script>alert(2)</script><rect width="40" height="20" fill="teal"/></svg>\'))',
        ),
        id: 'rich',
      },
      { ...code('def train():\n    raise ValueError("learning rate too high")\ntrain()'), id: 'error' },
    ],
  });
}

let root: string;
test.beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-nb-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test.beforeEach(() => {
  const missing = jupyterMissing();
  if (missing) skipMissingPart('Jupyter', `${missing} (sudo apt-get install python3-jupyter-server python3-ipykernel python3-matplotlib)`, (note) => test.skip(true, note));
});

test('open a notebook, run it, and see text, an image, HTML/JS outputs and a traceback', async ({ page, kfd }) => {
  test.setTimeout(180_000);
  writeFileSync(path.join(root, 'explore.ipynb'), notebook());
  const nb = new NotebooksPage(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(kfd.url);
  await nb.open();
  await expect(nb.jupyter).toHaveAttribute('data-state', /stopped|running/);
  await nb.openNotebook(root, 'explore.ipynb');
  await expect(nb.cells()).toHaveCount(5);
  await expect(nb.cell(0).getByRole('heading', { name: 'Digits' })).toBeVisible();
  // A markdown cell renders until it is edited (double-click: Monaco); Shift+Enter renders it again.
  await nb.cell(0).getByRole('heading', { name: 'Digits' }).dblclick();
  await expect(nb.monaco(0)).toBeVisible();
  expect(await nb.cellText(0)).toContain('# Digits');
  await nb.monaco(0).locator('.view-lines').click();
  await page.keyboard.press('Shift+Enter');
  await expect(nb.cell(0).getByRole('heading', { name: 'Digits' })).toBeVisible();
  await expect(nb.monaco(0)).toHaveCount(0);

  await nb.runAll();
  for (const i of [1, 2, 3]) await nb.waitForRun(i);
  await expect(nb.cell(4)).toHaveAttribute('data-run', 'idle', { timeout: 30_000 });
  await expect(nb.kernelStatus()).toHaveAttribute('data-status', 'idle');

  // Text: the stream and the execute_result with its count.
  await expect(nb.streams(1)).toHaveText('hello from the kernel');
  await expect(nb.cell(1).getByTestId('cell-outputs')).toContainText('42');
  await expect(nb.cell(1)).toHaveAttribute('data-execution-count', '1');

  // A real matplotlib PNG, decoded by the browser.
  const png = nb.images(2).first();
  await expect(png).toHaveAttribute('data-mime', 'image/png');
  await expect.poll(() => png.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);

  // HTML and JavaScript run inside their sandboxed frames (opaque origin), not in the app.
  await expect(nb.frame(3, 'text/html').locator('#b')).toHaveText('bold html + script ran');
  await expect(nb.frame(3, 'text/html').locator('table')).toBeVisible();
  await expect(nb.frame(3, 'application/javascript').locator('#output')).toHaveText('javascript ran in http:');
  const sandbox = await nb.cell(3).locator('iframe').first().getAttribute('sandbox');
  expect(sandbox).toBe('allow-scripts');
  // The SVG is sanitized: drawn, but its script and onload never ran.
  await expect(nb.cell(3).locator('img[data-mime="image/svg+xml"]')).toBeVisible();
  const svgSrc = decodeURIComponent((await nb.cell(3).locator('img[data-mime="image/svg+xml"]').getAttribute('src')) ?? '');
  expect(svgSrc).not.toMatch(/script|onload/);
  expect(dialogs).toEqual([]);

  // The error with its coloured traceback: colours rendered, not escape codes.
  await expect(nb.errors(4)).toContainText('ValueError: learning rate too high');
  expect(await nb.errors(4).innerText()).not.toContain('\x1b[');

  // Outputs are saved to the file (autosave), unknown metadata kept.
  await expect(nb.dirtyMarker()).toHaveCount(0, { timeout: 20_000 });
  const saved = JSON.parse(readFileSync(path.join(root, 'explore.ipynb'), 'utf8'));
  expect(saved.metadata.custom).toEqual({ kept: true });
  expect(saved.cells[1].outputs[0].text).toEqual(['hello from the kernel\n']);
  expect(Object.keys(saved.cells[2].outputs[0].data)).toContain('image/png');

  for (const theme of ['dark', 'light'] as const) {
    await api(kfd, 'settings.update', { theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await nb.screenshotNotebook(`web-notebook-run-${theme}`);
  }
});

test('interrupt a long sleep, then edit cells in Monaco and run them with Shift+Enter, Ctrl+Enter and Alt+Enter', async ({ page, kfd }) => {
  test.setTimeout(150_000);
  writeFileSync(
    path.join(root, 'sleepy.ipynb'),
    JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [code('import time\ntime.sleep(120)'), code('')] }),
  );
  const nb = new NotebooksPage(page);
  await page.goto(kfd.url);
  await nb.open();
  await nb.openNotebook(root, 'sleepy.ipynb');
  await nb.runCell(0);
  await expect(nb.cell(0)).toHaveAttribute('data-run', 'running', { timeout: 60_000 });
  await nb.toolbarButton('Interrupt the kernel').click();
  await expect(nb.errors(0)).toContainText('KeyboardInterrupt', { timeout: 15_000 });
  await expect(nb.cell(0)).toHaveAttribute('data-run', 'idle');

  // Type a plot into the empty cell's Monaco editor, then Shift+Enter: text and an image.
  const oneLine = (await nb.monaco(1).boundingBox())!.height;
  await nb.typeCode(1, ['import matplotlib.pyplot as plt', 'plt.figure(figsize=(3, 2)); plt.plot([1, 3, 2]); plt.show()', 'print(sum(range(10)))']);
  await expect(nb.dirtyMarker()).toBeVisible();
  expect(await nb.cellText(1)).toContain('plt.plot([1, 3, 2])');
  // Python highlighting: "import" is coloured apart from the module name after it.
  const firstLine = nb.monaco(1).locator('.view-line').first();
  const tokenClasses = await firstLine.locator('span span').evaluateAll((spans) => new Set(spans.map((s) => (s as unknown as { className: string }).className)).size);
  expect(tokenClasses).toBeGreaterThan(1);
  // The editor grew with its three lines.
  expect((await nb.monaco(1).boundingBox())!.height).toBeGreaterThan(oneLine + 30);
  await page.keyboard.press('Shift+Enter');
  await expect(nb.streams(1)).toHaveText('45');
  await expect.poll(() => nb.images(1).first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
  await expect(nb.cells()).toHaveCount(3); // Shift+Enter on the last cell adds one…
  await expect(nb.monaco(2)).toBeVisible(); // …with the caret in its editor
  await expect.poll(() => nb.hasFocus(2)).toBe(true);

  // Ctrl+Enter runs in place; Alt+Enter runs and inserts a cell below.
  await page.keyboard.type('6 * 7');
  await page.keyboard.press('Control+Enter');
  await expect(nb.cell(2).getByTestId('cell-outputs')).toContainText('42');
  await expect(nb.cells()).toHaveCount(3);
  await page.keyboard.press('Alt+Enter');
  await expect(nb.cells()).toHaveCount(4);
  await expect.poll(() => nb.hasFocus(3)).toBe(true);
  await nb.screenshotNotebook('web-notebook-monaco');

  // Someone else edits the file while the notebook is open and saved: it reloads.
  await expect(nb.dirtyMarker()).toHaveCount(0, { timeout: 20_000 });
  const onDisk = JSON.parse(readFileSync(path.join(root, 'sleepy.ipynb'), 'utf8'));
  onDisk.cells[0].source = ['print("edited elsewhere")'];
  writeFileSync(path.join(root, 'sleepy.ipynb'), JSON.stringify(onDisk));
  await expect(page.getByRole('status').filter({ hasText: 'changed on disk; reloaded' })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => nb.cellText(0)).toContain('print("edited elsewhere")');
  await nb.screenshot('web-notebook-interrupt');
});

test('turn chosen cells into a job from the notebook screen and open it', async ({ page, kfd }) => {
  test.setTimeout(120_000);
  writeFileSync(
    path.join(root, 'train-nb.ipynb'),
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { ...code('%matplotlib inline\nsteps = 3'), id: 'a' },
        { ...code('print("only in the notebook")'), id: 'b' },
        { ...code('for s in range(1, steps + 1):\n    print(f"step={s} loss={1 / s:.3f}")'), id: 'c' },
      ],
    }),
  );
  const nb = new NotebooksPage(page);
  await page.goto(kfd.url);
  await nb.open();
  await nb.openWorkspace(root);
  // The folder is now a workspace like any opened on the Workspace page: shown again next time.
  await page.reload();
  await nb.open();
  await expect(page.getByLabel('Workspace', { exact: true })).toHaveValue(realpathSync(root));
  await nb.screenshot('web-notebook-list');
  await page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: 'train-nb.ipynb' }).click();
  await nb.toolbarButton('Run as job…').click();
  await nb.cell(0).getByRole('checkbox', { name: /include cell 1/i }).check();
  await nb.cell(2).getByRole('checkbox', { name: /include cell 3/i }).check();
  await page.getByTestId('tojob-panel').getByRole('button', { name: 'Create job and run' }).click();
  const result = page.getByTestId('tojob-result');
  await expect(result).toContainText('train_nb.py');
  await expect(result).toContainText('trainjob.yaml');
  const script = readFileSync(path.join(root, 'train_nb.py'), 'utf8');
  expect(script).toContain('# %matplotlib inline');
  expect(script).not.toContain('only in the notebook');
  await nb.screenshot('web-notebook-to-job');
  await result.getByRole('link', { name: 'Open the job' }).click();
  const detail = page.getByTestId('page-job');
  await expect(detail).toHaveAttribute('data-status', 'Complete', { timeout: 60_000 });
  await expect(page.getByTestId('log-line').filter({ hasText: 'step=3 loss=0.333' })).toBeVisible();
});
