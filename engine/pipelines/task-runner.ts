/**
 * Starting and finishing one executor task: the cache (KFP's key; a re-run reuses its source
 * run's successes), importers, the task's files and kfp runtime, the job (JobService.runOwned,
 * owner `pipeline-run`, role = task path), reading outputs back and retries with KFP's backoff.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobSummary } from '../api/schemas/jobs.js';
import type { JobService } from '../jobs/job-service.js';
import { ensureKfpRuntime, type KfpEnvOptions } from './kfp/kfp-env.js';
import { cacheKey, cachingEnabled } from './run/cache-key.js';
import type { StartRequest } from './run/dag-evaluator.js';
import { EXECUTOR_OUTPUT_FILE, taskRootOf, type TaskIO } from './run/executor-input.js';
import { OutputError, readTaskOutputs } from './run/executor-output.js';
import { parseDuration, retryDelayMs } from './run/retry.js';
import { planTaskJob, runRootOf } from './run/task-job.js';
import type { PipelineRepo, StoredRun, StoredTask } from './store/pipeline-repo.js';
import type { PipelineSpec } from './spec/pipeline-spec.js';

export interface TaskRunnerDeps {
  repo: PipelineRepo;
  jobs: JobService;
  kfp: () => KfpEnvOptions;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

function fresh(run: StoredRun, start: StartRequest, now: number): StoredTask {
  return { runId: run.id, path: start.path, name: start.name, status: 'Pending', cached: false, jobId: null, attempt: 0, inputs: start.inputs, outputs: null, cacheKey: null, message: null, notes: [], startedAt: now, finishedAt: null };
}

export class TaskRunner {
  constructor(private readonly deps: TaskRunnerDeps) {}

  /** Records the task and starts it (or reuses a cached result). Never throws: a failure is the task's. */
  async start(run: StoredRun, spec: PipelineSpec, start: StartRequest): Promise<void> {
    const { repo } = this.deps;
    const task = fresh(run, start, Date.now());
    try {
      if (start.executor.importer) return this.importArtifact(task, start);
      const key = cacheKey(start.component, start.executor.container, start.inputs);
      task.cacheKey = key;
      const reused = (run.rerunOf ? repo.cached(key, run.rerunOf) : null) ?? (run.enableCache && cachingEnabled(start.task) ? repo.cached(key) : null);
      if (reused && (await this.outputsExist(reused.outputs))) {
        repo.upsertTask({ ...task, status: 'Succeeded', cached: true, jobId: reused.jobId, outputs: reused.outputs, finishedAt: Date.now(), message: `Cached: the result of run ${reused.runId} (${reused.path}) is reused.` });
        return;
      }
      repo.upsertTask(task);
      await this.submit(run, spec, start, task);
    } catch (err) {
      repo.upsertTask({ ...task, status: 'Failed', finishedAt: Date.now(), message: (err as Error).message });
    }
  }

  private async outputsExist(outputs: TaskIO | null): Promise<boolean> {
    if (!outputs) return false;
    // The producing task's folder must still be there (metrics artifacts have no file of their own).
    for (const list of Object.values(outputs.artifacts)) for (const a of list) if (path.isAbsolute(a.uri) && !(await exists(path.dirname(a.uri)))) return false;
    return true;
  }

  private importArtifact(task: StoredTask, start: StartRequest): void {
    const imp = start.executor.importer!;
    const uri = imp.artifactUri?.constant ?? (imp.artifactUri?.runtimeParameter !== undefined ? String(start.inputs.parameters[imp.artifactUri.runtimeParameter] ?? '') : '');
    const outputs: TaskIO = { parameters: {}, artifacts: { artifact: [{ name: 'artifact', uri, type: imp.typeSchema ?? {}, metadata: imp.metadata ?? {} }] } };
    this.deps.repo.upsertTask({ ...task, status: uri ? 'Succeeded' : 'Failed', outputs, finishedAt: Date.now(), message: uri ? `Imported ${uri}` : 'The importer has no artifact URI.' });
  }

  /** Plans the job, writes its files, makes sure kfp's runtime is there and submits it. */
  async submit(run: StoredRun, spec: PipelineSpec, start: StartRequest, task: StoredTask): Promise<void> {
    const { repo, jobs } = this.deps;
    const plan = planTaskJob({ runId: run.id, pipelineName: run.pipelineName, pipelineRoot: run.pipelineRoot, start, backend: run.backend, createTime: new Date(run.createdAt).toISOString(), attempt: task.attempt });
    await mkdir(plan.taskRoot, { recursive: true });
    // A retry starts clean: outputs of the failed attempt must not be read as this one's.
    await rm(path.join(plan.taskRoot, EXECUTOR_OUTPUT_FILE), { force: true });
    for (const f of plan.files) await writeFile(f.path, f.content);
    if (plan.kfpRuntime) {
      repo.upsertTask({ ...task, message: `Preparing the kfp ${plan.kfpRuntime} runtime.` });
      await ensureKfpRuntime(run.pipelineRoot, plan.kfpRuntime, this.deps.kfp());
    }
    const job = await jobs.runOwned({
      workspace: plan.workspace,
      spec: plan.spec,
      backend: run.backend,
      ...(run.placement ? { placement: run.placement } : {}),
      owner: { kind: 'pipeline-run', id: run.id, role: start.path },
    });
    const notes = [...plan.notes, ...job.warnings.map((w) => w.message)];
    repo.upsertTask({ ...task, status: 'Running', jobId: job.id, notes, message: task.attempt ? `Attempt ${task.attempt + 1}.` : null });
  }

  /**
   * The task's job ended. Returns 'retry' with the delay when the retry policy asks for another
   * attempt (the caller waits, then calls `retry`).
   */
  async finish(run: StoredRun, spec: PipelineSpec, start: StartRequest | null, task: StoredTask, job: JobSummary): Promise<{ retryInMs: number } | null> {
    const { repo } = this.deps;
    const now = Date.now();
    if (job.status === 'Complete') {
      const component = start?.component ?? {};
      const runRoot = runRootOf(run.pipelineRoot, run.pipelineName, run.id);
      const plan = start ? planTaskJob({ runId: run.id, pipelineName: run.pipelineName, pipelineRoot: run.pipelineRoot, start, backend: run.backend, createTime: new Date(run.createdAt).toISOString(), attempt: task.attempt }) : null;
      try {
        const outputs = await readTaskOutputs(component, taskRootOf(runRoot, task.path), plan?.hostPathOf);
        repo.upsertTask({ ...task, status: 'Succeeded', outputs, finishedAt: now, message: task.attempt ? `Succeeded on attempt ${task.attempt + 1}.` : null });
        return null;
      } catch (err) {
        if (!(err instanceof OutputError)) throw err;
        repo.upsertTask({ ...task, status: 'Failed', finishedAt: now, message: `The task's process succeeded but ${err.message}` });
        return null;
      }
    }
    if (job.status === 'Cancelled' || run.cancelRequested) {
      repo.upsertTask({ ...task, status: 'Cancelled', finishedAt: now, message: job.message });
      return null;
    }
    const policy = start?.task.retryPolicy;
    const max = policy?.maxRetryCount ?? 0;
    if (task.attempt < max) {
      const delay = retryDelayMs(policy!, task.attempt);
      // No job while it waits: a restarted engine submits the next attempt at once (resume()).
      repo.upsertTask({ ...task, jobId: null, message: `Attempt ${task.attempt + 1} failed (${job.message ?? job.reason ?? 'failed'}); retrying in ${Math.round(delay / 1000)} s (${task.attempt + 1} of ${max} retries).` });
      return { retryInMs: delay };
    }
    // The error a user looks for is the process's last words (a Python exception's last line).
    const tail = (await this.deps.jobs.detail(job.id).catch(() => null))?.failureLog.filter((l) => l.trim()) ?? [];
    const last = tail.at(-1)?.trim();
    // A task is one process: "rank 0 (node 0, local rank 0) exited …" says more than a user needs.
    const said = (job.message ?? `The task's job ${job.id} failed.`).replace(/^rank 0 \(node 0, local rank 0\) /, "The task's process ");
    repo.upsertTask({ ...task, status: 'Failed', finishedAt: now, message: `${said}${last ? ` Last output: ${last}` : ''}` });
    return null;
  }

  async retry(run: StoredRun, spec: PipelineSpec, start: StartRequest, task: StoredTask): Promise<void> {
    const next = { ...task, attempt: task.attempt + 1, jobId: null, status: 'Pending' as const };
    try {
      await this.submit(run, spec, start, next);
    } catch (err) {
      this.deps.repo.upsertTask({ ...next, status: 'Failed', finishedAt: Date.now(), message: (err as Error).message });
    }
  }
}

