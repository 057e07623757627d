/**
 * The owner lease of a data dir: one row in its database (`engine_lease`) naming the one engine
 * that re-attaches to running jobs, captures their logs and metrics and records their outcomes.
 * Every change runs in an IMMEDIATE transaction, so two engines deciding at once are serialized
 * by SQLite's write lock and exactly one of them wins.
 *
 * - An engine takes the lease when nobody holds it or its holder's process is gone (crashed,
 *   killed -9): liveness is the holder's pid *and* start time, never a clock.
 * - `app` engines (the desktop app, `kfd serve`) outrank a `background` owner (the one `kfd`
 *   starts when it leaves jobs running and no app is open): they ask it to hand over, and it
 *   stops capturing, releases the lease and exits. Two apps never preempt each other.
 */
import type Database from 'better-sqlite3';
import { isRunning as defaultIsRunning, type EngineIdentity } from './process-identity.js';

export type OwnerKind = 'app' | 'background';

export interface LeaseHolder extends EngineIdentity {
  kind: OwnerKind;
  acquiredAt: number;
  /** The app engine waiting for this background owner to hand over. */
  handoverTo: string | null;
}

export interface Candidate extends EngineIdentity {
  kind: OwnerKind;
}

interface LeaseRow {
  engine: string;
  pid: number;
  started: string;
  kind: string;
  acquired_at: number;
  handover_to: string | null;
}

export function readLease(db: Database.Database): LeaseHolder | null {
  const row = db.prepare('SELECT engine, pid, started, kind, acquired_at, handover_to FROM engine_lease WHERE id = 1').get() as LeaseRow | undefined;
  return row ? { engine: row.engine, pid: row.pid, started: row.started, kind: row.kind as OwnerKind, acquiredAt: row.acquired_at, handoverTo: row.handover_to } : null;
}

const same = (a: EngineIdentity, b: EngineIdentity) => a.engine === b.engine;

/** The live holder of the lease, or null when nobody (alive) holds it. */
export function liveOwner(db: Database.Database, isRunning = defaultIsRunning): LeaseHolder | null {
  const holder = readLease(db);
  return holder && isRunning(holder) ? holder : null;
}

export type AcquireResult = { acquired: true } | { acquired: false; holder: LeaseHolder };

/**
 * Takes the lease if it is free, stale, or already ours. An app facing a live background owner
 * also asks it to hand over (see `handoverRequested`); it gets the lease on a later try.
 */
export function tryAcquire(db: Database.Database, me: Candidate, now = Date.now(), isRunning = defaultIsRunning): AcquireResult {
  // A plain read first: a standby looking every half second must not take the write lock.
  const seen = readLease(db);
  const mustAsk = (h: LeaseHolder) => me.kind === 'app' && h.kind === 'background' && h.handoverTo !== me.engine;
  if (seen && !same(seen, me) && !mustAsk(seen) && isRunning(seen)) return { acquired: false, holder: seen };
  return db
    .transaction((): AcquireResult => {
      const holder = readLease(db);
      if (holder && same(holder, me)) return { acquired: true };
      if (holder && isRunning(holder)) {
        if (mustAsk(holder)) {
          db.prepare('UPDATE engine_lease SET handover_to = ? WHERE id = 1').run(me.engine);
        }
        return { acquired: false, holder };
      }
      db.prepare(
        `INSERT INTO engine_lease (id, engine, pid, started, kind, acquired_at, handover_to) VALUES (1, @engine, @pid, @started, @kind, @now, NULL)
         ON CONFLICT (id) DO UPDATE SET engine = @engine, pid = @pid, started = @started, kind = @kind, acquired_at = @now, handover_to = NULL`,
      ).run({ engine: me.engine, pid: me.pid, started: me.started, kind: me.kind, now });
      return { acquired: true };
    })
    .immediate();
}

/** Still ours? (False once another engine took over a lease it thought stale.) */
export function holds(db: Database.Database, me: EngineIdentity): boolean {
  const holder = readLease(db);
  return holder !== null && same(holder, me);
}

/** We hold it and an app asked for it. */
export function handoverRequested(db: Database.Database, me: EngineIdentity): boolean {
  const holder = readLease(db);
  return holder !== null && same(holder, me) && holder.handoverTo !== null;
}

/** Gives the lease up (only if it is ours). */
export function release(db: Database.Database, me: EngineIdentity): void {
  db.prepare('DELETE FROM engine_lease WHERE id = 1 AND engine = ?').run(me.engine);
}
