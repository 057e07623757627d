/**
 * One builder per environment, across processes (an app and a `kfd` CLI can share the data
 * dir): a lock file created with O_EXCL holding the owner's pid, host and a token. A lock is
 * stale when its owner's pid is gone (same host) or it has not been touched for STALE_MS (the
 * owner refreshes it, so a reused pid or another host cannot hold it forever).
 *
 * The lock only avoids duplicate work: correctness comes from building in a temp dir and
 * renaming it into place, so even a lock broken by mistake cannot expose a half-built env.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import os from 'node:os';

const HEARTBEAT_MS = 10_000;
export const STALE_MS = 60_000;

interface LockContent {
  pid: number;
  host: string;
  token: string;
}

/** Tokens of the locks this process holds (a lock with our pid but another token is stale). */
const heldTokens = new Set<string>();
/** Same-process waiters wake as soon as a lock is released instead of polling. */
const releases = new Map<string, Promise<void>>();

export interface EnvLock {
  release(): Promise<void>;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

async function readLock(file: string): Promise<{ content: LockContent | null; mtimeMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    let content: LockContent | null = null;
    try {
      content = JSON.parse(text) as LockContent;
    } catch {
      // half-written by an owner that died between create and write: judged by age alone
    }
    return { content, mtimeMs: info.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function isStale(lock: { content: LockContent | null; mtimeMs: number }, now = Date.now()): boolean {
  if (now - lock.mtimeMs > STALE_MS) return true;
  const c = lock.content;
  if (!c) return false;
  if (c.host === os.hostname() && c.pid === process.pid) return !heldTokens.has(c.token); // ours, from an earlier run of this pid
  return c.host === os.hostname() && !pidAlive(c.pid);
}

/** Takes the lock, or returns null when someone else holds it (breaking it first if stale). */
export async function tryLock(file: string): Promise<EnvLock | null> {
  const content: LockContent = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      heldTokens.add(content.token);
      releases.set(file, promise);
      try {
        await handle.writeFile(JSON.stringify(content));
      } finally {
        await handle.close();
      }
      const beat = setInterval(() => void utimes(file, new Date(), new Date()).catch(() => undefined), HEARTBEAT_MS);
      beat.unref();
      return {
        async release() {
          clearInterval(beat);
          const current = await readLock(file).catch(() => null);
          if (current?.content?.token === content.token) await unlink(file).catch(() => undefined);
          heldTokens.delete(content.token);
          if (releases.get(file) === promise) releases.delete(file);
          resolve();
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = await readLock(file);
    if (held && !isStale(held)) return null;
    // Re-read just before removing, so a lock someone else took meanwhile is left alone.
    const again = await readLock(file);
    if (again && again.content?.token === held?.content?.token && isStale(again)) await unlink(file).catch(() => undefined);
  }
  return null;
}

/** Resolves when this process releases `file`, after `ms`, or on abort — whichever is first. */
export function waitForRelease(file: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    void releases.get(file)?.then(done);
  });
}
