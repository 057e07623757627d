/** Migrations 5–7: the orchestrators over the job system: pipeline runs, experiments, the model registry. (Conventions and how to add one: ../migrations.ts.) */
import type { Migration } from '../migrations.js';

export const ORCHESTRATOR_MIGRATIONS: Migration[] = [
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
];
