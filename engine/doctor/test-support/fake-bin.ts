/** Temp directories of executable scripts, put on a controlled PATH in doctor tests. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../api/contract.js';
import { skipMissingPart } from '../../test-support/real-parts.js';

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
 * Kept only for the local-cluster tests that still call it (another branch is converting them):
 * the same one policy, engine/test-support/real-parts.ts. New code calls skipMissingPart.
 */
export function requirePart(skip: (note?: string) => never, reason: string): never {
  skipMissingPart('this part', reason, skip);
  throw new Error('unreachable: skip() returns only by throwing');
}
