/**
 * The orchestrator's decisions, as a pure function of the spec, the run's parameters and what the
 * store says about each executor task: which tasks can start now (with their resolved inputs),
 * which are skipped (a false condition, or not run because an upstream task failed), the state of
 * every DAG, condition and ParallelFor iteration, and the run's own state. Called again after every
 * change, so a restarted engine resumes from the store alone.
 *
 * Semantics follow KFP v2 on Argo: tasks start when every upstream task (dependentTasks and the
 * producers of their inputs) succeeded; once a task failed no new task starts ("fail fast") except
 * those whose trigger strategy is ALL_UPSTREAM_TASKS_COMPLETED (exit handlers,
 * ignore_upstream_failure); a task whose condition is false is Skipped and counts as done for its
 * dependents; ParallelFor runs at most parallelismLimit iterations at once.
 */
import type { ComponentSpec, DagSpec, ExecutorSpec, PipelineSpec, TaskSpec } from '../spec/pipeline-spec.js';
import { upstreamOf } from '../spec/parse-pipeline.js';
import { evalCondition } from './cel.js';
import type { ArtifactRecord, TaskIO } from './executor-input.js';
import { bindScope, resolveInputs } from './resolve-inputs.js';

export const TASK_STATUSES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Skipped', 'Cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type RunStatus = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Cancelled';

/** What the store keeps for an executor (or importer) task. */
export interface ExecRecord {
  path: string;
  status: TaskStatus;
  outputs: TaskIO | null;
  message: string | null;
}

export type NodeKind = 'task' | 'importer' | 'dag' | 'condition' | 'loop' | 'iteration';

export interface NodeView {
  path: string;
  /** taskInfo.name, else the task's key. */
  name: string;
  parent: string | null;
  kind: NodeKind;
  component: string;
  status: TaskStatus;
  message: string | null;
  /** Sibling tasks it waits for (paths). */
  upstream: string[];
  inputs: TaskIO;
  outputs: TaskIO;
}

export interface StartRequest {
  path: string;
  name: string;
  componentName: string;
  component: ComponentSpec;
  executorLabel: string;
  executor: ExecutorSpec;
  task: TaskSpec;
  inputs: TaskIO;
}

export interface Evaluation {
  status: RunStatus;
  nodes: NodeView[];
  toStart: StartRequest[];
  /** Tasks that can never run now (upstream failed, cancelled run): record them as Skipped. */
  toSkip: { path: string; message: string }[];
  outputs: TaskIO;
}

type Internal = 'Waiting' | TaskStatus | 'Blocked';
interface Result {
  status: Internal;
  outputs: TaskIO;
  message: string | null;
}

const EMPTY: TaskIO = { parameters: {}, artifacts: {} };
const isFinal = (s: Internal) => s === 'Succeeded' || s === 'Failed' || s === 'Skipped' || s === 'Cancelled' || s === 'Blocked';
const isFailure = (s: Internal) => s === 'Failed' || s === 'Cancelled' || s === 'Blocked';

interface Context {
  spec: PipelineSpec;
  records: Map<string, ExecRecord>;
  /** Some task failed: fail fast. */
  failing: boolean;
  cancelling: boolean;
  runName: string;
  nodes: NodeView[];
  toStart: StartRequest[];
  toSkip: { path: string; message: string }[];
  recordPaths: string[];
}

export function evaluateRun(spec: PipelineSpec, parameters: Record<string, unknown>, records: Map<string, ExecRecord>, opts: { cancelling?: boolean; runName?: string } = {}): Evaluation {
  const ctx: Context = {
    spec,
    records,
    failing: [...records.values()].some((r) => r.status === 'Failed' || r.status === 'Cancelled'),
    cancelling: opts.cancelling ?? false,
    runName: opts.runName ?? spec.pipelineInfo.name,
    nodes: [],
    toStart: [],
    toSkip: [],
    recordPaths: [...records.keys()],
  };
  const root = evalDag(ctx, spec.root, null, { parameters, artifacts: {} });
  let status: RunStatus;
  if (!isFinal(root.status)) status = [...records.values()].length || ctx.toStart.length ? 'Running' : 'Pending';
  else if (ctx.cancelling) status = 'Cancelled';
  else status = isFailure(root.status) || ctx.failing ? 'Failed' : 'Succeeded';
  return { status, nodes: ctx.nodes, toStart: ctx.toStart, toSkip: ctx.toSkip, outputs: root.outputs };
}

function shown(s: Internal): TaskStatus {
  return s === 'Waiting' ? 'Pending' : s === 'Blocked' ? 'Skipped' : s;
}

/** Evaluates the tasks of a DAG in `scope`; its status and outputs come from its tasks. */
function evalDag(ctx: Context, comp: ComponentSpec, prefix: string | null, scope: TaskIO): Result {
  const dag: DagSpec = comp.dag ?? {};
  const tasks = dag.tasks ?? {};
  const results = new Map<string, Result>();
  for (const name of topoOrder(tasks)) results.set(name, evalTask(ctx, name, tasks[name]!, tasks, prefix, scope, results));
  const all = [...results.values()];
  let status: Internal;
  if (all.some((r) => !isFinal(r.status))) status = all.some((r) => r.status === 'Running' || r.status === 'Pending' || r.status === 'Succeeded') ? 'Running' : 'Waiting';
  else if (all.some((r) => r.status === 'Failed')) status = 'Failed';
  else if (all.some((r) => r.status === 'Cancelled')) status = 'Cancelled';
  else if (all.some((r) => r.status === 'Blocked')) status = 'Failed';
  else status = 'Succeeded';
  return { status, outputs: isFinal(status) ? dagOutputs(dag, results) : EMPTY, message: null };
}

function dagOutputs(dag: DagSpec, results: Map<string, Result>): TaskIO {
  const out: TaskIO = { parameters: {}, artifacts: {} };
  for (const [name, sel] of Object.entries(dag.outputs?.parameters ?? {})) {
    const selectors = sel.valueFromParameter ? [sel.valueFromParameter] : sel.valueFromOneof?.parameterSelectors ?? [];
    for (const s of selectors) {
      const r = results.get(s.producerSubtask);
      if (r?.status === 'Succeeded' && s.outputParameterKey in r.outputs.parameters) {
        out.parameters[name] = r.outputs.parameters[s.outputParameterKey];
        break;
      }
    }
  }
  for (const [name, sel] of Object.entries(dag.outputs?.artifacts ?? {})) {
    for (const s of sel.artifactSelectors ?? []) {
      const r = results.get(s.producerSubtask);
      const list = r?.status === 'Succeeded' ? r.outputs.artifacts[s.outputArtifactKey] : undefined;
      if (list) {
        out.artifacts[name] = list;
        break;
      }
    }
  }
  return out;
}

function topoOrder(tasks: Record<string, TaskSpec>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const d of upstreamOf(tasks[name]!)) if (d in tasks) visit(d);
    order.push(name);
  };
  Object.keys(tasks).sort().forEach(visit);
  return order;
}

function evalTask(ctx: Context, key: string, task: TaskSpec, siblings: Record<string, TaskSpec>, prefix: string | null, scope: TaskIO, results: Map<string, Result>): Result {
  const path = prefix ? `${prefix}/${key}` : key;
  const componentName = task.componentRef.name;
  const comp = ctx.spec.components?.[componentName] ?? {};
  const upstream = upstreamOf(task).filter((d) => d in siblings);
  const executor = comp.executorLabel ? ctx.spec.deploymentSpec?.executors?.[comp.executorLabel] : undefined;
  const kind: NodeKind = executor ? (executor.importer ? 'importer' : 'task') : task.parameterIterator || task.artifactIterator ? 'loop' : task.triggerPolicy?.condition || key.startsWith('condition-') ? 'condition' : 'dag';
  const view: NodeView = { path, name: task.taskInfo?.name ?? key, parent: prefix, kind, component: componentName, status: 'Pending', message: null, upstream: upstream.map((u) => (prefix ? `${prefix}/${u}` : u)), inputs: EMPTY, outputs: EMPTY };
  ctx.nodes.push(view);
  const done = (r: Result): Result => {
    view.status = shown(r.status);
    view.message = r.message;
    view.outputs = r.outputs;
    return r;
  };
  const record = ctx.records.get(path);
  // An executor task the store knows about: its record is the truth.
  if (record && executor) {
    view.inputs = resolveInputs(ctx.runName, task, comp, scope, results).io;
    return done({ status: record.status, outputs: record.outputs ?? EMPTY, message: record.message });
  }
  const ups = upstream.map((u) => results.get(u)!);
  if (ups.some((u) => !isFinal(u.status))) return done({ status: 'Waiting', outputs: EMPTY, message: null });
  const completedStrategy = task.triggerPolicy?.strategy === 'ALL_UPSTREAM_TASKS_COMPLETED';
  const failedUp = upstream.filter((u) => isFailure(results.get(u)!.status));
  const block = (message: string): Result => {
    if (executor) ctx.toSkip.push({ path, message });
    return done({ status: 'Blocked', outputs: EMPTY, message });
  };
  if (ctx.cancelling) return block('Not started: the run was cancelled.');
  if (failedUp.length && !completedStrategy) return block(`Not started: upstream task ${failedUp.join(', ')} did not succeed.`);
  if (ctx.failing && !completedStrategy && executor) return block('Not started: another task of the run failed.');

  const resolved = resolveInputs(ctx.runName, task, comp, scope, results);
  view.inputs = resolved.io;
  if (resolved.missing.length && !completedStrategy) return block(`Not started: no value for ${resolved.missing.join(', ')} (its producer did not run).`);
  if (task.triggerPolicy?.condition) {
    let ok: boolean;
    try {
      ok = evalCondition(task.triggerPolicy.condition, resolved.io.parameters);
    } catch (err) {
      const message = `The condition ${task.triggerPolicy.condition} could not be evaluated: ${(err as Error).message}`;
      if (executor) ctx.toSkip.push({ path, message });
      return done({ status: 'Failed', outputs: EMPTY, message });
    }
    if (!ok) return done({ status: 'Skipped', outputs: EMPTY, message: `Condition is false: ${task.triggerPolicy.condition}` });
  }
  if (executor) {
    ctx.toStart.push({ path, name: view.name, componentName, component: comp, executorLabel: comp.executorLabel!, executor, task, inputs: resolved.io });
    return done({ status: 'Pending', outputs: EMPTY, message: null });
  }
  if (task.parameterIterator || task.artifactIterator) return done(evalLoop(ctx, path, task, comp, resolved.io));
  return done(evalDag(ctx, comp, path, bindScope(comp, resolved.io)));
}

function evalLoop(ctx: Context, path: string, task: TaskSpec, comp: ComponentSpec, io: TaskIO): Result {
  const scope = bindScope(comp, io);
  let items: unknown[];
  let itemInput: string;
  let artifactItems = false;
  try {
    if (task.parameterIterator) {
      itemInput = task.parameterIterator.itemInput;
      const source = task.parameterIterator.items;
      let value: unknown = source.raw !== undefined ? JSON.parse(source.raw) : scope.parameters[source.inputParameter ?? ''];
      if (typeof value === 'string') value = JSON.parse(value);
      if (!Array.isArray(value)) throw new Error(`the items are ${JSON.stringify(value)?.slice(0, 80)}, not a list`);
      items = value;
    } else {
      itemInput = task.artifactIterator!.itemInput;
      artifactItems = true;
      items = scope.artifacts[task.artifactIterator!.items.inputArtifact] ?? [];
    }
  } catch (err) {
    return { status: 'Failed', outputs: EMPTY, message: `ParallelFor items: ${(err as Error).message}` };
  }
  const limit = task.iteratorPolicy?.parallelismLimit && task.iteratorPolicy.parallelismLimit > 0 ? task.iteratorPolicy.parallelismLimit : Infinity;
  let active = 0;
  const iterations: Result[] = [];
  items.forEach((item, i) => {
    const iterPath = `${path}[${i}]`;
    const started = ctx.recordPaths.some((p) => p.startsWith(`${iterPath}/`));
    const iterScope: TaskIO = artifactItems
      ? { parameters: scope.parameters, artifacts: { ...scope.artifacts, [itemInput]: [item as ArtifactRecord] } }
      : { parameters: { ...scope.parameters, [itemInput]: item }, artifacts: scope.artifacts };
    const view: NodeView = { path: iterPath, name: `${i}`, parent: path, kind: 'iteration', component: task.componentRef.name, status: 'Pending', message: null, upstream: [], inputs: artifactItems ? { parameters: {}, artifacts: { [itemInput]: [item as ArtifactRecord] } } : { parameters: { [itemInput]: item }, artifacts: {} }, outputs: EMPTY };
    ctx.nodes.push(view);
    if (!started && active >= limit) {
      iterations.push({ status: 'Waiting', outputs: EMPTY, message: null });
      view.message = `Waiting: at most ${limit} iterations run at once.`;
      return;
    }
    const r = evalDag(ctx, comp, iterPath, iterScope);
    if (!isFinal(r.status)) active++;
    view.status = shown(r.status);
    view.outputs = r.outputs;
    iterations.push(r);
  });
  let status: Internal;
  if (iterations.some((r) => !isFinal(r.status))) status = iterations.some((r) => r.status !== 'Waiting') ? 'Running' : 'Waiting';
  else if (iterations.some((r) => isFailure(r.status))) status = 'Failed';
  else status = 'Succeeded';
  const outputs: TaskIO = { parameters: {}, artifacts: {} };
  if (isFinal(status)) {
    for (const name of Object.keys(comp.dag?.outputs?.parameters ?? {})) outputs.parameters[name] = iterations.filter((r) => name in r.outputs.parameters).map((r) => r.outputs.parameters[name]);
    for (const name of Object.keys(comp.dag?.outputs?.artifacts ?? {})) outputs.artifacts[name] = iterations.flatMap((r) => r.outputs.artifacts[name] ?? []);
  }
  return { status, outputs, message: `${items.length} iteration(s)${limit !== Infinity ? `, at most ${limit} at once` : ''}` };
}
