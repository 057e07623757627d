/**
 * The interpreter the job tests run: Debian's python3, which has torch and scikit-learn (the
 * `python3` on PATH here is a separate build without them). No vitest import: bench uses it too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export const PYTHON = '/usr/bin/python3';

/** null when `PYTHON -c code` succeeds, else why not. */
export function probePython(code: string): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} is missing`;
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return null;
  return `${PYTHON} -c "${code}" failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
}

/** The engine's environment in tests: small and explicit (the ranks inherit it). */
export function jobEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), KFD_PYTHON: PYTHON, ...extra };
}
