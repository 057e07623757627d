/**
 * Lineage and comparison of runs: re-run and promote record the job they came from (parent_id)
 * and how (the relation label, set when the job is created), so history can show a job's
 * ancestors and descendants and put runs side by side with their status, duration and final
 * metrics. Reads the database only.
 */
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import type { JobRelation } from '../api/schemas/jobs.js';
import type { LineageJob, RunComparison } from '../api/schemas/kubernetes.js';
import { JobRepo, toSummary, type StoredJob } from './job-repo.js';

const MAX_DEPTH = 100;

export class JobLineage {
  private readonly repo: JobRepo;

  constructor(private readonly db: Database.Database) {
    this.repo = new JobRepo(db);
  }

  private require(idOrPrefix: string) {
    const { job, matches } = this.repo.find(idOrPrefix);
    if (job) return job;
    if (matches.length > 1) throw new ApiError('bad_request', `"${idOrPrefix}" matches several jobs (${matches.join(', ')}); type more of the id.`);
    throw new ApiError('not_found', `No job "${idOrPrefix}". \`kfd jobs\` lists the jobs and their ids.`);
  }

  /** The stored relation; jobs made before it was stored get it from where they ran (same place = re-run). */
  private relation(job: StoredJob): JobRelation | null {
    if (!job.parentId) return null;
    if (job.relation) return job.relation;
    const parent = this.repo.get(job.parentId);
    if (!parent) return null;
    return parent.backend === job.backend && parent.target === job.target ? 'rerun' : 'promote';
  }

  private entry(job: StoredJob): LineageJob {
    return { ...toSummary(job), relation: this.relation(job) };
  }

  lineage(idOrPrefix: string): { ancestors: LineageJob[]; job: LineageJob; children: LineageJob[] } {
    const job = this.require(idOrPrefix);
    const ancestors: LineageJob[] = [];
    const seen = new Set([job.id]);
    for (let parent = job.parentId; parent && ancestors.length < MAX_DEPTH && !seen.has(parent); ) {
      seen.add(parent);
      const p = this.repo.get(parent);
      if (!p) break; // deleted parent: the chain stops there
      ancestors.unshift(this.entry(p));
      parent = p.parentId;
    }
    const children = (this.db.prepare('SELECT id FROM jobs WHERE parent_id = ? ORDER BY created_at, id').all(job.id) as { id: string }[])
      .map((r) => this.repo.get(r.id))
      .filter((j) => j !== undefined)
      .map((j) => this.entry(j));
    return { ancestors, job: this.entry(job), children };
  }

  compare(ids: readonly string[]): { runs: RunComparison[] } {
    const last = this.db.prepare(
      `SELECT m.name, m.step, m.value FROM metrics m
         JOIN (SELECT name, MAX(step) AS step FROM metrics WHERE job_id = @id AND rank = 0 GROUP BY name) l
           ON l.name = m.name AND l.step = m.step
        WHERE m.job_id = @id AND m.rank = 0 AND m.value IS NOT NULL
        ORDER BY m.name, m.ts DESC`,
    );
    return {
      runs: ids.map((idOrPrefix) => {
        const job = this.require(idOrPrefix);
        const rows = last.all({ id: job.id }) as { name: string; step: number; value: number }[];
        // Several points at the last step (a metric logged twice): the newest wins.
        const newest = new Map<string, { name: string; step: number; value: number }>();
        for (const r of rows) if (!newest.has(r.name)) newest.set(r.name, r);
        const finalMetrics = [...newest.values()].sort((a, b) => a.name.localeCompare(b.name));
        const durationMs = job.startedAt !== null && job.finishedAt !== null ? job.finishedAt - job.startedAt : null;
        return { job: toSummary(job), durationMs, finalMetrics };
      }),
    };
  }
}
