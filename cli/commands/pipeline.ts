/**
 * `kfd pipeline compile | run | runs | show | cancel | rerun`: compiled KFP pipelines run locally,
 * through the same API the app uses. `run --follow` drives the run in this process and prints
 * each task as it changes; the exit code is 0 when the run Succeeded, 1 naming the failed task.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { EventName, PipelineRunDetail, PipelineRunSummary } from '../../engine/api/contract.js';
import { callApi, guardCommand, type Dispatch } from './api-call.js';

export interface PipelineCommandDeps {
  dispatch: Dispatch;
  subscribe: (listener: (event: EventName, payload: unknown) => void) => () => void;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

const FINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);
const call = <T>(deps: PipelineCommandDeps, method: string, input: unknown) => callApi<T>(deps.dispatch, method, input, 2);
const out = (deps: PipelineCommandDeps) => deps.stdout ?? process.stdout;
const err = (deps: PipelineCommandDeps) => deps.stderr ?? process.stderr;

/** `--param k=v` (repeatable) → { k: "v" }; the engine reads each value by the parameter's type. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not name=value.`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** `kfd pipeline show --json`: exactly the shape the issue names. */
export function showJson(run: PipelineRunDetail) {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    parameters: run.parameters,
    tasks: run.tasks.map((t) => ({
      name: t.path,
      status: t.status,
      cached: t.cached,
      jobId: t.jobId,
      inputs: { parameters: t.inputs.parameters },
      outputs: {
        parameters: t.outputs.parameters,
        artifacts: Object.fromEntries(Object.entries(t.outputs.artifacts).map(([name, list]) => [name, list.length === 1 ? list[0]!.uri : list.map((a) => a.uri)])),
      },
    })),
  };
}

export function formatRun(run: PipelineRunDetail): string {
  const lines = [`${run.id}  ${run.name}  ${run.status}${run.message ? `  ${run.message}` : ''}`, `  file: ${run.file}`, `  backend: ${run.backend}${run.rerunOf ? `  (re-run of ${run.rerunOf})` : ''}`];
  if (Object.keys(run.parameters).length) lines.push(`  parameters: ${Object.entries(run.parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
  lines.push('  tasks:');
  for (const t of run.tasks) {
    const depth = t.path.split('/').length - 1;
    const extra = [t.cached ? 'cached' : '', t.jobId ? `job ${t.jobId}` : '', t.message ?? ''].filter(Boolean).join(', ');
    lines.push(`  ${'  '.repeat(depth)}- ${t.path.split('/').pop()}  ${t.status}${extra ? `  (${extra})` : ''}`);
    for (const [k, v] of Object.entries(t.outputs.parameters)) lines.push(`  ${'  '.repeat(depth)}    ${k} = ${JSON.stringify(v)}`);
    for (const [k, list] of Object.entries(t.outputs.artifacts)) for (const a of list) lines.push(`  ${'  '.repeat(depth)}    ${k} → ${a.uri}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatRuns(runs: PipelineRunSummary[]): string {
  if (!runs.length) return 'No pipeline runs yet. Start one with `kfd pipeline run <pipeline.yaml|.py>`.\n';
  const rows = runs.map((r) => [r.id, r.name, r.status, r.backend, new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19), Object.entries(r.counts).map(([k, n]) => `${n} ${k}`).join(', ')]);
  const head = ['ID', 'PIPELINE', 'STATUS', 'BACKEND', 'CREATED', 'TASKS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Waits for the run to end, printing each task's new state. */
export async function followRun(deps: PipelineCommandDeps, id: string): Promise<PipelineRunDetail> {
  const seen = new Map<string, string>();
  const report = (run: PipelineRunDetail) => {
    for (const t of run.tasks) {
      if (t.kind === 'iteration') continue;
      const state = `${t.status}${t.cached ? ' (cached)' : ''}`;
      if (seen.get(t.path) === state) continue;
      if (!seen.has(t.path) && t.status === 'Pending') { seen.set(t.path, state); continue; }
      seen.set(t.path, state);
      err(deps).write(`  ${t.path}: ${state}${t.message && t.status !== 'Succeeded' ? ` — ${t.message}` : ''}${t.jobId && t.status === 'Running' ? ` [job ${t.jobId}]` : ''}\n`);
    }
  };
  let wake: () => void = () => undefined;
  const unsubscribe = deps.subscribe((event, payload) => {
    if (event === 'pipelines.changed' && (payload as PipelineRunSummary).id === id) wake();
  });
  try {
    for (;;) {
      const changed = new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 1000); });
      const run = await call<PipelineRunDetail>(deps, 'pipelines.get', { id });
      report(run);
      if (FINAL.has(run.status)) return run;
      await changed;
    }
  } finally {
    unsubscribe();
  }
}

export interface PipelineRunOptions {
  param?: Record<string, string>;
  backend: string;
  context?: string;
  namespace?: string;
  follow?: boolean;
  cache: boolean;
  json?: boolean;
  pipeline?: string;
}

export function pipelineRunCommand(file: string, opts: PipelineRunOptions, deps: PipelineCommandDeps): Promise<number> {
  return guardCommand(err(deps), async () => {
    const run = await withProgress(deps, () => call<PipelineRunDetail>(deps, 'pipelines.run', {
      path: path.resolve(file),
      parameters: opts.param ?? {},
      backend: opts.backend,
      enableCache: opts.cache,
      ...(opts.context ? { target: opts.context } : {}),
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
    }));
    if (!opts.follow) {
      out(deps).write(opts.json ? JSON.stringify(showJson(run), null, 2) + '\n' : `${run.id}\n`);
      err(deps).write(`Started ${run.name} as ${run.id}. Tasks go on while the app (or \`kfd serve\`) is open; \`kfd pipeline run --follow\` drives a run from here.\n`);
      return 0;
    }
    err(deps).write(`Started ${run.name} as ${run.id}; Ctrl+C cancels it.\n`);
    const onSigint = () => void call(deps, 'pipelines.cancel', { id: run.id }).catch(() => undefined);
    process.once('SIGINT', onSigint);
    try {
      const final = await followRun(deps, run.id);
      err(deps).write(`${final.name} ${final.status}${final.message ? `: ${final.message}` : ''}\n`);
      out(deps).write(opts.json ? JSON.stringify(showJson(final), null, 2) + '\n' : `${final.id} ${final.status}\n`);
      return final.status === 'Succeeded' ? 0 : final.status === 'Cancelled' ? 130 : 1;
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
}

/** Prints what getting kfp ready is doing (a first compile installs it) while `fn` runs. */
async function withProgress<T>(deps: PipelineCommandDeps, fn: () => Promise<T>): Promise<T> {
  const off = deps.subscribe((event, payload) => {
    if (event === 'pipelines.progress') err(deps).write(`… ${(payload as { message: string }).message}\n`);
  });
  try {
    return await fn();
  } finally {
    off();
  }
}

export function registerPipelineCommands(program: Command, run: (fn: (deps: PipelineCommandDeps) => Promise<number>) => Promise<void>): void {
  const pipeline = program.command('pipeline').description('compiled Kubeflow Pipelines (KFP v2 YAML) run locally: tasks are jobs, with caching and history');
  pipeline
    .command('compile')
    .description('compile a Python pipeline (@dsl.pipeline) to KFP pipeline YAML with kfp in a managed environment')
    .argument('<file.py>')
    .option('-o, --output <file>', 'where to write the YAML (default: beside the .py)')
    .option('-p, --pipeline <name>', 'which pipeline function, when the file has several (default: the last one)')
    .action(async (file: string, opts: { output?: string; pipeline?: string }) => {
      await run((deps) =>
        guardCommand(err(deps), async () => {
          const r = await withProgress(deps, () => call<{ output: string; pipeline: string; candidates: string[] }>(deps, 'pipelines.compile', { path: path.resolve(file), ...(opts.output ? { output: path.resolve(opts.output) } : {}), ...(opts.pipeline ? { pipeline: opts.pipeline } : {}) }));
          out(deps).write(`${r.output}\n`);
          if (r.candidates.length > 1) err(deps).write(`Compiled ${r.pipeline} (the file also has ${r.candidates.filter((c) => c !== r.pipeline).join(', ')}; choose with --pipeline).\n`);
          return 0;
        }),
      );
    });
  pipeline
    .command('run')
    .description('run a compiled pipeline (or a .py, compiled first) as local jobs; with --follow, exit 0 when it Succeeded')
    .argument('<pipeline>', 'pipeline.yaml or pipeline.py')
    .option('--param <name=value>', 'a pipeline parameter (repeatable); read by its type in root.inputDefinitions', collectParam)
    .option('-b, --backend <backend>', 'local-process | container | kubernetes', 'local-process')
    .option('--context <ctx>', 'backend kubernetes: the kubeconfig context or local cluster')
    .option('-n, --namespace <ns>', 'backend kubernetes: the namespace')
    .option('-f, --follow', 'drive the run here and print each task as it changes; Ctrl+C cancels')
    .option('--no-cache', 'run every task even when a cached result exists')
    .option('-p, --pipeline <name>', 'for a .py with several pipelines: which one')
    .option('--json', 'print the run as JSON (the `show --json` shape)')
    .action(async (file: string, opts: PipelineRunOptions) => {
      await run((deps) => pipelineRunCommand(file, opts, deps));
    });
  pipeline
    .command('runs')
    .description('list pipeline runs, newest first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await run((deps) =>
        guardCommand(err(deps), async () => {
          const { runs } = await call<{ runs: PipelineRunSummary[] }>(deps, 'pipelines.list', {});
          out(deps).write(opts.json ? JSON.stringify(runs, null, 2) + '\n' : formatRuns(runs));
          return 0;
        }),
      );
    });
  pipeline
    .command('show')
    .description('one run: its tasks with status, cache, job, inputs and outputs')
    .argument('<run-id>')
    .option('--json', 'print {id, name, status, parameters, tasks: [...]}')
    .action(async (id: string, opts: { json?: boolean }) => {
      await run((deps) =>
        guardCommand(err(deps), async () => {
          const r = await call<PipelineRunDetail>(deps, 'pipelines.get', { id });
          out(deps).write(opts.json ? JSON.stringify(showJson(r), null, 2) + '\n' : formatRun(r));
          return 0;
        }),
      );
    });
  pipeline
    .command('cancel')
    .description('cancel a run: its running task jobs are cancelled, nothing new starts')
    .argument('<run-id>')
    .action(async (id: string) => {
      await run((deps) =>
        guardCommand(err(deps), async () => {
          const r = await call<PipelineRunSummary>(deps, 'pipelines.cancel', { id });
          out(deps).write(`${r.id} ${r.status}\n`);
          return 0;
        }),
      );
    });
  pipeline
    .command('rerun')
    .description('run the same pipeline and parameters again, reusing every task that succeeded (re-run from the failed task)')
    .argument('<run-id>')
    .option('-f, --follow', 'drive the run here until it ends')
    .action(async (id: string, opts: { follow?: boolean }) => {
      await run((deps) =>
        guardCommand(err(deps), async () => {
          const r = await call<PipelineRunDetail>(deps, 'pipelines.rerun', { id });
          if (!opts.follow) {
            out(deps).write(`${r.id}\n`);
            return 0;
          }
          const final = await followRun(deps, r.id);
          err(deps).write(`${final.name} ${final.status}${final.message ? `: ${final.message}` : ''}\n`);
          return final.status === 'Succeeded' ? 0 : 1;
        }),
      );
    });
}
