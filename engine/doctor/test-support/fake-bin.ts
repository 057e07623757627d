/** Temp directories of executable scripts, put on a controlled PATH in doctor tests. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../api/contract.js';

export const DEFAULT_TEST_SETTINGS: Settings = { theme: 'system', pythonPath: '', containerSocket: '' };

export async function makeTempDir(prefix = 'kfd-doctor-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `#!/bin/sh` + body as `<dir>/<name>`, executable. Scripts use absolute paths: PATH is ours. */
export async function writeScript(dir: string, name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A binary that never answers: records its pid, then becomes `sleep 60`. */
export async function writeHangingBinary(dir: string, name: string): Promise<{ file: string; pidFile: string }> {
  const pidFile = path.join(dir, `${name}.pid`);
  const file = await writeScript(dir, name, `echo $$ > '${pidFile}'\nexec /bin/sleep 60`);
  return { file, pidFile };
}

/**
 * A real part (Docker, kind, ...) this test needs is not here: under CI=true that fails the
 * run (CI provides it); locally the test skips with the reason printed.
 */
export function requirePart(skip: (note?: string) => never, reason: string): never {
  if (process.env.CI === 'true') throw new Error(`CI=true requires this part: ${reason}`);
  console.warn(`[skipped] ${reason}`);
  return skip(reason);
}
