import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../probe.js';
import { skipMissingPart } from '../../test-support/real-parts.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir } from '../test-support/fake-bin.js';
import { FIX, run } from './kind.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('kind check', () => {
  it('reports the real kind version', async (t) => {
    if (!(await findOnPath('kind', process.env))) return skipMissingPart('kind', `not on PATH (${FIX})`, t.skip);
    const r = await run({ env: process.env, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^kind v\d+\.\d+\.\d+ at \//);
  });

  it('is missing, with the go install command, when neither on PATH nor in the data dir', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    await mkdir(path.join(dataDir, 'bin'), { recursive: true });
    const r = await run({ env: { PATH: tmp.dir, KFD_DATA_DIR: dataDir }, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('missing');
    expect(r.detail).toContain(path.join(dataDir, 'bin', 'kind'));
    expect(r.fix).toBe('go install sigs.k8s.io/kind@v0.30.0 && export PATH="$(go env GOPATH)/bin:$PATH"');
  });
});
