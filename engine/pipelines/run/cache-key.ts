/**
 * KFP's cache key (backend/src/v2/cacheutils): the component's container spec (image, command +
 * args), its output parameter and artifact definitions, and its inputs — parameter values and
 * input artifacts (by URI, which stays the same while the producer's result is reused). Same key,
 * same result: a task whose key matches an earlier successful run of it is not run again. Pure.
 */
import { createHash } from 'node:crypto';
import type { ComponentSpec, ContainerExecutor, TaskSpec } from '../spec/pipeline-spec.js';
import type { TaskIO } from './executor-input.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function cacheKey(component: ComponentSpec, container: ContainerExecutor | undefined, inputs: TaskIO): string {
  const key = {
    inputArtifactNames: Object.fromEntries(Object.entries(inputs.artifacts).map(([name, list]) => [name, list.map((a) => a.uri)])),
    inputParameterValues: inputs.parameters,
    outputArtifactsSpec: component.outputDefinitions?.artifacts ?? {},
    outputParametersSpec: component.outputDefinitions?.parameters ?? {},
    containerSpec: container ? { image: container.image, cmdArgs: [...(container.command ?? []), ...(container.args ?? [])] } : null,
  };
  return createHash('sha256').update(JSON.stringify(canonical(key))).digest('hex');
}

/** `cachingOptions: {}` is how kfp writes "caching off" (proto3 leaves false out). */
export function cachingEnabled(task: TaskSpec): boolean {
  return task.cachingOptions?.enableCache === true;
}
