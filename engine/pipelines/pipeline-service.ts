/**
 * Pipeline runs: a compiled KFP pipeline run locally as a DAG of task jobs. The decisions are
 * dag-evaluator's (pure, from the store); this class does the I/O: it records runs and tasks,
 * starts what the evaluator says, follows the task jobs through `jobs.changed`, and on engine start
 * resumes every run that was not finished (`resume()`, the one place a restarted engine picks up).
 */
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { BackendId, JobSummary } from '../api/schemas/jobs.js';
import type { PipelineRunDetail, PipelineRunSummary } from '../api/schemas/pipelines.js';
import type { Placement } from '../backends/backend.js';
import { newJobId } from '../jobs/job-ids.js';
import { pidAlive } from '../jobs/python-env/env-lock.js';
import type { KfpEnvOptions } from './kfp/kfp-env.js';
import { loadPipeline } from './load-pipeline.js';
import { evaluateRun, type ExecRecord } from './run/dag-evaluator.js';
import { taskAt } from './run/task-path.js';
import { parseParameterText, ParameterValueError, resolveRunParameters } from './run/values.js';
import { runDetail, runSummary } from './run-view.js';
import { parsePipelineText } from './spec/parse-pipeline.js';
import type { PipelineSpec } from './spec/pipeline-spec.js';
import { FINAL_RUN_STATUSES, PipelineRepo, type StoredRun, type StoredTask } from './store/pipeline-repo.js';
import { TaskRunner } from './task-runner.js';
import type { OrchestratorDeps } from '../orchestrators.js';

export type PipelineServiceDeps = OrchestratorDeps;

export interface RunInput {
  path: string;
  parameters: Record<string, unknown>;
  backend: BackendId;
  target?: string | undefined;
  namespace?: string | undefined;
  enableCache: boolean;
  pipeline?: string | undefined;
}

export class PipelineService {
  readonly repo: PipelineRepo;
  private readonly runner: TaskRunner;
  private readonly specs = new Map<string, PipelineSpec>();
  /** One tick at a time per run; a tick asked for during one runs right after it. */
  private readonly ticking = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ending = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;
  readonly pipelineRoot: string;
  /** This engine, as the driver of the runs it started or resumed. */
  private readonly me = `${os.hostname()}:${process.pid}`;

  constructor(private readonly deps: PipelineServiceDeps) {
    this.repo = new PipelineRepo(deps.db);
    this.pipelineRoot = path.join(deps.dataDir, 'pipelines', 'root');
    this.runner = new TaskRunner({ repo: this.repo, jobs: deps.jobs, kfp: () => this.kfpOptions() });
    this.unsubscribe = deps.events.subscribe((event, payload) => {
      if (event !== 'jobs.changed') return;
      const job = payload as JobSummary;
      if (job.owner?.kind === 'pipeline-run' && ['Complete', 'Failed', 'Cancelled'].includes(job.status)) void this.onJobEnded(job);
    });
  }

  kfpOptions(signal?: AbortSignal): KfpEnvOptions {
    let last = 0;
    return {
      dataDir: this.deps.dataDir,
      env: this.deps.env,
      settings: this.deps.settings(),
      signal,
      // Installing kfp takes about half a minute the first time: say what pip is doing, twice a second at most.
      onProgress: (p) => {
        if (p.step === 'pip' && p.line && Date.now() - last < 500) return;
        last = Date.now();
        this.deps.events.emit('pipelines.progress', { message: p.line ? `${p.message} ${p.line}` : p.message });
      },
    };
  }

  async submit(input: RunInput): Promise<PipelineRunDetail> {
    const loaded = await loadPipeline(input.path, { ...this.kfpOptions(), pipeline: input.pipeline, compiledDir: path.join(this.deps.dataDir, 'pipelines', 'compiled') });
    const defs = loaded.spec.root.inputDefinitions?.parameters ?? {};
    let parameters: Record<string, unknown>;
    try {
      const given: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input.parameters)) given[k] = typeof v === 'string' && defs[k] ? parseParameterText(k, v, defs[k].parameterType) : v;
      parameters = resolveRunParameters(defs, given);
    } catch (err) {
      if (err instanceof ParameterValueError) throw new ApiError('bad_request', `${loaded.file}: ${err.message}`);
      throw err;
    }
    // On a cluster the tasks need the pipeline root itself (outputs and artifacts come back through
    // it): only a local cluster whose mounted folder holds it can (hostPath); the backend says so otherwise.
    const placement: Placement | null = input.backend === 'kubernetes' ? { ...(input.target ? { target: input.target } : {}), ...(input.namespace ? { namespace: input.namespace } : {}), shipping: 'hostPath' } : null;
    const run = this.repo.insertRun({
      id: newJobId(),
      name: loaded.spec.pipelineInfo.displayName ?? loaded.spec.pipelineInfo.name,
      pipelineName: loaded.spec.pipelineInfo.name,
      file: loaded.source,
      spec: loaded.text,
      parameters,
      backend: input.backend,
      placement,
      enableCache: input.enableCache,
      rerunOf: null,
      pipelineRoot: this.pipelineRoot,
      createdAt: Date.now(),
    });
    this.specs.set(run.id, loaded.spec);
    this.repo.claim(run.id, this.me, pidAlive);
    this.startTicking(run.id);
    return this.detail(run.id);
  }

  /** The first tasks may wait for kfp's runtime or a package environment: the caller does not. */
  private startTicking(runId: string): void {
    this.tick(runId).catch((err: unknown) => console.warn(`pipeline run ${runId}:`, err));
  }

  /** The same spec and parameters; what succeeded in `id` is reused, the rest runs. */
  async rerun(idOrPrefix: string): Promise<PipelineRunDetail> {
    const old = this.find(idOrPrefix);
    const run = this.repo.insertRun({ ...old, id: newJobId(), rerunOf: old.id, createdAt: Date.now() });
    this.repo.claim(run.id, this.me, pidAlive);
    this.startTicking(run.id);
    return this.detail(run.id);
  }

  async cancel(idOrPrefix: string): Promise<PipelineRunSummary> {
    const run = this.find(idOrPrefix);
    if (FINAL_RUN_STATUSES.includes(run.status)) return this.summary(run.id);
    this.repo.requestCancel(run.id);
    for (const task of this.repo.tasks(run.id)) {
      if (task.status === 'Running' && task.jobId) await this.deps.jobs.cancel(task.jobId).catch(() => undefined);
      else if (task.status === 'Pending' || task.status === 'Running') this.repo.upsertTask({ ...task, status: 'Cancelled', finishedAt: Date.now(), message: 'Cancelled before it started.' });
    }
    await this.tick(run.id);
    return this.summary(run.id);
  }

  list(limit?: number): { runs: PipelineRunSummary[] } {
    return { runs: this.repo.listRuns(limit).map((r) => runSummary(r, this.repo.tasks(r.id))) };
  }

  find(idOrPrefix: string): StoredRun {
    const exact = this.repo.getRun(idOrPrefix);
    if (exact) return exact;
    const found = this.repo.findRuns(idOrPrefix);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) throw new ApiError('bad_request', `"${idOrPrefix}" matches several pipeline runs (${found.map((r) => r.id).join(', ')}); give more of the id.`);
    throw new ApiError('not_found', `No pipeline run ${idOrPrefix}. \`kfd pipeline runs\` lists them.`);
  }

  summary(idOrPrefix: string): PipelineRunSummary {
    const run = this.find(idOrPrefix);
    return runSummary(run, this.repo.tasks(run.id));
  }

  detail(idOrPrefix: string): PipelineRunDetail {
    const run = this.find(idOrPrefix);
    const spec = this.specOf(run);
    const tasks = this.repo.tasks(run.id);
    const evaluation = evaluateRun(spec, run.parameters, recordsOf(tasks), { cancelling: run.cancelRequested, runName: run.name });
    return runDetail(run, tasks, evaluation.nodes);
  }

  specOf(run: StoredRun): PipelineSpec {
    let spec = this.specs.get(run.id);
    if (!spec) {
      spec = parsePipelineText(run.spec, run.file).spec;
      this.specs.set(run.id, spec);
    }
    return spec;
  }

  /** Re-evaluates a run until nothing more can happen now; serialised per run. */
  tick(runId: string): Promise<void> {
    const current = this.ticking.get(runId);
    if (current) {
      this.again.add(runId);
      return current;
    }
    const work = (async () => {
      do {
        this.again.delete(runId);
        await this.step(runId);
      } while (this.again.has(runId) && !this.closed);
    })().finally(() => this.ticking.delete(runId));
    this.ticking.set(runId, work);
    return work;
  }

  private async step(runId: string): Promise<void> {
    for (let round = 0; round < 10_000 && !this.closed; round++) {
      const run = this.repo.getRun(runId);
      if (!run || FINAL_RUN_STATUSES.includes(run.status)) return;
      const spec = this.specOf(run);
      const evaluation = evaluateRun(spec, run.parameters, recordsOf(this.repo.tasks(runId)), { cancelling: run.cancelRequested, runName: run.name });
      for (const s of evaluation.toSkip) {
        this.repo.upsertTask({ runId, path: s.path, name: s.path.split('/').pop()!, status: 'Skipped', cached: false, jobId: null, attempt: 0, inputs: { parameters: {}, artifacts: {} }, outputs: null, cacheKey: null, message: s.message, notes: [], startedAt: null, finishedAt: Date.now() });
      }
      await Promise.all(evaluation.toStart.map((start) => this.runner.start(run, spec, start)));
      // A task whose job ended before its id was recorded missed its jobs.changed: read it now.
      for (const start of evaluation.toStart) {
        const task = this.repo.task(runId, start.path);
        if (task?.status !== 'Running' || !task.jobId) continue;
        const job = await this.deps.jobs.detail(task.jobId).catch(() => null);
        if (job && ['Complete', 'Failed', 'Cancelled'].includes(job.status)) void this.onJobEnded(job);
      }
      const final = FINAL_RUN_STATUSES.includes(evaluation.status);
      const failed = evaluation.nodes.find((n) => n.status === 'Failed' && (n.kind === 'task' || n.kind === 'importer'));
      const message = evaluation.status === 'Failed' ? (failed ? `Task ${failed.path} failed: ${failed.message ?? 'see its logs'}` : 'A task failed.') : evaluation.status === 'Cancelled' ? 'Cancelled.' : null;
      if (run.status !== evaluation.status || final) this.repo.setRunState(runId, evaluation.status, message, final ? evaluation.outputs : null, Date.now());
      this.emit(runId);
      if (!evaluation.toStart.length && !evaluation.toSkip.length) return;
    }
  }

  private emit(runId: string): void {
    const run = this.repo.getRun(runId);
    if (run) this.deps.events.emit('pipelines.changed', runSummary(run, this.repo.tasks(runId)));
  }

  private async onJobEnded(job: JobSummary): Promise<void> {
    if (this.closed || !job.owner || this.ending.has(job.id)) return;
    const run = this.repo.getRun(job.owner.id);
    const task = run && this.repo.task(run.id, job.owner.role);
    if (!run || !task || task.jobId !== job.id || task.status !== 'Running') return;
    const spec = this.specOf(run);
    const start = taskAt(spec, task.path, task.inputs);
    // jobs.changed says "Failed" more than once (the outcome, then its message): finish once.
    this.ending.add(job.id);
    let retry: { retryInMs: number } | null;
    try {
      retry = await this.runner.finish(run, spec, start, task, job);
    } finally {
      this.ending.delete(job.id);
    }
    if (retry && start) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const latest = this.repo.getRun(run.id);
        const waiting = this.repo.task(run.id, task.path);
        // Still waiting for this attempt (a restarted engine may have submitted it already).
        if (this.closed || !latest || latest.cancelRequested || !waiting || waiting.status !== 'Running' || waiting.jobId) return;
        void this.runner.retry(latest, spec, start, waiting).then(() => this.tick(run.id));
      }, retry.retryInMs);
      this.timers.add(timer);
    }
    await this.tick(run.id);
  }

  /**
   * After an engine restart: every unfinished run picks up where the store says it is. Task jobs
   * that ended meanwhile are read back (the job service re-attached them first); tasks recorded
   * but never submitted are submitted; then each run is evaluated again.
   */
  async resume(): Promise<void> {
    await this.deps.jobs.ready;
    for (const run of this.repo.nonFinalRuns()) {
      // Another engine (the app, a `kfd pipeline run --follow`) is driving it: leave it to that one.
      if (!this.repo.claim(run.id, this.me, pidAlive)) continue;
      const spec = this.specOf(run);
      for (const task of this.repo.tasks(run.id)) {
        if (task.status !== 'Pending' && task.status !== 'Running') continue;
        if (!task.jobId) {
          const start = taskAt(spec, task.path, task.inputs);
          if (start && !run.cancelRequested) await this.runner.retry(run, spec, start, { ...task, attempt: task.attempt - 1 });
          else this.repo.upsertTask({ ...task, status: 'Cancelled', finishedAt: Date.now(), message: 'Not started before the app stopped.' });
          continue;
        }
        const job = await this.deps.jobs.detail(task.jobId).catch(() => null);
        if (!job) this.repo.upsertTask({ ...task, status: 'Failed', finishedAt: Date.now(), message: `Its job ${task.jobId} is gone.` });
        else if (['Complete', 'Failed', 'Cancelled'].includes(job.status)) await this.onJobEnded(job);
      }
      await this.tick(run.id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.ticking.values()]);
    // The next engine to start picks up what this one drove.
    this.repo.release(this.me);
  }
}

export function recordsOf(tasks: StoredTask[]): Map<string, ExecRecord> {
  return new Map(tasks.map((t) => [t.path, { path: t.path, status: t.status, outputs: t.outputs, message: t.message }]));
}
