import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../probe.js';
import { skipMissingPart } from '../../test-support/real-parts.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir } from '../test-support/fake-bin.js';
import { FIX, parseKubectlVersion, run } from './kubectl.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('parseKubectlVersion', () => {
  it('takes clientVersion.gitVersion', () => {
    expect(parseKubectlVersion('{"clientVersion":{"gitVersion":"v1.32.4"},"kustomizeVersion":"v5.5.0"}')).toBe('v1.32.4');
    expect(parseKubectlVersion('Client Version: v1.32.4')).toBeNull();
    expect(parseKubectlVersion('{}')).toBeNull();
  });
});

describe('kubectl check', () => {
  it('reports the real kubectl version', async (t) => {
    if (!(await findOnPath('kubectl', process.env))) return skipMissingPart('kubectl', `not on PATH (${FIX})`, t.skip);
    const r = await run({ env: process.env, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^kubectl v1\.\d+/);
  });

  it('is missing, with the install command, when not on PATH', async () => {
    const r = await run({ env: { PATH: tmp.dir }, settings: DEFAULT_TEST_SETTINGS });
    expect(r).toEqual({ status: 'missing', detail: 'kubectl is not on PATH.', fix: FIX });
    expect(FIX).toContain('sudo apt-get install kubectl');
  });
});
