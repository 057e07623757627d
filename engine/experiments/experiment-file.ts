/** `kfd tune <experiment.yaml | workspace>`: finds the Experiment file and its workspace. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';

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
