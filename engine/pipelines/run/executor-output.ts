/**
 * What a finished task produced, read back as KFP's launcher does: executor_output.json first
 * (parameterValues, artifacts with their metadata — Metrics, ClassificationMetrics …), then the
 * per-output files for parameters it did not give there (container components write
 * `{{$.outputs.parameters['x'].output_file}}`).
 */
import path from 'node:path';
import type { ComponentSpec } from '../spec/pipeline-spec.js';
import { EXECUTOR_OUTPUT_FILE, outputArtifactsOf, type ArtifactRecord, type TaskIO } from './executor-input.js';
import { parseOutputFile } from './values.js';
import { readOptional } from '../../read-optional.js';

export class OutputError extends Error {}

interface ExecutorOutputJson {
  parameterValues?: Record<string, unknown>;
  parameters?: Record<string, { stringValue?: string; intValue?: number; doubleValue?: number }>;
  artifacts?: Record<string, { artifacts?: { name?: string; uri?: string; metadata?: Record<string, unknown> }[] }>;
}

/** `hostPathOf` maps a URI the process wrote (its own file system) back to the host. */
export async function readTaskOutputs(component: ComponentSpec, taskRoot: string, hostPathOf: (uri: string) => string = (u) => u): Promise<TaskIO> {
  const text = await readOptional(path.join(taskRoot, EXECUTOR_OUTPUT_FILE));
  let json: ExecutorOutputJson = {};
  if (text !== null && text.trim()) {
    try {
      json = JSON.parse(text) as ExecutorOutputJson;
    } catch {
      throw new OutputError(`${EXECUTOR_OUTPUT_FILE} in ${taskRoot} is not valid JSON.`);
    }
  }
  const parameters: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(component.outputDefinitions?.parameters ?? {})) {
    if (json.parameterValues && name in json.parameterValues) {
      parameters[name] = json.parameterValues[name];
      continue;
    }
    const legacy = json.parameters?.[name];
    if (legacy) {
      parameters[name] = legacy.stringValue ?? legacy.intValue ?? legacy.doubleValue;
      continue;
    }
    const file = await readOptional(path.join(taskRoot, name));
    if (file === null) throw new OutputError(`the output parameter "${name}" was not written (expected in ${EXECUTOR_OUTPUT_FILE} or ${path.join(taskRoot, name)}).`);
    try {
      parameters[name] = parseOutputFile(file, def.parameterType);
    } catch (err) {
      throw new OutputError(`the output parameter "${name}" (${def.parameterType}): ${(err as Error).message}`);
    }
  }
  const artifacts: Record<string, ArtifactRecord[]> = outputArtifactsOf(component, taskRoot);
  for (const [name, list] of Object.entries(artifacts)) {
    const written = json.artifacts?.[name]?.artifacts;
    if (!written?.length) continue;
    artifacts[name] = written.map((w, i) => ({
      name: w.name || name,
      uri: w.uri ? hostPathOf(w.uri) : list[i]?.uri ?? list[0]!.uri,
      type: list[0]!.type,
      metadata: w.metadata ?? {},
    }));
  }
  return { parameters, artifacts };
}
