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
    description: 'one owner engine per data dir; metric points keyed by their log line; capture positions',
    up(db) {
      db.exec(`
        -- The engine that owns this data dir (engine/ownership): the only one that re-attaches to
        -- running jobs and captures them. Liveness is the process's pid and start time.
        CREATE TABLE engine_lease (
          id          INTEGER PRIMARY KEY CHECK (id = 1),
          engine      TEXT NOT NULL,              -- random id of the engine (a process may run several)
          pid         INTEGER NOT NULL,
          started     TEXT NOT NULL,              -- /proc start time of pid ('' where unknown)
          kind        TEXT NOT NULL,              -- app | background
          acquired_at INTEGER NOT NULL,
          handover_to TEXT                        -- engine id of an app asking a background owner to hand over
        ) STRICT;

        -- Jobs another engine is still starting: the owner adopts them once the row is gone.
        CREATE TABLE job_launches (
          job_id  TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
          engine  TEXT NOT NULL,
          pid     INTEGER NOT NULL,
          started TEXT NOT NULL
        ) STRICT;

        -- What an engine asks of the one that has the job in hand (e.g. cancel).
        CREATE TABLE job_requests (
          job_id       TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
          kind         TEXT NOT NULL,
          requested_at INTEGER NOT NULL,
          PRIMARY KEY (job_id, kind)
        ) STRICT;

        -- How far the capture has read each rank's log, committed with the metric points it
        -- read there, so a resumed capture neither skips nor repeats a line.
        CREATE TABLE log_positions (
          job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
          rank   INTEGER NOT NULL,
          offset INTEGER NOT NULL,                -- bytes into rank-<rank>.log
          line   INTEGER NOT NULL,                -- lines before that offset
          PRIMARY KEY (job_id, rank)
        ) STRICT, WITHOUT ROWID;

        -- A metric series: one name of one rank of one job. Points refer to it by a small
        -- integer, which keeps their key short (writes are several times faster than with the
        -- job id and name in every key).
        CREATE TABLE metric_series (
          id     INTEGER PRIMARY KEY,
          job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
          name   TEXT NOT NULL,
          rank   INTEGER NOT NULL,
          UNIQUE (job_id, name, rank)
        ) STRICT;

        -- A point is keyed by the log line it came from: the same line read twice (two engines,
        -- a resumed capture) cannot make a second point, while a script may still log a step
        -- twice. Clustered by series, so a chart reads one contiguous range. Points stored
        -- before get negative lines in their old order.
        CREATE TABLE metric_points (
          series INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
          line   INTEGER NOT NULL,                -- 0-based line in rank-<rank>.log
          step   INTEGER NOT NULL,
          value  REAL,                            -- NULL = NaN (SQLite cannot store NaN)
          ts     INTEGER NOT NULL,
          PRIMARY KEY (series, line)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO metric_series (job_id, name, rank) SELECT DISTINCT job_id, name, rank FROM metrics ORDER BY job_id, name, rank;
        INSERT INTO metric_points (series, line, step, value, ts)
          SELECT s.id, m.rowid - (SELECT MAX(rowid) FROM metrics) - 1, m.step, m.value, m.ts
            FROM metrics m JOIN metric_series s ON s.job_id = m.job_id AND s.name = m.name AND s.rank = m.rank;
        DROP TABLE metrics;

        -- Points as one table with the columns it always had, for reading (and inserting, e.g.
        -- in tests: a point without a line goes after the last one of its series).
        CREATE VIEW metrics (job_id, name, rank, line, step, value, ts) AS
          SELECT s.job_id, s.name, s.rank, p.line, p.step, p.value, p.ts FROM metric_points p JOIN metric_series s ON s.id = p.series;
        CREATE TRIGGER metrics_insert INSTEAD OF INSERT ON metrics BEGIN
          INSERT OR IGNORE INTO metric_series (job_id, name, rank) VALUES (NEW.job_id, NEW.name, COALESCE(NEW.rank, 0));
          INSERT INTO metric_points (series, line, step, value, ts)
            SELECT s.id, COALESCE(NEW.line, (SELECT COALESCE(MAX(p.line), -1) + 1 FROM metric_points p WHERE p.series = s.id)), NEW.step, NEW.value, NEW.ts
              FROM metric_series s WHERE s.job_id = NEW.job_id AND s.name = NEW.name AND s.rank = COALESCE(NEW.rank, 0);
        END;
      `);
    },
  },
  {
    version: 5,
    description: 'job history at scale: list indexes in list order, trigram search',
    up(db) {
      db.exec(`
        -- The job list's order (newest first, id breaking ties), alone and within a status, so a
        -- page — also one 90,000 rows deep, and one after a cursor — is an index range.
        DROP INDEX jobs_created_at;
        DROP INDEX jobs_status;
        CREATE INDEX jobs_list ON jobs(created_at DESC, id DESC);
        CREATE INDEX jobs_status_list ON jobs(status, created_at DESC, id DESC);
        -- Searches too short for the trigram index (one or two letters) scan this instead of the
        -- table, whose rows carry each job's manifest.
        CREATE INDEX jobs_text ON jobs(name, workspace, id);

        -- Search (a substring of the id, name or workspace, any case) through a trigram index
        -- kept in step with the jobs table by triggers; the text itself stays in jobs.
        CREATE VIRTUAL TABLE jobs_search USING fts5(id, name, workspace, content = 'jobs', content_rowid = 'rowid', tokenize = 'trigram');
        INSERT INTO jobs_search (jobs_search) VALUES ('rebuild');
        CREATE TRIGGER jobs_search_insert AFTER INSERT ON jobs BEGIN
          INSERT INTO jobs_search (rowid, id, name, workspace) VALUES (NEW.rowid, NEW.id, NEW.name, NEW.workspace);
        END;
        CREATE TRIGGER jobs_search_delete AFTER DELETE ON jobs BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, id, name, workspace) VALUES ('delete', OLD.rowid, OLD.id, OLD.name, OLD.workspace);
        END;
        CREATE TRIGGER jobs_search_update AFTER UPDATE OF id, name, workspace ON jobs BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, id, name, workspace) VALUES ('delete', OLD.rowid, OLD.id, OLD.name, OLD.workspace);
          INSERT INTO jobs_search (rowid, id, name, workspace) VALUES (NEW.rowid, NEW.id, NEW.name, NEW.workspace);
        END;
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
