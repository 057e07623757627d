/**
 * Keeps (or waits for) the owner lease of a data dir (engine-lease.ts) and tells the engine's
 * parts when ownership changes. Everything that keeps long-running work going — re-attaching to
 * jobs, capturing logs and metrics, recording outcomes, and the orchestrators over jobs
 * (experiments, pipeline runs, model servers) — asks one question before it starts a loop:
 *
 *     engine.ownership.isOwner()
 *
 * and subscribes to hear when the answer changes (start when it becomes true, stop and let go
 * when it becomes false: the lease is released only after every listener has finished). An
 * engine that is not the owner never watches or captures; it writes what it wants into the
 * database (a new job row, a cancel request) and the owner, which hears of every commit by
 * another process through `onDatabaseChange`, carries it out.
 *
 * Roles: `app` (desktop app, `kfd serve`) takes the lease, asking a background owner to hand
 * over; `background` (started by `kfd` when no owner is alive) takes a free lease and exits when
 * it has nothing left to own or an app takes over; `client` (every other `kfd` command) never
 * owns and polls nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { handoverRequested, holds, release, tryAcquire, type OwnerKind } from './engine-lease.js';
import { isRunning as defaultIsRunning, newEngineIdentity, type EngineIdentity, type ProcessIdentity } from './process-identity.js';

export type EngineRole = OwnerKind | 'client';

/** What the rest of the engine sees of ownership. */
export interface Ownership {
  readonly role: EngineRole;
  /** This engine (its process, and an id of its own). */
  readonly identity: EngineIdentity;
  /** True while this engine is the data dir's owner: the one that watches and captures. */
  isOwner(): boolean;
  /** `true` when this engine becomes the owner, `false` when it stops being it (finish letting go before resolving). */
  subscribe(listener: (owner: boolean) => void | Promise<void>): () => void;
  /** Another process committed to the database (a new job, a request). Owners only. */
  onDatabaseChange(listener: () => void): () => void;
}

export interface KeeperOptions {
  /**
   * How often the lease and the database are looked at besides when the database file changes
   * (an owner then learns of another process's commit at once; the poll is a safety net). An
   * engine waiting for the lease looks every second: an owner that dies writes nothing.
   * Default 5000 ms for the owner, 1000 ms while waiting.
   */
  pollMs?: number;
  me?: EngineIdentity;
  isRunning?: (id: ProcessIdentity) => boolean;
  /** A background owner has nothing more to do here (another owner took over, or it handed over). */
  onRetire?: (why: string) => void;
}

export class OwnerKeeper implements Ownership {
  private owner = false;
  private closed = false;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private watcher: fs.FSWatcher | null = null;
  private nudge: NodeJS.Timeout | null = null;
  private dataVersion: number | null = null;
  private readonly listeners = new Set<(owner: boolean) => void | Promise<void>>();
  private readonly changeListeners = new Set<() => void>();
  readonly identity: EngineIdentity;
  private readonly isRunning: (id: ProcessIdentity) => boolean;

  constructor(
    private readonly db: Database.Database,
    readonly role: EngineRole,
    private readonly options: KeeperOptions = {},
  ) {
    this.identity = options.me ?? newEngineIdentity();
    this.isRunning = options.isRunning ?? defaultIsRunning;
  }

  isOwner(): boolean {
    return this.owner;
  }

  subscribe(listener: (owner: boolean) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onDatabaseChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tries at once (an app or background engine is owner on return if the lease was free), then keeps looking. */
  start(): void {
    if (this.role === 'client' || this.closed) return;
    this.tryTake();
    this.schedule();
    // Commits by other processes change the database's files: look then, not on a short timer
    // (an idle app uses no CPU). Writes of our own wake us too, and find nothing new.
    const file = path.basename(this.db.name);
    try {
      this.watcher = fs.watch(path.dirname(this.db.name), { persistent: false }, (_event, name) => {
        if (name && !String(name).startsWith(file)) return;
        this.nudge ??= setTimeout(() => {
          this.nudge = null;
          void this.tick();
        }, 20);
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // polling alone still works
    }
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick().finally(() => this.schedule()), this.options.pollMs ?? (this.owner ? 5000 : 1000));
    this.timer.unref(); // the app's server (or a background owner's own loop) keeps the process alive
  }

  /** One look: lease, handover requests, commits by others. Exposed for tests. */
  async tick(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      if (this.owner) {
        if (!holds(this.db, this.identity)) {
          await this.setOwner(false); // another engine took it (it thought us dead): stop at once
          this.retire('another engine took over the data dir');
        } else if (this.role === 'background' && handoverRequested(this.db, this.identity)) {
          await this.setOwner(false);
          release(this.db, this.identity);
          this.retire('the app took over');
        }
      } else {
        this.tryTake();
      }
      if (this.owner) this.noticeChanges();
    } finally {
      this.busy = false;
    }
  }

  private tryTake(): void {
    const result = tryAcquire(this.db, { ...this.identity, kind: this.role as OwnerKind }, Date.now(), this.isRunning);
    if (result.acquired) {
      this.dataVersion = this.db.pragma('data_version', { simple: true }) as number;
      void this.setOwner(true);
    } else if (this.role === 'background') {
      this.retire(`engine ${result.holder.pid} (${result.holder.kind}) owns the data dir`);
    }
  }

  private noticeChanges(): void {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    for (const l of this.changeListeners) {
      try {
        l();
      } catch (err) {
        console.warn('engine: a database-change listener failed:', err);
      }
    }
  }

  private async setOwner(owner: boolean): Promise<void> {
    if (this.owner === owner) return;
    this.owner = owner;
    // Called synchronously: a listener's state (e.g. the job service's `ready`) is set on return.
    const results = [...this.listeners].map((l) => {
      try {
        return Promise.resolve(l(owner));
      } catch (err) {
        return Promise.reject(err);
      }
    });
    for (const r of await Promise.allSettled(results)) {
      if (r.status === 'rejected') console.warn(`engine: an ownership listener failed (${owner ? 'taking' : 'letting go'}):`, r.reason);
    }
  }

  private stopLooking(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.nudge) clearTimeout(this.nudge);
    this.timer = this.nudge = null;
    this.watcher?.close();
    this.watcher = null;
  }

  private retire(why: string): void {
    if (this.role !== 'background') return;
    this.closed = true;
    this.stopLooking();
    this.options.onRetire?.(why);
  }

  /** Stops looking; the owner lets go (listeners first), then releases the lease. */
  async close(): Promise<void> {
    if (this.closed && !this.owner) return;
    this.closed = true;
    this.stopLooking();
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    if (this.owner) {
      await this.setOwner(false);
      release(this.db, this.identity);
    }
  }
}
