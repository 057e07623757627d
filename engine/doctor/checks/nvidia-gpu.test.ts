import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SETTINGS, makeTempDir, writeHangingBinary } from '../test-support/fake-bin.js';
import { createFakeNvidiaSmi, DRIVER_NOT_LOADED, TWO_GPUS } from '../test-support/fake-nvidia-smi.js';
import { runDoctor } from '../doctor.js';
import { FIX, run } from './nvidia-gpu.js';

// No GPU can exist on these machines: fake-nvidia-smi stands in for a real GPU driver.
let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

const ctx = () => ({ env: { PATH: tmp.dir }, settings: DEFAULT_TEST_SETTINGS });

describe('nvidia-gpu check', () => {
  it('lists the GPUs the driver reports', async () => {
    await createFakeNvidiaSmi(tmp.dir, { rows: TWO_GPUS });
    const r = await run(ctx());
    expect(r.status).toBe('ok');
    expect(r.detail).toContain('2 NVIDIA GPUs, driver 550.54.15');
    expect(r.detail).toContain('GPU 0: NVIDIA A100-SXM4-40GB (40 GiB');
    expect(r.detail).toContain('GPU 1: NVIDIA GeForce RTX 4090 (24 GiB');
    expect(r.fix).toBe('');
  });

  it('warns when the driver is not loaded (nvidia-smi exits 9)', async () => {
    await createFakeNvidiaSmi(tmp.dir, { exitCode: 9, stderr: DRIVER_NOT_LOADED });
    const r = await run(ctx());
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('no NVIDIA GPU: jobs run on CPU');
    expect(r.detail).toContain('exited 9');
    expect(r.detail).toContain("couldn't communicate with the NVIDIA driver");
    expect(r.fix).toBe(FIX);
  });

  it('warns with the driver + container toolkit fix when nvidia-smi is absent', async () => {
    const r = await run(ctx());
    expect(r).toEqual({ status: 'warning', detail: 'no NVIDIA GPU: jobs run on CPU (nvidia-smi is not on PATH).', fix: FIX });
    expect(FIX).toContain('NVIDIA Container Toolkit');
    expect(FIX).toContain('nvidia-driver');
  });

  it('warns when nvidia-smi answers with no GPU rows', async () => {
    await createFakeNvidiaSmi(tmp.dir, { rows: ['No devices were found'] });
    expect((await run(ctx())).detail).toContain('lists no GPU');
  });

  it('times out a hung nvidia-smi as a warning, fast', async () => {
    await writeHangingBinary(tmp.dir, 'nvidia-smi');
    const started = Date.now();
    const [r] = await runDoctor(ctx(), { ids: ['nvidia-gpu'], timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r).toMatchObject({ status: 'warning', detail: expect.stringContaining('timed out') });
  });
});
