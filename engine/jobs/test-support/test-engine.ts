/**
 * A real engine (createEngine) on a temp data dir, driven through `dispatch` and `events` the way
 * the UI drives it, with the events it emitted recorded. No vitest import: bench uses it too.
 */
import fs from 'node:fs';
import type { ApiErrorBody, EventName, JobDetail, JobStatus, LogLine, MethodInput, MethodName, MethodOutput } from '../../api/contract.js';
import { createEngine, type Engine } from '../../engine.js';
import { jobEnv } from './python.js';

export class ApiCallError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

export async function waitFor<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const FINAL: readonly JobStatus[] = ['Complete', 'Failed', 'Cancelled'];

export class TestEngine {
  readonly events: { event: EventName; payload: unknown }[] = [];
  private readonly unsubscribe: () => void;

  private constructor(readonly engine: Engine) {
    this.unsubscribe = engine.events.subscribe((event, payload) => this.events.push({ event, payload }));
  }

  /** `dataDir` is created if needed; removing it is the caller's business. */
  static open(dataDir: string, env: NodeJS.ProcessEnv = jobEnv()): TestEngine {
    fs.mkdirSync(dataDir, { recursive: true });
    return new TestEngine(createEngine({ dataDir, env }));
  }

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const answer = await this.engine.dispatch(method, input);
    if ('error' in answer) throw new ApiCallError(answer.error);
    return answer.result as MethodOutput<M>;
  }

  /** The error a call must fail with (throws if it succeeds). */
  async callError<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiErrorBody> {
    const answer = await this.engine.dispatch(method, input);
    if ('error' in answer) return answer.error;
    throw new Error(`${method} succeeded, but an error was expected: ${JSON.stringify(answer.result).slice(0, 300)}`);
  }

  async waitForStatus(id: string, statuses: readonly JobStatus[] = FINAL, timeoutMs = 30_000): Promise<JobDetail> {
    return waitFor(`job ${id} to be ${statuses.join('/')}`, async () => {
      const job = await this.call('jobs.get', { id });
      return statuses.includes(job.status) ? job : null;
    }, timeoutMs);
  }

  /** Every line through forward paging with the cursor, `limit` lines per page, until `done`. */
  async allLogs(id: string, opts: { rank?: number; limit?: number } = {}): Promise<{ lines: LogLine[]; pages: number }> {
    const lines: LogLine[] = [];
    let cursor: string | undefined;
    for (let pages = 1; pages < 10_000; pages++) {
      const page = await this.call('jobs.logs', { id, limit: opts.limit ?? 2000, ...(opts.rank !== undefined ? { rank: opts.rank } : {}), ...(cursor ? { cursor } : {}) });
      lines.push(...page.lines);
      cursor = page.cursor;
      if (page.done) return { lines, pages };
    }
    throw new Error(`jobs.logs of ${id} never said done`);
  }

  /** A job's statuses as its jobs.changed events told them, repeats collapsed. */
  statuses(id: string): JobStatus[] {
    const out: JobStatus[] = [];
    for (const e of this.events) {
      if (e.event !== 'jobs.changed') continue;
      const job = e.payload as { id: string; status: JobStatus };
      if (job.id === id && out.at(-1) !== job.status) out.push(job.status);
    }
    return out;
  }

  /** Lines a job's jobs.log events carried, in arrival order. */
  logEvents(id: string): LogLine[] {
    return this.events.flatMap((e) => (e.event === 'jobs.log' && (e.payload as { jobId: string }).jobId === id ? (e.payload as { lines: LogLine[] }).lines : []));
  }

  /** (rank, name, step) rows of the metrics table that occur more than once for the job. */
  duplicateMetricRows(jobId: string): unknown[] {
    return this.engine.store.db
      .prepare('SELECT rank, name, step, COUNT(*) AS n FROM metrics WHERE job_id = ? GROUP BY rank, name, step HAVING n > 1')
      .all(jobId);
  }

  metricRowCount(jobId: string, name?: string): number {
    const sql = `SELECT COUNT(*) AS n FROM metrics WHERE job_id = ?${name ? ' AND name = ?' : ''}`;
    return (this.engine.store.db.prepare(sql).get(...(name ? [jobId, name] : [jobId])) as { n: number }).n;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.engine.close();
  }
}

/** A stable key for comparing lines as multisets. */
export const lineKey = (l: LogLine) => `${l.rank}|${l.ts}|${l.stream}|${l.text}`;
