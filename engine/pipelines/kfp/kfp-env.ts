/**
 * kfp itself, from PyPI, in a managed environment (engine/jobs/python-env: built once per
 * requirements hash, pip progress, cancel, KFD_WHEELHOUSE offline): used to compile pipelines and
 * as the runtime of lightweight components (its `kfp` package, copied without dependencies into
 * `<pipeline root>/.kfp-runtime/<version>`, which is what kfp's own command installs in a task).
 */
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { chooseInterpreter, chooseWheelhouse, ensureEnv, envsDirOf, inspectPython, type EnvProgress, type PythonEnv, type PythonEnvSettings } from '../../jobs/python-env/index.js';
import { runStreamed } from '../../jobs/python-env/run-streamed.js';
import { RUNTIME_DIR } from '../run/task-job.js';

/** The kfp release this app compiles with (the interface: pipelines it writes run unchanged on KFP). */
export const KFP_VERSION = '2.17.3';

export interface KfpEnvOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings: PythonEnvSettings;
  version?: string;
  signal?: AbortSignal | undefined;
  onProgress?: (p: EnvProgress) => void;
}

export async function ensureKfpEnv(o: KfpEnvOptions): Promise<PythonEnv> {
  const choice = chooseInterpreter(o.settings, o.env);
  const info = await inspectPython(choice.command, { env: o.env, signal: o.signal, source: choice.source });
  return ensureEnv({
    basePython: info.executable,
    basePythonInfo: info,
    requirements: [`kfp==${o.version ?? KFP_VERSION}`],
    wheelhouse: chooseWheelhouse(o.settings, o.env),
    envsDir: envsDirOf(o.dataDir),
    env: o.env,
    signal: o.signal,
    onProgress: o.onProgress,
  });
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** `<pipelineRoot>/.kfp-runtime/<version>` holding the `kfp` package; made once per version. */
export async function ensureKfpRuntime(pipelineRoot: string, version: string, o: KfpEnvOptions): Promise<string> {
  const dir = path.join(pipelineRoot, RUNTIME_DIR, version);
  if (await exists(path.join(dir, 'kfp', '__init__.py'))) return dir;
  const env = await ensureKfpEnv({ ...o, version });
  const where = await runStreamed(env.python, ['-c', 'import os, kfp; print(os.path.dirname(kfp.__file__))'], { env: { ...o.env, _KFP_RUNTIME: 'true' }, signal: o.signal });
  const pkg = where.tail.at(-1);
  if (where.exitCode !== 0 || !pkg) throw new Error(`kfp ${version} is installed but cannot be imported: ${where.tail.slice(-3).join(' ')}`);
  await mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await cp(pkg, path.join(tmp, 'kfp'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
  try {
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!(await exists(path.join(dir, 'kfp', '__init__.py')))) throw err;
  }
  return dir;
}
