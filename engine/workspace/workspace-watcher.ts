/**
 * Watches one workspace with chokidar and reports changes in batches: a save in an editor is
 * often several events (truncate, write, chmod), and a `git checkout` thousands, so events are
 * collected until things are quiet for a moment (at most `maxWaitMs` after the first).
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { FileChange } from '../api/schemas/workspace.js';
import { toRelative } from './safe-path.js';
import { isSkippedDirName, isUnderSkippedDir } from './skip-dirs.js';

export interface WatchBatch {
  changes: FileChange[];
  /** More changes than are listed: re-read the whole tree. */
  overflow: boolean;
}

export interface WatcherOptions {
  quietMs?: number;
  maxWaitMs?: number;
  maxChanges?: number;
}

const KINDS = new Set<FileChange['kind']>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/**
 * Two events for one path in one batch, as one: a new file that was then written is still new
 * (writeFileSync is often "add" then "change"; reporting "change" would leave it out of the
 * tree), and a file replaced (deleted, then added: an editor's atomic save) has changed.
 */
export function mergeChange(before: FileChange['kind'] | undefined, next: FileChange['kind']): FileChange['kind'] {
  if (before === 'add' && next === 'change') return 'add';
  if (before === 'addDir' && next === 'change') return 'addDir';
  if (before === 'unlink' && next === 'add') return 'change';
  return next;
}

export class WorkspaceWatcher {
  private readonly watcher: FSWatcher;
  private pending = new Map<string, FileChange['kind']>();
  private overflow = false;
  private quietTimer: NodeJS.Timeout | null = null;
  private maxTimer: NodeJS.Timeout | null = null;
  private warned = false;
  /** Resolves once the initial scan is done (changes before that are not reported). */
  readonly ready: Promise<void>;

  constructor(
    readonly root: string,
    private readonly onBatch: (batch: WatchBatch) => void,
    private readonly options: WatcherOptions = {},
  ) {
    this.watcher = watch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      // A project is rarely deeper; the bound keeps a mistakenly huge folder from exhausting inotify.
      depth: 16,
      // Skipped folders are not walked at all: no inotify watches spent on node_modules or venvs.
      ignored: (p: string) => p !== root && isUnderSkippedDir(toRelative(root, p)),
    });
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    this.watcher.on('all', (event, file) => {
      if (KINDS.has(event as FileChange['kind'])) this.record(event as FileChange['kind'], file);
    });
    this.watcher.on('error', (err) => {
      // Typically ENOSPC (inotify limit) on a huge folder: the tree still works, it just won't refresh itself.
      if (!this.warned) console.warn(`workspace watcher for ${root}: ${(err as Error).message}`);
      this.warned = true;
    });
  }

  private record(kind: FileChange['kind'], file: string): void {
    const rel = toRelative(this.root, path.resolve(file));
    if (!rel || rel.startsWith('..') || isSkippedDirName(path.basename(file))) return;
    const max = this.options.maxChanges ?? 500;
    if (!this.pending.has(rel) && this.pending.size >= max) this.overflow = true;
    else this.pending.set(rel, mergeChange(this.pending.get(rel), kind));
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.options.quietMs ?? 150);
    this.maxTimer ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? 1000);
  }

  private flush(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = null;
    if (this.pending.size === 0 && !this.overflow) return;
    const batch = { changes: [...this.pending].map(([p, kind]) => ({ path: p, kind })), overflow: this.overflow };
    this.pending = new Map();
    this.overflow = false;
    this.onBatch(batch);
  }

  async close(): Promise<void> {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = null;
    await this.watcher.close();
  }
}
