/** SQL for jobs and their ranks. Rows in, API shapes out; no I/O besides the database. */
import type Database from 'better-sqlite3';
import type { BackendId, JobOwner, JobOwnerKind, JobRelation, JobStatus, JobSummary, RankInfo, SpecIssue } from '../api/schemas/jobs.js';
import { listJobRows, type ListQuery } from './job-list-query.js';

/** Key in the jobs.labels JSON: how the job was made from its parent (set when it is created). */
export const RELATION_LABEL = 'kubeflow-desktop/relation';

export interface NewJob {
  id: string;
  name: string;
  workspace: string;
  spec: string;
  backend: BackendId;
  target: string;
  numNodes: number;
  numProcPerNode: number;
  warnings: SpecIssue[];
  jobDir: string;
  parentId: string | null;
  /** How it was made from `parentId`; null without a parent. */
  relation?: JobRelation | null;
  /** The experiment, pipeline run or model server that made it; absent for a user's own job. */
  owner?: JobOwner | null;
  createdAt: number;
}

interface JobRow {
  id: string;
  name: string;
  workspace: string;
  spec: string;
  backend: string;
  target: string;
  status: string;
  reason: string;
  message: string;
  exit_code: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  parent_id: string | null;
  num_nodes: number;
  num_proc_per_node: number;
  warnings: string;
  job_dir: string;
  failed_rank: number | null;
  labels: string;
  owner_kind: string | null;
  owner_id: string | null;
  owner_role: string;
}

interface RankRow {
  global_rank: number;
  node_rank: number;
  local_rank: number;
  pid: number | null;
  container_id: string | null;
  status: string;
  exit_code: number | null;
  signal: string | null;
}

export interface StoredJob extends JobSummary {
  spec: string;
  warnings: SpecIssue[];
  jobDir: string;
  failedRank: number | null;
  /** Stored with the job; null for jobs without a parent and for jobs made before it was stored. */
  relation: JobRelation | null;
}

function relationOf(labels: string): JobRelation | null {
  try {
    const v = (JSON.parse(labels) as Record<string, unknown>)[RELATION_LABEL];
    return v === 'rerun' || v === 'promote' ? v : null;
  } catch {
    return null;
  }
}

const FINAL = new Set<JobStatus>(['Complete', 'Failed', 'Cancelled']);
export const isFinal = (status: JobStatus): boolean => FINAL.has(status);

function toJob(row: JobRow): StoredJob {
  return {
    id: row.id,
    name: row.name,
    workspace: row.workspace,
    backend: row.backend as BackendId,
    target: row.target,
    status: row.status as JobStatus,
    reason: row.reason || null,
    message: row.message || null,
    exitCode: row.exit_code,
    numNodes: row.num_nodes,
    numProcPerNode: row.num_proc_per_node,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    parentId: row.parent_id,
    owner: row.owner_kind && row.owner_id ? { kind: row.owner_kind as JobOwnerKind, id: row.owner_id, role: row.owner_role } : null,
    spec: row.spec,
    warnings: JSON.parse(row.warnings) as SpecIssue[],
    jobDir: row.job_dir,
    failedRank: row.failed_rank,
    relation: relationOf(row.labels),
  };
}

export function toSummary(job: StoredJob): JobSummary {
  const { spec: _spec, warnings: _warnings, jobDir: _jobDir, failedRank: _failedRank, relation: _relation, ...summary } = job;
  return summary;
}

export class JobRepo {
  constructor(private readonly db: Database.Database) {}

  insert(job: NewJob): StoredJob {
    this.db
      .prepare(
        `INSERT INTO jobs (id, name, workspace, spec, backend, target, status, created_at, parent_id,
                           num_nodes, num_proc_per_node, warnings, job_dir, labels, owner_kind, owner_id, owner_role)
         VALUES (@id, @name, @workspace, @spec, @backend, @target, 'Created', @createdAt, @parentId,
                 @numNodes, @numProcPerNode, @warnings, @jobDir, @labels, @ownerKind, @ownerId, @ownerRole)`,
      )
      .run({
        ...job,
        warnings: JSON.stringify(job.warnings),
        labels: JSON.stringify(job.relation && job.parentId ? { [RELATION_LABEL]: job.relation } : {}),
        ownerKind: job.owner?.kind ?? null,
        ownerId: job.owner?.id ?? null,
        ownerRole: job.owner?.role ?? '',
      });
    return this.get(job.id)!;
  }

  get(id: string): StoredJob | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row && toJob(row);
  }

  /** An id or a prefix of one (as typed on the command line): the job, or every match. */
  find(idOrPrefix: string): { job?: StoredJob; matches: string[] } {
    const exact = this.get(idOrPrefix);
    if (exact) return { job: exact, matches: [exact.id] };
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6`)
      .all(idOrPrefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%') as JobRow[];
    return { job: rows.length === 1 ? toJob(rows[0]!) : undefined, matches: rows.map((r) => r.id) };
  }

  /** Newest first; `search` matches name, id or workspace (case-insensitive); see job-list-query.ts. */
  list(opts: ListQuery): { jobs: StoredJob[]; total: number; nextCursor: string | null } {
    const page = listJobRows<JobRow>(this.db, opts);
    return { jobs: page.rows.map(toJob), total: page.total, nextCursor: page.nextCursor };
  }

  /** Every job one orchestrator made, oldest first (an experiment's trials, a run's tasks). */
  byOwner(kind: JobOwnerKind, id: string): StoredJob[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE owner_kind = ? AND owner_id = ? ORDER BY created_at, id').all(kind, id) as JobRow[]).map(toJob);
  }

  nonFinal(): StoredJob[] {
    return (this.db.prepare(`SELECT * FROM jobs WHERE status IN ('Created', 'Running')`).all() as JobRow[]).map(toJob);
  }

  /** Progress or context for a job that has not finished (a final message is set by finish). */
  setMessage(id: string, message: string): void {
    this.db.prepare(`UPDATE jobs SET message = ? WHERE id = ? AND status IN ('Created', 'Running')`).run(message, id);
  }

  markRunning(id: string, startedAt: number): void {
    this.db.prepare(`UPDATE jobs SET status = 'Running', started_at = COALESCE(started_at, ?) WHERE id = ?`).run(startedAt, id);
  }

  /** Final statuses are written once: a late cancel cannot overwrite a real failure. */
  finish(
    id: string,
    outcome: { status: JobStatus; reason: string; message: string; exitCode: number | null; failedRank: number | null },
    at: number,
  ): boolean {
    const result = this.db
      .prepare(
        `UPDATE jobs SET status = @status, reason = @reason, message = @message, exit_code = @exitCode,
                failed_rank = @failedRank, finished_at = @at
         WHERE id = @id AND status IN ('Created', 'Running')`,
      )
      .run({ id, at, ...outcome });
    return result.changes > 0;
  }

  upsertRank(jobId: string, rank: RankInfo, logPath: string): void {
    this.db
      .prepare(
        `INSERT INTO job_ranks (job_id, global_rank, node_rank, local_rank, pid, container_id, status, exit_code, signal, log_path)
         VALUES (@jobId, @globalRank, @nodeRank, @localRank, @pid, @container, @status, @exitCode, @signal, @logPath)
         ON CONFLICT (job_id, global_rank) DO UPDATE SET
           pid = excluded.pid, container_id = excluded.container_id, status = excluded.status, exit_code = excluded.exit_code, signal = excluded.signal`,
      )
      // container_id holds the container's name: what `docker logs/exec` and the UI use.
      .run({ jobId, logPath, ...rank, container: rank.container ?? null });
  }

  ranks(jobId: string): RankInfo[] {
    const rows = this.db
      .prepare('SELECT global_rank, node_rank, local_rank, pid, container_id, status, exit_code, signal FROM job_ranks WHERE job_id = ? ORDER BY global_rank')
      .all(jobId) as RankRow[];
    return rows.map((r) => ({
      globalRank: r.global_rank,
      nodeRank: r.node_rank,
      localRank: r.local_rank,
      pid: r.pid,
      ...(r.container_id ? { container: r.container_id } : {}),
      status: r.status as RankInfo['status'],
      exitCode: r.exit_code,
      signal: r.signal,
    }));
  }
}
