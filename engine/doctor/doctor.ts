/**
 * Environment diagnostics ("doctor"): one small file per check in `checks/`, run concurrently,
 * answered in this fixed order.
 */
import type { CheckResult } from '../api/contract.js';
import { ApiError } from '../api/api-error.js';
import type { DoctorCheck, DoctorContext } from './check.js';
import { runChecks } from './run-checks.js';
import * as clusterAssets from './checks/cluster-assets.js';
import * as containerEngine from './checks/container-engine.js';
import * as disk from './checks/disk.js';
import * as kind from './checks/kind.js';
import * as kubectl from './checks/kubectl.js';
import * as memory from './checks/memory.js';
import * as node from './checks/node.js';
import * as nvidiaGpu from './checks/nvidia-gpu.js';
import * as python from './checks/python.js';

export type { DoctorContext } from './check.js';

export const CHECKS: readonly DoctorCheck[] = [node, python, containerEngine, kind, kubectl, clusterAssets, nvidiaGpu, memory, disk];

export function listChecks(): { id: string; title: string }[] {
  return CHECKS.map(({ id, title }) => ({ id, title }));
}

export interface RunDoctorOptions {
  /** Only these checks (still answered in the fixed order); all when absent. */
  ids?: string[];
  /** Called as each check finishes, so a UI can fill rows in as they arrive. */
  onResult?: (result: CheckResult) => void;
  /** Overrides every check's time limit. */
  timeoutMs?: number;
}

export async function runDoctor(ctx: DoctorContext, opts: RunDoctorOptions = {}): Promise<CheckResult[]> {
  let selected = CHECKS;
  if (opts.ids) {
    const known = new Set(CHECKS.map((c) => c.id));
    const unknown = opts.ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new ApiError(
        'bad_request',
        `Unknown doctor check ${unknown.map((id) => `"${id}"`).join(', ')}. Known checks: ${[...known].join(', ')}.`,
        { unknown, known: [...known] },
      );
    }
    const wanted = new Set(opts.ids);
    selected = CHECKS.filter((c) => wanted.has(c.id));
  }
  return runChecks(selected, ctx, { onResult: opts.onResult, timeoutMs: opts.timeoutMs });
}
