/**
 * History at 100k jobs: `jobs.list` through the engine's dispatch (as the UI and the CLI call it)
 * — the first page, a status filter, searches, a page 90,000 rows deep — against `jobs.get` of
 * one job (a primary-key read through the same dispatch) measured in the same run.
 * Goal: every list, filter, search and deep page ≤ 50 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/engine.js';
import { measure, ratioLine, type Sample } from './measure.js';
import { seedHistory } from './seed-history.js';

const JOBS = 100_000;

export async function run(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-history-'));
  const dataDir = path.join(dir, 'data');
  try {
    const t0 = performance.now();
    const ids = seedHistory(dataDir, JOBS);
    const seeded = performance.now() - t0;
    const engine = createEngine({ dataDir, env: { PATH: process.env.PATH } });
    const lines: string[] = [`seeded ${JOBS.toLocaleString('en-US')} jobs in ${(seeded / 1000).toFixed(1)} s`];
    try {
      const call = async (method: string, input: unknown) => {
        const answer = await engine.dispatch(method, input);
        if ('error' in answer) throw new Error(`${method}: ${answer.error.message}`);
        return answer.result as { jobs: { id: string }[]; total: number; nextCursor?: string };
      };
      const baseline = await measure('jobs.get (one job by id)', () => call('jobs.get', { id: ids[5000]! }), 200, 20);
      const needle = ids[4321]!.slice(3, 12);
      const cases: [string, unknown][] = [
        ['first page (100)', { limit: 100 }],
        ['status filter Failed (100)', { status: ['Failed'], limit: 100 }],
        ['search "bert" (1/8 match, 100)', { search: 'bert', limit: 100 }],
        [`search one id fragment "${needle}"`, { search: needle, limit: 100 }],
        ['status Failed + search "bert" (100)', { status: ['Failed'], search: 'bert', limit: 100 }],
        ['search "ne" (2 letters: below the trigram index; 100)', { search: 'ne', limit: 100 }],
        ['page at offset 90,000 (100)', { limit: 100, offset: 90_000 }],
        ['status Failed page at offset 15,000 (100)', { status: ['Failed'], limit: 100, offset: 15_000 }],
      ];
      const worst: Sample[] = [];
      for (const [name, input] of cases) {
        const s = await measure(`jobs.list ${name}`, () => call('jobs.list', input), 30, 3);
        worst.push(s);
        lines.push(`${ratioLine(s, baseline)} (goal ≤ 50 ms)`);
      }
      // The Jobs page pages by cursor when the API gives one (keyset paging).
      const first = await call('jobs.list', { limit: 1000 });
      if (first.nextCursor !== undefined) {
        let cursor = first.nextCursor;
        const pages: number[] = [];
        for (let i = 0; i < 99 && cursor; i++) {
          const t = performance.now();
          const page = await call('jobs.list', { limit: 1000, cursor });
          pages.push(performance.now() - t);
          cursor = page.nextCursor ?? '';
        }
        pages.sort((a, b) => a - b);
        lines.push(`scrolling all ${JOBS.toLocaleString('en-US')} rows by cursor, 1000 per page: median ${pages[pages.length >> 1]!.toFixed(1)} ms, slowest ${pages.at(-1)!.toFixed(1)} ms per page`);
      }
      const slowest = worst.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
      lines.push(`slowest: ${slowest.name} ${slowest.medianMs.toFixed(1)} ms; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    } finally {
      await engine.close();
    }
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
