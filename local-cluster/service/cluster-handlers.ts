/** The cluster.* API methods, on the ClusterService. */
import type { Handlers } from '../../engine/api/dispatch.js';
import type { clusterMethods } from '../../engine/api/schemas/cluster.js';
import type { ClusterService } from './cluster-service.js';

export function clusterHandlers(svc: ClusterService): Pick<Handlers, keyof typeof clusterMethods> {
  return {
    'cluster.doctor': (input) => svc.doctor(input),
    'cluster.plan': (input) => svc.planView(input),
    'cluster.create': (input) => svc.create(input),
    'cluster.delete': (input) => svc.delete(input.name),
    'cluster.prepare': (input) => svc.prepare(input),
    'cluster.bundleExport': (input) => svc.bundleExport(input.file),
    'cluster.bundleImport': (input) => svc.bundleImport(input.file),
    'cluster.operation': (input) => svc.operation(input.id),
    'cluster.cancel': (input) => svc.cancel(input.operationId),
    'cluster.status': () => svc.status(),
    'cluster.logs': (input) => svc.logs(input.name, input.dir),
    'cluster.kubeconfig': (input) => svc.kubeconfig(input.name, input.merge ?? false, input.output, input.setCurrent ?? false),
  };
}
