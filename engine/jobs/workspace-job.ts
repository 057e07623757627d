/**
 * From "run this folder" to a validated TrainJob: find trainjob.yaml, parse it, apply the run
 * toolbar's overrides to the YAML (comments kept), and collect what the backend cannot honour.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ApiError } from '../api/api-error.js';
import type { BackendId, SpecIssue } from '../api/schemas/jobs.js';
import { parseTrainJob, requestedGpusPerNode, resolveNumProcPerNode, unsupportedFields, type TrainJob } from './trainjob/index.js';

export const JOB_FILE = 'trainjob.yaml';

export interface WorkspaceJob {
  workspace: string;
  file: string;
  /** The manifest to run, overrides applied. */
  spec: string;
  job: TrainJob;
  numNodes: number;
  numProcPerNode: number;
  warnings: SpecIssue[];
}

export interface Overrides {
  numNodes?: number;
  numProcPerNode?: number;
}

/** `dir` → dir/trainjob.yaml; a file → itself, its folder is the workspace. */
export async function locateJobFile(input: string): Promise<{ workspace: string; file: string }> {
  const abs = path.resolve(input);
  let info;
  try {
    info = await stat(abs);
  } catch {
    throw new ApiError('not_found', `${abs} does not exist. Give a workspace folder that has a ${JOB_FILE}, or the file itself.`);
  }
  if (info.isDirectory()) {
    const file = path.join(abs, JOB_FILE);
    try {
      await stat(file);
    } catch {
      throw new ApiError(
        'not_found',
        `${abs} has no ${JOB_FILE}. Create one (\`kfd init --template python-basic ${abs}\` writes a starter) or pass the manifest's path.`,
      );
    }
    return { workspace: abs, file };
  }
  return { workspace: path.dirname(abs), file: abs };
}

export function applyOverrides(text: string, overrides: Overrides): string {
  if (overrides.numNodes === undefined && overrides.numProcPerNode === undefined) return text;
  const doc = parseDocument(text);
  if (overrides.numNodes !== undefined) doc.setIn(['spec', 'trainer', 'numNodes'], overrides.numNodes);
  if (overrides.numProcPerNode !== undefined) doc.setIn(['spec', 'trainer', 'numProcPerNode'], overrides.numProcPerNode);
  return doc.toString();
}

function formatIssues(issues: SpecIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `  ${i.message}`);
  if (issues.length > shown.length) shown.push(`  …and ${issues.length - shown.length} more`);
  return shown.join('\n');
}

/**
 * What a backend can give a node, for validation and "auto": host processes get this machine's
 * CPUs and no GPU; containers and pods get the GPUs they ask for (their own preflight checks them).
 */
export function backendCapacity(backend: BackendId): { cpus: number; gpus: number } {
  return { cpus: os.availableParallelism(), gpus: backend === 'local-process' ? 0 : Number.POSITIVE_INFINITY };
}

export function validateJobText(
  text: string,
  file: string,
  backend: BackendId,
  host: { cpus: number; gpus: number },
): { ok: true; job: TrainJob; warnings: SpecIssue[]; numNodes: number; numProcPerNode: number } | { ok: false; errors: SpecIssue[] } {
  const parsed = parseTrainJob(text, file);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const warnings = [...parsed.warnings, ...unsupportedFields(parsed.job, backend, { gpusPerNode: host.gpus })];
  // Unknown fields are reported by both the parser and the backend check: keep one of each.
  const seen = new Set<string>();
  const unique = warnings.filter((w) => {
    const key = `${w.path}@${w.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const trainer = parsed.job.spec.trainer;
  const numNodes = trainer?.numNodes ?? 1;
  // A backend that gives each node the GPUs it asks for (containers: host.gpus is unbounded) has
  // exactly those in a node, so "auto" counts them (or the CPUs when none are asked for).
  const gpus = Number.isFinite(host.gpus) ? host.gpus : requestedGpusPerNode(trainer);
  const numProcPerNode = resolveNumProcPerNode(trainer, { cpus: host.cpus, gpus }).value;
  return { ok: true, job: parsed.job, warnings: unique, numNodes, numProcPerNode };
}

export async function loadWorkspaceJob(
  input: string,
  backend: BackendId,
  overrides: Overrides,
  host: { cpus: number; gpus: number },
): Promise<WorkspaceJob> {
  const { workspace, file } = await locateJobFile(input);
  const original = await readFile(file, 'utf8');
  const spec = applyOverrides(original, overrides);
  const result = validateJobText(spec, path.relative(workspace, file) || JOB_FILE, backend, host);
  if (!result.ok) {
    throw new ApiError('bad_request', `${file} is not a valid TrainJob:\n${formatIssues(result.errors)}`, { errors: result.errors });
  }
  return { workspace, file, spec, ...result };
}
