/** The experiments area as the engine wires it: the service, its API handlers, and the one resume(). */
import type { Handlers } from '../api/dispatch.js';
import type { experimentMethods } from '../api/schemas/experiments.js';
import type { KubernetesTargets } from '../backends/kubernetes/kubernetes-targets.js';
import { experimentHandlers } from './experiment-handlers.js';
import { ExperimentService, type ExperimentServiceDeps } from './experiment-service.js';
import { KatibPromote } from './katib-promote.js';

export function createExperiments(deps: ExperimentServiceDeps & { targets: KubernetesTargets }): { service: ExperimentService; handlers: Pick<Handlers, keyof typeof experimentMethods> } {
  const service = new ExperimentService(deps);
  // Experiments an earlier engine left running go on (their trial jobs re-attach through the job service).
  void service.resume().catch((err: unknown) => console.warn('experiments: could not resume:', err));
  return { service, handlers: experimentHandlers(service, new KatibPromote({ targets: deps.targets, experiments: service })) };
}
