/**
 * Who the user is, on a real API server with RBAC (harness stage 1). Namespaces per target:
 * targets.namespaces lists them for an admin; a user who may work in one namespace but not list
 * them (a ServiceAccount with a Role in team-a, its token from the TokenRequest API) gets a clear
 * sentence instead, and still probes and previews its own namespace; a probe of another namespace
 * reads that namespace's TrainingRuntimes without replacing what the target's own probe says.
 * OIDC: a kubeconfig user with `auth-provider: oidc` works through @kubernetes/client-node (the
 * API server accepts its id-token as a static token here; no identity provider runs), and one
 * whose id-token expired, with an issuer that cannot be reached, is told its login failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { namespaceUserKubeconfig } from '../../../e2e/k8s-harness/namespace-user.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { engineWith, makeWorkspace, needHarness, TRAINJOB, useControlPlane } from './test-support/k8s-parts.js';

/** A JWT as an identity provider issues it (the signature is not checked: the server knows the whole token). */
const jwt = (exp: number) => [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://login.example.invalid', sub: 'alice', aud: 'kubeflow-desktop', exp }, 'c2ln'].map((p) => (typeof p === 'string' ? p : Buffer.from(JSON.stringify(p)).toString('base64url'))).join('.');
const ID_TOKEN = jwt(Math.floor(Date.now() / 1000) + 3600);

const { missing, cp } = useControlPlane(1, { extraTokens: [{ token: ID_TOKEN, user: 'oidc:alice', groups: ['system:masters'] }] });

function oidcKubeconfig(dir: string, idToken: string): string {
  const file = path.join(dir, 'oidc.kubeconfig');
  const config = `{ id-token: "${idToken}", idp-issuer-url: "https://login.example.invalid", client-id: kubeflow-desktop, refresh-token: "r1" }`;
  fs.writeFileSync(
    file,
    ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: sso', `  cluster: { server: "${cp().server}", certificate-authority-data: ${Buffer.from(cp().ca).toString('base64')} }`, 'users:', '- name: alice', '  user:', `    auth-provider: { name: oidc, config: ${config} }`, 'contexts:', '- name: sso', '  context: { cluster: sso, user: alice }', 'current-context: sso', ''].join('\n'),
    { mode: 0o600 },
  );
  return file;
}

/** A namespaced copy of the harness's torch-distributed ClusterTrainingRuntime. */
async function trainingRuntime(namespace: string, name: string): Promise<void> {
  const ctr = await cp().client.get<{ spec: unknown }>('/apis/trainer.kubeflow.org/v1alpha1/clustertrainingruntimes/torch-distributed');
  await cp().client.apply({ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainingRuntime', metadata: { name, namespace }, spec: ctr.spec } as never, { fieldManager: 'kfd-test', force: true });
}

describe('namespaces per target (stage 1, RBAC)', () => {
  it('an admin gets the namespaces to pick from; a probe of another namespace reads its TrainingRuntimes and leaves the target\'s own', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    for (const ns of ['team-b', 'team-c']) await cp().client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never, { fieldManager: 'kfd-test', force: true });
    await trainingRuntime('team-b', 'team-b-torch');
    const te = engineWith(cp().kubeconfigPath);
    try {
      const list = await te.call('targets.namespaces', { target: 'kfd-harness' });
      expect(list).toMatchObject({ targetId: 'kubeconfig:kfd-harness', listed: true, problem: null });
      expect(list.namespaces).toEqual(expect.arrayContaining(['default', 'kube-system', 'team-b', 'team-c']));
      expect(list.namespaces).toEqual([...list.namespaces].sort());

      const own = await te.call('targets.probe', { target: 'kfd-harness' });
      expect(own).toMatchObject({ namespace: 'default', trainingRuntimes: [] });
      const teamB = await te.call('targets.probe', { target: 'kfd-harness', namespace: 'team-b' });
      expect(teamB).toMatchObject({ namespace: 'team-b', trainingRuntimes: ['team-b-torch'], namespaceExists: true });
      // The list still shows the remembered namespace's probe.
      const listed = (await te.call('targets.list', {})).targets.find((x) => x.id === 'kubeconfig:kfd-harness')!;
      expect(listed.probe).toMatchObject({ namespace: 'default', trainingRuntimes: [] });
      // Promote to team-b may use its TrainingRuntime.
      const ws = makeWorkspace('nsrt', TRAINJOB('nsrt', { runtime: 'team-b-torch' }).replace('    name: team-b-torch', '    name: team-b-torch\n    kind: TrainingRuntime'));
      expect((await te.call('promote.preview', { source: ws, target: 'kfd-harness', namespace: 'team-b' })).blocked).toBeNull();
      expect((await te.call('promote.preview', { source: ws, target: 'kfd-harness', namespace: 'team-c' })).blocked).toMatch(/The TrainingRuntime "team-b-torch" \(spec.runtimeRef\) does not exist on kfd-harness\. .*no TrainingRuntimes in team-c/);
      // Choosing team-b in Settings makes its probe the target's own.
      const moved = await te.call('targets.setNamespace', { target: 'kfd-harness', namespace: 'team-b' });
      expect(moved.probe).toMatchObject({ namespace: 'team-b', trainingRuntimes: ['team-b-torch'] });
    } finally {
      await te.close();
    }
  });

  it('a user who may not list namespaces is told so in a sentence, and still works in the one it has', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const te = engineWith(await namespaceUserKubeconfig(cp(), makeTempDir('k8s', 'rbac'), 'team-a'));
    try {
      const list = await te.call('targets.namespaces', { target: 'team' });
      expect(list).toEqual({ targetId: 'kubeconfig:team', namespaces: [], listed: false, problem: 'ml-user may not list the namespaces of team (forbidden); type the namespace you work in.' });
      const probe = await te.call('targets.probe', { target: 'team' });
      expect(probe).toMatchObject({ reachable: true, namespace: 'team-a', trainingRuntimes: [] });
      expect(probe.clusterTrainingRuntimes).toContain('torch-distributed');
      const preview = await te.call('promote.preview', { source: makeWorkspace('rbac', TRAINJOB('rbac')), target: 'team' });
      expect(preview).toMatchObject({ namespace: 'team-a', blocked: null });
    } finally {
      await te.close();
    }
  });

  it('an OIDC user (auth-provider oidc) works through client-node; an expired login says so, not "cannot reach"', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const te = engineWith(oidcKubeconfig(makeTempDir('k8s', 'oidc'), ID_TOKEN));
    try {
      const target = (await te.call('targets.list', {})).targets.find((x) => x.context === 'sso')!;
      expect(target).toMatchObject({ auth: 'auth-provider', authDetail: 'auth-provider: oidc', user: 'alice' });
      expect(JSON.stringify(target)).not.toContain(ID_TOKEN);
      const probe = await te.call('targets.probe', { target: 'sso' });
      expect(probe).toMatchObject({ reachable: true, error: null });
      expect(probe.trainer.installed).toBe(true);
      expect((await te.call('targets.namespaces', { target: 'sso' })).listed).toBe(true);
    } finally {
      await te.close();
    }
    const stale = engineWith(oidcKubeconfig(makeTempDir('k8s', 'oidc-stale'), jwt(Math.floor(Date.now() / 1000) - 60)));
    try {
      const probe = await stale.call('targets.probe', { target: 'sso' });
      expect(probe.reachable).toBe(false);
      expect(probe.error).toMatch(/^Logging in as alice \(auth-provider oidc\) failed: its id-token expired at \d{4}-\d\d-\d\dT[\d:.]+Z and could not be refreshed \(.+\)\. Log in again \(e\.g\. re-run your cloud login\), then retry\.$/);
    } finally {
      await stale.close();
    }
  });
});
