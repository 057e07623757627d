/**
 * A task's inputs in its DAG, as KFP resolves them: constants, the DAG's own inputs, sibling
 * tasks' outputs (only from a producer that succeeded), PipelineTaskFinalStatus for exit
 * handlers, parameterExpressionSelector, then the component's defaults. Pure.
 */
import type { ComponentSpec, TaskSpec } from '../spec/pipeline-spec.js';
import { CelError, evalSelector } from './cel.js';
import type { ArtifactRecord, TaskIO } from './executor-input.js';
import { normaliseDefault } from './values.js';

/** What a sibling task came to (the evaluator's view). */
export interface Upstream {
  status: string;
  outputs: TaskIO;
  message: string | null;
}

/** A sub-DAG's scope: its inputs, defaults applied. */
export function bindScope(comp: ComponentSpec, io: TaskIO): TaskIO {
  const parameters: Record<string, unknown> = { ...io.parameters };
  for (const [name, def] of Object.entries(comp.inputDefinitions?.parameters ?? {})) {
    if (parameters[name] === undefined && def.defaultValue !== undefined) parameters[name] = normaliseDefault(def.defaultValue, def.parameterType);
  }
  return { parameters, artifacts: { ...io.artifacts } };
}

function finalStatusOf(runName: string, producer: string, r: Upstream | undefined) {
  const state = !r ? 'FAILED' : r.status === 'Succeeded' ? 'SUCCEEDED' : r.status === 'Cancelled' ? 'CANCELLED' : r.status === 'Skipped' ? 'SKIPPED' : 'FAILED';
  return {
    state,
    pipelineJobResourceName: runName,
    pipelineTaskName: producer,
    ...(state === 'FAILED' ? { error: { code: 2, message: r?.message ?? 'failed' } } : {}),
  };
}

export function resolveInputs(runName: string, task: TaskSpec, comp: ComponentSpec, scope: TaskIO, results: Map<string, Upstream>): { io: TaskIO; missing: string[] } {
  const parameters: Record<string, unknown> = {};
  const artifacts: Record<string, ArtifactRecord[]> = {};
  const missing: string[] = [];
  const defs = comp.inputDefinitions?.parameters ?? {};
  for (const [name, p] of Object.entries(task.inputs?.parameters ?? {})) {
    let value: unknown;
    let has = true;
    if (p.runtimeValue) value = p.runtimeValue.constant;
    else if (p.componentInputParameter !== undefined) {
      has = p.componentInputParameter in scope.parameters;
      value = scope.parameters[p.componentInputParameter];
    } else if (p.taskOutputParameter) {
      const r = results.get(p.taskOutputParameter.producerTask);
      has = r?.status === 'Succeeded' && p.taskOutputParameter.outputParameterKey in r.outputs.parameters;
      value = has ? r!.outputs.parameters[p.taskOutputParameter.outputParameterKey] : undefined;
    } else if (p.taskFinalStatus) {
      value = finalStatusOf(runName, p.taskFinalStatus.producerTask, results.get(p.taskFinalStatus.producerTask));
    } else has = false;
    if (has && p.parameterExpressionSelector && value !== undefined) {
      try {
        value = evalSelector(p.parameterExpressionSelector, value);
      } catch (err) {
        if (!(err instanceof CelError)) throw err;
        has = false;
      }
    }
    if (has && value !== undefined) parameters[name] = normaliseDefault(value, defs[name]?.parameterType);
    else if (defs[name]?.defaultValue !== undefined) parameters[name] = normaliseDefault(defs[name]!.defaultValue, defs[name]!.parameterType);
    else if (p.taskOutputParameter && !defs[name]?.isOptional) missing.push(name);
  }
  for (const [name, def] of Object.entries(defs)) {
    if (!(name in parameters) && def.defaultValue !== undefined) parameters[name] = normaliseDefault(def.defaultValue, def.parameterType);
  }
  for (const [name, a] of Object.entries(task.inputs?.artifacts ?? {})) {
    let list: ArtifactRecord[] | undefined;
    if (a.componentInputArtifact !== undefined) list = scope.artifacts[a.componentInputArtifact];
    else if (a.taskOutputArtifact) {
      const r = results.get(a.taskOutputArtifact.producerTask);
      list = r?.status === 'Succeeded' ? r.outputs.artifacts[a.taskOutputArtifact.outputArtifactKey] : undefined;
    }
    if (list) artifacts[name] = list;
    else if (a.taskOutputArtifact && !comp.inputDefinitions?.artifacts?.[name]?.isOptional) missing.push(name);
  }
  return { io: { parameters, artifacts }, missing };
}
