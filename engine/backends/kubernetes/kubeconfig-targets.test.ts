import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeClusterRecord } from '../../../local-cluster/cluster-record.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { describeAuth, kubeConfigFor, kubeconfigFiles, loadTargetSources, resolveTarget } from './kubeconfig-targets.js';

const cfg = (o: { clusters: [string, string][]; users: [string, Record<string, unknown>][]; contexts: [string, string, string, string?][]; current?: string }) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: o.clusters.map(([name, server]) => ({ name, cluster: { server, 'certificate-authority': 'ca.crt' } })),
    users: o.users.map(([name, user]) => ({ name, user })),
    contexts: o.contexts.map(([name, cluster, user, namespace]) => ({ name, context: { cluster, user, ...(namespace ? { namespace } : {}) } })),
    ...(o.current ? { 'current-context': o.current } : {}),
  });

describe('kubeconfig targets', () => {
  it('merges KUBECONFIG like kubectl: the first file to define a name wins, and the first current-context', async () => {
    const dir = makeTempDir('k8s', 'kc');
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'sub', 'b.yaml');
    fs.mkdirSync(path.dirname(b));
    fs.writeFileSync(a, cfg({ clusters: [['prod', 'https://prod:6443']], users: [['me', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/usr/bin/gke-gcloud-auth-plugin' } }]], contexts: [['prod', 'prod', 'me', 'ml']], current: 'prod' }));
    fs.writeFileSync(b, cfg({ clusters: [['prod', 'https://other:6443'], ['dev', 'https://dev:6443']], users: [['me', { token: 'secret-token' }], ['dev', { 'client-certificate': 'c.crt', 'client-key': 'c.key' }]], contexts: [['prod', 'dev', 'dev'], ['dev', 'dev', 'dev'], ['broken', 'nowhere', 'dev']], current: 'dev' }));
    const env = { KUBECONFIG: [a, b, path.join(dir, 'missing.yaml')].join(path.delimiter), HOME: dir };
    expect(kubeconfigFiles(env)).toEqual([a, b, path.join(dir, 'missing.yaml')]);
    const all = await loadTargetSources(env, makeTempDir('k8s', 'data'));
    expect(all.files).toEqual([a, b]);
    expect(all.sources.map((s) => [s.id, s.cluster.server, s.current])).toEqual([
      ['kubeconfig:prod', 'https://prod:6443', true],
      ['kubeconfig:dev', 'https://dev:6443', false],
    ]);
    expect(all.problems).toEqual([`${path.join(dir, 'missing.yaml')} (in KUBECONFIG) does not exist.`, `Context broken (${b}) refers to cluster "nowhere", which no kubeconfig file defines.`]);
    const prod = all.sources[0]!;
    expect(describeAuth(prod.user)).toEqual({ auth: 'exec', authDetail: 'exec: gke-gcloud-auth-plugin' });
    expect(prod.cluster.caFile).toBe(path.join(dir, 'ca.crt')); // relative to its file
    expect(describeAuth(all.sources[1]!.user).auth).toBe('client-certificate');
    expect(all.sources[1]!.user.certFile).toBe(path.join(dir, 'sub', 'c.crt'));
    const kc = await kubeConfigFor(prod);
    expect(kc.getContexts().map((c) => c.name)).toEqual(['prod']);
    expect(kc.getCurrentCluster()?.server).toBe('https://prod:6443');
  });

  it('lists local clusters and resolves names: local cluster first, then contexts; an unknown one lists what exists', async () => {
    const dir = makeTempDir('k8s', 'kc2');
    const dataDir = makeTempDir('k8s', 'data2');
    const user = path.join(dir, 'config');
    fs.writeFileSync(user, cfg({ clusters: [['kind-kfd', 'https://127.0.0.1:1']], users: [['u', { token: 't' }]], contexts: [['kind-kfd', 'kind-kfd', 'u']], current: 'kind-kfd' }));
    const priv = path.join(dataDir, 'clusters', 'kfd', 'kubeconfig');
    fs.mkdirSync(path.dirname(priv), { recursive: true });
    fs.writeFileSync(priv, cfg({ clusters: [['kind-kfd', 'https://127.0.0.1:2']], users: [['kind-kfd', { token: 't2' }]], contexts: [['kind-kfd', 'kind-kfd', 'kind-kfd']], current: 'kind-kfd' }));
    writeClusterRecord(dataDir, { name: 'kfd', context: 'kind-kfd', kubeconfigPath: priv, kindVersion: 'v0.30.0', nodeImage: 'img', workers: 1, workspaceRoot: '/home/me', gpus: 0, createdAt: 1 });
    const all = await loadTargetSources({ KUBECONFIG: user }, dataDir);
    expect(all.sources.map((s) => s.id)).toEqual(['kubeconfig:kind-kfd', 'local:kfd']);
    expect(resolveTarget(all, 'kind-kfd').id).toBe('local:kfd');
    expect(resolveTarget(all, 'kfd').id).toBe('local:kfd');
    expect(resolveTarget(all, 'kubeconfig:kind-kfd').cluster.server).toBe('https://127.0.0.1:1');
    expect(() => resolveTarget(all, 'prod')).toThrow(/No Kubernetes target "prod". Known contexts: kind-kfd, kind-kfd .*`kfd targets` lists them/);
    // No KUBECONFIG: ~/.kube/config of HOME.
    expect(kubeconfigFiles({ HOME: '/home/x' })).toEqual(['/home/x/.kube/config']);
  });
});
