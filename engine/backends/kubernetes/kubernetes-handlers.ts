/** The targets.*, promote.* and cluster-side jobs.* API methods, mapped onto the Kubernetes services. */
import { ApiError } from '../../api/api-error.js';
import type { Handlers } from '../../api/dispatch.js';
import type { kubernetesMethods } from '../../api/schemas/kubernetes.js';

const notYet = (what: string) => () => {
  throw new ApiError('unavailable', `${what} is not implemented yet in this build.`);
};

export function kubernetesHandlers(): Pick<Handlers, keyof typeof kubernetesMethods> {
  return {
    'targets.list': notYet('targets.list'),
    'targets.probe': notYet('targets.probe'),
    'targets.setNamespace': notYet('targets.setNamespace'),
    'targets.setImageRegistry': notYet('targets.setImageRegistry'),
    'promote.preview': notYet('promote.preview'),
    'promote.run': notYet('promote.run'),
    'jobs.lineage': notYet('jobs.lineage'),
    'jobs.compare': notYet('jobs.compare'),
    'jobs.cluster': notYet('jobs.cluster'),
  };
}
