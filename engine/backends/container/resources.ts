/**
 * `spec.trainer.resourcesPerNode` → a node container's HostConfig limits, with Kubernetes
 * meaning: limits cap (NanoCpus, Memory), requests only weigh (CpuShares, MemoryReservation).
 * /dev/shm gets a size DataLoader workers and NCCL can live with (Docker's default is 64 MiB).
 * Pure.
 */
import { requestedGpus } from '../../jobs/trainjob/backend-support.js';
import { parseQuantity } from '../../jobs/trainjob/quantity.js';
import type { Trainer } from '../../jobs/trainjob/trainjob-schema.js';

export const NVIDIA_GPU = 'nvidia.com/gpu';
/** A TrainJob annotation that sets /dev/shm per node, e.g. "8Gi". */
export const SHM_ANNOTATION = 'kubeflow-desktop/shm-size';
export const DEFAULT_SHM_BYTES = 2 * 2 ** 30;
const MIN_SHM_BYTES = 64 * 2 ** 20;

/** How GPUs reach a container: Docker's nvidia device driver, or CDI device names (Podman ≥ 5.4, Docker with CDI). */
export interface GpuAttach {
  via: 'nvidia' | 'cdi';
  /** 'all' when the request covers every GPU of the host. */
  count: number | 'all';
}

export interface DeviceRequest {
  Driver: string;
  Count?: number;
  DeviceIDs?: string[];
  Capabilities: string[][];
}

export interface ContainerResources {
  NanoCpus?: number;
  CpuShares?: number;
  Memory?: number;
  MemoryReservation?: number;
  ShmSize: number;
  DeviceRequests?: DeviceRequest[];
}

/** GPUs per node the trainer asks for (limits win over requests, as in Kubernetes), or 0. */
export function gpusRequested(trainer: Trainer | undefined): { count: number; key: string } {
  const asked = requestedGpus(trainer);
  return asked ? { count: asked.count, key: asked.key } : { count: 0, key: NVIDIA_GPU };
}

export function deviceRequests(gpu: GpuAttach): DeviceRequest[] {
  if (gpu.via === 'nvidia') return [{ Driver: 'nvidia', Count: gpu.count === 'all' ? -1 : gpu.count, Capabilities: [['gpu']] }];
  const ids = gpu.count === 'all' ? [`${NVIDIA_GPU}=all`] : Array.from({ length: gpu.count }, (_, i) => `${NVIDIA_GPU}=${i}`);
  return [{ Driver: 'cdi', DeviceIDs: ids, Capabilities: [['gpu']] }];
}

/** Throws a message naming the field when a quantity cannot be used. */
export function containerResources(trainer: Trainer | undefined, annotations: Record<string, string> | undefined, gpu: GpuAttach | null): ContainerResources {
  const limits = trainer?.resourcesPerNode?.limits ?? {};
  const requests = trainer?.resourcesPerNode?.requests ?? {};
  const amount = (list: Record<string, string | number>, from: string, key: string): number | undefined => {
    const raw = list[key];
    if (raw === undefined) return undefined;
    const value = parseQuantity(raw);
    if (value === null || value < 0) throw new Error(`spec.trainer.resourcesPerNode.${from}.${key} (${raw}) is not a quantity`);
    return value;
  };
  const out: ContainerResources = { ShmSize: DEFAULT_SHM_BYTES };
  const cpu = amount(limits, 'limits', 'cpu');
  if (cpu) out.NanoCpus = Math.round(cpu * 1e9);
  const cpuRequest = amount(requests, 'requests', 'cpu');
  if (cpuRequest) out.CpuShares = Math.max(2, Math.round(cpuRequest * 1024)); // kubelet's conversion
  const memory = amount(limits, 'limits', 'memory');
  if (memory) out.Memory = Math.round(memory);
  const memoryRequest = amount(requests, 'requests', 'memory');
  if (memoryRequest) out.MemoryReservation = Math.round(memoryRequest);

  const shm = annotations?.[SHM_ANNOTATION];
  if (shm !== undefined) {
    const bytes = parseQuantity(shm);
    if (bytes === null || bytes <= 0) throw new Error(`metadata.annotations["${SHM_ANNOTATION}"] (${shm}) is not a size such as "8Gi"`);
    out.ShmSize = Math.round(bytes);
  } else if (out.Memory) {
    // /dev/shm pages count against the memory limit: leave the processes at least half of it.
    out.ShmSize = Math.max(MIN_SHM_BYTES, Math.min(DEFAULT_SHM_BYTES, Math.floor(out.Memory / 2)));
  }
  if (gpu) out.DeviceRequests = deviceRequests(gpu);
  return out;
}
