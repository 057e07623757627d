import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { GiB } from '../bytes.js';
import { DEFAULT_TEST_SETTINGS } from '../test-support/fake-bin.js';
import { assessMemory, run } from './memory.js';

describe('memory check', () => {
  it('reports this machine’s real free memory', async () => {
    const r = await run({ env: {}, settings: DEFAULT_TEST_SETTINGS });
    expect(r.detail).toContain(`of ${(os.totalmem() / GiB).toFixed(1)} GiB`);
    // Free memory moves between our read and the check's; only assert when far from the line.
    const free = os.freemem();
    if (free > 5 * GiB) expect(r.status).toBe('ok');
    if (free < 3 * GiB) expect(r.status).toBe('warning');
  });

  it('warns under 4 GiB free, saying what to lower', () => {
    expect(assessMemory(4 * GiB, 16 * GiB)).toEqual({ status: 'ok', detail: '4.0 GiB free of 16.0 GiB.', fix: '' });
    const low = assessMemory(1.5 * GiB, 8 * GiB);
    expect(low.status).toBe('warning');
    expect(low.detail).toContain('Only 1.5 GiB free of 8.0 GiB');
    expect(low.fix).toContain('resourcesPerNode');
  });
});
