/**
 * What a model was trained with: the interpreter a job ran (its managed venv, or the chosen
 * Python), that interpreter's library versions, and what the model file itself says about its
 * inputs and outputs — read by running INSPECT_SCRIPT with that interpreter.
 */
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelFormat, ModelSignature, TrainingEnv } from '../api/schemas/models.js';
import type { Settings } from '../api/contract.js';
import {
  chooseInterpreter,
  collectRequirements,
  envKey,
  envsDirOf,
  inspectPython,
  normaliseRequirements,
  REQUIREMENTS_TXT,
  SYSTEM_SITE_ANNOTATION,
  venvPython,
} from '../jobs/python-env/index.js';
import { parseFlag } from '../jobs/python-env/requirements.js';
import { INSPECT_SCRIPT } from './python-scripts.js';

export interface InspectResult {
  python: string;
  executable: string;
  packages: Record<string, string>;
  model: { type: string; inputs: ModelSignature['inputs']; outputs: ModelSignature['outputs']; detail: string } | null;
  error: string | null;
}

/** Runs INSPECT_SCRIPT with `python`; rejects with the interpreter's own words when it cannot run. */
export function inspectWith(python: string, format: ModelFormat, modelFile: string | null, opts: { env: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal }): Promise<InspectResult> {
  return new Promise((resolve, reject) => {
    const args = ['-c', INSPECT_SCRIPT, format, ...(modelFile ? [modelFile] : [])];
    execFile(python, args, { env: { ...opts.env, PYTHONDONTWRITEBYTECODE: '1' }, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 4 * 1024 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) }, (err, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as InspectResult);
      } catch {
        const why = (stderr.trim().split('\n').pop() ?? '') || (err as Error | null)?.message || 'no output';
        reject(new Error(`${python} could not read the library versions: ${why}`));
      }
    });
  });
}

interface JobFacts {
  backend: string;
  workspace: string;
  spec: { metadata: { annotations?: Record<string, string> | undefined }; spec: { trainer?: { image?: string | undefined } | undefined } };
}

/**
 * The interpreter a finished local-process job ran with, found again the way the job service
 * chose it: a managed venv for its requirements when one exists, else the chosen interpreter.
 * null (with why) for jobs that ran elsewhere (a container image, a cluster).
 */
export async function trainingInterpreter(job: JobFacts, settings: Settings & { pythonSystemSitePackages?: boolean }, env: NodeJS.ProcessEnv, dataDir: string): Promise<{ python: string | null; why: string; image?: string }> {
  const image = job.spec.spec.trainer?.image;
  if (job.backend === 'container' && image) return { python: null, image, why: `the job ran in the image ${image}` };
  if (job.backend !== 'local-process') {
    return { python: null, why: `the job ran on the ${job.backend} backend${image ? ` in the image ${image}` : ''}; its library versions were not recorded` };
  }
  const chosen = chooseInterpreter(settings, env);
  const text = await readFile(path.join(job.workspace, REQUIREMENTS_TXT), 'utf8').catch(() => null);
  const annotations = job.spec.metadata.annotations;
  const set = collectRequirements({ requirementsTxt: text, requirementsSource: REQUIREMENTS_TXT, annotations });
  if (!set.requirements.length) return { python: chosen.command, why: `recorded from ${chosen.command} (${chosen.source}), the interpreter the job ran with` };
  try {
    const info = await inspectPython(chosen.command, { env, cwd: job.workspace });
    const systemSitePackages = parseFlag(annotations?.[SYSTEM_SITE_ANNOTATION]) ?? settings.pythonSystemSitePackages ?? false;
    const key = envKey({ requirements: normaliseRequirements(set.requirements).requirements, python: info, systemSitePackages });
    const python = venvPython(path.join(envsDirOf(dataDir), key));
    await access(python);
    return { python, why: `recorded from the job's managed environment ${key} (${set.names.join(', ')})` };
  } catch {
    return { python: chosen.command, why: `the job's managed environment is gone; recorded from ${chosen.command} (${chosen.source}) instead` };
  }
}

/** A TrainingEnv from an inspection (or from nothing, with the reason). */
export function toTrainingEnv(result: InspectResult | null, source: string): TrainingEnv {
  if (!result) return { python: null, pythonVersion: null, packages: {}, source };
  return { python: result.executable, pythonVersion: result.python, packages: result.packages, source };
}
