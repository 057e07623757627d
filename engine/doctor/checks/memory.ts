/** Free memory: below 4 GiB, torch plus a Jupyter kernel plus a kind node start to swap. */
import os from 'node:os';
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import { formatGiB, GiB } from '../bytes.js';

export const MIN_FREE_MEMORY = 4 * GiB;

export const id = 'memory';
export const title = 'Memory';

export function assessMemory(free: number, total: number): CheckOutcome {
  const detail = `${formatGiB(free)} free of ${formatGiB(total)}.`;
  if (free >= MIN_FREE_MEMORY) return ok(detail);
  return {
    status: 'warning',
    detail: `Only ${detail} Jobs, notebooks and the local cluster want at least ${formatGiB(MIN_FREE_MEMORY)} free.`,
    fix: 'Close other applications, or lower `resourcesPerNode.limits.memory` / `numProcPerNode` in trainjob.yaml',
  };
}

export async function run(_ctx: CheckContext): Promise<CheckOutcome> {
  // os.freemem() is MemAvailable on Linux (includes reclaimable cache), which is what we want.
  return assessMemory(os.freemem(), os.totalmem());
}
