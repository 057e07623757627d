/**
 * Reads a compiled pipeline (the YAML `kfp.compiler.Compiler` writes) and checks what the local
 * orchestrator relies on: every reference resolves (components, executors, sibling tasks), DAGs
 * have no cycles, executors are containers or importers. Each problem names the file, the path in
 * the spec and its line, and says what to do. Pure.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { ApiError } from '../../api/api-error.js';
import { SUPPORTED_SCHEMA_VERSIONS, type ComponentSpec, type ContainerExecutor, type ExecutorSpec, type LoadedPipeline, type PipelineSpec, type TaskSpec } from './pipeline-spec.js';

export interface PipelineIssue {
  path: string;
  line: number;
  message: string;
}

export class PipelineSpecError extends ApiError {
  constructor(readonly file: string, readonly issues: PipelineIssue[]) {
    const shown = issues.slice(0, 6).map((i) => `  ${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`);
    if (issues.length > 6) shown.push(`  …and ${issues.length - 6} more`);
    super('bad_request', `${file} is not a pipeline this app can run:\n${shown.join('\n')}`, { file, errors: issues });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parsePipelineText(text: string, file: string): LoadedPipeline {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  if (!Array.isArray(docs)) throw new PipelineSpecError(file, [{ path: '(file)', line: 0, message: 'the file is empty; compile a pipeline with `kfd pipeline compile <file.py>` or kfp\'s compiler.' }]);
  const first = docs[0];
  if (!first) throw new PipelineSpecError(file, [{ path: '(file)', line: 0, message: 'the file is empty.' }]);
  const yamlErrors = docs.flatMap((d) => d.errors);
  if (yamlErrors.length) {
    throw new PipelineSpecError(file, yamlErrors.map((e) => ({ path: '(yaml)', line: e.linePos?.[0]?.line ?? 0, message: e.message.split('\n')[0]! })));
  }
  const lineOf = lineFinder(first, lines);
  let value: unknown = first.toJS({ maxAliasCount: 100 });
  let prefix: string[] = [];
  // A PipelineJob (kfp's JSON for Vertex AI) carries the spec under pipelineSpec.
  if (isObject(value) && isObject(value.pipelineSpec) && !value.root) {
    value = value.pipelineSpec;
    prefix = ['pipelineSpec'];
  }
  const issues: PipelineIssue[] = [];
  const warnings: string[] = [];
  const at = (path: (string | number)[], message: string) => issues.push({ path: path.join('.'), line: lineOf([...prefix, ...path]), message });
  if (!isObject(value)) {
    at([], 'expected a mapping (a compiled pipeline spec with pipelineInfo, root, components, deploymentSpec).');
    throw new PipelineSpecError(file, issues);
  }
  if (typeof value.apiVersion === 'string' && value.apiVersion.startsWith('argoproj.io')) {
    at(['apiVersion'], 'this is a KFP v1 (Argo Workflow) pipeline; compile it with kfp 2.x, which writes the v2 pipeline spec.');
    throw new PipelineSpecError(file, issues);
  }
  const spec = value as unknown as PipelineSpec;
  if (typeof spec.schemaVersion !== 'string') at(['schemaVersion'], 'missing; a kfp 2.x pipeline spec has schemaVersion: 2.1.0.');
  else if (!SUPPORTED_SCHEMA_VERSIONS.includes(spec.schemaVersion)) at(['schemaVersion'], `${spec.schemaVersion} is not supported (supported: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}); compile with kfp 2.x.`);
  if (!isObject(spec.pipelineInfo) || typeof spec.pipelineInfo.name !== 'string' || !spec.pipelineInfo.name) at(['pipelineInfo', 'name'], 'missing; every pipeline spec names its pipeline.');
  if (!isObject(spec.root)) at(['root'], 'missing; the pipeline\'s root component (root.dag.tasks) is required.');
  if (spec.components !== undefined && !isObject(spec.components)) at(['components'], 'expected a mapping of component names to component specs.');
  const executors: Record<string, ExecutorSpec> = isObject(spec.deploymentSpec) && isObject(spec.deploymentSpec.executors) ? spec.deploymentSpec.executors : {};
  if (issues.length) throw new PipelineSpecError(file, issues);

  const components = spec.components ?? {};
  for (const [label, exec] of Object.entries(executors)) {
    const path = ['deploymentSpec', 'executors', label];
    if (!isObject(exec)) { at(path, 'expected an executor (container or importer).'); continue; }
    if (exec.container) {
      const c = exec.container as Partial<ContainerExecutor> & Record<string, unknown>;
      if (typeof c.image !== 'string' || !c.image) at([...path, 'container', 'image'], 'missing; a container executor needs an image.');
      for (const key of ['command', 'args'] as const) {
        const list = c[key];
        if (list !== undefined && (!Array.isArray(list) || !list.every((s) => typeof s === 'string'))) at([...path, 'container', key], 'expected a list of strings.');
      }
    } else if (exec.importer) {
      if (!isObject((exec.importer as Record<string, unknown>).artifactUri)) at([...path, 'importer', 'artifactUri'], 'missing; an importer needs the URI of the artifact to import.');
    } else if (exec.resolver !== undefined) {
      at([...path, 'resolver'], 'resolver executors (dsl.importer with metadata queries) are not supported locally.');
    } else if (exec.customJob !== undefined) {
      at([...path, 'customJob'], 'custom jobs (Google Cloud Vertex AI) cannot run locally; run the pipeline on Vertex AI.');
    } else {
      at(path, 'has no container or importer; only those executors run locally.');
    }
  }

  const checkComponent = (comp: ComponentSpec, path: (string | number)[], stack: string[]) => {
    if (comp.executorLabel !== undefined && !(comp.executorLabel in executors)) {
      at([...path, 'executorLabel'], `names the executor "${comp.executorLabel}", which deploymentSpec.executors does not define.`);
    }
    const tasks = comp.dag?.tasks;
    if (!tasks) return;
    if (!isObject(tasks)) { at([...path, 'dag', 'tasks'], 'expected a mapping of task names to tasks.'); return; }
    for (const [name, task] of Object.entries(tasks)) checkTask(name, task, tasks, [...path, 'dag', 'tasks', name], stack);
    for (const [out, sel] of Object.entries(comp.dag?.outputs?.parameters ?? {})) {
      const producers = sel.valueFromParameter ? [sel.valueFromParameter.producerSubtask] : (sel.valueFromOneof?.parameterSelectors ?? []).map((s) => s.producerSubtask);
      for (const p of producers) if (!(p in tasks)) at([...path, 'dag', 'outputs', 'parameters', out], `takes its value from task "${p}", which this DAG does not have.`);
    }
    for (const [out, sel] of Object.entries(comp.dag?.outputs?.artifacts ?? {})) {
      for (const s of sel.artifactSelectors ?? []) if (!(s.producerSubtask in tasks)) at([...path, 'dag', 'outputs', 'artifacts', out], `takes its value from task "${s.producerSubtask}", which this DAG does not have.`);
    }
    const cycle = findCycle(tasks);
    if (cycle) at([...path, 'dag', 'tasks'], `tasks depend on each other in a cycle: ${cycle.join(' → ')}.`);
  };

  const checkTask = (name: string, task: TaskSpec, siblings: Record<string, TaskSpec>, path: (string | number)[], stack: string[]) => {
    if (!isObject(task)) { at(path, 'expected a task.'); return; }
    const ref = task.componentRef?.name;
    if (typeof ref !== 'string') { at([...path, 'componentRef', 'name'], 'missing; a task names its component.'); return; }
    const comp = components[ref];
    if (!isObject(comp)) { at([...path, 'componentRef', 'name'], `names the component "${ref}", which components does not define.`); return; }
    for (const d of task.dependentTasks ?? []) if (!(d in siblings)) at([...path, 'dependentTasks'], `names "${d}", which is not a task of the same DAG.`);
    for (const [input, p] of Object.entries(task.inputs?.parameters ?? {})) {
      const producer = p.taskOutputParameter?.producerTask ?? p.taskFinalStatus?.producerTask;
      if (producer !== undefined && !(producer in siblings)) at([...path, 'inputs', 'parameters', input], `takes its value from task "${producer}", which is not a task of the same DAG.`);
    }
    for (const [input, a] of Object.entries(task.inputs?.artifacts ?? {})) {
      const producer = a.taskOutputArtifact?.producerTask;
      if (producer !== undefined && !(producer in siblings)) at([...path, 'inputs', 'artifacts', input], `takes its artifact from task "${producer}", which is not a task of the same DAG.`);
    }
    if (stack.includes(ref)) { at([...path, 'componentRef', 'name'], `"${ref}" contains itself.`); return; }
    if (comp.dag) checkComponent(comp, ['components', ref], [...stack, ref]);
    else if (comp.executorLabel === undefined && (task.parameterIterator || task.artifactIterator)) at([...path], 'iterates over a component without a DAG.');
  };

  checkComponent(spec.root, ['root'], []);
  for (const [name, comp] of Object.entries(components)) if (isObject(comp) && !comp.dag) checkComponent(comp, ['components', name], [name]);
  if (issues.length) throw new PipelineSpecError(file, issues);

  const platformSpec = docs[1]?.toJS() ?? null;
  if (platformSpec) warnings.push('The pipeline has a platform section (kfp-kubernetes: secrets, volumes, node selectors …); it is not applied by local runs.');
  // The file as kfp wrote it (byte for byte) goes to KFP on hand-off; with a platform section, the spec part.
  return { spec, text: docs.length === 1 ? text : first.toString(), file, platformSpec, warnings };
}

function findCycle(tasks: Record<string, TaskSpec>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const d of upstreamOf(tasks[name]!)) if (d in tasks) { const c = visit(d); if (c) return c; }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(tasks)) { const c = visit(name); if (c) return c; }
  return null;
}

/** A task's upstream tasks in its DAG: dependentTasks plus every producer of its inputs. */
export function upstreamOf(task: TaskSpec): string[] {
  const set = new Set(task.dependentTasks ?? []);
  for (const p of Object.values(task.inputs?.parameters ?? {})) {
    if (p.taskOutputParameter) set.add(p.taskOutputParameter.producerTask);
    if (p.taskFinalStatus) set.add(p.taskFinalStatus.producerTask);
  }
  for (const a of Object.values(task.inputs?.artifacts ?? {})) if (a.taskOutputArtifact) set.add(a.taskOutputArtifact.producerTask);
  return [...set];
}

function lineFinder(doc: Document, counter: LineCounter): (path: (string | number)[]) => number {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range && (isMap(node) || isSeq(node) || n === 0 || node)) return counter.linePos(range[0]).line;
    }
    return 0;
  };
}
