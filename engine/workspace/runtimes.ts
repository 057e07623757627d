/**
 * Runtime names the editor offers for `spec.runtimeRef.name`. Until the Kubernetes backend can
 * ask a target's cluster (`kubectl get clustertrainingruntimes`), the list is what Kubeflow
 * Trainer ships in manifests/base/runtimes; a catalog that reads the cluster plugs in through
 * `RuntimeCatalog` without the editor changing.
 */
import type { RuntimeInfo } from '../api/schemas/workspace.js';

export interface RuntimeCatalog {
  /** Runtimes known on a run target (`undefined`: no particular target). */
  list(target: string | undefined): Promise<RuntimeInfo[]>;
}

const builtin = (name: string, description: string): RuntimeInfo => ({ name, description, source: 'builtin' });

/** The ClusterTrainingRuntimes of upstream Kubeflow Trainer (v2.x), most used first. */
export const TRAINER_RUNTIMES: readonly RuntimeInfo[] = [
  builtin('torch-distributed', 'PyTorch distributed (torchrun env contract). Runs locally as processes, in containers and on clusters.'),
  builtin('deepspeed-distributed', 'DeepSpeed over MPI; launcher plus worker nodes.'),
  builtin('mlx-distributed', 'Apple MLX over MPI.'),
  builtin('jax-distributed', 'JAX multi-process (jax.distributed).'),
  builtin('xgboost-distributed', 'XGBoost with the Rabit tracker.'),
  builtin('torch-rocm-distributed', 'PyTorch distributed on AMD ROCm images.'),
  builtin('torch-distributed-with-cache', 'PyTorch distributed with the Trainer data cache (dataset initializer).'),
  builtin('flux-distributed', 'Flux Framework (HPC) launcher.'),
  builtin('torchtune-llama3.2-1b', 'TorchTune fine-tuning of Llama 3.2 1B (dataset and model initializers).'),
  builtin('torchtune-llama3.2-3b', 'TorchTune fine-tuning of Llama 3.2 3B (dataset and model initializers).'),
  builtin('torchtune-qwen2.5-1.5b', 'TorchTune fine-tuning of Qwen 2.5 1.5B (dataset and model initializers).'),
];

/** The same list for every target: what a fresh Trainer install has. */
export const builtinRuntimeCatalog: RuntimeCatalog = {
  async list() {
    return [...TRAINER_RUNTIMES];
  },
};
