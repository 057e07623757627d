/**
 * What a long notebook costs to open in the UI: Chromium opens a 200-cell notebook (web mode,
 * the built renderer) against a 20-cell one in the same run (the baseline). Cells get a Monaco
 * editor only near the screen, so the 200-cell notebook should cost far less than 10× and hold
 * about as many editors as the short one. Also: Monaco editors alive after scrolling to the end.
 * Needs `npm run build:renderer` and Chromium; says so and skips otherwise.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/fixtures/chromium.js';
import { startWebServer } from '../engine/api/web-server.js';
import { createEngine } from '../engine/engine.js';
import { median, ratioLine, timed } from './measure.js';

const STATIC_DIR = path.resolve(import.meta.dirname, '..', 'dist', 'renderer');

function notebookOf(cells: number): string {
  const code = (i: number) => `# step ${i}\nimport math\nvalues = [math.sin(x / ${i + 1}) for x in range(100)]\nprint(f"cell ${i}: {sum(values):.3f}")\n`;
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: Array.from({ length: cells }, (_, i) => ({ cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source: code(i) })),
  });
}

/** Opens the notebook; ms until every cell is in the page and the first one has its Monaco editor. */
async function openOnce(page: Page, url: string, cells: number): Promise<number> {
  await page.goto('about:blank');
  const t0 = performance.now();
  await page.goto(url);
  await page.getByTestId('nb-cell').nth(cells - 1).waitFor({ state: 'attached', timeout: 60_000 });
  await page.getByTestId('nb-cell').first().locator('.monaco-editor').waitFor({ timeout: 60_000 });
  return performance.now() - t0;
}

const editors = (page: Page) => page.locator('.monaco-editor').count();

export async function run(): Promise<string[]> {
  if (!existsSync(path.join(STATIC_DIR, 'index.html'))) return [`skipped: ${STATIC_DIR} has no index.html (run npm run build:renderer)`];
  if (!existsSync(CHROMIUM_PATH)) return [`skipped: no Chromium at ${CHROMIUM_PATH} (set KFD_CHROMIUM)`];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-nbui-'));
  const engine = createEngine({ dataDir: path.join(dir, 'data'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir() } });
  const server = await startWebServer({ dispatch: engine.dispatch, events: engine.events, staticDir: STATIC_DIR, token: 'bench' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const lines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const urlOf = (file: string) => `${server.url}?token=bench#/notebooks/${encodeURIComponent(dir)}/${encodeURIComponent(file)}`;
    const results: { cells: number; ms: number[]; live: number }[] = [];
    for (const cells of [20, 200]) {
      const file = `long-${cells}.ipynb`;
      writeFileSync(path.join(dir, file), notebookOf(cells));
      const ms = await timed(5, 1, () => openOnce(page, urlOf(file), cells));
      results.push({ cells, ms, live: await editors(page) });
    }
    const [short, long] = results as [(typeof results)[0], (typeof results)[0]];
    lines.push(ratioLine(median(`open ${long.cells} cells`, long.ms), median(`open ${short.cells} cells`, short.ms)));
    lines.push(`Monaco editors after opening: ${short.live} of ${short.cells} cells, ${long.live} of ${long.cells} cells`);
    // Scroll the long one to its end: editors follow the screen instead of piling up.
    type Scroller = { scrollTop: number; scrollHeight: number };
    await page.getByRole('main').evaluate(async (el) => {
      const main = el as unknown as Scroller;
      for (let y = 0; y <= main.scrollHeight; y += 600) {
        main.scrollTop = y;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await page.getByTestId('nb-cell').last().locator('.monaco-editor').waitFor({ timeout: 30_000 });
    lines.push(`Monaco editors after scrolling to cell ${long.cells}: ${await editors(page)}`);
  } finally {
    await browser.close();
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
