/**
 * `kfd run | jobs | show | logs | cancel | rerun`: the job commands, through the same API
 * contract (dispatch + events) the app uses.
 */
import path from 'node:path';
import type { EventName, JobDetail, JobSummary, LogLine } from '../../engine/api/contract.js';
import { callApi, guardCommand, type Dispatch } from './api-call.js';
import { formatJobDetail, formatJobTable, formatLogLine } from './job-format.js';


export interface JobCommandDeps {
  dispatch: Dispatch;
  subscribe: (listener: (event: EventName, payload: unknown) => void) => () => void;
  stdout?: { write(text: string): unknown; isTTY?: boolean };
  stderr?: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

// "No such job" exits 2, other failures 1.
export const call = <T>(deps: JobCommandDeps, method: string, input: unknown) => callApi<T>(deps.dispatch, method, input, 2);

const FINAL = new Set(['Complete', 'Failed', 'Cancelled']);

/** A job's exit code for the shell: 0 Complete, the failing rank's code, 130 when cancelled. */
export function exitCodeOf(job: JobSummary): number {
  if (job.status === 'Complete') return 0;
  if (job.status === 'Cancelled') return 130;
  return job.exitCode && job.exitCode > 0 ? Math.min(job.exitCode, 255) : 1;
}

export function io(deps: JobCommandDeps) {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const env = deps.env ?? process.env;
  return { stdout, stderr, color: Boolean(stdout.isTTY) && !env.NO_COLOR };
}

/**
 * Streams a job's log lines until it ends, by paging forward through its rank files with a
 * cursor: no gaps and no duplicates, whether the job is running, finished, or re-attached.
 */
export async function follow(deps: JobCommandDeps, id: string, rank: number | undefined, pollMs = 250): Promise<JobSummary> {
  const { stdout, stderr, color } = io(deps);
  let detail = await call<JobDetail>(deps, 'jobs.get', { id });
  const multi = detail.numNodes * detail.numProcPerNode > 1 && rank === undefined;
  let cursor: string | undefined;
  let shownMessage: string | null = null;
  for (;;) {
    // Before the ranks start (environment setup, pip), the job's message is the progress.
    if (detail.status === 'Created' && detail.message && detail.message !== shownMessage) {
      stderr.write(`… ${detail.message}\n`);
      shownMessage = detail.message;
    }
    const page = await call<{ lines: LogLine[]; cursor: string; done: boolean }>(deps, 'jobs.logs', { id: detail.id, rank, cursor, limit: 5000 });
    for (const l of page.lines) stdout.write(formatLogLine(l, color, multi) + '\n');
    cursor = page.cursor;
    if (page.done) break;
    if (page.lines.length === 5000) continue;
    if (FINAL.has(detail.status)) {
      // The job ended after our last read: one more page drains what it wrote last.
      detail = await call<JobDetail>(deps, 'jobs.get', { id: detail.id });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    detail = await call<JobDetail>(deps, 'jobs.get', { id: detail.id });
  }
  return call<JobDetail>(deps, 'jobs.get', { id: detail.id });
}

export const guard = (deps: JobCommandDeps, fn: () => Promise<number>) => guardCommand(io(deps).stderr, fn);

export interface RunOptions {
  backend: string;
  /** Backend kubernetes: the kubeconfig context, local cluster or target id. */
  context?: string;
  namespace?: string;
  follow?: boolean;
  json?: boolean;
  nodes?: number;
  procs?: number;
}

export function runCommand(target: string, opts: RunOptions, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    const job = await call<JobDetail>(deps, 'jobs.run', {
      path: path.resolve(target),
      backend: opts.backend,
      ...(opts.nodes ? { numNodes: opts.nodes } : {}),
      ...(opts.procs ? { numProcPerNode: opts.procs } : {}),
      ...(opts.context ? { target: opts.context } : {}),
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
    });
    for (const w of job.warnings) stderr.write(`warning: ${w.message}\n`);
    if (!opts.follow) {
      if (opts.json) stdout.write(JSON.stringify(job, null, 2) + '\n');
      else stdout.write(`${job.id}\n`);
      stderr.write(`Started ${job.name} (${job.numNodes}x${job.numProcPerNode}) as ${job.id}; follow it with \`kfd logs --follow ${job.id}\`.\n`);
      return 0;
    }
    stderr.write(`Started ${job.name} as ${job.id} (${job.numNodes} node(s) x ${job.numProcPerNode} process(es)); Ctrl+C cancels it.\n`);
    const onSigint = () => void call(deps, 'jobs.cancel', { id: job.id }).catch(() => undefined);
    process.once('SIGINT', onSigint);
    try {
      const final = await follow(deps, job.id, undefined);
      stderr.write(`${final.name} ${final.status}${final.message ? `: ${final.message}` : ''}\n`);
      if (opts.json) stdout.write(JSON.stringify(final, null, 2) + '\n');
      return exitCodeOf(final);
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
}

export function jobsCommand(opts: { json?: boolean; status?: string[]; limit: number }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, color } = io(deps);
    const { jobs } = await call<{ jobs: JobSummary[] }>(deps, 'jobs.list', { limit: opts.limit, ...(opts.status ? { status: opts.status } : {}) });
    stdout.write(opts.json ? JSON.stringify(jobs, null, 2) + '\n' : formatJobTable(jobs, color));
    return 0;
  });
}

export function showCommand(id: string, opts: { json?: boolean }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const job = await call<JobDetail>(deps, 'jobs.get', { id });
    io(deps).stdout.write(opts.json ? JSON.stringify(job, null, 2) + '\n' : formatJobDetail(job));
    return 0;
  });
}

export function logsCommand(id: string, opts: { follow?: boolean; rank?: number }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    if (opts.follow) {
      await follow(deps, id, opts.rank);
      return 0;
    }
    const { stdout, color } = io(deps);
    const detail = await call<JobDetail>(deps, 'jobs.get', { id });
    const multi = detail.numNodes * detail.numProcPerNode > 1 && opts.rank === undefined;
    let cursor: string | undefined;
    for (;;) {
      const page = await call<{ lines: LogLine[]; cursor: string }>(deps, 'jobs.logs', { id: detail.id, rank: opts.rank, cursor, limit: 5000 });
      for (const l of page.lines) stdout.write(formatLogLine(l, color, multi) + '\n');
      cursor = page.cursor;
      if (page.lines.length < 5000) return 0;
    }
  });
}

export function cancelCommand(id: string, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const job = await call<JobSummary>(deps, 'jobs.cancel', { id });
    io(deps).stdout.write(`${job.id} ${job.status}\n`);
    return 0;
  });
}

export function rerunCommand(id: string, opts: { follow?: boolean }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const job = await call<JobDetail>(deps, 'jobs.rerun', { id });
    const { stdout, stderr } = io(deps);
    if (!opts.follow) {
      stdout.write(`${job.id}\n`);
      return 0;
    }
    stderr.write(`Re-running as ${job.id}\n`);
    return exitCodeOf(await follow(deps, job.id, undefined));
  });
}
