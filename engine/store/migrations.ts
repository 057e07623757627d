/**
 * Schema migrations, tracked by `PRAGMA user_version` (0 = empty file, N = migration N applied).
 *
 * Adding one: append it with the next version and never edit a shipped one (users' files
 * already ran it). `up` must be synchronous: a better-sqlite3 transaction cannot span an await.
 * Conventions used below:
 * - Tables are STRICT, so a wrong type from a later repo fails loudly instead of being stored.
 * - Times are INTEGER milliseconds since the epoch (`Date.now()`): sortable, no parsing.
 * - Enum-like columns (status, backend, kind) have no CHECK list: SQLite cannot alter a CHECK
 *   without rebuilding the table, so the zod schemas in engine/api own the allowed values.
 * - No secrets (tokens, passwords) are ever stored; URLs are stored without their token.
 */
import type Database from 'better-sqlite3';
import { StoreError, newerSchemaError } from './store-error.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'settings, jobs, job ranks, metrics, clusters',
    up(db) {
      db.exec(`
        -- One row per setting; value is JSON so each key keeps its own type.
        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL CHECK (json_valid(value))
        ) STRICT;

        CREATE TABLE jobs (
          id          TEXT PRIMARY KEY,
          name        TEXT NOT NULL,
          workspace   TEXT NOT NULL,              -- absolute path of the workspace folder
          spec        TEXT NOT NULL,              -- the TrainJob YAML exactly as submitted
          backend     TEXT NOT NULL,              -- local-process | container | kubernetes
          target      TEXT NOT NULL DEFAULT '',   -- kube context / container engine; '' if none
          status      TEXT NOT NULL DEFAULT 'pending',
          reason      TEXT NOT NULL DEFAULT '',   -- machine-readable cause of the status
          message     TEXT NOT NULL DEFAULT '',   -- human-readable detail
          exit_code   INTEGER,
          created_at  INTEGER NOT NULL,
          started_at  INTEGER,
          finished_at INTEGER,
          -- promote lineage: the job this one was promoted from; kept if the parent is deleted
          parent_id   TEXT REFERENCES jobs(id) ON DELETE SET NULL
        ) STRICT;
        -- status: startup reconciles every non-final job; created_at: the job list's order.
        CREATE INDEX jobs_status ON jobs(status);
        CREATE INDEX jobs_created_at ON jobs(created_at);
        CREATE INDEX jobs_parent_id ON jobs(parent_id);

        -- One row per process (local), container (node) or pod rank of a job.
        CREATE TABLE job_ranks (
          job_id       TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
          node_rank    INTEGER NOT NULL,
          local_rank   INTEGER NOT NULL,
          global_rank  INTEGER NOT NULL,
          pid          INTEGER,
          container_id TEXT,
          pod          TEXT,
          exit_code    INTEGER,
          status       TEXT NOT NULL DEFAULT 'pending',
          log_path     TEXT,                      -- append-only log file of this rank
          started_at   INTEGER,
          finished_at  INTEGER,
          PRIMARY KEY (job_id, global_rank)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE metrics (
          job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
          rank   INTEGER NOT NULL DEFAULT 0,
          step   INTEGER NOT NULL,
          name   TEXT NOT NULL,
          value  REAL,                            -- NULL = NaN (SQLite cannot store NaN)
          ts     INTEGER NOT NULL
        ) STRICT;
        -- A chart reads one series of one job in step order.
        CREATE INDEX metrics_series ON metrics(job_id, name, step);

        CREATE TABLE clusters (
          name            TEXT PRIMARY KEY,
          kind            TEXT NOT NULL,          -- e.g. kind (local) | remote
          kubeconfig_path TEXT NOT NULL DEFAULT '',
          status          TEXT NOT NULL DEFAULT 'unknown',
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    description: 'job labels, notebook sessions',
    up(db) {
      db.exec(`
        -- JSON object of user labels (filtering, promote bookkeeping); existing jobs get '{}'.
        ALTER TABLE jobs ADD COLUMN labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels));

        -- Jupyter sessions the app started, so they can be found again after a restart.
        CREATE TABLE notebook_sessions (
          id          TEXT PRIMARY KEY,           -- Jupyter session id
          path        TEXT NOT NULL,              -- notebook path inside the workspace
          kernel_name TEXT NOT NULL,
          server_url  TEXT NOT NULL,              -- without the token (tokens never stored)
          started_at  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX notebook_sessions_path ON notebook_sessions(path);
      `);
    },
  },
  {
    version: 3,
    description: 'job shape, spec warnings, rank signals',
    up(db) {
      db.exec(`
        -- The job list shows nodes x procs without parsing every spec.
        ALTER TABLE jobs ADD COLUMN num_nodes INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE jobs ADD COLUMN num_proc_per_node INTEGER NOT NULL DEFAULT 1;
        -- JSON array of {path, line, column, message}: fields the backend could not honour.
        ALTER TABLE jobs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings));
        -- The job's folder (logs, rank state) under the data dir.
        ALTER TABLE jobs ADD COLUMN job_dir TEXT NOT NULL DEFAULT '';
        -- The rank that failed first (its last lines explain a Failed job).
        ALTER TABLE jobs ADD COLUMN failed_rank INTEGER;
        ALTER TABLE job_ranks ADD COLUMN signal TEXT;
      `);
    },
  },
  {
    version: 4,
    description: 'drop the never-used clusters and notebook_sessions tables',
    up(db) {
      // No code ever wrote either. Local clusters are recorded where the Kubernetes backend and
      // kind look for them (<data dir>/clusters/<name>/cluster.json + kubeconfig), and the
      // private Jupyter server (with its sessions) dies with the app, so there is nothing to find
      // again after a restart. Dropped rather than left looking like state someone keeps.
      db.exec(`
        DROP TABLE IF EXISTS clusters;
        DROP TABLE IF EXISTS notebook_sessions;
      `);
    },
  },
];

/** Versions must be 1..N with no gaps or duplicates, or user_version would lie. */
export function assertContiguous(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `Migrations must be numbered 1..${list.length} in order; position ${i + 1} has version ${m.version} (${m.description}).`,
      );
    }
  });
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `list.length` and returns the resulting version. Each migration and
 * its user_version bump commit together, so a failure leaves the previous version intact.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  assertContiguous(list);
  const latest = list.length;
  const current = userVersion(db);
  if (current > latest) throw newerSchemaError(db.name, current, latest);
  if (current === latest) return current;

  // SQLite's recipe for schema changes: foreign keys off (the pragma is ignored inside a
  // transaction, hence out here) so table rebuilds do not cascade, then foreign_key_check
  // before each commit so a migration cannot leave dangling references.
  const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of list.slice(current)) {
      const step = db.transaction(() => {
        // Another process may have migrated between our read and this (immediate) lock.
        if (userVersion(db) >= m.version) return;
        m.up(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`leaves ${broken.length} broken foreign key reference(s)`);
        db.pragma(`user_version = ${m.version}`);
      });
      try {
        step.immediate();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new StoreError(
          'migration-failed',
          db.name,
          `Upgrading the database ${db.name} to schema version ${m.version} (${m.description}) failed: ${why}. ` +
            `It was left at version ${userVersion(db)}; report this as a bug.`,
          { cause: err },
        );
      }
    }
  } finally {
    if (fkWasOn) db.pragma('foreign_keys = ON');
  }
  return userVersion(db);
}
