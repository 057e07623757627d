/**
 * Which GPUs go to which kind node, from the user's `--gpus auto|all|none|0,1`, the GPUs
 * nvidia-smi reports and whether Docker can pass them through. Pure; says why GPUs are on or off.
 */
import type { NvidiaGpu } from '../../engine/doctor/checks/nvidia-smi-parse.js';
import type { GpuSpec } from '../kind-config.js';

export type GpuChoice = 'auto' | 'all' | 'none' | number[];

export interface HostGpuReadiness {
  /** Docker's default runtime is nvidia and the toolkit accepts volume-mounted device lists. */
  ready: boolean;
  /** Why not, with the fix (from the nvidia-runtime / nvidia-toolkit-config diagnostics). */
  problems: { detail: string; fix: string }[];
}

export interface GpuPlan {
  enabled: boolean;
  /** One spec per GPU node (each worker, or the control plane when there are no workers). */
  specs: GpuSpec[];
  /** Host GPU indexes passed through, in node order. */
  indexes: number[];
  reason: string;
}

export class GpuChoiceError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'GpuChoiceError';
  }
}

/** "auto" | "all" | "none" | "0,1" → GpuChoice; throws naming the flag on anything else. */
export function parseGpuChoice(value: string): GpuChoice {
  const v = value.trim().toLowerCase();
  if (v === 'auto' || v === 'all' || v === 'none') return v;
  if (/^\d+(\s*,\s*\d+)*$/.test(v)) {
    const idx = v.split(',').map((s) => Number(s.trim()));
    if (new Set(idx).size !== idx.length) throw new GpuChoiceError(`--gpus ${value}: a GPU index is listed twice.`, 'List each GPU once, e.g. --gpus 0,1');
    return idx;
  }
  throw new GpuChoiceError(`--gpus "${value}" is not auto, all, none or a list of GPU indexes like 0,1.`, 'Use --gpus auto (default), all, none, or 0,1');
}

/** Splits the GPUs over `nodes` GPU nodes as evenly as possible (nvkind's evenly-distributed layout). */
export function distribute(indexes: number[], nodes: number): number[][] {
  const per = Array.from({ length: nodes }, () => [] as number[]);
  const size = Math.ceil(indexes.length / nodes);
  indexes.forEach((g, i) => per[Math.floor(i / size)]!.push(g));
  return per;
}

export function planGpus(choice: GpuChoice, gpus: NvidiaGpu[], host: HostGpuReadiness, workers: number): GpuPlan {
  const nodes = workers > 0 ? workers : 1;
  const off = (reason: string): GpuPlan => ({ enabled: false, specs: Array.from({ length: nodes }, () => ({ mode: 'none' as const })), indexes: [], reason });
  if (choice === 'none') return off('GPU passthrough is off (--gpus none).');
  const found = gpus.map((g) => g.index);
  if (found.length === 0) {
    if (choice === 'auto') return off('No NVIDIA GPU found (nvidia-smi lists none or is not installed): jobs run on CPU.');
    throw new GpuChoiceError('GPUs were asked for, but nvidia-smi lists no NVIDIA GPU on this machine.', 'Install the NVIDIA driver, or create the cluster with --gpus none');
  }
  if (!host.ready) {
    const why = host.problems.map((p) => p.detail).join(' ');
    if (choice === 'auto') return off(`${found.length} GPU(s) found, but Docker cannot pass them to kind nodes: ${why}`);
    throw new GpuChoiceError(`Docker cannot pass GPUs to kind nodes: ${why}`, host.problems.map((p) => p.fix).join(' && '));
  }
  let chosen = found;
  if (Array.isArray(choice)) {
    const unknown = choice.filter((i) => !found.includes(i));
    if (unknown.length) {
      throw new GpuChoiceError(`--gpus ${choice.join(',')}: no GPU ${unknown.join(', ')} here (nvidia-smi lists ${found.join(', ')}).`, `Use indexes from: ${found.join(', ')}`);
    }
    chosen = choice;
  }
  const names = chosen.map((i) => gpus.find((g) => g.index === i)?.name ?? `GPU ${i}`);
  const what = `${chosen.length} GPU(s) passed through (${names.join(', ')})`;
  // One GPU node with every GPU: nvkind's default `all` mount, so the node sees them as the host does.
  if (nodes === 1 && chosen.length === found.length) return { enabled: true, specs: [{ mode: 'all' }], indexes: chosen, reason: `${what}.` };
  const per = distribute(chosen, nodes);
  const specs: GpuSpec[] = per.map((idx) => (idx.length ? { mode: 'per-gpu', gpuIndexes: idx } : { mode: 'none' }));
  return { enabled: true, specs, indexes: chosen, reason: nodes > 1 ? `${what}, split over ${nodes} workers.` : `${what}.` };
}
