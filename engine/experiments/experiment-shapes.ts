/** Stored experiments and trials → the API's shapes (pure). */
import type { ExperimentSummary, TrialSummary } from '../api/schemas/experiments.js';
import type { StoredExperiment, StoredObservation, StoredTrial } from './experiment-repo.js';
import { bestTrial, counts } from './experiment-status.js';
import { objectiveOf, type MetricObservation } from './metrics-collector.js';
import type { ExperimentPlan } from './parse-experiment.js';

export function toStored(observations: Map<string, MetricObservation>): Record<string, StoredObservation> {
  return Object.fromEntries([...observations].map(([k, o]) => [k, { min: o.min, max: o.max, latest: o.latest, values: o.values }]));
}

export function fromStored(stored: Record<string, StoredObservation>): Map<string, MetricObservation> {
  return new Map(Object.entries(stored).map(([name, o]) => [name, { name, ...o }]));
}

/** `live`: the observations of a trial still running (what it printed so far). */
export function trialSummary(plan: ExperimentPlan, t: StoredTrial, live: Map<string, MetricObservation> | undefined, startedAt: number | null): TrialSummary {
  const observations = live ?? fromStored(t.observation);
  return {
    name: t.name,
    seq: t.seq,
    status: t.status,
    reason: t.reason,
    parameters: t.parameters,
    objective: live ? objectiveOf(plan, live) : t.objective,
    metrics: [...observations.values()].map((o) => ({ name: o.name, min: o.min, max: o.max, latest: o.latest })),
    jobId: t.jobId,
    createdAt: t.createdAt,
    startedAt,
    finishedAt: t.finishedAt,
  };
}

export function experimentSummary(e: StoredExperiment, plan: ExperimentPlan, trials: StoredTrial[]): ExperimentSummary {
  const best = bestTrial(plan, trials);
  return {
    id: e.id,
    name: e.name,
    workspace: e.workspace,
    file: e.file,
    backend: e.backend,
    target: e.backend === 'kubernetes' ? (e.placement.target ?? '') : 'localhost',
    status: e.status,
    reason: e.reason,
    message: e.message,
    algorithm: plan.algorithm.name,
    objective: { type: plan.objective.type, metric: plan.objective.metric, goal: plan.objective.goal },
    parallelTrialCount: plan.parallelTrialCount,
    maxTrialCount: plan.maxTrialCount,
    counts: counts(trials),
    bestTrial: best ? { name: best.name, parameters: best.parameters, objective: best.objective! } : null,
    createdAt: e.createdAt,
    finishedAt: e.finishedAt,
  };
}
