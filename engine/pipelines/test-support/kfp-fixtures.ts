/**
 * Real kfp for tests: the managed kfp environment (from PyPI, or KFD_WHEELHOUSE) is built once in a
 * shared folder (KFD_TEST_KFP_DATA, default <tmp>/kfd-test-kfp) and reused by every test file;
 * fixtures are Python pipelines compiled by kfp inside the test, never hand-written YAML.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compilePipeline } from '../kfp/compile-pipeline.js';
import { ensureKfpEnv, ensureKfpRuntime, KFP_VERSION } from '../kfp/kfp-env.js';

export const KFP_TEST_DATA = process.env.KFD_TEST_KFP_DATA ?? path.join(os.tmpdir(), 'kfd-test-kfp');

// The interpreter the job tests and `kfd` in tests use (engine/jobs/test-support/python.ts), so the env is shared.
export const KFP_TEST_ENV = { ...process.env, KFD_PYTHON: '/usr/bin/python3' };
const options = () => ({ dataDir: KFP_TEST_DATA, env: KFP_TEST_ENV, settings: {} });

/** null when kfp is ready; otherwise why it is not (for reportMissingPart). */
export async function kfpUnavailable(): Promise<string | null> {
  try {
    await ensureKfpEnv(options());
    return null;
  } catch (err) {
    return `kfp ${KFP_VERSION} could not be installed from PyPI into a managed environment: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`;
  }
}

/** Writes `source` to <dir>/<name>.py and compiles it with real kfp; returns the YAML path. */
export async function compileFixture(dir: string, name: string, source: string): Promise<string> {
  const file = path.join(dir, `${name}.py`);
  fs.writeFileSync(file, source);
  const r = await compilePipeline(file, { ...options(), output: path.join(dir, `${name}.yaml`) });
  return r.output;
}

/** Puts kfp's runtime into a test engine's pipeline root (so the engine does not install kfp again). */
export async function seedKfpRuntime(dataDir: string): Promise<void> {
  const shared = await ensureKfpRuntime(path.join(KFP_TEST_DATA, 'pipelines', 'root'), KFP_VERSION, options());
  const target = path.join(dataDir, 'pipelines', 'root', '.kfp-runtime', KFP_VERSION);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(shared, target, { recursive: true });
}

/** The container base image tests use for components (built locally by scripts/build-test-images.sh). */
export const TEST_IMAGE = 'kfd-test/python:bookworm';

/** Lets a test engine's data dir use the shared managed environments (kfp is not installed again). */
export function shareKfpEnvs(dataDir: string): void {
  fs.mkdirSync(path.join(KFP_TEST_DATA, 'python-envs'), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const link = path.join(dataDir, 'python-envs');
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(KFP_TEST_DATA, 'python-envs'), link);
}
