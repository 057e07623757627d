import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.js';
import { handoverRequested, holds, liveOwner, readLease, release, tryAcquire, type OwnerKind } from './engine-lease.js';
import { OwnerKeeper } from './owner-keeper.js';
import type { EngineIdentity } from './process-identity.js';
import { isRunning, newEngineIdentity, selfIdentity, startTimeOf } from './process-identity.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-lease-'));
  store = openStore(dir);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const engine = (name: string, pid = 1000): EngineIdentity => ({ engine: name, pid, started: '42' });
const as = (id: EngineIdentity, kind: OwnerKind) => ({ ...id, kind });

describe('engine lease', () => {
  const alive = new Set<string>();
  const running = (id: { pid: number; started: string }) => alive.has(`${id.pid}/${id.started}`);
  beforeEach(() => alive.clear());

  it('one engine holds it; a second waits while the first lives and takes it once it is gone', () => {
    const a = engine('a', 1);
    const b = engine('b', 2);
    alive.add('1/42').add('2/42');
    expect(tryAcquire(store.db, as(a, 'app'), 1, running)).toEqual({ acquired: true });
    expect(tryAcquire(store.db, as(a, 'app'), 2, running)).toEqual({ acquired: true }); // already ours
    expect(tryAcquire(store.db, as(b, 'app'), 3, running)).toMatchObject({ acquired: false, holder: { engine: 'a', kind: 'app' } });
    expect(holds(store.db, a)).toBe(true);
    expect(liveOwner(store.db, running)?.engine).toBe('a');

    alive.delete('1/42'); // a was killed -9: no release
    expect(liveOwner(store.db, running)).toBeNull();
    expect(tryAcquire(store.db, as(b, 'app'), 4, running)).toEqual({ acquired: true });
    expect(holds(store.db, a)).toBe(false);
    expect(readLease(store.db)).toMatchObject({ engine: 'b', pid: 2, acquiredAt: 4, handoverTo: null });
  });

  it('a reused pid with another start time is not the owner', () => {
    alive.add('1/99'); // pid 1 now belongs to a process that started later
    tryAcquire(store.db, as(engine('a', 1), 'app'), 1, running);
    expect(liveOwner(store.db, running)).toBeNull();
    expect(tryAcquire(store.db, as(engine('b', 2), 'background'), 2, running)).toEqual({ acquired: true });
  });

  it('an app asks a background owner to hand over; two apps never preempt each other', () => {
    const bg = engine('bg', 1);
    const app = engine('app', 2);
    const app2 = engine('app2', 3);
    alive.add('1/42').add('2/42').add('3/42');
    tryAcquire(store.db, as(bg, 'background'), 1, running);
    expect(handoverRequested(store.db, bg)).toBe(false);
    expect(tryAcquire(store.db, as(app, 'app'), 2, running).acquired).toBe(false);
    expect(handoverRequested(store.db, bg)).toBe(true);
    release(store.db, bg); // the background owner let go
    expect(tryAcquire(store.db, as(app, 'app'), 3, running)).toEqual({ acquired: true });
    expect(tryAcquire(store.db, as(app2, 'app'), 4, running).acquired).toBe(false);
    expect(handoverRequested(store.db, app)).toBe(false);
    expect(tryAcquire(store.db, as(engine('bg2', 1), 'background'), 5, running).acquired).toBe(false);
  });

  it('release only gives up a lease it holds', () => {
    alive.add('1/42');
    tryAcquire(store.db, as(engine('a', 1), 'app'), 1, running);
    release(store.db, engine('b', 1));
    expect(readLease(store.db)?.engine).toBe('a');
    release(store.db, engine('a', 1));
    expect(readLease(store.db)).toBeNull();
  });
});

describe('process identity', () => {
  it('knows this process and not a finished one', () => {
    const me = selfIdentity();
    expect(me.pid).toBe(process.pid);
    expect(isRunning(me)).toBe(true);
    expect(isRunning({ pid: me.pid, started: `${me.started}1` })).toBe(me.started === ''); // same pid, other start
    expect(startTimeOf(2 ** 22 + 12345)).toBeNull();
    expect(newEngineIdentity().engine).not.toBe(newEngineIdentity().engine);
  });
});

describe('OwnerKeeper', () => {
  it('an app takes a free lease on start; a second app in the same process waits and takes over when the first closes', async () => {
    const first = new OwnerKeeper(store.db, 'app', { pollMs: 20 });
    const second = new OwnerKeeper(store.db, 'app', { pollMs: 20 });
    const seen: boolean[] = [];
    second.subscribe((owner) => void seen.push(owner));
    first.start();
    second.start();
    expect(first.isOwner()).toBe(true);
    expect(second.isOwner()).toBe(false);
    await first.close();
    await second.tick();
    expect(second.isOwner()).toBe(true);
    expect(seen).toEqual([true]);
    await second.close();
    expect(readLease(store.db)).toBeNull();
  });

  it('a background owner hands over to an app: it lets go (listeners finish first), releases, and retires', async () => {
    let retired = '';
    const bg = new OwnerKeeper(store.db, 'background', { pollMs: 1_000_000, onRetire: (why) => (retired = why) });
    const order: string[] = [];
    bg.subscribe(async (owner) => {
      if (owner) return;
      await new Promise((r) => setTimeout(r, 20));
      order.push(`let go while lease held: ${holds(store.db, bg.identity)}`);
    });
    bg.start();
    expect(bg.isOwner()).toBe(true);
    const app = new OwnerKeeper(store.db, 'app', { pollMs: 1_000_000 });
    app.start();
    expect(app.isOwner()).toBe(false);
    await bg.tick();
    expect(order).toEqual(['let go while lease held: true']);
    expect(bg.isOwner()).toBe(false);
    expect(retired).toBe('the app took over');
    await app.tick();
    expect(app.isOwner()).toBe(true);
    // A background owner that finds a live owner retires at once.
    let retired2 = '';
    const bg2 = new OwnerKeeper(store.db, 'background', { pollMs: 1_000_000, onRetire: (why) => (retired2 = why) });
    bg2.start();
    expect(retired2).toMatch(/owns the data dir/);
    await Promise.all([app.close(), bg.close(), bg2.close()]);
  });

  it('tells owners about commits by other connections', async () => {
    const keeper = new OwnerKeeper(store.db, 'app', { pollMs: 1_000_000 });
    let changes = 0;
    keeper.onDatabaseChange(() => changes++);
    keeper.start();
    await keeper.tick();
    expect(changes).toBe(0);
    const other = openStore(dir);
    other.db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run();
    other.close();
    await keeper.tick();
    await keeper.tick();
    expect(changes).toBe(1);
    await keeper.close();
  });

  it('a client never owns', () => {
    const client = new OwnerKeeper(store.db, 'client');
    client.start();
    expect(client.isOwner()).toBe(false);
    expect(readLease(store.db)).toBeNull();
  });
});
