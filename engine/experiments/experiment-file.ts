/** `kfd tune <experiment.yaml | workspace>`: finds the Experiment file and its workspace, reads and checks it. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { BackendId, SpecIssue } from '../api/schemas/jobs.js';
import { backendCapacity, validateJobText } from '../jobs/workspace-job.js';
import { parseExperiment, type ExperimentPlan } from './parse-experiment.js';

export const EXPERIMENT_FILE = 'experiment.yaml';

export async function locateExperimentFile(input: string): Promise<{ workspace: string; file: string; relative: string }> {
  const abs = path.resolve(input);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new ApiError('not_found', `${abs} does not exist. Give an ${EXPERIMENT_FILE} or a workspace folder that has one.`);
  if (info.isDirectory()) {
    const file = path.join(abs, EXPERIMENT_FILE);
    if (!(await stat(file).catch(() => null))) {
      throw new ApiError('not_found', `${abs} has no ${EXPERIMENT_FILE}. Write one (Tune… on the Workspace page drafts it from the workspace's trainjob.yaml), or pass the file's path.`);
    }
    return { workspace: abs, file, relative: EXPERIMENT_FILE };
  }
  return { workspace: path.dirname(abs), file: abs, relative: path.basename(abs) };
}

/** experiments.validate: a file (or workspace) or the text being edited, checked as `kfd tune` checks it. */
export async function validateExperiment(input: { path?: string | undefined; text?: string | undefined; local: boolean }): Promise<{ ok: boolean; errors: SpecIssue[]; warnings: SpecIssue[] }> {
  let text = input.text;
  let file = EXPERIMENT_FILE;
  if (text === undefined) {
    if (!input.path) throw new ApiError('bad_request', 'experiments.validate: give `path` or `text`.');
    const located = await locateExperimentFile(input.path);
    text = await readFile(located.file, 'utf8');
    file = located.relative;
  }
  const r = parseExperiment(text, file, { local: input.local });
  return r.ok ? { ok: true, errors: [], warnings: r.warnings } : { ok: false, errors: r.errors, warnings: r.warnings };
}

/**
 * The experiment to run on `backend`: located, read and checked, its trial TrainJob checked as
 * that backend runs it. Problems are one ApiError naming the file, line and field.
 */
export async function loadExperiment(input: string, backend: BackendId): Promise<{ workspace: string; file: string; text: string; plan: ExperimentPlan; warnings: SpecIssue[] }> {
  const located = await locateExperimentFile(input);
  const text = await readFile(located.file, 'utf8');
  const host = backendCapacity(backend);
  const r = parseExperiment(text, located.relative, {
    checkTrial: (job) => {
      const v = validateJobText(job, 'trial', backend, host);
      return v.ok ? { errors: [], warnings: v.warnings } : { errors: v.errors, warnings: [] };
    },
  });
  if (!r.ok) {
    const shown = r.errors.slice(0, 5).map((e) => `  ${e.message}`).join('\n');
    throw new ApiError('bad_request', `${located.file} is not an Experiment that can run here:\n${shown}${r.errors.length > 5 ? `\n  …and ${r.errors.length - 5} more` : ''}`, { errors: r.errors, warnings: r.warnings });
  }
  return { workspace: located.workspace, file: located.file, text, plan: r.plan, warnings: r.warnings };
}
