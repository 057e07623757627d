/** Migrations 1–4: settings, jobs, their ranks, metrics, labels, shape and owners. (Conventions and how to add one: ../migrations.ts.) */
import type { Migration } from '../migrations.js';

export const JOB_MIGRATIONS: Migration[] = [
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
    description: 'job owners (experiment trials, pipeline tasks, model servers)',
    up(db) {
      db.exec(`
        -- The orchestrator that made a job, if any: an experiment (its trials), a pipeline run (its
        -- tasks) or a model server. Set when the job is created, with the job row, so a crash can
        -- never leave an orphan; NULL for jobs a user started.
        ALTER TABLE jobs ADD COLUMN owner_kind TEXT;
        ALTER TABLE jobs ADD COLUMN owner_id   TEXT;
        -- What the job is to its owner: the trial or task name.
        ALTER TABLE jobs ADD COLUMN owner_role TEXT NOT NULL DEFAULT '';
        CREATE INDEX jobs_owner ON jobs(owner_kind, owner_id) WHERE owner_id IS NOT NULL;
      `);
    },
  },
];
