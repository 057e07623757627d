/**
 * A user of a harness control plane who may work in one namespace and nothing more — as many
 * cluster users are: a ServiceAccount with a Role there (TrainJobs, runtimes, ConfigMaps, pods,
 * logs, events), read access to ClusterTrainingRuntimes, and no right to list namespaces. Its
 * token comes from the TokenRequest API; the kubeconfig written for it has one context.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from './harness.js';

export async function namespaceUserKubeconfig(cp: ControlPlane, dir: string, namespace: string, context = 'team'): Promise<string> {
  const kc = cp.client;
  const apply = (o: Record<string, unknown>) => kc.apply(o as never, { fieldManager: 'kfd-test', force: true });
  const rbac = 'rbac.authorization.k8s.io/v1';
  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ml-user', namespace } });
  await apply({
    apiVersion: rbac,
    kind: 'Role',
    metadata: { name: 'ml-user', namespace },
    rules: [
      { apiGroups: ['trainer.kubeflow.org'], resources: ['trainjobs', 'trainingruntimes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['configmaps', 'pods', 'pods/log', 'events'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
    ],
  });
  await apply({ apiVersion: rbac, kind: 'RoleBinding', metadata: { name: 'ml-user', namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ml-user' }, subjects: [{ kind: 'ServiceAccount', name: 'ml-user', namespace }] });
  await apply({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'kfd-test-ctr-reader' }, rules: [{ apiGroups: ['trainer.kubeflow.org'], resources: ['clustertrainingruntimes'], verbs: ['get', 'list'] }] });
  await apply({ apiVersion: rbac, kind: 'ClusterRoleBinding', metadata: { name: `kfd-test-ctr-reader-${namespace}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kfd-test-ctr-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ml-user', namespace }] });
  const { status } = await kc.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/ml-user/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const file = path.join(dir, `${context}.kubeconfig`);
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${context}`,
      `  cluster: { server: "${cp.server}", certificate-authority-data: ${Buffer.from(cp.ca).toString('base64')} }`,
      'users:',
      '- name: ml-user',
      `  user: { token: ${status.token} }`,
      'contexts:',
      `- name: ${context}`,
      `  context: { cluster: ${context}, user: ml-user, namespace: ${namespace} }`,
      `current-context: ${context}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}
