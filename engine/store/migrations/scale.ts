/** Migrations 8–10: one owner engine per data dir, history at 100k jobs, unused tables dropped. (Conventions and how to add one: ../migrations.ts.) */
import type { Migration } from '../migrations.js';

export const SCALE_MIGRATIONS: Migration[] = [
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
