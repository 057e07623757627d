import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { DATABASE_FILE, openStore, type Store } from './store.js';
import { StoreError } from './store-error.js';

let dir: string;
const opened: Store[] = [];
const open = (...args: Parameters<typeof openStore>): Store => {
  const store = openStore(...args);
  opened.push(store);
  return store;
};
const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
const insertJob = (db: Database.Database, id: string): void => {
  db.prepare(
    `INSERT INTO jobs (id, name, workspace, spec, backend, created_at)
     VALUES (?, 'train', '/ws', 'kind: TrainJob', 'local-process', ?)`,
  ).run(id, Date.now());
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-store-'));
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates a fresh database in WAL mode at the latest schema', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const store = open(dataDir);
    expect(store.path).toBe(path.join(dataDir, DATABASE_FILE));
    expect(fs.existsSync(store.path)).toBe(true);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.schemaVersion).toBe(migrations.length);
    expect(tables(store.db)).toEqual(expect.arrayContaining(['settings', 'jobs', 'job_ranks', 'metric_points']));
    // Tables no code used are gone (local clusters live in <data dir>/clusters/<name>/).
    expect(tables(store.db)).not.toContain('clusters');
    expect(tables(store.db)).not.toContain('notebook_sessions');
  });

  it('re-opens with the data intact and without re-running migrations', () => {
    const first = openStore(dir);
    insertJob(first.db, 'job-1');
    first.close();
    expect(first.db.open).toBe(false);
    first.close(); // closing twice is harmless

    let ran = 0;
    const counting = migrations.map((m) => ({ ...m, up: (db: Database.Database) => (ran++, m.up(db)) }));
    const second = open(dir, { migrations: counting });
    expect(ran).toBe(0);
    expect(second.schemaVersion).toBe(migrations.length);
    expect(second.db.prepare('SELECT id FROM jobs').all()).toEqual([{ id: 'job-1' }]);
  });

  it('upgrades a database created by the previous version', () => {
    const old = openStore(dir, { migrations: migrations.slice(0, 1) });
    expect(old.schemaVersion).toBe(1);
    expect(tables(old.db)).toContain('clusters');
    insertJob(old.db, 'old-job');
    old.close();

    const store = open(dir);
    expect(store.schemaVersion).toBe(migrations.length);
    expect(store.db.prepare('SELECT id, labels FROM jobs').all()).toEqual([{ id: 'old-job', labels: '{}' }]);
    expect(tables(store.db)).not.toContain('notebook_sessions');
  });

  it('lets a reader see the last committed state while another connection writes', () => {
    const writer = open(dir);
    const reader = open(dir);
    insertJob(writer.db, 'committed');
    const ids = () => (reader.db.prepare('SELECT id FROM jobs ORDER BY id').all() as { id: string }[]).map((r) => r.id);

    writer.db.exec('BEGIN IMMEDIATE');
    insertJob(writer.db, 'pending');
    const t0 = Date.now();
    expect(ids()).toEqual(['committed']);
    expect(Date.now() - t0).toBeLessThan(1000); // did not wait on busy_timeout

    // Only one writer at a time: a second writer waits, then gives up with SQLITE_BUSY.
    reader.db.pragma('busy_timeout = 50');
    expect(() => insertJob(reader.db, 'second-writer')).toThrow(/locked|busy/i);

    writer.db.exec('COMMIT');
    expect(ids()).toEqual(['committed', 'pending']);
  });

  it('refuses a database from a newer version and leaves it as it was', () => {
    const file = path.join(dir, DATABASE_FILE);
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 5}`);
    raw.close();
    const before = fs.readFileSync(file);

    let error: unknown;
    try {
      open(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('newer-schema');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/newer version.*Upgrade Kubeflow Desktop/s);
    expect(fs.readFileSync(file).equals(before)).toBe(true); // not even switched to WAL
  });

  it.each([
    ['a text file', Buffer.from('these are my notes, not a database\n'.repeat(200))],
    ['a damaged SQLite file', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 0xab)])],
    ['a truncated header', Buffer.from('SQLite')],
  ])('refuses %s without touching it', (_label, content) => {
    const file = path.join(dir, DATABASE_FILE);
    fs.writeFileSync(file, content);

    let error: unknown;
    try {
      open(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('not-a-database');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/Move it aside/);
    expect(fs.readFileSync(file).equals(content)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([DATABASE_FILE]); // no -wal/-shm left behind
  });

  it('treats an empty file as a new database', () => {
    fs.writeFileSync(path.join(dir, DATABASE_FILE), '');
    expect(open(dir).schemaVersion).toBe(migrations.length);
  });

  it('explains a database path it cannot open', () => {
    fs.mkdirSync(path.join(dir, DATABASE_FILE));
    expect(() => open(dir)).toThrow(/is a directory.*Move it aside/s);
  });
});
