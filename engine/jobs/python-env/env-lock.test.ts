import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STALE_MS, tryLock, waitForRelease } from './env-lock.js';
import { tempDir } from './test-support.js';

let dir = '';
let lockFile = '';
beforeEach(() => {
  dir = tempDir('kfd-envlock-');
  lockFile = path.join(dir, 'abc.lock');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const writeLock = (pid: number, token = 'other') => fs.writeFileSync(lockFile, JSON.stringify({ pid, host: os.hostname(), token }));

describe('env lock', () => {
  it('has one holder at a time, and wakes a same-process waiter on release', async () => {
    const lock = await tryLock(lockFile);
    expect(lock).not.toBeNull();
    expect(await tryLock(lockFile)).toBeNull(); // our own pid, but a held token: not stale
    const started = Date.now();
    const waiting = waitForRelease(lockFile, 10_000);
    await lock!.release();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fs.existsSync(lockFile)).toBe(false);
    const again = await tryLock(lockFile);
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('breaks a lock whose owner process is gone', async () => {
    const dead = spawnSync('true').pid!; // exited and reaped: its pid is free
    writeLock(dead);
    const lock = await tryLock(lockFile);
    expect(lock).not.toBeNull();
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
    await lock!.release();
  });

  it('respects a live owner, unless it stopped refreshing the lock', async () => {
    const owner = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeLock(owner.pid!);
      expect(await tryLock(lockFile)).toBeNull();
      const old = new Date(Date.now() - STALE_MS - 5_000);
      fs.utimesSync(lockFile, old, old); // e.g. the pid was reused by an unrelated process
      const lock = await tryLock(lockFile);
      expect(lock).not.toBeNull();
      await lock!.release();
    } finally {
      owner.kill('SIGKILL');
    }
  });
});
