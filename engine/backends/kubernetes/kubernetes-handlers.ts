/** The targets.*, promote.* and cluster-side jobs.* API methods, mapped onto the Kubernetes services. */
import { ApiError } from '../../api/api-error.js';
import type { Handlers } from '../../api/dispatch.js';
import type { kubernetesMethods } from '../../api/schemas/kubernetes.js';
import type { JobLineage } from '../../jobs/job-lineage.js';
import type { JobService } from '../../jobs/job-service.js';
import type { KubernetesBackend } from './kubernetes-backend.js';
import type { KubernetesTargets } from './kubernetes-targets.js';
import type { PromoteService } from './promote-service.js';

export interface KubernetesHandlerDeps {
  targets: KubernetesTargets;
  promote: PromoteService;
  lineage: JobLineage;
  jobs: JobService;
  backend: KubernetesBackend;
}

export function kubernetesHandlers(d: KubernetesHandlerDeps): Pick<Handlers, keyof typeof kubernetesMethods> {
  return {
    'targets.list': (input) => d.targets.list(input.probe),
    'targets.probe': (input) => d.targets.probe(input.target, input.namespace),
    'targets.namespaces': (input) => d.targets.namespaces(input.target),
    'targets.setNamespace': (input) => d.targets.setNamespace(input.target, input.namespace),
    'targets.setImageRegistry': (input) => d.targets.setImageRegistry(input.target, input.registry),
    'promote.preview': (input) => d.promote.preview(input),
    'promote.run': (input) => d.promote.run(input),
    'jobs.lineage': async (input) => {
      await d.jobs.ready;
      return d.lineage.lineage(input.id);
    },
    'jobs.compare': async (input) => {
      await d.jobs.ready;
      return d.lineage.compare(input.ids);
    },
    'jobs.cluster': async (input) => {
      const job = await d.jobs.locate(input.id);
      if (job.backend !== 'kubernetes') throw new ApiError('bad_request', `Job ${job.id} ran on the ${job.backend} backend; only kubernetes jobs have a cluster view.`);
      const state = d.backend.clusterState(job.id, job.jobDir);
      if (!state) throw new ApiError('not_found', `Job ${job.id} has no cluster state yet (it was not submitted, or nothing was seen of it).`);
      return state;
    },
  };
}
