/**
 * What a transport costs: the same `settings.get` call in-process (the CLI's path, the
 * baseline) and over web mode's HTTP (the browser's path), plus engine start-up against a
 * bare SQLite open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createEngine } from '../engine/engine.js';
import { startWebServer } from '../engine/api/web-server.js';
import { measure, ratioLine } from './measure.js';

export async function run(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-'));
  const lines: string[] = [];
  try {
    const engine = createEngine({ dataDir: path.join(dir, 'data') });
    const server = await startWebServer({ dispatch: engine.dispatch, events: engine.events, staticDir: dir, token: 'bench' });
    const inProcess = await measure('in-process dispatch settings.get', () => engine.dispatch('settings.get', {}), 2000, 200);
    const overHttp = await measure('HTTP POST /api/settings.get', async () => {
      const res = await fetch(`${server.url}api/settings.get`, {
        method: 'POST',
        headers: { Authorization: 'Bearer bench', 'Content-Type': 'application/json' },
        body: '{}',
      });
      await res.json();
    }, 500, 50);
    lines.push(ratioLine(overHttp, inProcess));
    await server.close();
    await engine.close();

    let n = 0;
    const bare = await measure('bare better-sqlite3 open+close', () => {
      const db = new Database(path.join(dir, `bare-${n++}.db`));
      db.pragma('journal_mode = WAL');
      db.close();
    }, 30, 3);
    const engineStart = await measure('createEngine on a fresh data dir (open + migrate)', async () => {
      const e = createEngine({ dataDir: path.join(dir, `engine-${n++}`) });
      await e.close();
    }, 30, 3);
    lines.push(ratioLine(engineStart, bare));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
