/**
 * Jobs: from "run this workspace" to a finished, recorded job. Any engine may start a job; only
 * the owner engine of the data dir (engine/ownership) watches running jobs, captures their logs
 * and metrics and records their outcomes. When it becomes the owner it re-attaches to every job
 * still running (left by an earlier engine, or started by another engine: those are adopted as
 * soon as their launch is done). Other engines ask it through the database (job-requests.ts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import { liveOwner } from '../ownership/engine-lease.js';
import type { Ownership } from '../ownership/owner-keeper.js';
import type { Settings } from '../api/contract.js';
import type { EventBus } from '../api/event-bus.js';
import type { BackendId, JobDetail, JobOwner, JobRelation, JobStatus, JobSummary, MetricSeries, RankInfo } from '../api/schemas/jobs.js';
import type { Backend, BackendCallbacks, Placement } from '../backends/backend.js';
import { logDirOf } from './job-capture.js';
import { newJobId } from './job-ids.js';
import type { LogsRequest } from './job-logs-api.js';
import { findJob, jobDetail, JobLogReader, jobMetrics } from './job-reads.js';
import { JobRepo, isFinal, toSummary, type StoredJob } from './job-repo.js';
import { JobRequests } from './job-requests.js';
import { rankLogPath } from './logs/log-tailer.js';
import { chooseInterpreter } from './python-env/choose-interpreter.js';
import type { TrainJob } from './trainjob/index.js';
import { WatchedJobs } from './watched-jobs.js';
import { JobAdoption } from './job-adoption.js';
import { OwnedJobFollower } from './owned-job-follower.js';
import { launchJob, type LaunchedJob } from './job-launch.js';
import type { Overrides } from './workspace-job.js';

/** Reading and checking manifests (YAML, the TrainJob schema): loaded when a job is submitted, not to list jobs. */
const manifests = () => import('./workspace-job.js');

export interface JobServiceDeps {
  db: Database.Database;
  events: EventBus;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings(): Settings;
  /** The backend that runs `id` jobs (loaded on first use), or undefined if this build has none. */
  backend(id: BackendId): Promise<Backend | undefined>;
  /** Whether this engine is the data dir's owner (the one that watches and captures). */
  ownership: Ownership;
  /** Called when this engine leaves work for an owner and none may be running (`kfd` starts one). */
  ensureOwner?(): void;
}

/** How often a non-owner that is starting jobs looks for cancel requests. */
const REQUEST_POLL_MS = 250;
/** A cancel waits this long for an owner to appear before it gives up. */
const NO_OWNER_TIMEOUT_MS = 15_000;

export class JobService {
  private readonly repo: JobRepo;
  private readonly requests: JobRequests;
  private readonly watched: WatchedJobs;
  /** Jobs this engine is starting (environment setup, backend start): close() waits for them. */
  private readonly launching = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** The interpreter each running job got (a managed venv's python, or the chosen one). */
  private readonly pythonOf = new Map<string, string>();
  private readonly logReader = new JobLogReader();
  private readonly adoption: JobAdoption;
  private requestTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly follower: OwnedJobFollower;

  constructor(private readonly deps: JobServiceDeps) {
    this.repo = new JobRepo(deps.db);
    this.requests = new JobRequests(deps.db, deps.ownership.identity);
    this.watched = new WatchedJobs({
      db: deps.db,
      events: deps.events,
      repo: this.repo,
      backend: deps.backend,
      callbacks: (id, jobDir) => this.callbacks(id, jobDir),
      python: (id) => this.pythonOf.get(id) ?? this.python(),
      emitChanged: (id) => this.emitChanged(id),
    });
    this.adoption = new JobAdoption({ repo: this.repo, requests: this.requests, watched: this.watched, launching: this.launching, isOwner: () => this.isOwner() });
    deps.ownership.subscribe((owner) => {
      if (!owner) return this.adoption.letGo();
      if (!this.closed) this.adoption.becomeOwner();
    });
    deps.ownership.onDatabaseChange(() => void this.adoption.adoptAll(false));
    this.follower = new OwnedJobFollower({
      db: deps.db,
      isOwner: () => this.isOwner(),
      summary: (id) => {
        const job = this.repo.get(id);
        return job && toSummary(job);
      },
      emit: (job) => this.deps.events.emit('jobs.changed', job),
    });
  }

  /**
   * An orchestrator (experiments, pipelines, model servers) works in this engine: from now on
   * its jobs' changes are heard here also when another engine (the owner) records them.
   */
  followOwnedJobs(): void {
    if (!this.closed) this.follower.start();
  }

  /**
   * Resolves once this engine, if it is the owner, has re-attached to every job left running
   * and recorded those that ended meanwhile (for other engines: at once; they only read).
   */
  get ready(): Promise<void> {
    return this.adoption.ready;
  }

  private isOwner(): boolean {
    return this.deps.ownership.isOwner() && !this.closed;
  }

  /** Settings → KFD_PYTHON → `python3` on PATH (what `python3 train.py` would use). */
  python(): string {
    return chooseInterpreter(this.deps.settings(), this.deps.env).command;
  }


  private async backend(id: BackendId): Promise<Backend> {
    const backend = await this.deps.backend(id);
    if (!backend) {
      throw new ApiError('unavailable', `The ${id} backend is not available in this version; run with --backend local-process.`);
    }
    return backend;
  }

  async validate(input: string, backend: BackendId) {
    try {
      const { loadWorkspaceJob, backendCapacity } = await manifests();
      const loaded = await loadWorkspaceJob(input, backend, {}, backendCapacity(backend));
      return { ok: true, errors: [], warnings: loaded.warnings };
    } catch (err) {
      const errors = (err as ApiError).details as { errors?: [] } | undefined;
      if (err instanceof ApiError && errors?.errors) return { ok: false, errors: errors.errors, warnings: [] };
      throw err;
    }
  }

  async run(input: { path: string; backend: BackendId; target?: string; namespace?: string } & Overrides): Promise<JobDetail> {
    await this.ready;
    const backend = await this.backend(input.backend);
    const placement = input.backend === 'kubernetes' ? { ...(input.target ? { target: input.target } : {}), ...(input.namespace ? { namespace: input.namespace } : {}) } : undefined;
    // A target that does not exist is refused before the workspace is even read.
    if (placement) await backend.target?.(placement);
    const { loadWorkspaceJob, backendCapacity } = await manifests();
    const loaded = await loadWorkspaceJob(input.path, input.backend, input, backendCapacity(input.backend));
    return this.submit({ ...loaded, backendId: input.backend, backend, parentId: null, placement });
  }

  /**
   * A job whose manifest was prepared elsewhere (promote): `spec` is what runs, `parentId` the
   * job it came from, `jobId` the id a preview already used in names and labels.
   */
  async runPrepared(j: { workspace: string; spec: string; backend: BackendId; placement?: Placement; parentId: string | null; jobId?: string }): Promise<JobDetail> {
    await this.ready;
    const backend = await this.backend(j.backend);
    const { validateJobText, backendCapacity } = await manifests();
    const checked = validateJobText(j.spec, 'trainjob.yaml', j.backend, backendCapacity(j.backend));
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
    const backend = await this.backend(j.backend);
    const { validateJobText, backendCapacity } = await manifests();
    const checked = validateJobText(j.spec, 'trainjob.yaml', j.backend, backendCapacity(j.backend));
    if (!checked.ok) {
      const first = checked.errors[0];
      throw new ApiError('bad_request', `The TrainJob for ${j.owner.kind} ${j.owner.id} (${j.owner.role}) is not valid: ${first ? `${first.path}: ${first.message}` : 'unknown error'}`, { errors: checked.errors });
    }
    return this.submit({ workspace: j.workspace, spec: j.spec, ...checked, backendId: j.backend, backend, parentId: null, owner: j.owner, placement: j.placement });
  }

  async rerun(idOrPrefix: string): Promise<JobDetail> {
    await this.ready;
    const old = this.require(idOrPrefix);
    const backend = await this.backend(old.backend);
    const { validateJobText, backendCapacity } = await manifests();
    const checked = validateJobText(old.spec, 'trainjob.yaml', old.backend, backendCapacity(old.backend));
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
    // Until the launch is done, the owner leaves this job to us (and a cancel request too).
    this.requests.beginLaunch(id);
    this.emitChanged(id);
    const abort = new AbortController();
    // Environment setup (pip) can take minutes: the call returns the Created job at once.
    const done = this.launch(id, jobDir, j, abort).finally(() => {
      this.launching.delete(id);
      this.requests.endLaunch(id); // now the owner adopts it (unless it is the owner: then it watches it already)
      this.pollRequests();
    });
    this.launching.set(id, { abort, done });
    this.pollRequests();
    if (!this.deps.ownership.isOwner()) this.deps.ensureOwner?.();
    return this.detail(stored.id);
  }

  /** A non-owner starting jobs looks for cancel requests itself (the owner does on every commit). */
  private pollRequests(): void {
    const want = this.launching.size > 0 && !this.deps.ownership.isOwner();
    if (want && !this.requestTimer) this.requestTimer = setInterval(() => this.adoption.serveRequests(), REQUEST_POLL_MS);
    if (!want && this.requestTimer) {
      clearInterval(this.requestTimer);
      this.requestTimer = null;
    }
  }

  private launch(id: string, jobDir: string, j: LaunchedJob, abort: AbortController): Promise<void> {
    return launchJob(
      {
        settings: this.deps.settings,
        env: this.deps.env,
        dataDir: this.deps.dataDir,
        repo: this.repo,
        watched: this.watched,
        python: () => this.python(),
        onPython: (python) => this.pythonOf.set(id, python),
        callbacks: this.callbacks(id, jobDir),
        emitChanged: () => this.emitChanged(id),
        isOwner: () => this.isOwner(),
      },
      id,
      jobDir,
      j,
      abort,
    );
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

  async cancel(idOrPrefix: string): Promise<JobSummary> {
    await this.ready;
    const job = this.require(idOrPrefix);
    if (isFinal(job.status)) return toSummary(job);
    const launch = this.launching.get(job.id);
    if (launch) {
      // Still starting here (e.g. pip): stopping it ends the launch as Cancelled.
      launch.abort.abort();
      await launch.done;
      await this.watched.settled(job.id);
      return this.endOf(job.id);
    }
    if (this.isOwner()) {
      await this.adoption.underWay; // it may be being re-attached right now
      if (await this.watched.cancel(job.id)) return toSummary(this.require(job.id));
      if (!this.requests.launchingElsewhere(job.id) && !isFinal(this.require(job.id).status)) {
        await this.watched.finish(job.id, { status: 'Cancelled', reason: 'Cancelled', message: 'Cancelled before it started.', exitCode: null, failedRank: null });
        return toSummary(this.require(job.id));
      }
    }
    // Another engine has it in hand (the owner, or the one still starting it): ask, and wait.
    this.requests.request(job.id, 'cancel');
    this.deps.ensureOwner?.();
    return this.endOf(job.id);
  }

  /** Waits for the job's final status, as recorded by whichever engine has it in hand. */
  private async endOf(id: string): Promise<JobSummary> {
    let ownerless = 0;
    for (;;) {
      const job = this.require(id);
      if (isFinal(job.status)) return toSummary(job);
      await new Promise((r) => setTimeout(r, 100));
      const someone = this.isOwner() || this.launching.has(id) || liveOwner(this.deps.db) !== null || this.requests.launchingElsewhere(id);
      ownerless = someone ? 0 : ownerless + 100;
      if (ownerless >= NO_OWNER_TIMEOUT_MS) {
        throw new ApiError('unavailable', `No Kubeflow Desktop engine is running to stop job ${id}; open the app (or run \`kfd serve\`) and cancel it again.`);
      }
    }
  }

  list(input: Parameters<JobRepo['list']>[0]) {
    const { jobs, total, nextCursor } = this.repo.list(input);
    return { jobs: jobs.map(toSummary), total, nextCursor };
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

  /** Stops watching and capturing; running jobs keep running and are re-attached by the next owner. */
  async close(): Promise<void> {
    // A job still being launched has no process of its own yet: let it start (so `kfd run`
    // without --follow leaves it running) rather than close the store under it.
    while (this.launching.size) await Promise.allSettled([...this.launching.values()].map((l) => l.done));
    this.closed = true;
    this.follower.stop();
    if (this.requestTimer) clearInterval(this.requestTimer);
    this.requestTimer = null;
    await this.adoption.letGo();
  }
}
