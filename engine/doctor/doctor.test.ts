import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.js';
import { checkResult, type CheckResult } from '../api/contract.js';
import { listChecks, runDoctor } from './doctor.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir, writeHangingBinary } from './test-support/fake-bin.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const ORDER = ['node', 'python', 'container-engine', 'kind', 'kubectl', 'cluster-assets', 'nvidia-gpu', 'memory', 'disk'];

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('listChecks', () => {
  it('lists every check with a title, in the fixed order', () => {
    const list = listChecks();
    expect(list.map((c) => c.id)).toEqual(ORDER);
    for (const c of list) expect(c.title).not.toBe('');
  });
});

describe('runDoctor', () => {
  it('runs every check on this machine and answers in the fixed order', async () => {
    const finished: string[] = [];
    const started = performance.now();
    const results = await runDoctor(
      { env: { ...process.env, KFD_DATA_DIR: tmp.dir }, settings: DEFAULT_TEST_SETTINGS },
      { onResult: (r) => finished.push(r.id) },
    );
    const ms = Math.round(performance.now() - started);
    console.log(`full runDoctor: ${ms} ms\n${results.map((r) => `  ${r.id}: ${r.status}`).join('\n')}`);
    expect(results.map((r) => r.id)).toEqual(ORDER);
    expect([...finished].sort()).toEqual([...ORDER].sort());
    for (const r of results) {
      expect(checkResult.parse(r)).toEqual(r); // the API contract's shape
      expect(r.fix === '').toBe(r.status === 'ok');
    }
    const byId = Object.fromEntries(results.map((r) => [r.id, r])) as Record<string, CheckResult>;
    expect(byId.node!.status).toBe('ok');
    expect(byId.disk!.status).not.toBe('missing');
  });

  it('runs only the requested checks, still in the fixed order', async () => {
    const results = await runDoctor({ env: process.env, settings: DEFAULT_TEST_SETTINGS }, { ids: ['memory', 'node'] });
    expect(results.map((r) => r.id)).toEqual(['node', 'memory']);
  });

  it('rejects unknown ids, naming them and the known ones', async () => {
    const run = runDoctor({ env: process.env, settings: DEFAULT_TEST_SETTINGS }, { ids: ['node', 'gpu'] });
    await expect(run).rejects.toBeInstanceOf(ApiError);
    await expect(run).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('"gpu"') });
    await expect(run).rejects.toThrow(`Known checks: ${ORDER.join(', ')}`);
  });

  it('turns a hung binary into a timed-out warning instead of hanging', async () => {
    const { pidFile } = await writeHangingBinary(tmp.dir, 'kubectl');
    const started = Date.now();
    const [result] = await runDoctor(
      { env: { PATH: tmp.dir }, settings: DEFAULT_TEST_SETTINGS },
      { ids: ['kubectl'], timeoutMs: 500 },
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toMatchObject({ id: 'kubectl', status: 'warning' });
    expect(result!.detail).toContain('timed out after 0.5 s');
    // ...and the hung process was killed, not left behind (poll: it is reaped asynchronously).
    const pid = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => alive(pid), { timeout: 2_000 }).toBe(false);
  });
});
