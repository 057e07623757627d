/** SQL for experiments and their trials (migration 5). Rows in, plain records out; no other I/O. */
import type Database from 'better-sqlite3';
import type { BackendId, SpecIssue } from '../api/schemas/jobs.js';
import type { ExperimentStatus, TrialStatus } from '../api/schemas/experiments.js';
import type { Placement } from '../backends/backend.js';
import type { Assignment } from './search-space.js';

export interface StoredExperiment {
  id: string;
  name: string;
  workspace: string;
  file: string;
  spec: string;
  backend: BackendId;
  placement: Placement;
  seed: number;
  status: ExperimentStatus;
  reason: string;
  message: string;
  warnings: SpecIssue[];
  createdAt: number;
  finishedAt: number | null;
}

export interface StoredObservation {
  min: number;
  max: number;
  latest: number;
  values: number[];
}

export interface StoredTrial {
  experimentId: string;
  seq: number;
  name: string;
  parameters: Assignment;
  status: TrialStatus;
  reason: string;
  jobId: string | null;
  objective: number | null;
  observation: Record<string, StoredObservation>;
  createdAt: number;
  finishedAt: number | null;
}

interface ExperimentRow {
  id: string;
  name: string;
  workspace: string;
  file: string;
  spec: string;
  backend: string;
  placement: string;
  seed: number;
  status: string;
  reason: string;
  message: string;
  warnings: string;
  created_at: number;
  finished_at: number | null;
}

interface TrialRow {
  experiment_id: string;
  seq: number;
  name: string;
  parameters: string;
  status: string;
  reason: string;
  job_id: string | null;
  objective: number | null;
  observation: string;
  created_at: number;
  finished_at: number | null;
}

/** At most this many values per metric are kept (medianstop averages them). */
const MAX_VALUES = 10_000;

const toExperiment = (r: ExperimentRow): StoredExperiment => ({
  id: r.id,
  name: r.name,
  workspace: r.workspace,
  file: r.file,
  spec: r.spec,
  backend: r.backend as BackendId,
  placement: JSON.parse(r.placement) as Placement,
  seed: r.seed,
  status: r.status as ExperimentStatus,
  reason: r.reason,
  message: r.message,
  warnings: JSON.parse(r.warnings) as SpecIssue[],
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

const toTrial = (r: TrialRow): StoredTrial => ({
  experimentId: r.experiment_id,
  seq: r.seq,
  name: r.name,
  parameters: JSON.parse(r.parameters) as Assignment,
  status: r.status as TrialStatus,
  reason: r.reason,
  jobId: r.job_id,
  objective: r.objective,
  observation: JSON.parse(r.observation) as Record<string, StoredObservation>,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export class ExperimentRepo {
  constructor(private readonly db: Database.Database) {}

  insert(e: Omit<StoredExperiment, 'finishedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO experiments (id, name, workspace, file, spec, backend, placement, seed, status, reason, message, warnings, created_at)
         VALUES (@id, @name, @workspace, @file, @spec, @backend, @placement, @seed, @status, @reason, @message, @warnings, @createdAt)`,
      )
      .run({ ...e, placement: JSON.stringify(e.placement), warnings: JSON.stringify(e.warnings) });
  }

  get(id: string): StoredExperiment | null {
    const row = this.db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as ExperimentRow | undefined;
    return row ? toExperiment(row) : null;
  }

  /** Ids starting with `prefix` (at most 2: enough to tell unique from ambiguous). */
  byPrefix(prefix: string): StoredExperiment[] {
    const rows = this.db.prepare("SELECT * FROM experiments WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 2").all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as ExperimentRow[];
    return rows.map(toExperiment);
  }

  list(limit: number): StoredExperiment[] {
    return (this.db.prepare('SELECT * FROM experiments ORDER BY created_at DESC LIMIT ?').all(limit) as ExperimentRow[]).map(toExperiment);
  }

  unfinished(): StoredExperiment[] {
    return (this.db.prepare("SELECT * FROM experiments WHERE status IN ('Created', 'Running') ORDER BY created_at").all() as ExperimentRow[]).map(toExperiment);
  }

  setStatus(id: string, status: ExperimentStatus, reason: string, message: string, finishedAt: number | null = null): void {
    this.db.prepare('UPDATE experiments SET status = ?, reason = ?, message = ?, finished_at = ? WHERE id = ?').run(status, reason, message, finishedAt, id);
  }

  trials(experimentId: string): StoredTrial[] {
    return (this.db.prepare('SELECT * FROM experiment_trials WHERE experiment_id = ? ORDER BY seq').all(experimentId) as TrialRow[]).map(toTrial);
  }

  /** False when that trial number exists already (another engine on this data dir made it first). */
  insertTrial(t: { experimentId: string; seq: number; name: string; parameters: Assignment; createdAt: number }): boolean {
    const r = this.db
      .prepare("INSERT OR IGNORE INTO experiment_trials (experiment_id, seq, name, parameters, status, created_at) VALUES (?, ?, ?, ?, 'Created', ?)")
      .run(t.experimentId, t.seq, t.name, JSON.stringify(t.parameters), t.createdAt);
    return r.changes === 1;
  }

  setTrialJob(experimentId: string, seq: number, jobId: string): void {
    this.db.prepare('UPDATE experiment_trials SET job_id = ? WHERE experiment_id = ? AND seq = ?').run(jobId, experimentId, seq);
  }

  updateTrial(experimentId: string, seq: number, u: { status: TrialStatus; reason?: string; objective: number | null; observation: Record<string, StoredObservation>; finishedAt?: number | null }): void {
    const observation = Object.fromEntries(Object.entries(u.observation).map(([k, o]) => [k, { ...o, values: o.values.slice(-MAX_VALUES) }]));
    this.db
      .prepare('UPDATE experiment_trials SET status = ?, reason = ?, objective = ?, observation = ?, finished_at = ? WHERE experiment_id = ? AND seq = ?')
      .run(u.status, u.reason ?? '', u.objective, JSON.stringify(observation), u.finishedAt ?? null, experimentId, seq);
  }

  /** A trial's job found through the job's owner column (the submit happened, the link was not written). */
  jobOfTrial(experimentId: string, trialName: string): string | null {
    const row = this.db.prepare("SELECT id FROM jobs WHERE owner_kind = 'experiment' AND owner_id = ? AND owner_role = ? ORDER BY created_at DESC LIMIT 1").get(experimentId, trialName) as { id: string } | undefined;
    return row?.id ?? null;
  }
}
