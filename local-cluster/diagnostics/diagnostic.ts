/**
 * The shape of a local-cluster diagnostic: engine/doctor's check (same outcome, same context)
 * plus `applicable`, because most of these only matter for some cluster settings (GPUs, ports).
 */
import type { CheckContext, CheckOutcome } from '../../engine/doctor/check.js';
import type { KindConfigInput } from '../kind-config.js';

export type { CheckOutcome } from '../../engine/doctor/check.js';
export { ok } from '../../engine/doctor/check.js';

export interface ClusterDiagnosticContext extends CheckContext {
  /** The cluster the user is about to create. */
  cluster: KindConfigInput;
}

export interface ClusterDiagnostic {
  id: string;
  title: string;
  applicable(ctx: ClusterDiagnosticContext): boolean;
  run(ctx: ClusterDiagnosticContext): Promise<CheckOutcome>;
}

/** True when any node will get GPUs passed through. */
export function wantsGpus(cluster: KindConfigInput): boolean {
  const specs = cluster.gpus === undefined ? [] : Array.isArray(cluster.gpus) ? cluster.gpus : [cluster.gpus];
  return specs.some((s) => s.mode !== 'none');
}
