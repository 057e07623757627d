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
  {
    version: 5,
    description: 'pipeline runs and their tasks (compiled KFP pipelines run locally)',
    up(db) {
      db.exec(`
        -- A run of a compiled KFP pipeline: the spec as submitted, its parameters and where it runs.
        CREATE TABLE pipeline_runs (
          id            TEXT PRIMARY KEY,
          name          TEXT NOT NULL,
          pipeline_name TEXT NOT NULL,
          file          TEXT NOT NULL,
          spec          TEXT NOT NULL,
          parameters    TEXT NOT NULL,
          status        TEXT NOT NULL,
          message       TEXT,
          backend       TEXT NOT NULL,
          placement     TEXT,
          enable_cache  INTEGER NOT NULL DEFAULT 1,
          rerun_of      TEXT,
          pipeline_root TEXT NOT NULL,
          cancel_requested INTEGER NOT NULL DEFAULT 0,
          outputs       TEXT,
          -- The engine driving the run (host:pid): another engine leaves it alone while that one lives.
          driver        TEXT,
          created_at    INTEGER NOT NULL,
          started_at    INTEGER,
          finished_at   INTEGER
        );
        CREATE INDEX pipeline_runs_created ON pipeline_runs(created_at);
        -- One executor task of a run (its path in the DAG, e.g. for-loop-2[0]/train) and its job.
        CREATE TABLE pipeline_tasks (
          run_id      TEXT NOT NULL REFERENCES pipeline_runs(id) ON DELETE CASCADE,
          path        TEXT NOT NULL,
          name        TEXT NOT NULL,
          status      TEXT NOT NULL,
          cached      INTEGER NOT NULL DEFAULT 0,
          job_id      TEXT,
          attempt     INTEGER NOT NULL DEFAULT 0,
          inputs      TEXT NOT NULL,
          outputs     TEXT,
          cache_key   TEXT,
          message     TEXT,
          notes       TEXT NOT NULL DEFAULT '[]',
          started_at  INTEGER,
          finished_at INTEGER,
          PRIMARY KEY (run_id, path)
        );
        CREATE INDEX pipeline_tasks_job ON pipeline_tasks(job_id) WHERE job_id IS NOT NULL;
        CREATE INDEX pipeline_tasks_cache ON pipeline_tasks(cache_key) WHERE status = 'Succeeded';
      `);
    },
  },
  {
    version: 6,
    description: 'experiments (Katib Experiments run locally) and their trials',
    up(db) {
      db.exec(`
        -- One row per experiment.yaml submitted; the sweep's state lives here so a killed app
        -- resumes it (engine/experiments/experiment-service.ts resume()).
        CREATE TABLE experiments (
          id          TEXT PRIMARY KEY,
          name        TEXT NOT NULL,
          workspace   TEXT NOT NULL,
          file        TEXT NOT NULL,                -- the experiment.yaml it was read from
          spec        TEXT NOT NULL,                -- the Experiment YAML exactly as submitted
          backend     TEXT NOT NULL,                -- where its trials run
          placement   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(placement)),
          seed        INTEGER NOT NULL,             -- random_state, or one drawn at creation
          status      TEXT NOT NULL,                -- Katib's: Created | Running | Succeeded | Failed
          reason      TEXT NOT NULL DEFAULT '',     -- ExperimentGoalReached, ExperimentMaxTrialsReached, ...
          message     TEXT NOT NULL DEFAULT '',
          warnings    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
          created_at  INTEGER NOT NULL,
          finished_at INTEGER
        ) STRICT;
        CREATE INDEX experiments_created_at ON experiments(created_at);
        CREATE INDEX experiments_status ON experiments(status);

        -- Its trials: a row is written before the trial's job is submitted, so a crash in between
        -- is found again (the job row carries owner experiment/<id>/<trial name>).
        CREATE TABLE experiment_trials (
          experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
          seq           INTEGER NOT NULL,            -- creation order = suggestion index
          name          TEXT NOT NULL,
          parameters    TEXT NOT NULL CHECK (json_valid(parameters)),   -- {name: value} as strings
          status        TEXT NOT NULL,               -- Katib's: Created | Running | Succeeded | Failed | Killed | EarlyStopped | MetricsUnavailable
          reason        TEXT NOT NULL DEFAULT '',
          job_id        TEXT REFERENCES jobs(id) ON DELETE SET NULL,
          objective     REAL,
          -- {metric: {min, max, latest, values}} as collected from the trial's output
          observation   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(observation)),
          created_at    INTEGER NOT NULL,
          finished_at   INTEGER,
          PRIMARY KEY (experiment_id, seq)
        ) STRICT;
        CREATE INDEX experiment_trials_job ON experiment_trials(job_id) WHERE job_id IS NOT NULL;
      `);
    },
  },
  {
    version: 7,
    description: 'model registry: registered models, versions, artifacts, deployments, pushes',
    up(db) {
      db.exec(`
        -- Shaped like the Kubeflow Model Registry (RegisteredModel -> ModelVersion -> ModelArtifact);
        -- integer ids like its int64 ids; custom_properties is its typed MetadataValue map as JSON.
        CREATE TABLE registered_models (
          id                INTEGER PRIMARY KEY,
          name              TEXT NOT NULL UNIQUE,
          description       TEXT NOT NULL DEFAULT '',
          owner             TEXT NOT NULL DEFAULT '',
          state             TEXT NOT NULL DEFAULT 'LIVE',
          custom_properties TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_properties)),
          created_at        INTEGER NOT NULL,
          updated_at        INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE model_versions (
          id                  INTEGER PRIMARY KEY,
          registered_model_id INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
          name                TEXT NOT NULL,
          description         TEXT NOT NULL DEFAULT '',
          author              TEXT NOT NULL DEFAULT '',
          state               TEXT NOT NULL DEFAULT 'LIVE',
          custom_properties   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_properties)),
          -- {kind: job|pipeline|path, ...}: where it came from.
          source              TEXT NOT NULL CHECK (json_valid(source)),
          -- Lineage: the job that trained it (job -> model version -> deployments).
          job_id              TEXT REFERENCES jobs(id) ON DELETE SET NULL,
          -- {python, pythonVersion, packages: {name: version}, source}: what it was trained with.
          training_env        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(training_env)),
          -- {inputs, outputs, detail}: V2 tensors read from the model at registration.
          signature           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(signature)),
          created_at          INTEGER NOT NULL,
          updated_at          INTEGER NOT NULL,
          UNIQUE (registered_model_id, name)
        ) STRICT;
        CREATE INDEX model_versions_job ON model_versions(job_id) WHERE job_id IS NOT NULL;

        CREATE TABLE model_artifacts (
          id                   INTEGER PRIMARY KEY,
          model_version_id     INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          name                 TEXT NOT NULL,
          uri                  TEXT NOT NULL,
          model_format_name    TEXT NOT NULL,
          model_format_version TEXT NOT NULL DEFAULT '',
          storage_key          TEXT NOT NULL DEFAULT '',
          storage_path         TEXT NOT NULL DEFAULT '',
          model_source_kind    TEXT NOT NULL DEFAULT '',
          model_source_class   TEXT NOT NULL DEFAULT '',
          model_source_group   TEXT NOT NULL DEFAULT '',
          model_source_id      TEXT NOT NULL DEFAULT '',
          model_source_name    TEXT NOT NULL DEFAULT '',
          state                TEXT NOT NULL DEFAULT 'LIVE',
          custom_properties    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_properties)),
          -- The content-addressed copy under <data dir>/models/artifacts/<digest>/.
          digest               TEXT NOT NULL,
          size_bytes           INTEGER NOT NULL,
          files                TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files)),
          model_file           TEXT NOT NULL,
          local_path           TEXT NOT NULL,
          created_at           INTEGER NOT NULL,
          updated_at           INTEGER NOT NULL
        ) STRICT;

        -- A version served: a local V2 server (a long-running job owned by model-server/<id>) or
        -- an InferenceService applied to a cluster.
        CREATE TABLE model_deployments (
          id               TEXT PRIMARY KEY,
          model_version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          kind             TEXT NOT NULL,              -- local | cluster
          backend          TEXT,                       -- local-process | container
          job_id           TEXT REFERENCES jobs(id) ON DELETE SET NULL,
          port             INTEGER,
          url              TEXT,
          target           TEXT,
          namespace        TEXT,
          manifest         TEXT NOT NULL,              -- the InferenceService YAML
          state            TEXT NOT NULL,
          message          TEXT NOT NULL DEFAULT '',
          conditions       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(conditions)),
          created_at       INTEGER NOT NULL,
          updated_at       INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX model_deployments_version ON model_deployments(model_version_id);

        -- Versions pushed to a remote Model Registry (its ids, and the uri it was given).
        CREATE TABLE model_pushes (
          model_version_id    INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          registry            TEXT NOT NULL,           -- base URL, without credentials
          remote_model_id     TEXT NOT NULL,
          remote_version_id   TEXT NOT NULL,
          remote_artifact_id  TEXT NOT NULL,
          uri                 TEXT NOT NULL,
          pushed_at           INTEGER NOT NULL,
          PRIMARY KEY (model_version_id, registry)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 8,
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
    version: 9,
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
  {
    version: 10,
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
