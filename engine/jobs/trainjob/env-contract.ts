/**
 * The environment every rank sees, identical to Kubeflow Trainer's torch runtime: Trainer puts
 * PET_* on each node (pkg/runtime/framework/plugins/torch), and torchrun turns them into the
 * per-process variables (torch/distributed/elastic/agent/server/local_elastic_agent.py). Local
 * backends start ranks themselves, so they must produce exactly this. Pure.
 */
import { quantityCeil } from './quantity.js';
import type { Trainer } from './trainjob-schema.js';

/** Trainer's ContainerTrainerPort and torchrun's --master-port default. */
export const DEFAULT_MASTER_PORT = 29500;

export interface EnvContractInput {
  numNodes: number;
  numProcPerNode: number;
  /** 0-based index of this node (Trainer: the Job completion index). */
  nodeRank: number;
  masterAddr: string;
  masterPort?: number;
  /** torchrun's --rdzv-id (TORCHELASTIC_RUN_ID); torchrun's default is "none". */
  runId?: string;
  maxRestarts?: number;
  restartCount?: number;
}

/** Names the contract owns; a user's spec.trainer.env entry with one of these is overridden. */
export const CONTRACT_ENV_NAMES = [
  'PET_NNODES', 'PET_NPROC_PER_NODE', 'PET_NODE_RANK', 'PET_MASTER_ADDR', 'PET_MASTER_PORT',
  'RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'LOCAL_WORLD_SIZE', 'GROUP_RANK', 'GROUP_WORLD_SIZE',
  'ROLE_RANK', 'ROLE_NAME', 'ROLE_WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT',
  'TORCHELASTIC_RESTART_COUNT', 'TORCHELASTIC_MAX_RESTARTS', 'TORCHELASTIC_RUN_ID',
] as const;

function check(input: EnvContractInput): Required<EnvContractInput> {
  const full = { masterPort: DEFAULT_MASTER_PORT, runId: 'none', maxRestarts: 0, restartCount: 0, ...input };
  const whole = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${v}`);
  };
  whole('numNodes', full.numNodes, 1);
  whole('numProcPerNode', full.numProcPerNode, 1);
  whole('nodeRank', full.nodeRank, 0);
  whole('maxRestarts', full.maxRestarts, 0);
  whole('restartCount', full.restartCount, 0);
  if (full.nodeRank >= full.numNodes) throw new RangeError(`nodeRank ${full.nodeRank} is outside 0..${full.numNodes - 1}`);
  if (!Number.isInteger(full.masterPort) || full.masterPort < 1 || full.masterPort > 65535) {
    throw new RangeError(`masterPort must be a TCP port 1..65535, got ${full.masterPort}`);
  }
  if (!full.masterAddr) throw new RangeError('masterAddr must not be empty');
  return full;
}

/** What Trainer's torch plugin sets on every node's container (torchrun reads these as option defaults). */
export function nodeEnv(input: EnvContractInput): Record<string, string> {
  const c = check(input);
  return {
    PET_NNODES: String(c.numNodes),
    PET_NPROC_PER_NODE: String(c.numProcPerNode),
    PET_NODE_RANK: String(c.nodeRank),
    PET_MASTER_ADDR: c.masterAddr,
    PET_MASTER_PORT: String(c.masterPort),
  };
}

/** The full environment of one process: the node's PET_* plus what torchrun gives each worker. */
export function processEnv(input: EnvContractInput, localRank: number): Record<string, string> {
  const c = check(input);
  if (!Number.isInteger(localRank) || localRank < 0 || localRank >= c.numProcPerNode) {
    throw new RangeError(`localRank ${localRank} is outside 0..${c.numProcPerNode - 1}`);
  }
  const rank = c.nodeRank * c.numProcPerNode + localRank;
  const worldSize = c.numNodes * c.numProcPerNode;
  return {
    ...nodeEnv(c),
    RANK: String(rank),
    WORLD_SIZE: String(worldSize),
    LOCAL_RANK: String(localRank),
    LOCAL_WORLD_SIZE: String(c.numProcPerNode),
    // One worker group per node, so the group is the node; torchrun's default role is "default".
    GROUP_RANK: String(c.nodeRank),
    GROUP_WORLD_SIZE: String(c.numNodes),
    ROLE_RANK: String(rank),
    ROLE_NAME: 'default',
    ROLE_WORLD_SIZE: String(worldSize),
    MASTER_ADDR: c.masterAddr,
    MASTER_PORT: String(c.masterPort),
    TORCHELASTIC_RESTART_COUNT: String(c.restartCount),
    TORCHELASTIC_MAX_RESTARTS: String(c.maxRestarts),
    TORCHELASTIC_RUN_ID: c.runId,
  };
}

/** One environment per process on this node, in local-rank order. */
export function processEnvs(input: EnvContractInput): Record<string, string>[] {
  return Array.from({ length: check(input).numProcPerNode }, (_, i) => processEnv(input, i));
}

/**
 * Defaults torchrun adds that the user's own environment may override: with several workers per
 * node it sets OMP_NUM_THREADS=1 so they do not oversubscribe the CPU.
 */
export function launcherDefaults(numProcPerNode: number): Record<string, string> {
  return numProcPerNode > 1 ? { OMP_NUM_THREADS: '1' } : {};
}

export interface HostCapacity {
  cpus: number;
  gpus: number;
}

/**
 * A concrete process count for `numProcPerNode` (int, "auto", "cpu", "gpu"; absent = the torch
 * runtime's default "auto"). Trainer first derives it from resourcesPerNode (CPU-only "auto" or
 * "cpu" → the CPU limit rounded up, at least 1); what is left torchrun resolves against the node
 * ("auto" → GPUs if any, else CPUs). Throws for "gpu" on a node without GPUs, as torchrun does.
 */
export function resolveNumProcPerNode(trainer: Pick<Trainer, 'numProcPerNode' | 'resourcesPerNode'> | undefined, host: HostCapacity): { value: number; reason: string } {
  const requested = trainer?.numProcPerNode ?? 'auto';
  if (typeof requested === 'number') return { value: requested, reason: `numProcPerNode: ${requested}` };
  const resources = trainer?.resourcesPerNode;
  if (resources && requested !== 'gpu') {
    for (const list of [resources.limits, resources.requests]) {
      if (!list) continue;
      const hasGpu = Object.keys(list).some((k) => k.toLowerCase().includes('gpu'));
      const useCpu = requested === 'auto' ? !hasGpu : list.cpu !== undefined;
      if (useCpu) {
        const cpus = list.cpu === undefined ? 0 : (quantityCeil(list.cpu) ?? 0);
        return { value: Math.max(1, cpus), reason: `"${requested}" with a CPU of ${list.cpu ?? 'unset'} in resourcesPerNode` };
      }
    }
    if (requested === 'cpu') return { value: 1, reason: '"cpu" without a CPU quantity in resourcesPerNode' };
  }
  if (requested === 'cpu') return { value: Math.max(1, host.cpus), reason: `"cpu": ${host.cpus} CPUs on this node` };
  if (host.gpus > 0) return { value: host.gpus, reason: `"${requested}": ${host.gpus} GPUs on this node` };
  if (requested === 'gpu') throw new Error('numProcPerNode is "gpu" but this node has no GPU; set a number instead');
  return { value: Math.max(1, host.cpus), reason: `"auto" without GPUs: ${host.cpus} CPUs on this node` };
}
