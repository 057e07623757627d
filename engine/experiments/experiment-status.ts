/**
 * When an experiment ends, and how — Katib's rules (experiment controller, UpdateExperimentStatusCondition)
 * as pure functions: the goal reached by the best trial → Succeeded/ExperimentGoalReached; failed
 * trials (Failed + MetricsUnavailable) reaching maxFailedTrialCount → Failed/ExperimentFailed;
 * completed trials reaching maxTrialCount → Succeeded/ExperimentMaxTrialsReached; the search space
 * used up with nothing running → Succeeded/ExperimentSuggestionEndReached.
 */
import type { ExperimentStatus, TrialStatus } from '../api/schemas/experiments.js';
import { parseQuantity } from '../jobs/trainjob/quantity.js';
import { backendCapacity, validateJobText } from '../jobs/workspace-job.js';
import { sampleAssignment, type ExperimentPlan } from './parse-experiment.js';
import { buildTrialJob, trialName } from './trial-template.js';

export interface TrialState {
  name: string;
  status: TrialStatus;
  objective: number | null;
  /** Set once its job has ended (an EarlyStopped or Killed trial is still active until then). */
  finishedAt: number | null;
  seq: number;
}

export interface Ending {
  status: ExperimentStatus;
  reason: string;
  message: string;
}

export const isActive = (t: TrialState): boolean => t.finishedAt === null;

export function counts(trials: readonly TrialState[]) {
  const done = (s: TrialStatus) => trials.filter((t) => t.status === s && !isActive(t)).length;
  return {
    total: trials.length,
    running: trials.filter(isActive).length,
    succeeded: done('Succeeded'),
    failed: done('Failed') + done('MetricsUnavailable'),
    earlyStopped: done('EarlyStopped'),
    killed: done('Killed'),
  };
}

/** The trial with the best objective (Katib: any trial with an observation; the first of equals). */
export function bestTrial<T extends TrialState>(plan: Pick<ExperimentPlan, 'objective'>, trials: readonly T[]): T | null {
  let best: T | null = null;
  for (const t of trials) {
    if (t.objective === null) continue;
    if (!best || (plan.objective.type === 'minimize' ? t.objective < best.objective! : t.objective > best.objective!)) best = t;
  }
  return best;
}

export function goalReached(plan: Pick<ExperimentPlan, 'objective'>, trials: readonly TrialState[]): boolean {
  const goal = plan.objective.goal;
  const best = bestTrial(plan, trials);
  if (goal === null || !best) return false;
  return plan.objective.type === 'minimize' ? best.objective! <= goal : best.objective! >= goal;
}

export function decideEnding(plan: Pick<ExperimentPlan, 'objective' | 'maxTrialCount' | 'maxFailedTrialCount'>, trials: readonly TrialState[], suggestionsExhausted: boolean): Ending | null {
  const c = counts(trials);
  const completed = c.succeeded + c.failed + c.earlyStopped + c.killed;
  if (goalReached(plan, trials)) return { status: 'Succeeded', reason: 'ExperimentGoalReached', message: 'Experiment has succeeded because Objective goal has reached' };
  const maxFailed = plan.maxFailedTrialCount;
  if (maxFailed !== null && c.failed !== 0 && c.failed >= maxFailed) return { status: 'Failed', reason: 'ExperimentFailed', message: 'Experiment has failed because max failed count has reached' };
  if (plan.maxTrialCount !== null && completed >= plan.maxTrialCount) return { status: 'Succeeded', reason: 'ExperimentMaxTrialsReached', message: 'Experiment has succeeded because max trial count has reached' };
  if (suggestionsExhausted && c.running === 0) return { status: 'Succeeded', reason: 'ExperimentSuggestionEndReached', message: 'Experiment has succeeded because suggestion service has reached the end' };
  return null;
}

/**
 * How many trials to start now: up to parallelTrialCount running, maxTrialCount in all, and (local
 * processes) what the free cores hold.
 */
export function trialsToStart(plan: Pick<ExperimentPlan, 'parallelTrialCount' | 'maxTrialCount'>, trials: readonly TrialState[], coreSlots: number): number {
  const running = trials.filter(isActive).length;
  const byParallel = plan.parallelTrialCount - running;
  const byMax = plan.maxTrialCount === null ? Infinity : plan.maxTrialCount - trials.length;
  const byCores = coreSlots - running;
  return Math.max(0, Math.min(byParallel, byMax, byCores));
}

/**
 * Trials one host can run at once: its free cores (cores minus the processes of other running
 * jobs) over what one trial takes — its `resourcesPerNode.limits.cpu` × nodes when set, else one
 * core per process. At least 1, so a sweep always makes progress.
 */
export function coreSlots(cpus: number, busyElsewhere: number, perTrialCores: number): number {
  const free = Math.max(0, cpus - busyElsewhere);
  return Math.max(1, Math.floor(free / Math.max(perTrialCores, 0.001) + 1e-9));
}

/** Cores one local-process trial takes: cpu limit × nodes when declared, else its processes (numProcPerNode "auto" = every core). */
export function trialCores(plan: ExperimentPlan): number {
  const checked = validateJobText(buildTrialJob(plan, sampleAssignment(plan.parameters), trialName(plan.name, 1)), 'trial', 'local-process', backendCapacity('local-process'));
  if (!checked.ok) return 1;
  const cpu = checked.job.spec.trainer?.resourcesPerNode?.limits?.cpu;
  const declared = cpu !== undefined ? parseQuantity(cpu) : null;
  return declared !== null ? declared * checked.numNodes : checked.numNodes * checked.numProcPerNode;
}
