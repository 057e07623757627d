import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeKubeconfig, userKubeconfigPath } from './kubeconfig-merge.js';

const cluster = 'apiVersion: v1\nkind: Config\nclusters: [{name: kind-kfd, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: kind-kfd, user: {token: t}}]\ncontexts: [{name: kind-kfd, context: {cluster: kind-kfd, user: kind-kfd}}]\ncurrent-context: kind-kfd\n';

describe('kubeconfig merge', () => {
  it('keeps every other entry and setting, replaces the cluster\'s own, and sets the context', () => {
    const user = 'apiVersion: v1\nkind: Config\npreferences: {colors: true}\nclusters: [{name: prod, cluster: {server: p}}, {name: kind-kfd, cluster: {server: old}}]\nusers: [{name: prod, user: {token: secret}}]\ncontexts: [{name: prod, context: {cluster: prod, user: prod}}]\ncurrent-context: prod\n';
    const out = parse(mergeKubeconfig(user, cluster, true));
    expect(out.preferences).toEqual({ colors: true });
    expect(out.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'kind-kfd']);
    expect(out.clusters[1].cluster.server).toBe('https://127.0.0.1:1');
    expect(out.users).toHaveLength(2);
    expect(out['current-context']).toBe('kind-kfd');
    expect(parse(mergeKubeconfig('', cluster, false))['current-context']).toBeUndefined();
  });
  it('writes to the first $KUBECONFIG file, else ~/.kube/config', () => {
    expect(userKubeconfigPath({ KUBECONFIG: '/a:/b', HOME: '/h' })).toBe('/a');
    expect(userKubeconfigPath({ HOME: '/h' })).toBe('/h/.kube/config');
  });
});
