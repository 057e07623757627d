import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../api/contract.js';
import type { DoctorCheck } from './check.js';
import { runChecks } from './run-checks.js';
import { DEFAULT_TEST_SETTINGS } from './test-support/fake-bin.js';

// Inline checks exercise the runner's contract (order, time limits, errors) on their own.
const ctx = { env: {}, settings: DEFAULT_TEST_SETTINGS };
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runChecks', () => {
  it('runs concurrently, reports as each finishes, answers in the given order', async () => {
    const checks: DoctorCheck[] = [
      { id: 'slow', title: 'Slow', run: async () => (await delay(150), { status: 'ok', detail: 'slow', fix: '' }) },
      { id: 'fast', title: 'Fast', run: async () => ({ status: 'warning', detail: 'fast', fix: 'do x' }) },
    ];
    const seen: string[] = [];
    const started = Date.now();
    const results = await runChecks(checks, ctx, { onResult: (r) => seen.push(r.id) });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toEqual(['fast', 'slow']);
    expect(results.map((r) => r.id)).toEqual(['slow', 'fast']);
    expect(results[1]).toEqual({ id: 'fast', title: 'Fast', status: 'warning', detail: 'fast', fix: 'do x' });
  });

  it('turns a check that throws into a result with the error text', async () => {
    const checks: DoctorCheck[] = [
      { id: 'boom', title: 'Boom', run: async () => { throw new Error('socket exploded'); } },
    ];
    const [result] = await runChecks(checks, ctx);
    expect(result).toMatchObject({ id: 'boom', status: 'warning' });
    expect(result!.detail).toContain('socket exploded');
  });

  it('gives up on a check that never answers, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const checks: DoctorCheck[] = [
      { id: 'hang', title: 'Hang', timeoutMs: 200, run: (c) => ((signal = c.signal), new Promise<never>(() => {})) },
    ];
    const started = Date.now();
    const [result] = await runChecks(checks, ctx);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ id: 'hang', status: 'warning' });
    expect(result!.detail).toContain('timed out after 0.2 s');
    expect(signal?.aborted).toBe(true);
  });

  it('survives an onResult listener that throws', async () => {
    const checks: DoctorCheck[] = [{ id: 'a', title: 'A', run: async () => ({ status: 'ok', detail: '', fix: '' }) }];
    const results: CheckResult[] = await runChecks(checks, ctx, {
      onResult: () => {
        throw new Error('listener bug');
      },
    });
    expect(results).toHaveLength(1);
  });
});
