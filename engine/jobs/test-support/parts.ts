/**
 * Real parts the job tests need, and temp dirs removed when the test file ends. Locally a
 * missing part skips with a printed reason; under CI=true it is a failing test (DESIGN.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, it } from 'vitest';
import { probePython } from './python.js';

export function requirePart(what: string, code: string): boolean {
  const reason = probePython(code);
  if (!reason) return true;
  if (process.env.CI === 'true') {
    it(`needs ${what}`, () => {
      throw new Error(reason);
    });
  } else {
    console.warn(`skipping ${what} tests: ${reason}`);
  }
  return false;
}
export const hasPython = () => requirePart('python3', 'import sys');
export const hasTorch = () => requirePart('torch + scikit-learn', 'import torch, sklearn');

const made: string[] = [];
afterAll(() => {
  // KFD_KEEP_TEST_DIRS=1 keeps them for a post-mortem.
  if (!process.env.KFD_KEEP_TEST_DIRS) for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kfd-jobs-${prefix}-`));
  made.push(dir);
  return dir;
}
