/**
 * fake-nvidia-smi: a stand-in for a real GPU driver, which cannot exist on these machines.
 * It prints what `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` prints on a real
 * machine, or fails the way a machine without a loaded driver does.
 */
import { writeScript } from './fake-bin.js';

export interface FakeNvidiaSmiOptions {
  /** CSV rows: index, name, uuid, memory.total (MiB), driver_version */
  rows?: string[];
  exitCode?: number;
  stderr?: string;
}

export async function createFakeNvidiaSmi(dir: string, opts: FakeNvidiaSmiOptions = {}): Promise<string> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = [
    ...(opts.rows ?? []).map((row) => `printf '%s\\n' ${quote(row)}`),
    ...(opts.stderr ? [`printf '%s\\n' ${quote(opts.stderr)} >&2`] : []),
    `exit ${opts.exitCode ?? 0}`,
  ];
  return writeScript(dir, 'nvidia-smi', lines.join('\n'));
}

export const TWO_GPUS = [
  '0, NVIDIA A100-SXM4-40GB, GPU-5f0c1a2b-0000-1111-2222-333344445555, 40960, 550.54.15',
  '1, NVIDIA GeForce RTX 4090, GPU-9a8b7c6d-aaaa-bbbb-cccc-ddddeeeeffff, 24564, 550.54.15',
];

export const DRIVER_NOT_LOADED =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";
