/**
 * The add-ons the local cluster installs, pinned as Go modules: the module zips carry the
 * projects' own kustomize trees (Trainer's manifests/, JobSet's config/), so the Go module
 * proxy (or the Go module cache) is where prepare gets them, verified against go.sum's h1 hash.
 * Trainer and JobSet match the k8s test harness (e2e/k8s-harness/go/*; a test keeps them equal).
 */
export interface ModulePin {
  id: 'trainer' | 'jobset' | 'device-plugin';
  module: string;
  version: string;
  /** go.sum's `h1:` hash of the module zip; null = recorded at first download (trust on first use). */
  h1: string | null;
}

export const TRAINER: ModulePin = { id: 'trainer', module: 'github.com/kubeflow/trainer/v2', version: 'v2.3.0', h1: 'h1:Je+e7zvTLzB4qW09J1fB7pZrqvPtWuGng2NqdN5p5QU=' };
export const JOBSET: ModulePin = { id: 'jobset', module: 'sigs.k8s.io/jobset', version: 'v0.12.0', h1: 'h1:YYPuV0px8Ongq/RXmJg6V0w2UC67aiR+rCMD06vhQQQ=' };
/** The device plugin's static DaemonSet (deployments/static/nvidia-device-plugin.yml). */
export const DEVICE_PLUGIN: ModulePin = { id: 'device-plugin', module: 'github.com/NVIDIA/k8s-device-plugin', version: 'v0.17.1', h1: null };
export const DEVICE_PLUGIN_MANIFEST = 'deployments/static/nvidia-device-plugin.yml';

/** The runtime whose images prepare pulls by default (the others are pulled on first use, online). */
export const DEFAULT_RUNTIME = 'torch-distributed';
