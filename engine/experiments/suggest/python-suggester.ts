/**
 * Runs the Python suggestion process (suggest-script.ts) in its managed venv: the pinned
 * requirements below, installed once with ensureEnv (reused by hash, progress and cancel, offline
 * from KFD_WHEELHOUSE) — never per trial. One short process per request: JSON in, JSON out.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { chooseInterpreter, chooseWheelhouse, ensureEnv, envsDirOf, inspectPython, type EnvProgress, type PythonEnvSettings } from '../../jobs/python-env/index.js';
import type { Assignment, ParamSpec } from '../search-space.js';
import { SUGGEST_SCRIPT } from './suggest-script.js';

/** Pinned: Katib's suggestion services use Optuna and scikit-optimize; cmaes backs Optuna's CmaEsSampler, scipy its QMC (sobol). */
export const SUGGEST_REQUIREMENTS = ['optuna==4.5.0', 'cmaes==0.12.0', 'scipy==1.16.2', 'numpy==2.3.4', 'scikit-optimize==0.10.2', 'scikit-learn==1.7.2'];

export interface PythonSuggestRequest {
  algorithm: string;
  settings: Record<string, string>;
  objectiveType: 'minimize' | 'maximize';
  parameters: ParamSpec[];
  trials: { assignment: Assignment; objective: number | null }[];
  count: number;
  seedOffset: number;
}

export interface PythonSuggesterDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings(): PythonSuggestSettings;
}
type PythonSuggestSettings = PythonEnvSettings;

export class PythonSuggester {
  private python: Promise<string> | null = null;

  constructor(private readonly deps: PythonSuggesterDeps) {}

  /** The venv's interpreter, built on first use (about a minute from the package index). */
  prepare(opts: { signal?: AbortSignal; onProgress?: (p: EnvProgress) => void } = {}): Promise<string> {
    this.python ??= (async () => {
      const settings = this.deps.settings();
      const choice = chooseInterpreter(settings, this.deps.env);
      const info = await inspectPython(choice.command, { env: this.deps.env, signal: opts.signal, source: choice.source });
      const env = await ensureEnv({
        basePython: info.executable,
        basePythonInfo: info,
        requirements: SUGGEST_REQUIREMENTS,
        wheelhouse: chooseWheelhouse(settings, this.deps.env),
        envsDir: envsDirOf(this.deps.dataDir),
        env: this.deps.env,
        signal: opts.signal,
        onProgress: opts.onProgress,
      });
      return env.python;
    })();
    this.python.catch(() => {
      this.python = null; // a failed or cancelled build is tried again next time
    });
    return this.python;
  }

  async suggest(req: PythonSuggestRequest, opts: { signal?: AbortSignal; onProgress?: (p: EnvProgress) => void } = {}): Promise<Assignment[]> {
    const python = await this.prepare(opts);
    const script = await this.script();
    const out = await runJson(python, script, JSON.stringify(req), this.deps.env, opts.signal);
    const parsed = JSON.parse(out) as { assignments: Assignment[] };
    return parsed.assignments;
  }

  private async script(): Promise<string> {
    const hash = createHash('sha256').update(SUGGEST_SCRIPT).digest('hex').slice(0, 12);
    const file = path.join(this.deps.dataDir, 'experiments', `katib-suggest-${hash}.py`);
    try {
      await access(file);
    } catch {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, SUGGEST_SCRIPT);
    }
    return file;
  }
}

function runJson(python: string, script: string, input: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script], { env: { ...env, PYTHONHASHSEED: '0' }, stdio: ['pipe', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => reject(new Error(`The suggestion process could not run: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`The suggestion process failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
    child.stdin.end(input);
  });
}
