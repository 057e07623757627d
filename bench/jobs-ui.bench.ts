/**
 * The Jobs page with 100,000 jobs in Chromium (web mode, the built renderer): scrolling from the
 * newest to the oldest job, a page of rows loaded whenever the end comes near. Against the same
 * scroll over 1,000 jobs in the same run (the baseline): frame times while scrolling (p95) and
 * the longest main-thread task, so a page load that stalls the table shows up.
 * Needs `npm run build:renderer` and Chromium; says so and skips otherwise.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/fixtures/chromium.js';
import { startWebServer } from '../engine/api/web-server.js';
import { createEngine } from '../engine/engine.js';
import { seedHistory } from './seed-history.js';

const STATIC_DIR = path.resolve(import.meta.dirname, '..', 'dist', 'renderer');

interface ScrollResult {
  ms: number;
  frames: number;
  p95FrameMs: number;
  longestTaskMs: number;
  rows: number;
}

/** Scrolls the table a screen at a time (as a held Page Down would) until the oldest job is on screen. */
async function scrollToOldest(page: Page, oldestId: string): Promise<ScrollResult> {
  await page.getByTestId('job-row').first().waitFor({ timeout: 60_000 });
  return page.evaluate(async (oldest) => {
    // Runs in the page (this file is type-checked without the DOM library).
    type El = { scrollTop: number; clientHeight: number; getAttribute(n: string): string | null };
    type Entry = { duration: number };
    const w = globalThis as unknown as {
      document: { querySelector(s: string): El | null };
      requestAnimationFrame(cb: () => void): void;
      PerformanceObserver: new (cb: (list: { getEntries(): Entry[] }) => void) => { observe(o: { entryTypes: string[] }): void; disconnect(): void };
    };
    const table = w.document.querySelector('.jobs-table')!;
    const frames: number[] = [];
    let longest = 0;
    const observer = new w.PerformanceObserver((list) => list.getEntries().forEach((e) => (longest = Math.max(longest, e.duration))));
    observer.observe({ entryTypes: ['longtask'] });
    const t0 = performance.now();
    let last = t0;
    for (;;) {
      await new Promise<void>((r) => w.requestAnimationFrame(() => r()));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      if (w.document.querySelector(`[data-job-id="${oldest}"]`)) break;
      if (now - t0 > 900_000) throw new Error('did not reach the oldest job in 15 minutes');
      table.scrollTop += table.clientHeight;
    }
    observer.disconnect();
    frames.sort((a, b) => a - b);
    return { ms: performance.now() - t0, frames: frames.length, p95FrameMs: frames[Math.floor(frames.length * 0.95)] ?? 0, longestTaskMs: longest, rows: Number(table.getAttribute('aria-rowcount')) - 1 };
  }, oldestId);
}

export async function run(): Promise<string[]> {
  if (!existsSync(path.join(STATIC_DIR, 'index.html'))) return [`skipped: ${STATIC_DIR} has no index.html (run npm run build:renderer)`];
  if (!existsSync(CHROMIUM_PATH)) return [`skipped: no Chromium at ${CHROMIUM_PATH} (set KFD_CHROMIUM)`];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-jobsui-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const lines: string[] = [];
  try {
    const results: ScrollResult[] = [];
    for (const n of [1_000, 100_000]) {
      const dataDir = path.join(dir, `data-${n}`);
      const ids = seedHistory(dataDir, n);
      const engine = createEngine({ dataDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir() } });
      const server = await startWebServer({ dispatch: engine.dispatch, events: engine.events, staticDir: STATIC_DIR, token: 'bench' });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(`${server.url}?token=bench#/jobs`);
        results.push(await scrollToOldest(page, ids[0]!));
        await page.close();
      } finally {
        await server.close();
        await engine.close();
      }
    }
    const [small, big] = results as [ScrollResult, ScrollResult];
    const line = (n: string, r: ScrollResult) =>
      `${n}: reached the oldest of ${r.rows.toLocaleString('en-US')} rows in ${(r.ms / 1000).toFixed(1)} s, ${r.frames} frames, p95 frame ${r.p95FrameMs.toFixed(1)} ms, longest task ${r.longestTaskMs.toFixed(0)} ms`;
    lines.push(line('1,000 jobs (baseline)', small), line('100,000 jobs', big));
    lines.push(`p95 frame time at 100,000 jobs → ${(big.p95FrameMs / small.p95FrameMs).toFixed(2)}× the baseline; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
