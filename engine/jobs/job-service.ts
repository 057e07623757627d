/**
 * Jobs: from "run this workspace" to a finished, recorded job. Owns the job rows, starts the
 * backend, captures logs/metrics, and on engine start reconciles every job that was still
 * running when the engine last stopped (re-attaching to ranks that outlived it).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import type { Settings } from '../api/contract.js';
import type { EventBus } from '../api/event-bus.js';
import type { BackendId, JobDetail, JobOwner, JobRelation, JobStatus, JobSummary, MetricSeries, RankInfo } from '../api/schemas/jobs.js';
import type { Backend, BackendCallbacks, JobOutcome, Placement, RunningJob } from '../backends/backend.js';
import { failureHint } from './failure-hint.js';
import { JobCapture, logDirOf } from './job-capture.js';
import { newJobId } from './job-ids.js';
import type { LogsRequest } from './job-logs-api.js';
import { FAILURE_LOG_LINES, findJob, jobDetail, JobLogReader, jobMetrics } from './job-reads.js';
import { JobRepo, isFinal, toSummary, type StoredJob } from './job-repo.js';
import { lastLines } from './logs/log-index.js';
import { rankLogPath } from './logs/log-tailer.js';
import { chooseInterpreter, prepareJobPython, PythonEnvError } from './python-env/index.js';
import type { TrainJob } from './trainjob/index.js';
import { backendCapacity, loadWorkspaceJob, validateJobText, type Overrides } from './workspace-job.js';

export interface JobServiceDeps {
  db: Database.Database;
  events: EventBus;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings(): Settings;
  backends: Partial<Record<BackendId, Backend>>;
}


export class JobService {
  private readonly repo: JobRepo;
  private readonly active = new Map<string, { running?: RunningJob; capture: JobCapture; abort?: AbortController }>();
  /** The interpreter each running job got (a managed venv's python, or the chosen one). */
  private readonly pythonOf = new Map<string, string>();
  private readonly logReader = new JobLogReader();
  /** finish() calls under way: close() waits for them, so they never write to a closed store. */
  private readonly finishing = new Map<string, Promise<void>>();
  /** launch() calls under way (environment setup, backend start): close() waits for them. */
  private readonly launching = new Set<Promise<void>>();
  private closed = false;
  /** Resolves once every job left running by an earlier engine has been reconciled. */
  readonly ready: Promise<void>;

  constructor(private readonly deps: JobServiceDeps) {
    this.repo = new JobRepo(deps.db);
    this.ready = this.reconcile();
  }

  /** Settings → KFD_PYTHON → `python3` on PATH (what `python3 train.py` would use). */
  python(): string {
    return chooseInterpreter(this.deps.settings(), this.deps.env).command;
  }

  private host(backend: BackendId = 'local-process') {
    return backendCapacity(backend);
  }

  private backend(id: BackendId): Backend {
    const backend = this.deps.backends[id];
    if (!backend) {
      throw new ApiError('unavailable', `The ${id} backend is not available in this version; run with --backend local-process.`);
    }
    return backend;
  }

  async validate(input: string, backend: BackendId) {
    try {
      const loaded = await loadWorkspaceJob(input, backend, {}, this.host(backend));
      return { ok: true, errors: [], warnings: loaded.warnings };
    } catch (err) {
      const errors = (err as ApiError).details as { errors?: [] } | undefined;
      if (err instanceof ApiError && errors?.errors) return { ok: false, errors: errors.errors, warnings: [] };
      throw err;
    }
  }

  async run(input: { path: string; backend: BackendId; target?: string; namespace?: string } & Overrides): Promise<JobDetail> {
    await this.ready;
    const backend = this.backend(input.backend);
    const placement = input.backend === 'kubernetes' ? { ...(input.target ? { target: input.target } : {}), ...(input.namespace ? { namespace: input.namespace } : {}) } : undefined;
    // A target that does not exist is refused before the workspace is even read.
    if (placement) await backend.target?.(placement);
    const loaded = await loadWorkspaceJob(input.path, input.backend, input, this.host(input.backend));
    return this.submit({ ...loaded, backendId: input.backend, backend, parentId: null, placement });
  }

  /**
   * A job whose manifest was prepared elsewhere (promote): `spec` is what runs, `parentId` the
   * job it came from, `jobId` the id a preview already used in names and labels.
   */
  async runPrepared(j: { workspace: string; spec: string; backend: BackendId; placement?: Placement; parentId: string | null; jobId?: string }): Promise<JobDetail> {
    await this.ready;
    const backend = this.backend(j.backend);
    const checked = validateJobText(j.spec, 'trainjob.yaml', j.backend, this.host(j.backend));
    if (!checked.ok) throw new ApiError('bad_request', `The promoted manifest is not a valid TrainJob: ${checked.errors[0]?.message}`, { errors: checked.errors });
    if (j.jobId && this.repo.get(j.jobId)) throw new ApiError('conflict', `Job ${j.jobId} already exists; preview again to get a new id.`);
    return this.submit({ workspace: j.workspace, spec: j.spec, ...checked, backendId: j.backend, backend, parentId: j.parentId, relation: 'promote', placement: j.placement, ...(j.jobId ? { jobId: j.jobId } : {}) });
  }

  /**
   * A job an orchestrator makes (an experiment's trial, a pipeline run's task, a model server):
   * `spec` is the TrainJob it built; `owner` is stored with the job row (one insert), so history,
   * lineage and `jobs.list({owner})` find it even after a crash right after the submit.
   */
  async runOwned(j: { workspace: string; spec: string; backend: BackendId; placement?: Placement; owner: JobOwner }): Promise<JobDetail> {
    await this.ready;
    const backend = this.backend(j.backend);
    const checked = validateJobText(j.spec, 'trainjob.yaml', j.backend, this.host(j.backend));
    if (!checked.ok) {
      const first = checked.errors[0];
      throw new ApiError('bad_request', `The TrainJob for ${j.owner.kind} ${j.owner.id} (${j.owner.role}) is not valid: ${first ? `${first.path}: ${first.message}` : 'unknown error'}`, { errors: checked.errors });
    }
    return this.submit({ workspace: j.workspace, spec: j.spec, ...checked, backendId: j.backend, backend, parentId: null, owner: j.owner, placement: j.placement });
  }

  async rerun(idOrPrefix: string): Promise<JobDetail> {
    await this.ready;
    const old = this.require(idOrPrefix);
    const backend = this.backend(old.backend);
    const checked = validateJobText(old.spec, 'trainjob.yaml', old.backend, this.host(old.backend));
    if (!checked.ok) throw new ApiError('bad_request', `Job ${old.id}'s manifest no longer validates: ${checked.errors[0]?.message}`);
    // The same target and namespace as before (kubernetes); other backends have one place.
    const placement = backend.placementOf?.(old.jobDir) ?? undefined;
    return this.submit({ workspace: old.workspace, spec: old.spec, ...checked, backendId: old.backend, backend, parentId: old.id, relation: 'rerun', placement });
  }

  private async submit(j: {
    workspace: string;
    spec: string;
    job: TrainJob;
    numNodes: number;
    numProcPerNode: number;
    warnings: JobDetail['warnings'];
    backendId: BackendId;
    backend: Backend;
    parentId: string | null;
    /** How it is made from `parentId` (kept in the job's labels, for the lineage). */
    relation?: JobRelation;
    owner?: JobOwner;
    placement?: Placement | undefined;
    jobId?: string;
  }): Promise<JobDetail> {
    // Before anything is recorded: a target that does not exist is a bad request, not a failed job.
    const target = j.backend.target ? await j.backend.target(j.placement).catch((err: unknown) => {
      if (err instanceof ApiError) throw err;
      return '';
    }) : 'localhost';
    const id = j.jobId ?? newJobId();
    const jobDir = path.join(this.deps.dataDir, 'jobs', id);
    mkdirSync(logDirOf(jobDir), { recursive: true, mode: 0o700 });
    const stored = this.repo.insert({
      id,
      name: j.job.metadata.name,
      workspace: j.workspace,
      spec: j.spec,
      backend: j.backendId,
      target,
      numNodes: j.numNodes,
      numProcPerNode: j.numProcPerNode,
      warnings: j.warnings,
      jobDir,
      parentId: j.parentId,
      relation: j.relation ?? null,
      owner: j.owner ?? null,
      createdAt: Date.now(),
    });
    this.emitChanged(id);
    const capture = new JobCapture(this.deps.db, this.deps.events, id, jobDir);
    const abort = new AbortController();
    this.active.set(id, { capture, abort });
    // Environment setup (pip) can take minutes: the call returns the Created job at once.
    const launched = this.launch(id, jobDir, j, capture, abort).finally(() => this.launching.delete(launched));
    this.launching.add(launched);
    return this.detail(stored.id);
  }

  private async launch(
    id: string,
    jobDir: string,
    j: { workspace: string; job: TrainJob; numNodes: number; numProcPerNode: number; backend: Backend; placement?: Placement | undefined },
    capture: JobCapture,
    abort: AbortController,
  ): Promise<void> {
    let python = this.python();
    try {
      // Host Python only matters for host processes; an image brings its own Python and packages.
      if (j.backend.id === 'local-process') {
        let lastShown = 0;
        const py = await prepareJobPython({
          settings: this.deps.settings(),
          env: this.deps.env,
          workspace: j.workspace,
          annotations: j.job.metadata.annotations,
          dataDir: this.deps.dataDir,
          signal: abort.signal,
          onProgress: (p) => {
            // pip can print thousands of lines: show the latest step at most twice a second.
            if (Date.now() - lastShown < 500 && p.step === 'pip') return;
            lastShown = Date.now();
            this.repo.setMessage(id, p.line ? `${p.message}: ${p.line}` : p.message);
            this.emitChanged(id);
          },
        });
        python = py.python;
        this.pythonOf.set(id, python);
        if (abort.signal.aborted) throw new PythonEnvError('cancelled', 'Cancelled while preparing the Python environment.');
        this.repo.setMessage(id, `Python: ${py.description}`);
      }
      const running = await j.backend.start(
        {
          jobId: id,
          job: j.job,
          workspace: j.workspace,
          jobDir,
          numNodes: j.numNodes,
          numProcPerNode: j.numProcPerNode,
          baseEnv: this.deps.env,
          python,
          ...(j.placement ? { placement: j.placement } : {}),
          signal: abort.signal,
        },
        this.callbacks(id, jobDir),
      );
      this.watch(id, running, capture);
      if (abort.signal.aborted) await running.cancel();
    } catch (err) {
      const cancelled = err instanceof PythonEnvError && err.kind === 'cancelled';
      const reason = cancelled ? 'Cancelled' : err instanceof PythonEnvError ? 'EnvSetupFailed' : 'StartFailed';
      await this.finish(id, { status: cancelled ? 'Cancelled' : 'Failed', reason, message: (err as Error).message, exitCode: null, failedRank: null });
    }
  }

  private callbacks(id: string, jobDir: string): BackendCallbacks {
    return {
      onRankUpdate: (rank: RankInfo) => {
        this.repo.upsertRank(id, rank, rankLogPath(logDirOf(jobDir), rank.globalRank));
        const job = this.repo.get(id);
        // A rank first seen already ended (a fast rank, or one that ended while no engine ran) did run.
        if (job?.status === 'Created' && rank.status !== 'Pending') this.repo.markRunning(id, Date.now());
        this.emitChanged(id);
      },
      onMessage: (message: string) => {
        this.repo.setMessage(id, message);
        this.emitChanged(id);
      },
      onProgress: (progress) => this.deps.events.emit('images.pullProgress', { ...progress, jobId: id }),
    };
  }

  /** Resolves once the job's outcome is recorded (never, if the engine closes first). */
  private watch(id: string, running: RunningJob, capture: JobCapture): Promise<void> {
    this.active.set(id, { running, capture });
    return running.done
      .then(
        (outcome) => (this.closed ? undefined : this.finish(id, outcome)),
        (err: unknown) =>
          this.closed
            ? undefined
            : this.finish(id, { status: 'Failed', reason: 'BackendError', message: (err as Error).message, exitCode: null, failedRank: null }),
      )
      .catch((err: unknown) => console.warn(`job ${id}: could not record its outcome:`, err));
  }

  private finish(id: string, outcome: JobOutcome): Promise<void> {
    const recorded = this.record(id, outcome).finally(() => {
      if (this.finishing.get(id) === recorded) this.finishing.delete(id);
    });
    this.finishing.set(id, recorded);
    return recorded;
  }

  private async record(id: string, outcome: JobOutcome): Promise<void> {
    const entry = this.active.get(id);
    this.active.delete(id);
    await entry?.capture.finish();
    let message = outcome.message;
    const job = this.repo.get(id);
    if (outcome.status === 'Failed' && outcome.failedRank !== null && job) {
      const tail = await lastLines(rankLogPath(logDirOf(job.jobDir), outcome.failedRank), FAILURE_LOG_LINES);
      const hint = failureHint(tail.map((r) => r.text), this.pythonOf.get(id) ?? this.python());
      if (hint) message = `${message} ${hint}`;
    }
    this.pythonOf.delete(id);
    this.repo.finish(id, { ...outcome, message }, Date.now());
    this.emitChanged(id);
  }

  async cancel(idOrPrefix: string): Promise<JobSummary> {
    await this.ready;
    const job = this.require(idOrPrefix);
    if (isFinal(job.status)) return toSummary(job);
    const entry = this.active.get(job.id);
    const running = entry?.running;
    if (!running && entry?.abort) {
      // Still preparing its environment: stopping pip ends the launch as Cancelled.
      entry.abort.abort();
      await this.settled(job.id);
    } else if (running) {
      await running.cancel(); // `done` then resolves Cancelled and finish() records it
      await running.done.catch(() => undefined);
      await this.settled(job.id);
    } else {
      await this.finish(job.id, { status: 'Cancelled', reason: 'Cancelled', message: 'Cancelled before it started.', exitCode: null, failedRank: null });
    }
    return toSummary(this.require(job.id));
  }

  /** Waits until finish() has recorded the outcome (it runs after `done` resolves). */
  private async settled(id: string): Promise<void> {
    for (let i = 0; i < 200 && this.active.has(id); i++) await new Promise((r) => setTimeout(r, 25));
    await this.finishing.get(id); // finish() leaves `active` before it has written the outcome
  }

  list(input: Parameters<JobRepo['list']>[0]) {
    const { jobs, total } = this.repo.list(input);
    return { jobs: jobs.map(toSummary), total };
  }

  private require(idOrPrefix: string): StoredJob {
    return findJob(this.repo, idOrPrefix);
  }

  /** Where a job keeps its files, for the backend-specific views (e.g. jobs.cluster). */
  async locate(idOrPrefix: string): Promise<{ id: string; backend: BackendId; jobDir: string; workspace: string; spec: string }> {
    await this.ready;
    const job = this.require(idOrPrefix);
    return { id: job.id, backend: job.backend, jobDir: job.jobDir, workspace: job.workspace, spec: job.spec };
  }

  async detail(idOrPrefix: string): Promise<JobDetail> {
    await this.ready;
    return jobDetail(this.repo, this.require(idOrPrefix));
  }

  async logs(idOrPrefix: string, req: LogsRequest) {
    await this.ready;
    return this.logReader.read(this.require(idOrPrefix), req);
  }

  async metrics(idOrPrefix: string, maxPoints: number): Promise<{ series: MetricSeries[] }> {
    await this.ready;
    return jobMetrics(this.deps.db, this.require(idOrPrefix).id, maxPoints);
  }

  private emitChanged(id: string): void {
    const job = this.repo.get(id);
    if (job) this.deps.events.emit('jobs.changed', toSummary(job));
  }

  /** Jobs still Created/Running from an earlier engine: re-attach, or record what became of them. */
  private async reconcile(): Promise<void> {
    for (const job of this.repo.nonFinal()) {
      const backend = this.deps.backends[job.backend];
      if (!backend) {
        this.repo.finish(job.id, { status: 'Failed', reason: 'Lost', message: `The ${job.backend} backend is not available to re-attach.`, exitCode: null, failedRank: null }, Date.now());
        continue;
      }
      const capture = new JobCapture(this.deps.db, this.deps.events, job.id, job.jobDir);
      this.active.set(job.id, { capture });
      try {
        const running = await backend.reattach(job.id, job.jobDir, this.callbacks(job.id, job.jobDir));
        const recorded = this.watch(job.id, running, capture);
        // Every rank ended while no engine ran: record the outcome before anyone reads the job
        // (a short-lived engine, e.g. one `kfd jobs`, must not show it as still running).
        if (running.ranks().every((r) => r.status !== 'Pending' && r.status !== 'Running')) await recorded;
      } catch (err) {
        await this.finish(job.id, { status: 'Failed', reason: 'Lost', message: `Could not re-attach after a restart: ${(err as Error).message}`, exitCode: null, failedRank: null });
      }
    }
  }

  /** Stops capturing; running jobs keep running and are re-attached by the next engine. */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    // A job still being launched has no process of its own yet: let it start (so `kfd run`
    // without --follow leaves it running) rather than close the store under it.
    while (this.launching.size) await Promise.allSettled([...this.launching]);
    this.closed = true;
    for (const a of this.active.values()) a.running?.detach();
    await Promise.all([...this.active.values()].map((a) => a.capture.stop()));
    this.active.clear();
    await Promise.allSettled([...this.finishing.values()]);
  }
}
