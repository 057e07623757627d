/**
 * The doctor's own kubectl and NVIDIA GPU checks, reused as cluster diagnostics (one check,
 * shown in both places, never written twice).
 */
import * as kubectlCheck from '../../engine/doctor/checks/kubectl.js';
import * as nvidiaGpuCheck from '../../engine/doctor/checks/nvidia-gpu.js';
import type { ClusterDiagnostic } from './diagnostic.js';

export const kubectl: ClusterDiagnostic = { id: 'kubectl', title: kubectlCheck.title, applicable: () => true, run: (ctx) => kubectlCheck.run(ctx) };
export const nvidiaGpus: ClusterDiagnostic = { id: 'nvidia-gpu', title: nvidiaGpuCheck.title, applicable: () => true, run: (ctx) => nvidiaGpuCheck.run(ctx) };
