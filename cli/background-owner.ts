/**
 * The owner `kfd` leaves behind. `kfd` commands are clients of the data dir: they start jobs and
 * ask for cancels but never watch or capture (engine/ownership). When no owner is alive — no app
 * open — and a command leaves work for one (a job started, a cancel asked, jobs found still
 * marked running), it starts `kfd engine-owner`, detached: an engine that owns the data dir,
 * captures the running jobs, records their ends, and exits once nothing is left to own or when
 * the app opens and takes over.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Engine } from '../engine/engine.js';
import { liveOwner } from '../engine/ownership/engine-lease.js';

export const OWNER_COMMAND = 'engine-owner';
/** Nothing to own for this long: the background owner exits. */
const IDLE_EXIT_MS = 3000;

const hasWork = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM jobs WHERE status IN ('Created', 'Running') UNION ALL SELECT 1 FROM job_launches UNION ALL SELECT 1 FROM job_requests LIMIT 1").get() !== undefined;

let started = false;

/** Starts a background owner unless an owner is alive (at most once per `kfd` process). */
export function ensureBackgroundOwner(db: Database.Database, dataDir: string, entry = process.argv[1], env = process.env): void {
  if (started || !entry || liveOwner(db)) return;
  started = true;
  let log: number | 'ignore' = 'ignore';
  try {
    log = fs.openSync(path.join(dataDir, 'background-owner.log'), 'a', 0o600);
  } catch {
    // no log then
  }
  const child = spawn(process.execPath, [entry, OWNER_COMMAND], { detached: true, stdio: ['ignore', log, log], env: { ...env, KFD_DATA_DIR: dataDir } });
  child.unref();
  if (typeof log === 'number') fs.closeSync(log);
}

/** A command that finds jobs still marked running and no owner to watch them starts one. */
export function wakeOwnerIfNeeded(db: Database.Database, dataDir: string): void {
  if (hasWork(db)) ensureBackgroundOwner(db, dataDir);
}

/** `kfd engine-owner`: owns the data dir while there is work, then exits 0. */
export async function runBackgroundOwner(): Promise<number> {
  let retired: string | null = null;
  const { createEngine } = await import('../engine/engine.js');
  const engine: Engine = createEngine({ role: 'background', onRetire: (why) => (retired = why) });
  const stamp = () => new Date().toISOString();
  process.stderr.write(`${stamp()} background owner ${process.pid} for ${engine.dataDir}: ${engine.ownership.isOwner() ? 'owner' : 'not the owner'}\n`);
  let idleSince = Date.now();
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    const timer = setInterval(() => {
      if (retired !== null || !fs.existsSync(engine.dataDir)) return stop();
      if (!engine.ownership.isOwner()) return;
      if (hasWork(engine.store.db)) idleSince = Date.now();
      else if (Date.now() - idleSince >= IDLE_EXIT_MS) stop();
    }, 250);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  process.stderr.write(`${stamp()} background owner ${process.pid}: ${retired ?? 'nothing left to own'}; exiting\n`);
  await engine.close();
  return 0;
}
