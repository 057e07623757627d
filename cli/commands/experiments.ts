/**
 * `kfd tune | experiments | experiment show|cancel|promote`: hyperparameter tuning with Katib
 * Experiment files, through the same API contract the app uses.
 */
import type { Command } from 'commander';
import type { EventName, ExperimentDetail, ExperimentSummary, PromoteExperimentResult } from '../../engine/api/contract.js';
import { callApi, guardCommand, type Dispatch } from './api-call.js';

export interface ExperimentCommandDeps {
  dispatch: Dispatch;
  subscribe: (listener: (event: EventName, payload: unknown) => void) => () => void;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Resolves on Ctrl+C (tests pass their own). */
  interrupted?: Promise<void>;
}

const call = <T>(deps: ExperimentCommandDeps, method: string, input: unknown) => callApi<T>(deps.dispatch, method, input, 2);
const guard = (deps: ExperimentCommandDeps, fn: () => Promise<number>) => guardCommand(deps.stderr ?? process.stderr, fn);
const out = (deps: ExperimentCommandDeps) => deps.stdout ?? process.stdout;
const FINAL = new Set(['Succeeded', 'Failed']);

const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : Number(v.toPrecision(6)).toString());
const params = (p: Record<string, string>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');

/** Exactly the shape `kfd experiment show --json` promises. */
export function showJson(e: ExperimentDetail) {
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    bestTrial: e.bestTrial ? { name: e.bestTrial.name, parameters: e.bestTrial.parameters, objective: e.bestTrial.objective } : null,
    trials: e.trials.map((t) => ({ name: t.name, status: t.status, parameters: t.parameters, objective: t.objective, jobId: t.jobId })),
  };
}

export function formatExperiment(e: ExperimentDetail): string {
  const lines = [
    `${e.name}  ${e.id}  ${e.status}${e.reason ? ` (${e.reason})` : ''}`,
    `  ${e.algorithm} · ${e.objective.type} ${e.objective.metric}${e.objective.goal !== null ? ` to ${e.objective.goal}` : ''} · ${e.counts.total}${e.maxTrialCount ? `/${e.maxTrialCount}` : ''} trials, ${e.parallelTrialCount} at a time · ${e.backend}`,
  ];
  if (e.message) lines.push(`  ${e.message}`);
  if (e.bestTrial) lines.push(`  best: ${e.bestTrial.name}  ${e.objective.metric}=${num(e.bestTrial.objective)}  ${params(e.bestTrial.parameters)}`);
  for (const w of e.warnings) lines.push(`  warning: ${w.message}`);
  if (e.trials.length) {
    lines.push('', `  ${'TRIAL'.padEnd(24)} ${'STATUS'.padEnd(19)} ${e.objective.metric.slice(0, 12).padEnd(12)} PARAMETERS`);
    for (const t of e.trials) lines.push(`  ${t.name.padEnd(24)} ${t.status.padEnd(19)} ${num(t.objective).padEnd(12)} ${params(t.parameters)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function tuneCommand(target: string, opts: { follow?: boolean; json?: boolean; backend: string; context?: string; namespace?: string }, deps: ExperimentCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const created = await call<ExperimentDetail>(deps, 'experiments.create', { path: target, backend: opts.backend, ...(opts.context ? { target: opts.context } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}) });
    const stderr = deps.stderr ?? process.stderr;
    for (const w of created.warnings) stderr.write(`warning: ${w.message}\n`);
    if (!opts.follow) {
      out(deps).write(opts.json ? `${JSON.stringify(showJson(created), null, 2)}\n` : `Experiment ${created.name} ${created.id} started. It goes on while Kubeflow Desktop runs; \`kfd experiment show ${created.id.slice(0, 8)}\` shows it.\n`);
      return 0;
    }
    out(deps).write(`Experiment ${created.name} ${created.id}: ${created.algorithm}, ${created.objective.type} ${created.objective.metric}\n`);
    const final = await followExperiment(deps, created.id);
    out(deps).write(opts.json ? `${JSON.stringify(showJson(final), null, 2)}\n` : formatExperiment(final));
    return final.status === 'Succeeded' ? 0 : 1;
  });
}

/** Prints each trial's changes until the experiment ends; Ctrl+C cancels the experiment. */
async function followExperiment(deps: ExperimentCommandDeps, id: string): Promise<ExperimentDetail> {
  const stderr = deps.stderr ?? process.stderr;
  const shown = new Map<string, string>();
  let lastMessage = '';
  let wake: () => void = () => undefined;
  const unsubscribe = deps.subscribe((event, payload) => {
    if (event === 'experiments.changed' && (payload as ExperimentSummary).id === id) wake();
  });
  let interrupted = false;
  const onInterrupt = deps.interrupted ?? new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  void onInterrupt.then(() => {
    interrupted = true;
    wake();
  });
  try {
    for (;;) {
      if (interrupted) {
        stderr.write('Cancelling the experiment…\n');
        await call(deps, 'experiments.cancel', { id });
      }
      const e = await call<ExperimentDetail>(deps, 'experiments.get', { id });
      if (e.message !== lastMessage && e.message.startsWith('Preparing')) stderr.write(`… ${e.message}\n`);
      lastMessage = e.message;
      for (const t of e.trials) {
        const line = `${t.name} ${t.status}${t.objective !== null && t.finishedAt !== null ? ` ${e.objective.metric}=${num(t.objective)}` : ''}`;
        if (shown.get(t.name) !== line) {
          out(deps).write(`  ${line}  ${params(t.parameters)}\n`);
          shown.set(t.name, line);
        }
      }
      if (FINAL.has(e.status) && e.trials.every((t) => t.finishedAt !== null)) return e;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
  } finally {
    unsubscribe();
  }
}

export function experimentsCommand(opts: { json?: boolean }, deps: ExperimentCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { experiments } = await call<{ experiments: ExperimentSummary[] }>(deps, 'experiments.list', {});
    if (opts.json) {
      out(deps).write(`${JSON.stringify(experiments, null, 2)}\n`);
      return 0;
    }
    if (!experiments.length) {
      out(deps).write('No experiments yet. `kfd tune <experiment.yaml>` starts one.\n');
      return 0;
    }
    out(deps).write(`${'ID'.padEnd(10)} ${'NAME'.padEnd(24)} ${'STATUS'.padEnd(10)} ${'TRIALS'.padEnd(8)} BEST\n`);
    for (const e of experiments) {
      const best = e.bestTrial ? `${e.objective.metric}=${num(e.bestTrial.objective)} (${e.bestTrial.name})` : '—';
      out(deps).write(`${e.id.slice(0, 8).padEnd(10)} ${e.name.slice(0, 24).padEnd(24)} ${e.status.padEnd(10)} ${`${e.counts.total}${e.maxTrialCount ? `/${e.maxTrialCount}` : ''}`.padEnd(8)} ${best}\n`);
    }
    return 0;
  });
}

export function experimentShowCommand(id: string, opts: { json?: boolean }, deps: ExperimentCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const e = await call<ExperimentDetail>(deps, 'experiments.get', { id });
    out(deps).write(opts.json ? `${JSON.stringify(showJson(e), null, 2)}\n` : formatExperiment(e));
    return 0;
  });
}

export function experimentCancelCommand(id: string, deps: ExperimentCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const e = await call<ExperimentSummary>(deps, 'experiments.cancel', { id });
    out(deps).write(`Experiment ${e.name} ${e.id}: ${e.status} (${e.reason})\n`);
    return 0;
  });
}

export function experimentPromoteCommand(source: string, opts: { context: string; namespace?: string; dryRun?: boolean; json?: boolean }, deps: ExperimentCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const r = await call<PromoteExperimentResult>(deps, 'experiments.promote', { source, target: opts.context, ...(opts.namespace ? { namespace: opts.namespace } : {}), dryRun: Boolean(opts.dryRun) });
    if (opts.json) {
      out(deps).write(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    const stderr = deps.stderr ?? process.stderr;
    for (const w of r.warnings) stderr.write(`warning: ${w}\n`);
    if (r.dryRun) {
      out(deps).write(`# Dry run: ${r.target} accepted the Experiment ${r.namespace}/${r.name}; nothing was applied.\n${r.manifest}`);
      return 0;
    }
    out(deps).write(`Applied Experiment ${r.namespace}/${r.name} to ${r.target}. \`kfd experiment status ${r.name} --context ${opts.context}\` shows its trials.\n`);
    return 0;
  });
}

export function experimentStatusCommand(name: string, opts: { context: string; namespace?: string; json?: boolean }, deps: ExperimentCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const r = await call<PromoteExperimentResult>(deps, 'experiments.clusterStatus', { name, target: opts.context, ...(opts.namespace ? { namespace: opts.namespace } : {}) });
    if (opts.json) {
      out(deps).write(`${JSON.stringify({ conditions: r.conditions, trials: r.trials, currentOptimalTrial: r.currentOptimalTrial }, null, 2)}\n`);
      return 0;
    }
    const cond = r.conditions.filter((c) => c.status === 'True').map((c) => `${c.type}${c.reason ? ` (${c.reason})` : ''}`).join(', ') || 'no conditions yet';
    const lines = [`${r.namespace}/${r.name} on ${r.target}: ${cond}`];
    const best = r.currentOptimalTrial;
    if (best) lines.push(`  best: ${best.bestTrialName}  ${best.metrics.map((m) => `${m.name}=${m.latest}`).join(' ')}  ${best.parameterAssignments.map((p) => `${p.name}=${p.value}`).join(' ')}`);
    for (const t of r.trials) lines.push(`  ${t.name.padEnd(32)} ${t.status}`);
    out(deps).write(`${lines.join('\n')}\n`);
    return 0;
  });
}

export function registerExperimentCommands(program: Command, run: (fn: (deps: ExperimentCommandDeps) => Promise<number>) => Promise<void>): void {
  program
    .command('tune')
    .description('run a Katib Experiment (experiment.yaml) here: its trials are jobs; prints the experiment id')
    .argument('<experiment>', 'an experiment.yaml, or a workspace folder that has one')
    .option('-b, --backend <backend>', 'where trials run: local-process | container | kubernetes', 'local-process')
    .option('--context <ctx>', 'backend kubernetes: kubeconfig context or local cluster')
    .option('-n, --namespace <ns>', 'backend kubernetes: namespace')
    .option('-f, --follow', 'show trials as they finish until the experiment ends; exit 0 when it Succeeded (Ctrl+C cancels)')
    .option('--json', 'print the experiment as JSON (as `kfd experiment show --json`)')
    .action((target: string, opts: { backend: string; context?: string; namespace?: string; follow?: boolean; json?: boolean }) => run((deps) => tuneCommand(target, opts, deps)));

  program
    .command('experiments')
    .description('list experiments, newest first')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => run((deps) => experimentsCommand(opts, deps)));

  const experiment = program.command('experiment').description('one experiment: show, cancel, promote to Katib');
  experiment
    .command('show')
    .description('an experiment: its trials, parameters, objectives and the best trial')
    .argument('<id>', 'experiment id (a unique prefix is enough)')
    .option('--json', 'print {id, name, status, bestTrial, trials}')
    .action((id: string, opts: { json?: boolean }) => run((deps) => experimentShowCommand(id, opts, deps)));
  experiment
    .command('cancel')
    .description('stop an experiment: its running trials are cancelled')
    .argument('<id>', 'experiment id (a unique prefix is enough)')
    .action((id: string) => run((deps) => experimentCancelCommand(id, deps)));
  experiment
    .command('promote')
    .description('apply the same Experiment to a cluster with Katib (server-side dry run first)')
    .argument('<id|experiment.yaml>', 'an experiment id, an experiment.yaml or a workspace with one')
    .requiredOption('--context <ctx>', 'kubeconfig context, local cluster or target id (`kfd targets`)')
    .option('-n, --namespace <ns>', 'namespace (default: the one remembered for the target)')
    .option('--dry-run', 'ask the cluster to check it and print the Experiment; apply nothing')
    .option('--json', 'print JSON')
    .action((source: string, opts: { context: string; namespace?: string; dryRun?: boolean; json?: boolean }) => run((deps) => experimentPromoteCommand(source, opts, deps)));
  experiment
    .command('status')
    .description("a promoted Experiment's status on the cluster: conditions, trials, currentOptimalTrial")
    .argument('<name>', 'the Experiment name')
    .requiredOption('--context <ctx>', 'kubeconfig context, local cluster or target id')
    .option('-n, --namespace <ns>', 'namespace')
    .option('--json', 'print JSON')
    .action((name: string, opts: { context: string; namespace?: string; json?: boolean }) => run((deps) => experimentStatusCommand(name, opts, deps)));
}
