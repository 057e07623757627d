/** Pipeline runs and their executor tasks in SQLite (migration 5): what a restarted engine resumes from. */
import type Database from 'better-sqlite3';
import type { BackendId } from '../../api/schemas/jobs.js';
import type { Placement } from '../../backends/backend.js';
import type { RunStatus, TaskStatus } from '../run/dag-evaluator.js';
import type { TaskIO } from '../run/executor-input.js';

export interface StoredRun {
  id: string;
  name: string;
  pipelineName: string;
  file: string;
  spec: string;
  parameters: Record<string, unknown>;
  status: RunStatus;
  message: string | null;
  backend: BackendId;
  placement: Placement | null;
  enableCache: boolean;
  rerunOf: string | null;
  pipelineRoot: string;
  cancelRequested: boolean;
  outputs: TaskIO | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface StoredTask {
  runId: string;
  path: string;
  name: string;
  status: TaskStatus;
  cached: boolean;
  jobId: string | null;
  attempt: number;
  inputs: TaskIO;
  outputs: TaskIO | null;
  cacheKey: string | null;
  message: string | null;
  notes: string[];
  startedAt: number | null;
  finishedAt: number | null;
}

type Row = Record<string, unknown>;
const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback);

function toRun(r: Row): StoredRun {
  return {
    id: r.id as string,
    name: r.name as string,
    pipelineName: r.pipeline_name as string,
    file: r.file as string,
    spec: r.spec as string,
    parameters: json(r.parameters, {}),
    status: r.status as RunStatus,
    message: (r.message as string | null) ?? null,
    backend: r.backend as BackendId,
    placement: json<Placement | null>(r.placement, null),
    enableCache: r.enable_cache === 1,
    rerunOf: (r.rerun_of as string | null) ?? null,
    pipelineRoot: r.pipeline_root as string,
    cancelRequested: r.cancel_requested === 1,
    outputs: json<TaskIO | null>(r.outputs, null),
    createdAt: r.created_at as number,
    startedAt: (r.started_at as number | null) ?? null,
    finishedAt: (r.finished_at as number | null) ?? null,
  };
}

function toTask(r: Row): StoredTask {
  return {
    runId: r.run_id as string,
    path: r.path as string,
    name: r.name as string,
    status: r.status as TaskStatus,
    cached: r.cached === 1,
    jobId: (r.job_id as string | null) ?? null,
    attempt: r.attempt as number,
    inputs: json(r.inputs, { parameters: {}, artifacts: {} }),
    outputs: json<TaskIO | null>(r.outputs, null),
    cacheKey: (r.cache_key as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    notes: json(r.notes, []),
    startedAt: (r.started_at as number | null) ?? null,
    finishedAt: (r.finished_at as number | null) ?? null,
  };
}

export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['Succeeded', 'Failed', 'Cancelled'];

export class PipelineRepo {
  constructor(private readonly db: Database.Database) {}

  insertRun(r: Omit<StoredRun, 'status' | 'message' | 'cancelRequested' | 'outputs' | 'startedAt' | 'finishedAt'>): StoredRun {
    this.db
      .prepare(
        `INSERT INTO pipeline_runs (id, name, pipeline_name, file, spec, parameters, status, backend, placement, enable_cache, rerun_of, pipeline_root, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'Pending', ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.name, r.pipelineName, r.file, r.spec, JSON.stringify(r.parameters), r.backend, r.placement ? JSON.stringify(r.placement) : null, r.enableCache ? 1 : 0, r.rerunOf, r.pipelineRoot, r.createdAt);
    return this.getRun(r.id)!;
  }

  getRun(id: string): StoredRun | null {
    const row = this.db.prepare('SELECT * FROM pipeline_runs WHERE id = ?').get(id) as Row | undefined;
    return row ? toRun(row) : null;
  }

  findRuns(prefix: string): StoredRun[] {
    return (this.db.prepare("SELECT * FROM pipeline_runs WHERE id LIKE ? || '%' ESCAPE '\\' LIMIT 3").all(prefix.replace(/[%_\\]/g, '\\$&')) as Row[]).map(toRun);
  }

  listRuns(limit = 200): StoredRun[] {
    return (this.db.prepare('SELECT * FROM pipeline_runs ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as Row[]).map(toRun);
  }

  nonFinalRuns(): StoredRun[] {
    return (this.db.prepare("SELECT * FROM pipeline_runs WHERE status NOT IN ('Succeeded', 'Failed', 'Cancelled') ORDER BY created_at").all() as Row[]).map(toRun);
  }

  setRunState(id: string, status: RunStatus, message: string | null, outputs: TaskIO | null, now: number): void {
    const final = FINAL_RUN_STATUSES.includes(status);
    this.db
      .prepare(
        `UPDATE pipeline_runs SET status = ?, message = ?, outputs = ?,
           started_at = COALESCE(started_at, CASE WHEN ? != 'Pending' THEN ? END),
           finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END
         WHERE id = ?`,
      )
      .run(status, message, outputs ? JSON.stringify(outputs) : null, status, now, final ? 1 : 0, now, id);
  }

  /**
   * Takes the run for this engine (`me` = host:pid) unless another live engine on this host
   * drives it. True when this engine may start its tasks.
   */
  claim(id: string, me: string, alive: (pid: number) => boolean): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT driver FROM pipeline_runs WHERE id = ?').get(id) as { driver: string | null } | undefined;
      if (!row) return false;
      const [host, pid] = (row.driver ?? '').split(':');
      if (row.driver && row.driver !== me && host === me.split(':')[0] && alive(Number(pid))) return false;
      this.db.prepare('UPDATE pipeline_runs SET driver = ? WHERE id = ?').run(me, id);
      return true;
    }).immediate();
  }

  release(me: string): void {
    this.db.prepare('UPDATE pipeline_runs SET driver = NULL WHERE driver = ?').run(me);
  }

  requestCancel(id: string): void {
    this.db.prepare('UPDATE pipeline_runs SET cancel_requested = 1 WHERE id = ?').run(id);
  }

  tasks(runId: string): StoredTask[] {
    return (this.db.prepare('SELECT * FROM pipeline_tasks WHERE run_id = ? ORDER BY rowid').all(runId) as Row[]).map(toTask);
  }

  task(runId: string, path: string): StoredTask | null {
    const row = this.db.prepare('SELECT * FROM pipeline_tasks WHERE run_id = ? AND path = ?').get(runId, path) as Row | undefined;
    return row ? toTask(row) : null;
  }

  taskByJob(jobId: string): StoredTask | null {
    const row = this.db.prepare('SELECT * FROM pipeline_tasks WHERE job_id = ?').get(jobId) as Row | undefined;
    return row ? toTask(row) : null;
  }

  upsertTask(t: StoredTask): void {
    this.db
      .prepare(
        `INSERT INTO pipeline_tasks (run_id, path, name, status, cached, job_id, attempt, inputs, outputs, cache_key, message, notes, started_at, finished_at)
         VALUES (@runId, @path, @name, @status, @cached, @jobId, @attempt, @inputs, @outputs, @cacheKey, @message, @notes, @startedAt, @finishedAt)
         ON CONFLICT (run_id, path) DO UPDATE SET name = excluded.name, status = excluded.status, cached = excluded.cached,
           job_id = excluded.job_id, attempt = excluded.attempt, inputs = excluded.inputs, outputs = excluded.outputs,
           cache_key = excluded.cache_key, message = excluded.message, notes = excluded.notes,
           started_at = excluded.started_at, finished_at = excluded.finished_at`,
      )
      .run({ ...t, cached: t.cached ? 1 : 0, inputs: JSON.stringify(t.inputs), outputs: t.outputs ? JSON.stringify(t.outputs) : null, notes: JSON.stringify(t.notes) });
  }

  /** The newest successful, non-cached run of a task with this key (in `runId` only, when given). */
  cached(cacheKey: string, runId?: string): StoredTask | null {
    const row = (runId
      ? this.db.prepare("SELECT * FROM pipeline_tasks WHERE cache_key = ? AND status = 'Succeeded' AND run_id = ? ORDER BY finished_at DESC LIMIT 1").get(cacheKey, runId)
      : this.db.prepare("SELECT * FROM pipeline_tasks WHERE cache_key = ? AND status = 'Succeeded' ORDER BY finished_at DESC LIMIT 1").get(cacheKey)) as Row | undefined;
    return row ? toTask(row) : null;
  }
}
