/**
 * The experiment orchestrator: a Katib Experiment run as trial jobs on the one job system.
 *
 * Everything the sweep knows is in SQLite (experiments, experiment_trials; the trial's job row
 * carries owner experiment/<id>/<trial>), so `tick(id)` can always rebuild the picture: reconcile
 * trials with their jobs, decide whether the experiment has ended (Katib's rules), otherwise ask
 * for suggestions and start trials with `JobService.runOwned`. Ticks run one at a time per
 * experiment, on a trial's job changing, on create and on `resume()` after a restart (running
 * trial jobs re-attach through the job service; the sweep goes on from there).
 */
import { randomInt } from 'node:crypto';
import os from 'node:os';
import { ApiError } from '../api/api-error.js';
import type { ExperimentDetail, ExperimentSummary, TrialStatus, TrialSummary } from '../api/schemas/experiments.js';
import type { BackendId, JobSummary, SpecIssue } from '../api/schemas/jobs.js';
import type { Placement } from '../backends/backend.js';
import { newJobId } from '../jobs/job-ids.js';
import type { JobService } from '../jobs/job-service.js';
import { ExperimentRepo, type StoredExperiment, type StoredTrial } from './experiment-repo.js';
import { coreSlots, decideEnding, isActive, trialCores, trialsToStart } from './experiment-status.js';
import { experimentSummary, toStored, trialSummary } from './experiment-shapes.js';
import { collectAll, LiveTrialMetrics } from './live-metrics.js';
import { loadExperiment, validateExperiment } from './experiment-file.js';
import { medianStopRule, shouldStop, type MedianStopRule } from './medianstop.js';
import { MetricsCollector, objectiveOf, type MetricObservation } from './metrics-collector.js';
import { parseExperiment, type ExperimentPlan } from './parse-experiment.js';
import { PythonSuggester } from './suggest/python-suggester.js';
import { seedOf, suggest } from './suggest/suggestions.js';
import { buildTrialJob, trialName } from './trial-template.js';
import type { OrchestratorDeps } from '../orchestrators.js';

export type ExperimentServiceDeps = OrchestratorDeps;


export class ExperimentService {
  private readonly repo: ExperimentRepo;
  readonly python: PythonSuggester;
  private readonly plans = new Map<string, ExperimentPlan>();
  private readonly ticking = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly exhausted = new Set<string>();
  /** Running trials' metrics so far, by job id (medianstop, and the objective while it runs). */
  private readonly live: LiveTrialMetrics;
  private readonly rules = new Map<string, MedianStopRule | null>();
  private readonly abort = new AbortController();
  private readonly unsubscribe: () => void;
  private emitTimer = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private readonly startedAt = Date.now();

  constructor(private readonly deps: ExperimentServiceDeps) {
    this.repo = new ExperimentRepo(deps.db);
    this.live = new LiveTrialMetrics((jobId, cursor) => deps.jobs.logs(jobId, { limit: 5000, ...(cursor ? { cursor } : {}) }));
    this.python = new PythonSuggester({ dataDir: deps.dataDir, env: deps.env, settings: () => deps.settings() });
    this.unsubscribe = deps.events.subscribe((event, payload) => {
      if (this.closed) return;
      if (event === 'jobs.changed') {
        const job = payload as JobSummary;
        if (job.owner?.kind === 'experiment') this.kick(job.owner.id);
      } else if (event === 'jobs.log') {
        this.onLines((payload as { jobId: string }).jobId);
      }
    });
  }

  // ---- API -------------------------------------------------------------------------------

  validate(input: { path?: string | undefined; text?: string | undefined; local: boolean }): Promise<{ ok: boolean; errors: SpecIssue[]; warnings: SpecIssue[] }> {
    return validateExperiment(input);
  }

  async create(input: { path: string; backend: BackendId; target?: string | undefined; namespace?: string | undefined }): Promise<ExperimentDetail> {
    await this.deps.jobs.ready;
    const loaded = await loadExperiment(input.path, input.backend);
    const r = { plan: loaded.plan, warnings: loaded.warnings };
    const located = { workspace: loaded.workspace, file: loaded.file };
    const text = loaded.text;
    const placement: Placement = input.backend === 'kubernetes' ? { ...(input.target ? { target: input.target } : {}), ...(input.namespace ? { namespace: input.namespace } : {}) } : {};
    const id = newJobId();
    this.repo.insert({
      id,
      name: r.plan.name,
      workspace: located.workspace,
      file: located.file,
      spec: text,
      backend: input.backend,
      placement,
      seed: seedOf(r.plan, () => randomInt(0, 2 ** 31 - 1)),
      status: 'Created',
      reason: 'ExperimentCreated',
      message: 'Experiment is created',
      warnings: r.warnings,
      createdAt: Date.now(),
    });
    this.plans.set(id, r.plan);
    this.emit(id);
    this.kick(id);
    return this.detail(id);
  }

  list(limit: number): { experiments: ExperimentSummary[] } {
    return { experiments: this.repo.list(limit).map((e) => this.summary(e, this.repo.trials(e.id))) };
  }

  detail(idOrPrefix: string): ExperimentDetail {
    const e = this.require(idOrPrefix);
    const trials = this.repo.trials(e.id);
    const plan = this.plan(e);
    return { ...this.summary(e, trials), spec: e.spec, warnings: e.warnings, parameters: plan.parameters, trials: trials.map((t) => this.trialSummary(plan, t)) };
  }

  /** Stops the sweep: running trials are killed (their jobs cancelled), the experiment Failed/ExperimentKilled. */
  async cancel(idOrPrefix: string): Promise<ExperimentSummary> {
    const e = this.require(idOrPrefix);
    if (e.status === 'Succeeded' || e.status === 'Failed') return this.summary(e, this.repo.trials(e.id));
    this.repo.setStatus(e.id, 'Failed', 'ExperimentKilled', 'Experiment was cancelled; its running trials were stopped.', Date.now());
    await this.killActive(e.id, 'ExperimentKilled');
    this.emit(e.id);
    return this.summary(this.require(e.id), this.repo.trials(e.id));
  }

  /** Picks up every experiment an earlier engine left unfinished. The one place the sweep restarts. */
  async resume(): Promise<void> {
    await this.deps.jobs.ready;
    for (const e of this.repo.unfinished()) this.kick(e.id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live.stop();
    this.abort.abort();
    this.unsubscribe();
    for (const t of this.emitTimer.values()) clearTimeout(t);
    await Promise.allSettled([...this.ticking.values()]);
  }

  // ---- the loop --------------------------------------------------------------------------

  /** Runs tick(id) now, or once more after the one under way. */
  kick(id: string): void {
    if (this.closed) return;
    if (this.ticking.has(id)) {
      this.again.add(id);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(id);
        try {
          await this.tick(id);
        } catch (err) {
          if (this.closed) return;
          this.repo.setStatus(id, 'Failed', 'ExperimentFailed', `The experiment could not go on: ${(err as Error).message}`, Date.now());
          await this.killActive(id, 'ExperimentFailed').catch(() => undefined);
          this.emit(id);
        }
      } while (this.again.has(id) && !this.closed);
    })().finally(() => this.ticking.delete(id));
    this.ticking.set(id, run);
  }

  private async tick(id: string): Promise<void> {
    const e = this.repo.get(id);
    if (!e) return;
    const plan = this.plan(e);
    const ended = e.status === 'Succeeded' || e.status === 'Failed';
    // An ended experiment still records what became of the trials it stopped.
    await this.reconcileTrials(e, plan, !ended);
    if (ended) {
      this.emit(id);
      return;
    }
    if (this.closed) return;

    let trials = this.repo.trials(id);
    const ending = decideEnding(plan, trials, this.exhausted.has(id));
    if (ending) {
      this.repo.setStatus(id, ending.status, ending.reason, ending.message, Date.now());
      await this.killActive(id, 'Killed');
      this.emit(id);
      return;
    }
    const slots = trialsToStart(plan, trials, await this.coreSlots(e, plan));
    if (slots > 0 && !this.exhausted.has(id)) {
      const out = await suggest(
        {
          plan,
          seed: e.seed,
          trials: trials.map((t) => ({ assignment: t.parameters, objective: t.objective })),
          count: slots,
          signal: this.abort.signal,
          onProgress: (p) => {
            this.repo.setStatus(id, e.status, e.reason, `Preparing the suggestion environment: ${p.line ? `${p.message} ${p.line}` : p.message}`);
            this.emitSoon(id);
          },
        },
        this.python,
      );
      if (this.closed) return;
      if (out.exhausted) this.exhausted.add(id);
      for (const assignment of out.assignments) {
        const seq = trials.length + 1;
        const name = trialName(plan.name, seq);
        // Another engine on this data dir (an app and a `kfd` command) made this trial first: it drives the sweep.
        if (!this.repo.insertTrial({ experimentId: id, seq, name, parameters: assignment, createdAt: Date.now() })) return;
        trials = this.repo.trials(id);
        await this.submitTrial(e, plan, trials[trials.length - 1]!);
      }
      if (out.assignments.length === 0 && out.exhausted) this.again.add(id);
    }
    if (e.status === 'Created') this.repo.setStatus(id, 'Running', 'ExperimentRunning', 'Experiment is running');
    else if (e.message.startsWith('Preparing')) this.repo.setStatus(id, 'Running', 'ExperimentRunning', 'Experiment is running');
    this.emit(id);
  }

  private async submitTrial(e: StoredExperiment, plan: ExperimentPlan, t: StoredTrial): Promise<void> {
    const spec = buildTrialJob(plan, t.parameters, t.name);
    try {
      const job = await this.deps.jobs.runOwned({ workspace: e.workspace, spec, backend: e.backend, ...(e.backend === 'kubernetes' ? { placement: e.placement } : {}), owner: { kind: 'experiment', id: e.id, role: t.name } });
      this.repo.setTrialJob(e.id, t.seq, job.id);
    } catch (err) {
      this.repo.updateTrial(e.id, t.seq, { status: 'Failed', reason: `Could not start: ${(err as Error).message}`, objective: null, observation: {}, finishedAt: Date.now() });
    }
  }

  /** Brings each unfinished trial up to date with its job. */
  private async reconcileTrials(e: StoredExperiment, plan: ExperimentPlan, submitMissing: boolean): Promise<void> {
    for (const t of this.repo.trials(e.id)) {
      if (t.finishedAt !== null) continue;
      let jobId = t.jobId;
      if (!jobId) {
        jobId = this.repo.jobOfTrial(e.id, t.name);
        if (jobId) this.repo.setTrialJob(e.id, t.seq, jobId);
        else {
          // An engine stopped between writing the trial and submitting its job: submit it now. (A trial
          // written since this engine started is another live engine's, about to be submitted.)
          if (submitMissing && t.createdAt < this.startedAt) await this.submitTrial(e, plan, t);
          else if (submitMissing) continue;
          else this.repo.updateTrial(e.id, t.seq, { status: 'Killed', reason: e.reason, objective: null, observation: {}, finishedAt: Date.now() });
          continue;
        }
      }
      let job: JobSummary;
      try {
        job = await this.deps.jobs.detail(jobId);
      } catch {
        this.repo.updateTrial(e.id, t.seq, { status: 'Failed', reason: 'JobLost', objective: t.objective, observation: t.observation, finishedAt: Date.now() });
        continue;
      }
      if (job.status === 'Created' || job.status === 'Running') {
        if (t.status === 'Created' && job.status === 'Running') this.repo.updateTrial(e.id, t.seq, { status: 'Running', objective: t.objective, observation: t.observation });
        continue;
      }
      const observations = await this.collect(plan, jobId);
      const objective = objectiveOf(plan, observations);
      const stored = toStored(observations);
      let status: TrialStatus;
      let reason = job.reason ?? '';
      if (t.status === 'EarlyStopped' || t.status === 'Killed') status = t.status;
      else if (job.status === 'Complete') status = objective === null ? 'MetricsUnavailable' : 'Succeeded';
      else if (job.status === 'Cancelled') status = 'Killed';
      else status = 'Failed';
      if (status === 'MetricsUnavailable') reason = `The trial never printed ${plan.objective.metric} in the metrics format.`;
      this.repo.updateTrial(e.id, t.seq, { status, reason, objective, observation: stored, finishedAt: job.finishedAt ?? Date.now() });
      this.live.forget(jobId);
      this.rules.delete(e.id);
    }
  }

  /** Every line of a trial's job through the experiment's metrics format (Katib's StdOut collector). */
  private collect(plan: ExperimentPlan, jobId: string): Promise<Map<string, MetricObservation>> {
    return collectAll((cursor) => this.deps.jobs.logs(jobId, { limit: 5000, ...(cursor ? { cursor } : {}) }), plan);
  }

  private async killActive(id: string, why: 'Killed' | 'ExperimentKilled' | 'ExperimentFailed'): Promise<void> {
    for (const t of this.repo.trials(id)) {
      if (!isActive(t)) continue;
      if (!t.jobId) {
        this.repo.updateTrial(id, t.seq, { status: 'Killed', reason: why, objective: t.objective, observation: t.observation, finishedAt: Date.now() });
        continue;
      }
      this.repo.updateTrial(id, t.seq, { status: 'Killed', reason: why, objective: t.objective, observation: t.observation });
      await this.deps.jobs.cancel(t.jobId).catch(() => undefined);
    }
  }

  /** A trial's job printed more: read it on (the objective so far), then apply medianstop. */
  private onLines(jobId: string): void {
    const row = this.deps.db.prepare('SELECT experiment_id AS id, seq FROM experiment_trials WHERE job_id = ? AND finished_at IS NULL').get(jobId) as { id: string; seq: number } | undefined;
    if (!row) return;
    const e = this.repo.get(row.id);
    if (!e || e.status === 'Succeeded' || e.status === 'Failed') return;
    const plan = this.plan(e);
    this.live.update(jobId, plan, (collector) => this.checkStop(e.id, row.seq, jobId, plan, collector));
  }

  private checkStop(experimentId: string, seq: number, jobId: string, plan: ExperimentPlan, collector: MetricsCollector): void {
    if (this.closed || !collector.observations.has(plan.objective.metric)) return;
    this.emitSoon(experimentId);
    if (!plan.earlyStopping) return;
    const t = this.repo.trials(experimentId).find((x) => x.seq === seq);
    if (!t || t.finishedAt !== null || t.status === 'EarlyStopped' || t.status === 'Killed') return;
    const rule = this.rule(experimentId, plan);
    const values = collector.observations.get(plan.objective.metric)?.values ?? [];
    if (rule && shouldStop(rule, values)) {
      this.repo.updateTrial(experimentId, seq, { status: 'EarlyStopped', reason: `Its ${plan.objective.metric} ${values[values.length - 1]} is worse than the median ${rule.median} of the succeeded trials (medianstop).`, objective: objectiveOf(plan, collector.observations), observation: toStored(collector.observations) });
      this.emit(experimentId);
      void this.deps.jobs.cancel(jobId).catch(() => undefined);
    }
  }

  private rule(id: string, plan: ExperimentPlan): MedianStopRule | null {
    if (!this.rules.has(id)) {
      const succeeded = this.repo.trials(id).filter((t) => t.status === 'Succeeded');
      this.rules.set(id, plan.earlyStopping ? medianStopRule(succeeded.map((t) => t.observation[plan.objective.metric]?.values ?? []), plan.earlyStopping, plan.objective.type) : null);
    }
    return this.rules.get(id) ?? null;
  }

  private async coreSlots(e: StoredExperiment, plan: ExperimentPlan): Promise<number> {
    if (e.backend !== 'local-process') return Infinity;
    const others = this.deps.jobs.list({ status: ['Created', 'Running'], limit: 10_000, offset: 0 }).jobs.filter((j) => j.backend === 'local-process' && !(j.owner?.kind === 'experiment' && j.owner.id === e.id));
    const busy = others.reduce((n, j) => n + j.numNodes * j.numProcPerNode, 0);
    return coreSlots(os.availableParallelism(), busy, trialCores(plan));
  }

  // ---- shapes ----------------------------------------------------------------------------

  private plan(e: StoredExperiment): ExperimentPlan {
    let plan = this.plans.get(e.id);
    if (!plan) {
      const r = parseExperiment(e.spec, 'experiment.yaml', { checkTrial: () => ({ errors: [], warnings: [] }) });
      if (!r.ok) throw new ApiError('internal', `Experiment ${e.id}'s stored spec no longer parses: ${r.errors[0]?.message}`);
      plan = r.plan;
      this.plans.set(e.id, plan);
    }
    return plan;
  }

  private require(idOrPrefix: string): StoredExperiment {
    const exact = this.repo.get(idOrPrefix);
    if (exact) return exact;
    const found = this.repo.byPrefix(idOrPrefix);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) throw new ApiError('bad_request', `"${idOrPrefix}" matches more than one experiment; give more of the id.`);
    throw new ApiError('not_found', `No experiment ${idOrPrefix}. \`kfd experiments\` lists them.`);
  }

  private trialSummary(plan: ExperimentPlan, t: StoredTrial): TrialSummary {
    const live = t.jobId && t.finishedAt === null ? this.live.get(t.jobId)?.observations : undefined;
    const job = t.jobId ? (this.deps.db.prepare('SELECT started_at FROM jobs WHERE id = ?').get(t.jobId) as { started_at: number | null } | undefined) : undefined;
    return trialSummary(plan, t, live, job?.started_at ?? null);
  }

  private summary(e: StoredExperiment, trials: StoredTrial[]): ExperimentSummary {
    return experimentSummary(e, this.plan(e), trials);
  }

  private emit(id: string): void {
    const e = this.repo.get(id);
    if (e) this.deps.events.emit('experiments.changed', this.summary(e, this.repo.trials(id)));
  }

  /** At most a few events a second while trials print metrics. */
  private emitSoon(id: string): void {
    if (this.emitTimer.has(id)) return;
    this.emitTimer.set(
      id,
      setTimeout(() => {
        this.emitTimer.delete(id);
        if (!this.closed) this.emit(id);
      }, 300),
    );
  }
}
