/** The real `kfd` binary (bin/kfd.mjs through tsx) as a user runs it, on a given data dir. */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { PYTHON } from './python.js';
import { REPO_ROOT } from './workspaces.js';

export const KFD_BIN = path.join(REPO_ROOT, 'bin', 'kfd.mjs');

export interface KfdResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function kfdEnv(dataDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), KFD_DATA_DIR: dataDir, KFD_PYTHON: PYTHON, NO_COLOR: '1' };
}

/** Runs `kfd <args>` to its end; never rejects on a non-zero exit code. */
export function kfd(dataDir: string, args: string[], timeoutMs = 60_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<KfdResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [KFD_BIN, ...args], { env: { ...kfdEnv(dataDir), ...extraEnv }, cwd: REPO_ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      if (typeof code !== 'number') return reject(new Error(`kfd ${args.join(' ')} did not exit normally: ${err?.message}\n${stderr}`));
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
