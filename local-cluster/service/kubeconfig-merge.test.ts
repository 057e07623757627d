import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeMerge, mergeIntoFile, mergeKubeconfig, userKubeconfigPath } from './kubeconfig-merge.js';

const cluster = 'apiVersion: v1\nkind: Config\nclusters: [{name: kind-kfd, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: kind-kfd, user: {token: t}}]\ncontexts: [{name: kind-kfd, context: {cluster: kind-kfd, user: kind-kfd}}]\ncurrent-context: kind-kfd\n';

describe('kubeconfig merge', () => {
  it('keeps every other entry and setting, replaces the cluster\'s own, and sets the context', () => {
    const user = 'apiVersion: v1\nkind: Config\npreferences: {colors: true}\nclusters: [{name: prod, cluster: {server: p}}, {name: kind-kfd, cluster: {server: old}}]\nusers: [{name: prod, user: {token: secret}}]\ncontexts: [{name: prod, context: {cluster: prod, user: prod}}]\ncurrent-context: prod\n';
    const out = parse(mergeKubeconfig(user, cluster, true).text);
    expect(out.preferences).toEqual({ colors: true });
    expect(out.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'kind-kfd']);
    expect(out.clusters[1].cluster.server).toBe('https://127.0.0.1:1');
    expect(out.users).toHaveLength(2);
    expect(out['current-context']).toBe('kind-kfd');
  });

  it('keeps the user\'s current context unless asked, and says what it replaced', () => {
    const user = 'apiVersion: v1\nkind: Config\nclusters: [{name: prod, cluster: {server: p}}, {name: kind-kfd, cluster: {server: old}}]\ncontexts: [{name: prod, context: {cluster: prod}}]\ncurrent-context: prod\n';
    const kept = mergeKubeconfig(user, cluster, false);
    expect(parse(kept.text)['current-context']).toBe('prod');
    expect(kept).toMatchObject({ context: 'kind-kfd', currentContext: 'prod', switched: false, replaced: ['cluster kind-kfd'] });
    expect(mergeKubeconfig(user, cluster, true)).toMatchObject({ currentContext: 'kind-kfd', switched: true });
    // A file without a current context gets the cluster's: nothing of the user's changes.
    expect(mergeKubeconfig('', cluster, false)).toMatchObject({ currentContext: 'kind-kfd', switched: true, replaced: [] });
  });
  it('writes through a symlinked kubeconfig to its target, and the link stays a link', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kfd-kubeconfig-'));
    try {
      const dotfiles = path.join(home, 'dotfiles');
      mkdirSync(dotfiles);
      mkdirSync(path.join(home, '.kube'));
      const target = path.join(dotfiles, 'kubeconfig');
      writeFileSync(target, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: [{name: prod, context: {}}]\ncurrent-context: prod\n');
      const link = path.join(home, '.kube', 'config');
      symlinkSync('../dotfiles/kubeconfig', link);
      const report = mergeIntoFile(link, cluster);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe('../dotfiles/kubeconfig');
      expect(report).toMatchObject({ file: target, link, created: false, currentContext: 'prod', switched: false });
      expect(parse(readFileSync(target, 'utf8')).contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'kind-kfd']);
      expect(describeMerge(report)).toBe(
        `Updated ${target} (the target of ${link}, which stays a link): added context kind-kfd. Current context stays prod; use the cluster with \`kubectl --context kind-kfd\` or switch with \`kubectl config use-context kind-kfd\`.`,
      );
      // A dangling link: its target is created, the link kept.
      const dangling = path.join(home, '.kube', 'other');
      symlinkSync(path.join(dotfiles, 'new', 'config'), dangling);
      expect(mergeIntoFile(dangling, cluster, { setCurrent: true })).toMatchObject({ file: path.join(dotfiles, 'new', 'config'), created: true, currentContext: 'kind-kfd' });
      expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
      expect((statSync(path.join(dotfiles, 'new', 'config')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('writes to the first $KUBECONFIG file, else ~/.kube/config', () => {
    expect(userKubeconfigPath({ KUBECONFIG: '/a:/b', HOME: '/h' })).toBe('/a');
    expect(userKubeconfigPath({ HOME: '/h' })).toBe('/h/.kube/config');
  });
});
