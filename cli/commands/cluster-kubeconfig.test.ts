/**
 * `kfd cluster kubeconfig --merge` through the real binary, into a home whose ~/.kube/config is a
 * symlink (dotfiles): the cluster is added, the user's current context stays (unless
 * --use-context), the link stays a link, and the command says what it did.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kfd } from '../../engine/jobs/test-support/kfd-cli.js';
import { makeTempDir } from '../../engine/test-support/real-parts.js';

const NAME = 'mergetest';
const CLUSTER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: kind-${NAME}, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: kind-${NAME}, user: {token: t}}]
contexts: [{name: kind-${NAME}, context: {cluster: kind-${NAME}, user: kind-${NAME}}}]
current-context: kind-${NAME}
`;

function setup() {
  const data = makeTempDir('cli', 'merge-data');
  fs.mkdirSync(path.join(data, 'clusters', NAME), { recursive: true });
  fs.writeFileSync(path.join(data, 'clusters', NAME, 'kubeconfig'), CLUSTER_KUBECONFIG, { mode: 0o600 });
  const home = makeTempDir('cli', 'merge-home');
  const target = path.join(home, 'dotfiles', 'kube-config');
  fs.mkdirSync(path.dirname(target));
  fs.writeFileSync(target, 'apiVersion: v1\nkind: Config\nclusters: [{name: prod, cluster: {server: "https://prod"}}]\nusers: []\ncontexts: [{name: prod, context: {cluster: prod}}]\ncurrent-context: prod\n');
  fs.mkdirSync(path.join(home, '.kube'));
  const link = path.join(home, '.kube', 'config');
  fs.symlinkSync(target, link);
  return { data, home, target, link };
}

describe('kfd cluster kubeconfig --merge', () => {
  it('adds the cluster, keeps the current context and the symlink, and says so; --use-context switches', async () => {
    const { data, home, target, link } = setup();
    const r = await kfd(data, ['cluster', 'kubeconfig', '--name', NAME, '--merge'], 60_000, { HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(path.join(data, 'clusters', NAME, 'kubeconfig'));
    expect(r.stderr).toContain(`Updated ${target} (the target of ${link}, which stays a link): added context kind-${NAME}.`);
    expect(r.stderr).toContain(`Current context stays prod; use the cluster with \`kubectl --context kind-${NAME}\``);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    const merged = parse(fs.readFileSync(target, 'utf8'));
    expect(merged['current-context']).toBe('prod');
    expect(merged.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', `kind-${NAME}`]);

    const again = await kfd(data, ['cluster', 'kubeconfig', '--name', NAME, '--merge', '--use-context'], 60_000, { HOME: home });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`replaced cluster kind-${NAME}, user kind-${NAME}, context kind-${NAME}. Current context is now kind-${NAME}.`);
    expect(parse(fs.readFileSync(target, 'utf8'))['current-context']).toBe(`kind-${NAME}`);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);

    const alone = await kfd(data, ['cluster', 'kubeconfig', '--name', NAME, '--use-context'], 60_000, { HOME: home });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--use-context goes with --merge');
  }, 120_000);
});
