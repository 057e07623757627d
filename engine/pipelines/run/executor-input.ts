/**
 * The ExecutorInput message (pipeline_spec.proto) a task's process receives through `{{$}}`, and
 * the artifact/parameter records the orchestrator keeps. Layout as kfp.local writes it: a task's
 * files live in its task root, `<pipeline root>/<pipeline name>/<run id>/<task path>`: one file per
 * output parameter, one entry per output artifact (its URI is that path) and executor_output.json.
 * Pure.
 */
import path from 'node:path';
import type { ArtifactTypeSchema, ComponentSpec } from '../spec/pipeline-spec.js';

export interface RuntimeArtifact {
  name?: string;
  type: ArtifactTypeSchema;
  uri: string;
  metadata: Record<string, unknown>;
}

export interface ExecutorInput {
  inputs: {
    parameterValues?: Record<string, unknown>;
    artifacts?: Record<string, { artifacts: RuntimeArtifact[] }>;
  };
  outputs: {
    parameters?: Record<string, { outputFile: string }>;
    artifacts?: Record<string, { artifacts: RuntimeArtifact[] }>;
    outputFile: string;
  };
}

/** An artifact as the orchestrator keeps it: the URI is the host path (stable, shown to users). */
export interface ArtifactRecord {
  name: string;
  uri: string;
  type: ArtifactTypeSchema;
  metadata: Record<string, unknown>;
}

export interface TaskIO {
  parameters: Record<string, unknown>;
  artifacts: Record<string, ArtifactRecord[]>;
}

export const EXECUTOR_OUTPUT_FILE = 'executor_output.json';

/** Task paths (`exit-handler-1/for-loop-2[0]/train`) as folders: `exit-handler-1/for-loop-2-0/train`. */
export function taskRootOf(runRoot: string, taskPath: string): string {
  const safe = taskPath.split('/').map((seg) => seg.replace(/\[(\d+)\]$/, '-$1').replace(/[^A-Za-z0-9._-]/g, '_'));
  return path.join(runRoot, ...safe);
}

/** Output artifacts of a task that runs in `taskRoot`: one per output definition, URI = task root/name. */
export function outputArtifactsOf(component: ComponentSpec, taskRoot: string): Record<string, ArtifactRecord[]> {
  const out: Record<string, ArtifactRecord[]> = {};
  for (const [name, def] of Object.entries(component.outputDefinitions?.artifacts ?? {})) {
    out[name] = [{ name, uri: path.join(taskRoot, name), type: def.artifactType ?? { schemaTitle: 'system.Artifact', schemaVersion: '0.0.1' }, metadata: {} }];
  }
  return out;
}

/**
 * `mapPath` turns a host path into the path the task's process sees (a container mounts the
 * pipeline root elsewhere); URIs given to the process are in its own file system, because kfp's
 * executor derives an artifact's local path from its URI.
 */
export function buildExecutorInput(component: ComponentSpec, inputs: TaskIO, taskRoot: string, mapPath: (hostPath: string) => string = (p) => p): ExecutorInput {
  const toRuntime = (a: ArtifactRecord): RuntimeArtifact => ({ name: a.name, type: a.type, uri: mapPath(a.uri), metadata: a.metadata });
  const parameterValues: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs.parameters)) if (value !== undefined) parameterValues[name] = value;
  const artifacts: Record<string, { artifacts: RuntimeArtifact[] }> = {};
  for (const [name, list] of Object.entries(inputs.artifacts)) artifacts[name] = { artifacts: list.map(toRuntime) };
  const outputParameters: Record<string, { outputFile: string }> = {};
  for (const name of Object.keys(component.outputDefinitions?.parameters ?? {})) outputParameters[name] = { outputFile: mapPath(path.join(taskRoot, name)) };
  const outputArtifacts: Record<string, { artifacts: RuntimeArtifact[] }> = {};
  for (const [name, list] of Object.entries(outputArtifactsOf(component, taskRoot))) outputArtifacts[name] = { artifacts: list.map(toRuntime) };
  return {
    inputs: {
      ...(Object.keys(parameterValues).length ? { parameterValues } : {}),
      ...(Object.keys(artifacts).length ? { artifacts } : {}),
    },
    outputs: {
      ...(Object.keys(outputParameters).length ? { parameters: outputParameters } : {}),
      ...(Object.keys(outputArtifacts).length ? { artifacts: outputArtifacts } : {}),
      outputFile: mapPath(path.join(taskRoot, EXECUTOR_OUTPUT_FILE)),
    },
  };
}
