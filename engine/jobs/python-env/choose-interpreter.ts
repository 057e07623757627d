/**
 * Which interpreter a job starts from: the pythonPath setting, then KFD_PYTHON, then `python3`
 * on PATH — what `python3 train.py` would run in a terminal. Unlike Doctor (which may pick
 * /usr/bin/python3 for its modules), jobs never second-guess the user: the choice is fixed, and
 * Doctor's advice is to change the setting.
 */
import { execFile } from 'node:child_process';
import { findOnPath } from '../../doctor/probe.js';
import { PythonEnvError } from './env-errors.js';

export type InterpreterSource = 'pythonPath setting' | 'KFD_PYTHON' | 'python3 on PATH';

export interface InterpreterChoice {
  /** A path, or a name looked up on PATH. */
  command: string;
  source: InterpreterSource;
}

export interface PythonInfo {
  /** "3.11.2" */
  version: string;
  /** sys.executable with symlinks resolved: the real file behind a pyenv shim or `python3`. */
  executable: string;
}

/** The settings this module reads; the wheelhouse and site-packages ones are optional. */
export interface PythonEnvSettings {
  pythonPath?: string;
  pythonWheelhouse?: string;
  pythonSystemSitePackages?: boolean;
}

export function chooseInterpreter(settings: PythonEnvSettings, env: NodeJS.ProcessEnv): InterpreterChoice {
  if (settings.pythonPath) return { command: settings.pythonPath, source: 'pythonPath setting' };
  if (env.KFD_PYTHON) return { command: env.KFD_PYTHON, source: 'KFD_PYTHON' };
  return { command: 'python3', source: 'python3 on PATH' };
}

const FROM: Record<InterpreterSource, string> = { 'pythonPath setting': 'the pythonPath setting', KFD_PYTHON: 'KFD_PYTHON', 'python3 on PATH': 'PATH' };

/** "python3 from PATH (/usr/bin/python3.11, Python 3.11.2)" — for job messages. */
export function describeInterpreter(choice: InterpreterChoice, info?: PythonInfo): string {
  const base = `${choice.command} from ${FROM[choice.source]}`;
  if (!info) return base;
  return `${base} (${info.executable !== choice.command ? `${info.executable}, ` : ''}Python ${info.version})`;
}

/** The offline wheel folder: the setting, then KFD_WHEELHOUSE; undefined = use the index. */
export function chooseWheelhouse(settings: PythonEnvSettings, env: NodeJS.ProcessEnv): string | undefined {
  return settings.pythonWheelhouse || env.KFD_WHEELHOUSE || undefined;
}

const INFO_SCRIPT = 'import json, os, sys; print(json.dumps([sys.version.split()[0], os.path.realpath(sys.executable)]))';

/**
 * Runs the interpreter once for its version and real executable. `cwd` matters for pyenv
 * shims, which pick a version from `.python-version` in the directory they run in.
 */
export async function inspectPython(
  command: string,
  opts: { env: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal | undefined; source?: string },
): Promise<PythonInfo> {
  const label = opts.source ? `${command} (${opts.source})` : command;
  const found = await findOnPath(command, opts.env);
  if (!found) {
    throw new PythonEnvError(
      'interpreter',
      `Python interpreter ${label} ${command.includes('/') ? 'does not exist or is not executable' : 'is not on PATH'}. ` +
        'Set the Python interpreter setting (pythonPath) or KFD_PYTHON to a python3 that runs.',
    );
  }
  return new Promise((resolve, reject) => {
    execFile(found, ['-c', INFO_SCRIPT], { env: opts.env, cwd: opts.cwd, signal: opts.signal, timeout: 30_000 }, (err, stdout, stderr) => {
      if (opts.signal?.aborted) return reject(new PythonEnvError('cancelled', 'Cancelled while inspecting the Python interpreter.'));
      try {
        if (err) throw err;
        const [version, executable] = JSON.parse(stdout.trim().split('\n').pop() ?? '') as [string, string];
        resolve({ version, executable });
      } catch (e) {
        const why = (stderr.trim() || (e as Error).message).split('\n').pop();
        reject(new PythonEnvError('interpreter', `Python interpreter ${label} did not run: ${why}`));
      }
    });
  });
}
