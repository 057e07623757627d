/**
 * Resolves the placeholders of a container executor's command and args exactly as KFP's launcher
 * does: `{{$}}` (the executor input JSON), `{{$.inputs.parameters['x']}}`,
 * `{{$.inputs.artifacts['x'].path|uri|metadata}}`, `{{$.outputs.artifacts['x'].path}}`,
 * `{{$.outputs.parameters['x'].output_file}}`, `{{$.outputs.output_file}}`, the pipeline/task
 * name and id placeholders, and the struct forms `{"Concat": …}` / `{"IfPresent": …}`. Pure.
 */
import type { ExecutorInput } from './executor-input.js';
import { placeholderText } from './values.js';

export class PlaceholderError extends Error {}

export interface PlaceholderContext {
  executorInput: ExecutorInput;
  pipelineJobName: string;
  pipelineJobId: string;
  taskName: string;
  taskId: string;
  pipelineRoot: string;
  createTime: string;
  /** Artifact uri → the path the process sees (identity for local processes). */
  pathOf?: (uri: string) => string;
}

type Struct = string | { Concat: Struct[] } | { IfPresent: { InputName: string; Then?: Struct | Struct[]; Else?: Struct | Struct[] } };

function provided(ctx: PlaceholderContext, name: string): boolean {
  const p = ctx.executorInput.inputs.parameterValues?.[name];
  const a = ctx.executorInput.inputs.artifacts?.[name];
  return (p !== undefined && p !== null) || (a !== undefined && a !== null);
}

function resolveStruct(s: Struct, ctx: PlaceholderContext): string | string[] | null {
  if (typeof s === 'string') return s;
  if ('Concat' in s) return s.Concat.map((p) => resolveStruct(p, ctx)).flat().filter((x): x is string => x !== null).join('');
  if ('IfPresent' in s) {
    const branch = provided(ctx, s.IfPresent.InputName) ? s.IfPresent.Then : s.IfPresent.Else;
    if (branch === undefined) return null;
    if (Array.isArray(branch)) return branch.map((b) => resolveStruct(b, ctx)).flat().filter((x): x is string => x !== null);
    return resolveStruct(branch, ctx);
  }
  throw new PlaceholderError(`unknown struct placeholder ${JSON.stringify(s).slice(0, 80)}`);
}

/** `{{$.…}}` inside one string. */
export function resolveString(element: string, ctx: PlaceholderContext): string {
  const ei = ctx.executorInput;
  const constants: Record<string, string> = {
    '{{$}}': JSON.stringify(ei),
    '{{$.outputs.output_file}}': ei.outputs.outputFile,
    '{{$.outputMetadataUri}}': ei.outputs.outputFile,
    '{{$.pipeline_job_name}}': ctx.pipelineJobName,
    '{{$.pipeline_job_resource_name}}': ctx.pipelineJobName,
    '{{$.pipeline_job_uuid}}': ctx.pipelineJobId,
    '{{$.pipeline_task_name}}': ctx.taskName,
    '{{$.pipeline_task_uuid}}': ctx.taskId,
    '{{$.pipeline_root}}': ctx.pipelineRoot,
    '{{$.pipeline_job_create_time_utc}}': ctx.createTime,
    '{{$.pipeline_job_schedule_time_utc}}': ctx.createTime,
  };
  return element.replace(/\{\{\$(\.[^}]*)?\}\}/g, (whole) => {
    if (whole in constants) return constants[whole]!;
    return resolveIo(whole.slice(4, -2), ctx, whole);
  });
}

function resolveIo(expr: string, ctx: PlaceholderContext, whole: string): string {
  const m = /^(inputs|outputs)\.(parameters|artifacts)\[['"]([^'"]+)['"]\](?:\.(\w+))?(?:\[['"]([^'"]+)['"]\])?$/.exec(expr);
  if (!m) {
    if (expr.startsWith('json_escape')) throw new PlaceholderError(`${whole}: JSON-escape placeholders are not supported locally.`);
    throw new PlaceholderError(`${whole} is not a placeholder this app knows.`);
  }
  const [, side, kind, name, field, key] = m as unknown as [string, 'inputs' | 'outputs', 'parameters' | 'artifacts', string, string | undefined, string | undefined];
  const ei = ctx.executorInput;
  if (kind === 'parameters') {
    if (side === 'inputs') return placeholderText(ei.inputs.parameterValues?.[name] ?? null);
    const out = ei.outputs.parameters?.[name];
    if (!out) throw new PlaceholderError(`${whole}: the component has no output parameter "${name}".`);
    return out.outputFile;
  }
  const list = side === 'inputs' ? ei.inputs.artifacts?.[name] : ei.outputs.artifacts?.[name];
  const artifact = list?.artifacts[0];
  if (!artifact) {
    if (side === 'inputs') return 'null';
    throw new PlaceholderError(`${whole}: the component has no output artifact "${name}".`);
  }
  switch (field) {
    case 'uri': return artifact.uri;
    case 'path': return ctx.pathOf ? ctx.pathOf(artifact.uri) : artifact.uri;
    case 'metadata': return key !== undefined ? placeholderText(artifact.metadata?.[key] ?? null) : JSON.stringify(artifact.metadata ?? {});
    case undefined: return JSON.stringify(list);
    default: throw new PlaceholderError(`${whole}: artifacts have uri, path and metadata, not "${field}".`);
  }
}

/** A whole command line: struct placeholders expand (and may vanish), then strings resolve. */
export function resolveCommand(parts: readonly string[], ctx: PlaceholderContext): string[] {
  const out: string[] = [];
  for (const part of parts) {
    let expanded: string | string[] | null = part;
    if (part.startsWith('{"Concat"') || part.startsWith('{"IfPresent"')) {
      let struct: Struct;
      try {
        struct = JSON.parse(part) as Struct;
      } catch {
        throw new PlaceholderError(`a struct placeholder is not valid JSON: ${part.slice(0, 80)}`);
      }
      expanded = resolveStruct(struct, ctx);
    }
    if (expanded === null) continue;
    for (const e of Array.isArray(expanded) ? expanded : [expanded]) out.push(resolveString(e, ctx));
  }
  return out;
}
