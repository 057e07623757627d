/**
 * The one policy for a real part a test needs and this machine lacks (DESIGN.md, "Tests"):
 * locally the test skips with the reason printed; under CI=true it fails, because CI provides
 * every real part. Every suite goes through these two functions — vitest and Playwright alike —
 * and each part only says how it finds out that it is missing (a probe returning a reason).
 * Also: temp dirs that go away with the test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, it } from 'vitest';

const underCI = () => process.env.CI === 'true';

/**
 * At collection time in a vitest file (`describe.runIf(await requireX())`): false, so the suite
 * is skipped with the reason printed; under CI=true a failing test named after the part instead.
 */
export function reportMissingPart(what: string, reason: string): false {
  if (underCI()) {
    it(`needs ${what}`, () => {
      throw new Error(`CI=true requires ${what}: ${reason}`);
    });
  } else {
    console.warn(`skipping ${what} tests: ${reason}`);
  }
  return false;
}

/**
 * Inside a running test (vitest's `t.skip`, Playwright's `(note) => test.skip(true, note)`):
 * skips it with the reason printed; under CI=true throws, so the test fails with the reason.
 */
export function skipMissingPart(what: string, reason: string, skip: (note: string) => unknown): void {
  if (underCI()) throw new Error(`CI=true requires ${what}: ${reason}`);
  console.warn(`skipping: needs ${what}: ${reason}`);
  skip(`needs ${what}: ${reason}`);
}

// Vitest evaluates this module once per test file, so each file removes only its own dirs.
const made: string[] = [];
// Playwright specs import this module too (for the policy); only vitest has afterAll here, and
// only inside a test file: a globalSetup that imports it (the real-cluster suite's) has no suite
// to hook into, and afterAll throws there.
if (process.env.VITEST) {
  try {
    afterAll(() => {
      // KFD_KEEP_TEST_DIRS=1 keeps them for a post-mortem.
      if (!process.env.KFD_KEEP_TEST_DIRS) for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    });
  } catch {
    // globalSetup: its own code removes what it makes.
  }
}

/** A fresh temp dir `kfd-<area>-<prefix>-*`, removed when the test file ends. */
export function makeTempDir(area: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kfd-${area}-${prefix}-`));
  made.push(dir);
  return dir;
}
