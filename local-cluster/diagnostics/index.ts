/** Every local-cluster diagnostic, in the order a user should fix them. */
import { cdiSpecs } from './cdi-specs.js';
import type { ClusterDiagnostic } from './diagnostic.js';
import { dockerMemory } from './docker-memory.js';
import { hostPorts } from './host-ports.js';
import { kindBinary } from './kind-binary.js';
import { nvidiaRuntime } from './nvidia-runtime.js';
import { nvidiaToolkitConfig } from './nvidia-toolkit-config.js';

export const CLUSTER_DIAGNOSTICS: readonly ClusterDiagnostic[] = [dockerMemory, kindBinary, hostPorts, nvidiaRuntime, nvidiaToolkitConfig, cdiSpecs];
