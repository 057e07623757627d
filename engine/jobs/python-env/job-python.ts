/**
 * The one call the job service makes before starting ranks: which interpreter runs this job's
 * workspace. No requirements → the chosen interpreter, untouched and not even run (as before).
 * Requirements (requirements.txt and/or the kubeflow-desktop/packages annotation) → a managed
 * venv on top of the chosen interpreter, built once and shared by every job that asks for the
 * same packages.
 */
import path from 'node:path';
import {
  chooseInterpreter,
  chooseWheelhouse,
  describeInterpreter,
  inspectPython,
  type InterpreterChoice,
  type PythonEnvSettings,
} from './choose-interpreter.js';
import { PythonEnvError } from './env-errors.js';
import { collectRequirements, formatIssues, parseFlag, SYSTEM_SITE_ANNOTATION, type RequirementIssue } from './requirements.js';
import { ensureEnv, type EnvProgress, type PythonEnv } from './venv-manager.js';
import { readOptional } from '../../read-optional.js';

export const REQUIREMENTS_TXT = 'requirements.txt';

/** `<dataDir>/python-envs`: one folder per environment key. */
export function envsDirOf(dataDir: string): string {
  return path.join(dataDir, 'python-envs');
}

export interface JobPythonInput {
  settings: PythonEnvSettings;
  /** The user's environment: KFD_PYTHON, KFD_WHEELHOUSE, PATH, PIP_* (index, proxy, certificates). */
  env: NodeJS.ProcessEnv;
  workspace: string;
  /** The TrainJob's metadata.annotations. */
  annotations?: Record<string, string> | undefined;
  dataDir: string;
  signal?: AbortSignal | undefined;
  onProgress?: (p: EnvProgress) => void;
}

export interface JobPython extends PythonEnv {
  interpreter: InterpreterChoice;
  /** For the job's messages: "python3 from PATH" or "managed environment 1a2b… (numpy) on …". */
  description: string;
}

export async function prepareJobPython(input: JobPythonInput): Promise<JobPython> {
  const interpreter = chooseInterpreter(input.settings, input.env);
  const text = await readOptional(path.join(input.workspace, REQUIREMENTS_TXT));
  const set = collectRequirements({ requirementsTxt: text, requirementsSource: REQUIREMENTS_TXT, annotations: input.annotations });
  const issues: RequirementIssue[] = [...set.issues];
  const flag = input.annotations?.[SYSTEM_SITE_ANNOTATION];
  const systemSitePackages = parseFlag(flag) ?? input.settings.pythonSystemSitePackages ?? false;
  if (flag !== undefined && parseFlag(flag) === undefined) {
    issues.push({ source: SYSTEM_SITE_ANNOTATION, message: `"${flag}" is not a yes/no value; use "true" or "false".` });
  }
  if (issues.length) throw new PythonEnvError('bad-requirements', `The job's Python requirements are not valid:\n${formatIssues(issues)}`);

  if (set.requirements.length === 0) {
    return { python: interpreter.command, created: false, envDir: null, envKey: null, requirements: [], interpreter, description: describeInterpreter(interpreter) };
  }
  // cwd = workspace: a pyenv shim picks its version from the workspace's .python-version.
  const info = await inspectPython(interpreter.command, { env: input.env, cwd: input.workspace, signal: input.signal, source: interpreter.source });
  const ensured = await ensureEnv({
    basePython: info.executable,
    basePythonInfo: info,
    requirements: set.requirements,
    systemSitePackages,
    wheelhouse: chooseWheelhouse(input.settings, input.env),
    envsDir: envsDirOf(input.dataDir),
    env: input.env,
    signal: input.signal,
    onProgress: input.onProgress,
  });
  const description = `managed environment ${ensured.envKey} (${set.names.join(', ')}${systemSitePackages ? '; system site-packages' : ''}) on ${describeInterpreter(interpreter, info)}`;
  return { ...ensured, interpreter, description };
}
