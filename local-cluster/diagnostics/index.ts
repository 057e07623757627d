/** Every local-cluster diagnostic, in the order a user should fix them. */
import { cdiSpecs } from './cdi-specs.js';
import { clusterAssets } from './cluster-assets.js';
import type { ClusterDiagnostic } from './diagnostic.js';
import { kubectl, nvidiaGpus } from './doctor-checks.js';
import { dockerMemory } from './docker-memory.js';
import { hostPorts } from './host-ports.js';
import { kindBinary } from './kind-binary.js';
import { nvidiaRuntime } from './nvidia-runtime.js';
import { nvidiaToolkitConfig } from './nvidia-toolkit-config.js';

export const CLUSTER_DIAGNOSTICS: readonly ClusterDiagnostic[] = [dockerMemory, kindBinary, kubectl, hostPorts, clusterAssets, nvidiaGpus, nvidiaRuntime, nvidiaToolkitConfig, cdiSpecs];
