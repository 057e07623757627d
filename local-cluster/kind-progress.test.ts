import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyKindLine, cleanKindLine, INITIAL_PROGRESS, KIND_STEPS, kindProgress, parseKindLine } from './kind-progress.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseKindLine', () => {
  it('reads the cluster name, step starts, ends and failures', () => {
    expect(parseKindLine('Creating cluster "kfd" ...')).toEqual({ kind: 'creating', cluster: 'kfd' });
    expect(parseKindLine(' • Ensuring node image (kindest/node:v1.34.0) 🖼  ...')).toEqual({
      kind: 'status',
      state: 'running',
      step: 'ensure-image',
      text: 'Ensuring node image (kindest/node:v1.34.0)',
    });
    expect(parseKindLine(' ✓ Preparing nodes 📦 📦  ')).toMatchObject({ state: 'ok', step: 'prepare-nodes', text: 'Preparing nodes' });
    expect(parseKindLine('✗ Starting control-plane 🕹️')).toMatchObject({ state: 'failed', step: 'start-control-plane' });
    expect(parseKindLine(' ✓ Configuring the external load balancer ⚖️')).toMatchObject({ step: 'prepare-nodes' });
    expect(parseKindLine(' • Waiting ≤ 1m0s for control-plane = Ready ⏳  ...')).toMatchObject({ step: 'wait-ready', text: 'Waiting ≤ 1m0s for control-plane = Ready' });
    expect(parseKindLine(' • Ready after 31s 💚')).toEqual({ kind: 'ready', text: 'Ready after 31s' });
    expect(parseKindLine('ERROR: failed to create cluster: boom')).toEqual({ kind: 'error', text: 'failed to create cluster: boom' });
    expect(parseKindLine('Set kubectl context to "kind-kfd"')).toEqual({ kind: 'finished' });
    expect(parseKindLine(' • Something kind added later 🆕  ...')).toMatchObject({ kind: 'status', step: null });
    expect(parseKindLine('kubectl cluster-info --context kind-kfd')).toMatchObject({ kind: 'other' });
  });

  it('ignores terminal escapes and carriage-return redraws', () => {
    expect(cleanKindLine('\x1b[?7l • Ensuring node image 🖼  ...\r ✓ Ensuring node image 🖼\x1b[?7h')).toBe('✓ Ensuring node image');
  });
});

describe('kindProgress', () => {
  it('follows a successful create through every step to done (fake: the success path needs a node image)', () => {
    const lines = fixture('fake-kind-create-success.txt').split('\n');
    const seen = new Set<string>();
    let p = INITIAL_PROGRESS;
    for (const line of lines) {
      p = applyKindLine(p, line);
      seen.add(p.step);
      expect(p.failed).toBeUndefined();
    }
    expect([...seen]).toEqual(['starting', ...KIND_STEPS]);
    expect(p).toEqual({ step: 'done', index: 9, total: 9, description: 'Cluster ready', cluster: 'kfd' });
  });

  it('numbers steps by their place, jumping those kind skips (no workers, no wait)', () => {
    const p = kindProgress([' ✓ Installing StorageClass 💾', ' • Joining worker nodes 🚜  ...']);
    expect(p).toMatchObject({ step: 'join-workers', index: 7, total: 9, description: 'Joining worker nodes' });
    expect(kindProgress([' ✓ Installing StorageClass 💾', 'Set kubectl context to "kind-kfd"'])).toMatchObject({ step: 'done', index: 9 });
  });

  it('keeps the wait result in the description', () => {
    const p = kindProgress([' ✓ Waiting ≤ 5m0s for control-plane = Ready ⏳', ' • Ready after 31s 💚']);
    expect(p.description).toBe('Waiting ≤ 5m0s for control-plane = Ready (Ready after 31s)');
  });

  it('reports a timed-out wait as a warning, not a failure', () => {
    const p = kindProgress([' ✗ Waiting ≤ 1m0s for control-plane = Ready ⏳', ' • WARNING: Timed out waiting for Ready ⚠️', 'Set kubectl context to "kind-kfd"']);
    expect(p).toMatchObject({ step: 'done', warning: 'WARNING: Timed out waiting for Ready' });
  });

  it('tags the real image-pull failure with its step and keeps the whole error (real kind v0.30.0 output)', () => {
    const p = kindProgress(fixture('kind-create-image-pull-failed.txt'));
    expect(p).toMatchObject({ step: 'ensure-image', index: 1, failed: true, cluster: 'kfd-probe-out', description: 'Ensuring node image (kindest/node:v1.34.0)' });
    expect(p.error?.split('\n')[0]).toBe(
      'failed to create cluster: failed to pull image "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a": command "docker pull kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a" failed with error: exit status 1',
    );
    expect(p.error).toMatch(/\nCommand Output: Error response from daemon: .*no such host$/);
  });

  it('tags a control-plane failure (fake: needs a node image to get that far)', () => {
    const p = kindProgress(fixture('fake-kind-create-control-plane-failed.txt'));
    expect(p).toMatchObject({ step: 'start-control-plane', index: 4, failed: true, description: 'Starting control-plane' });
    expect(p.error).toMatch(/^failed to create cluster: failed to init node with kubeadm: command "docker exec/);
    expect(p.error).toContain('\n[kubelet-check] The kubelet is not healthy after 4m0s');
  });

  it('fails while starting when kind rejects the config before any step', () => {
    const p = kindProgress('ERROR: failed to create cluster: unable to decode config: yaml: unmarshal errors:\n  line 7: field labelz not found in type v1alpha4.Node\n');
    expect(p).toMatchObject({ step: 'starting', index: 0, failed: true });
    expect(p.error).toBe('failed to create cluster: unable to decode config: yaml: unmarshal errors:\nline 7: field labelz not found in type v1alpha4.Node');
  });
});
