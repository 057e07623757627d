/**
 * Managed virtual environments: one per (requirements, base interpreter, system-site-packages),
 * at `<envsDir>/<envKey>/`, built once and reused by every job that asks for the same thing.
 *
 * A build happens in `<envsDir>/.tmp-<key>-*`: `python -m venv`, `pip install -r`, then the
 * absolute temp path is rewritten in bin/ (venv and pip write it into script shebangs), the
 * `kfd-ready.json` marker is written last and the folder is renamed into place. So an env that
 * exists at its final path is complete; a crash or cancel leaves only a temp dir, which the next
 * builder of that key deletes.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspectPython, type PythonInfo } from './choose-interpreter.js';
import { pidAlive, tryLock, waitForRelease } from './env-lock.js';
import { classifyPipFailure, pipError, PythonEnvError, venvError } from './env-errors.js';
import { envKey, formatIssues, normaliseRequirements } from './requirements.js';
import { userCodeEnv } from '../user-code-env.js';
import { runStreamed } from './run-streamed.js';

export type EnvStep = 'venv' | 'pip' | 'done';
export interface EnvProgress {
  step: EnvStep;
  /** A sentence for the job's status line. */
  message: string;
  /** One raw output line of venv/pip, when this event carries one. */
  line?: string;
}

export interface EnsureEnvOptions {
  /** The chosen interpreter (path or name on PATH). */
  basePython: string;
  /** Requirement specifiers, e.g. `collectRequirements(...).requirements`; normalised again here. */
  requirements: readonly string[];
  systemSitePackages?: boolean;
  /** A folder of wheels: install offline from it (`--no-index --find-links`). */
  wheelhouse?: string | undefined;
  /** Where the envs live, e.g. `<dataDir>/python-envs`. */
  envsDir: string;
  /** The user's environment, passed to venv/pip (PIP_INDEX_URL, proxies, certificates). Default process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  onProgress?: (p: EnvProgress) => void;
  /** Skips one interpreter run when the caller already inspected it. */
  basePythonInfo?: PythonInfo;
}

export interface PythonEnv {
  /** The interpreter to run the job with: the venv's, or basePython when there is nothing to install. */
  python: string;
  /** True when this call built the env. */
  created: boolean;
  /** null when no managed env is used. */
  envDir: string | null;
  envKey: string | null;
  /** The normalised requirements installed in it. */
  requirements: string[];
}

export const READY_FILE = 'kfd-ready.json';
export const REQUIREMENTS_FILE = 'kfd-requirements.txt';
const LOCK_POLL_MS = 500;

export function venvPython(envDir: string): string {
  return process.platform === 'win32' ? path.join(envDir, 'Scripts', 'python.exe') : path.join(envDir, 'bin', 'python');
}

async function isReady(envDir: string): Promise<boolean> {
  try {
    await access(path.join(envDir, READY_FILE));
    await access(venvPython(envDir), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Variables that would make pip install outside the venv, or Python ignore it. */
const UNSAFE_ENV = ['PIP_USER', 'PIP_TARGET', 'PIP_PREFIX', 'PIP_ROOT', 'PYTHONHOME', 'PYTHONPATH', 'PYTHONUSERBASE'];

function cancelled(): PythonEnvError {
  return new PythonEnvError('cancelled', 'Cancelled while preparing the Python environment.');
}

export async function ensureEnv(opts: EnsureEnvOptions): Promise<PythonEnv> {
  const set = normaliseRequirements(opts.requirements);
  if (set.issues.length) {
    throw new PythonEnvError('bad-requirements', `The job's Python requirements are not valid:\n${formatIssues(set.issues)}`);
  }
  if (set.requirements.length === 0) return { python: opts.basePython, created: false, envDir: null, envKey: null, requirements: [] };

  const { signal } = opts;
  const env = opts.env ?? process.env;
  const progress = opts.onProgress ?? (() => undefined);
  const base = opts.basePythonInfo ?? (await inspectPython(opts.basePython, { env, signal }));
  const systemSitePackages = opts.systemSitePackages ?? false;
  const key = envKey({ requirements: set.requirements, python: base, systemSitePackages });
  await mkdir(opts.envsDir, { recursive: true, mode: 0o700 });
  // Real path: it ends up in shebangs, and the rewrite after the rename must match it exactly.
  const envsDir = await realpath(opts.envsDir);
  const envDir = path.join(envsDir, key);
  const result = (created: boolean): PythonEnv => ({ python: venvPython(envDir), created, envDir, envKey: key, requirements: set.requirements });
  const lockFile = path.join(envsDir, `${key}.lock`);
  let announcedWait = false;
  for (;;) {
    if (signal?.aborted) throw cancelled();
    if (await isReady(envDir)) {
      progress({ step: 'done', message: `Using the Python environment ${key} (${set.names.join(', ')}).` });
      return result(false);
    }
    const lock = await tryLock(lockFile);
    if (!lock) {
      if (!announcedWait) progress({ step: 'venv', message: `Waiting for another job that is building the Python environment ${key}.` });
      announcedWait = true;
      await waitForRelease(lockFile, LOCK_POLL_MS, signal);
      continue;
    }
    try {
      if (await isReady(envDir)) continue; // built while we waited for the lock: reuse it
      await build({ ...opts, env, progress, base, key, envsDir, envDir, systemSitePackages, set });
      return result(true);
    } finally {
      await lock.release();
    }
  }
}

interface BuildContext extends EnsureEnvOptions {
  env: NodeJS.ProcessEnv;
  progress: (p: EnvProgress) => void;
  base: PythonInfo;
  key: string;
  envsDir: string;
  envDir: string;
  systemSitePackages: boolean;
  set: { requirements: string[]; names: string[] };
}

async function build(c: BuildContext): Promise<void> {
  const started = Date.now();
  const wheelhouse = c.wheelhouse ? path.resolve(c.wheelhouse) : undefined;
  if (wheelhouse && !(await stat(wheelhouse).then((s) => s.isDirectory(), () => false))) {
    throw new PythonEnvError('wheelhouse-missing', `The wheelhouse ${wheelhouse} (KFD_WHEELHOUSE or the Python wheelhouse setting) is not a folder. Create it and put the wheels there, or unset it to install from the package index.`);
  }
  await removeLeftovers(c.envsDir, c.key, c.envDir);
  const tmp = path.join(c.envsDir, `.tmp-${c.key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  // pip runs packages' build code: the user's environment, not the app's secrets.
  const childEnv: NodeJS.ProcessEnv = userCodeEnv(c.env);
  for (const name of UNSAFE_ENV) delete childEnv[name];
  const run = (command: string, args: string[], step: EnvStep, message: string) =>
    runStreamed(command, args, { cwd: c.envsDir, env: childEnv, signal: c.signal, onLine: (line) => c.progress({ step, message, line }) });
  try {
    const names = c.set.names.join(', ');
    const venvMessage = `Creating a Python environment for ${names} (Python ${c.base.version}${c.systemSitePackages ? ', with system site-packages' : ''}).`;
    c.progress({ step: 'venv', message: venvMessage });
    const venv = await run(c.base.executable, ['-m', 'venv', ...(c.systemSitePackages ? ['--system-site-packages'] : []), tmp], 'venv', venvMessage);
    if (venv.aborted || c.signal?.aborted) throw cancelled();
    if (venv.exitCode !== 0) throw venvError(c.base.executable, venv.startError ? [`could not start: ${venv.startError}`] : venv.tail);

    const requirementsFile = path.join(tmp, REQUIREMENTS_FILE);
    await writeFile(requirementsFile, `${c.set.requirements.join('\n')}\n`);
    const pipMessage = `Installing ${names} ${wheelhouse ? `from the wheelhouse ${wheelhouse} (offline)` : 'from the package index'}.`;
    c.progress({ step: 'pip', message: pipMessage });
    // Index URL and credentials stay in the environment (PIP_INDEX_URL, pip.conf), never argv.
    const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off'];
    if (wheelhouse) pipArgs.push('--no-index', '--find-links', wheelhouse);
    const pip = await run(venvPython(tmp), [...pipArgs, '-r', requirementsFile], 'pip', pipMessage);
    if (pip.aborted || c.signal?.aborted) throw cancelled();
    if (pip.exitCode !== 0) {
      const output = pip.startError ? [`could not start: ${pip.startError}`] : pip.tail;
      throw pipError(classifyPipFailure(output, Boolean(wheelhouse)), { ...c.set, wheelhouse, output });
    }

    await relocate(tmp, c.envDir);
    const marker = { key: c.key, requirements: c.set.requirements, python: c.base, systemSitePackages: c.systemSitePackages, wheelhouse: wheelhouse ?? null, createdAt: new Date().toISOString() };
    await writeFile(path.join(tmp, READY_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    if (c.signal?.aborted) throw cancelled();
    try {
      await rename(tmp, c.envDir);
    } catch (err) {
      // Another builder won despite the lock (a lock broken by mistake): use theirs.
      if (!(await isReady(c.envDir))) throw err;
    }
    c.progress({ step: 'done', message: `Python environment ${c.key} ready (${((Date.now() - started) / 1000).toFixed(1)} s).` });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Temp dirs of earlier builds of this key whose process is gone (crashed or killed), and a final
 * dir without its marker. A live builder's temp dir is left alone even if its lock was broken.
 */
async function removeLeftovers(envsDir: string, key: string, envDir: string): Promise<void> {
  for (const name of await readdir(envsDir)) {
    const owner = name.startsWith(`.tmp-${key}-`) ? Number(name.split('-')[2]) : NaN;
    if (Number.isInteger(owner) && (owner === process.pid || !pidAlive(owner))) await rm(path.join(envsDir, name), { recursive: true, force: true });
  }
  if (!(await isReady(envDir))) await rm(envDir, { recursive: true, force: true });
}

/**
 * venv and pip write the env's absolute path into bin/ (script shebangs, activate scripts) and
 * pyvenv.cfg; point them at the final path. Binary files never contain it and are skipped.
 */
async function relocate(from: string, to: string): Promise<void> {
  const binDir = path.join(from, process.platform === 'win32' ? 'Scripts' : 'bin');
  const files = [path.join(from, 'pyvenv.cfg'), ...(await readdir(binDir)).map((n) => path.join(binDir, n))];
  for (const file of files) {
    const info = await lstat(file).catch(() => null);
    if (!info?.isFile() || info.size > 1024 * 1024) continue;
    const data = await readFile(file);
    if (data.includes(0) || !data.includes(from)) continue;
    await writeFile(file, data.toString('utf8').split(from).join(to));
  }
}
