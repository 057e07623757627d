import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertContiguous, migrate, migrations, userVersion, type Migration } from './migrations.js';
import { StoreError } from './store-error.js';

let dir: string;
let db: Database.Database;

const hasTable = (name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;

const failing: Migration = {
  version: migrations.length + 1,
  description: 'half-done change',
  up(d) {
    d.exec('CREATE TABLE partial (x INTEGER)');
    d.exec("ALTER TABLE jobs ADD COLUMN half TEXT NOT NULL DEFAULT ''");
    throw new Error('boom');
  },
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-migrate-'));
  db = new Database(path.join(dir, 'test.db'));
  db.pragma('foreign_keys = ON');
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migrate', () => {
  it('numbers the shipped migrations 1..N', () => {
    expect(() => assertContiguous(migrations)).not.toThrow();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('rejects gaps and duplicates before touching the database', () => {
    const [v1, v2] = migrations as [Migration, Migration];
    expect(() => migrate(db, [v1, { ...v2, version: 3 }])).toThrow(/numbered 1\.\.2.*version 3/);
    expect(() => migrate(db, [v1, { ...v2, version: 1 }])).toThrow(/position 2 has version 1/);
    expect(userVersion(db)).toBe(0);
  });

  it('applies all migrations to an empty database and is a no-op the second time', () => {
    expect(migrate(db)).toBe(migrations.length);
    expect(migrate(db)).toBe(migrations.length);
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1); // restored after migrating
  });

  it('rolls back a failing migration completely and keeps the previous version', () => {
    migrate(db);
    let error: unknown;
    try {
      migrate(db, [...migrations, failing]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('migration-failed');
    expect((error as Error).message).toMatch(
      new RegExp(`version ${migrations.length + 1} \\(half-done change\\) failed: boom.*left at version ${migrations.length}`),
    );
    expect(userVersion(db)).toBe(migrations.length);
    expect(hasTable('partial')).toBe(false);
    const columns = (db.pragma('table_info(jobs)') as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('half');
  });

  it('keeps the migrations that succeeded before the failing one', () => {
    const [v1] = migrations as [Migration];
    expect(() => migrate(db, [v1, { ...failing, version: 2 }])).toThrow(/boom/);
    expect(userVersion(db)).toBe(1);
    expect(hasTable('jobs')).toBe(true);
    expect(hasTable('partial')).toBe(false);
  });

  it('rolls back a migration that leaves dangling foreign keys', () => {
    migrate(db);
    const dangling: Migration = {
      version: migrations.length + 1,
      description: 'orphan ranks',
      up: (d) => d.exec("INSERT INTO job_ranks (job_id, node_rank, local_rank, global_rank) VALUES ('nope', 0, 0, 0)"),
    };
    expect(() => migrate(db, [...migrations, dangling])).toThrow(/broken foreign key/);
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) AS n FROM job_ranks').get()).toEqual({ n: 0 });
  });

  it('refuses a database newer than the migrations it knows', () => {
    const newer = migrations.length + 1;
    db.pragma(`user_version = ${newer}`);
    expect(() => migrate(db)).toThrow(new RegExp(`newer version.*schema version ${newer}.*Upgrade`, 's'));
    expect(userVersion(db)).toBe(newer);
  });

  it('enforces the schema: cascades, defaults and strict types', () => {
    migrate(db);
    db.prepare(
      "INSERT INTO jobs (id, name, workspace, spec, backend, created_at) VALUES ('j', 'n', '/w', 's', 'container', 1)",
    ).run();
    const job = db.prepare("SELECT status, reason, target, labels, parent_id FROM jobs WHERE id = 'j'").get();
    expect(job).toEqual({ status: 'pending', reason: '', target: '', labels: '{}', parent_id: null });
    db.prepare("INSERT INTO job_ranks (job_id, node_rank, local_rank, global_rank, pid) VALUES ('j', 0, 0, 0, 42)").run();
    db.prepare("INSERT INTO metrics (job_id, rank, line, step, name, value, ts) VALUES ('j', 0, 0, 1, 'loss', ?, 1)").run(NaN);
    expect(db.prepare('SELECT value FROM metrics').get()).toEqual({ value: null });
    expect(() => db.prepare("UPDATE jobs SET exit_code = 'oops' WHERE id = 'j'").run()).toThrow(/cannot store TEXT/);
    expect(() => db.prepare("UPDATE jobs SET labels = 'not json' WHERE id = 'j'").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM jobs WHERE id = 'j'").run();
    expect(db.prepare('SELECT count(*) AS n FROM job_ranks').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 0 });
  });

  it('keys metric points by their log line: an old database keeps its points in order, and a line cannot make a second point', () => {
    const keyed = migrations.findIndex((m) => m.description.includes('metric points keyed by their log line'));
    migrate(db, migrations.slice(0, keyed));
    db.prepare("INSERT INTO jobs (id, name, workspace, spec, backend, created_at) VALUES ('j', 'n', '/w', 's', 'local-process', 1)").run();
    const old = db.prepare("INSERT INTO metrics (job_id, rank, step, name, value, ts) VALUES ('j', 0, ?, 'loss', ?, ?)");
    // Two points of one step (a script may log a step twice), and a duplicate the old capture left.
    for (const [step, value] of [[1, 0.9], [2, 0.8], [2, 0.75], [3, 0.7], [3, 0.7]] as const) old.run(step, value, step);
    migrate(db);
    const rows = db.prepare("SELECT step, value, line FROM metrics WHERE job_id = 'j' ORDER BY rank, line").all() as { step: number; value: number; line: number }[];
    expect(rows.map((r) => [r.step, r.value])).toEqual([[1, 0.9], [2, 0.8], [2, 0.75], [3, 0.7], [3, 0.7]]);
    expect(rows.every((r) => r.line < 0)).toBe(true); // before any line a new capture reads
    const insert = db.prepare("INSERT INTO metrics (job_id, name, rank, line, step, value, ts) VALUES ('j', 'loss', 0, ?, ?, ?, 9)");
    insert.run(7, 4, 0.6);
    expect(() => insert.run(7, 4, 0.6)).toThrow(/UNIQUE constraint failed/);
    insert.run(8, 4, 0.55); // the same step from another line is a point of its own
    db.prepare("INSERT INTO metrics (job_id, name, rank, line, step, value, ts) VALUES ('j', 'loss', 1, 7, 4, 0.6, 9)").run(); // another rank's line 7
    expect(db.prepare("SELECT count(*) AS n FROM metrics WHERE job_id = 'j' AND line >= 0").get()).toEqual({ n: 3 });
  });
});
