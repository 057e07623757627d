/**
 * Test helpers shared by every integration suite: how a missing real part is reported, and temp
 * dirs that go away with the test file. Locally a missing part skips with a printed reason;
 * under CI=true it becomes a failing test (DESIGN.md, "Tests").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, it } from 'vitest';

export function reportMissingPart(what: string, reason: string): false {
  if (process.env.CI === 'true') {
    it(`needs ${what}`, () => {
      throw new Error(reason);
    });
  } else {
    console.warn(`skipping ${what} tests: ${reason}`);
  }
  return false;
}

// Vitest evaluates this module once per test file, so each file removes only its own dirs.
const made: string[] = [];
afterAll(() => {
  // KFD_KEEP_TEST_DIRS=1 keeps them for a post-mortem.
  if (!process.env.KFD_KEEP_TEST_DIRS) for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir `kfd-<area>-<prefix>-*`, removed when the test file ends. */
export function makeTempDir(area: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kfd-${area}-${prefix}-`));
  made.push(dir);
  return dir;
}
