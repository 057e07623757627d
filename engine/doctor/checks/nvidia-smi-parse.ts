/**
 * Parses `nvidia-smi --query-gpu=index,name,uuid,memory.total,driver_version
 * --format=csv,noheader,nounits`: one GPU per line, e.g.
 * `0, NVIDIA A100-SXM4-40GB, GPU-5f0c..., 40960, 550.54.15`.
 */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,uuid,memory.total,driver_version',
  '--format=csv,noheader,nounits',
];

export interface NvidiaGpu {
  index: number;
  name: string;
  uuid: string;
  /** null when the driver reports "[N/A]" */
  memoryMiB: number | null;
  driverVersion: string;
}

export function parseNvidiaSmi(stdout: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields = line.split(',').map((f) => f.trim());
    // GPU names have no commas, so anything but 5 fields is not a GPU row (a warning, an error).
    if (fields.length !== 5) continue;
    const [index, name, uuid, memory, driverVersion] = fields as [string, string, string, string, string];
    if (!/^\d+$/.test(index)) continue;
    const memoryMiB = /^\d+$/.test(memory) ? Number(memory) : null;
    gpus.push({ index: Number(index), name, uuid, memoryMiB, driverVersion });
  }
  return gpus;
}

export function describeGpu(gpu: NvidiaGpu): string {
  const memory = gpu.memoryMiB === null ? 'memory unknown' : `${(gpu.memoryMiB / 1024).toFixed(0)} GiB`;
  return `GPU ${gpu.index}: ${gpu.name} (${memory}, ${gpu.uuid})`;
}
