import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SETTINGS, makeTempDir } from '../test-support/fake-bin.js';
import { run } from './node.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('node check', () => {
  it('reports the real node on PATH', async () => {
    const r = await run({ env: process.env, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('ok'); // this repo itself needs node >= 20.19 (package.json engines)
    expect(r.detail).toMatch(/^node v\d+\.\d+\.\d+ at \//);
    expect(r.fix).toBe('');
  });

  it('warns when node is not on PATH, naming the install command', async () => {
    const r = await run({ env: { PATH: tmp.dir }, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('node is not on PATH');
    expect(r.fix).toContain('nvm install 22');
  });
});
