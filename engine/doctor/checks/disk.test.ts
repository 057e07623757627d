import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GiB } from '../bytes.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir } from '../test-support/fake-bin.js';
import { assessDisk, nearestExistingDir, run } from './disk.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('disk check', () => {
  it('measures the real filesystem of a data dir that does not exist yet', async () => {
    const dataDir = path.join(tmp.dir, 'not', 'yet');
    const r = await run({ env: { KFD_DATA_DIR: dataDir }, settings: DEFAULT_TEST_SETTINGS });
    expect(r.detail).toContain(`for ${dataDir} (measured at ${tmp.dir}; not created yet)`);
    const s = await statfs(tmp.dir);
    const free = s.bavail * s.bsize;
    if (free > 11 * GiB) expect(r.status).toBe('ok');
    if (free < 9 * GiB) expect(r.status).toBe('warning');
  });

  it('finds the nearest existing ancestor', async () => {
    expect((await nearestExistingDir(path.join(tmp.dir, 'a', 'b', 'c'))).dir).toBe(tmp.dir);
    expect((await nearestExistingDir(tmp.dir)).dir).toBe(tmp.dir);
  });

  it('warns under 10 GiB free with where to free space', () => {
    expect(assessDisk('/d', '/d', 50 * GiB, 100 * GiB).status).toBe('ok');
    const low = assessDisk('/d', '/d', 2 * GiB, 100 * GiB);
    expect(low.status).toBe('warning');
    expect(low.detail).toContain('Only 2.0 GiB free of 100.0 GiB for /d.');
    expect(low.fix).toContain('KFD_DATA_DIR=');
  });
});
