import { describe, expect, it } from 'vitest';
import type { RunTarget } from '../../../engine/api/contract';
import { probe, target } from '../clusters/test-targets';
import { kubeChoiceLabel, mergeRunTargets, runInput } from './run-choices';

// As workspace.targets answers: its own Kubernetes entries, and a hint for the missing local cluster.
const local: RunTarget[] = [
  { id: 'local-process', backend: 'local-process', label: 'Local processes', available: true, reason: null },
  { id: 'container', backend: 'container', label: 'Containers (Docker / Podman)', available: true, reason: null },
  { id: 'kubeconfig:prod', backend: 'kubernetes', label: 'Cluster prod/team-a', available: true, reason: null },
  { id: 'local-cluster', backend: 'kubernetes', label: 'Local cluster (kind)', available: false, reason: 'No local cluster yet: create it on the Cluster page.' },
];

describe('mergeRunTargets', () => {
  it('gives one choice per cluster target with its namespace, and keeps the engine hint for what is missing', () => {
    const prod = target({ context: 'prod', namespace: 'team-a' });
    const merged = mergeRunTargets(local, { targets: [prod], kubeconfigFiles: ['/k'] });
    expect(merged.map((t) => [t.id, t.label, t.available])).toEqual([
      ['local-process', 'Local processes', true],
      ['container', 'Containers (Docker / Podman)', true],
      ['kubeconfig:prod', 'Context prod · team-a', true],
      ['local-cluster', 'Local cluster (kind)', false],
    ]);
    const kfd = target({ context: 'kfd', kind: 'local-cluster' });
    const both = mergeRunTargets(local.slice(0, 3), { targets: [kfd, prod], kubeconfigFiles: ['/k'] });
    expect(both.map((t) => t.label)).toEqual(['Local processes', 'Containers (Docker / Podman)', 'Local cluster kfd · default', 'Context prod · team-a']);
  });

  it('disables a target whose last probe failed, with the reason', () => {
    const down = target({ context: 'prod', probe: probe({ targetId: 'kubeconfig:prod', reachable: false, error: 'dial tcp: i/o timeout' }) });
    const noTrainer = target({ context: 'bare', probe: probe({ targetId: 'kubeconfig:bare', trainer: { installed: false, servedVersions: [], api: null, overridesField: null }, clusterTrainingRuntimes: [] }) });
    const [, , a, b] = mergeRunTargets(local, { targets: [down, noTrainer], kubeconfigFiles: [] });
    expect(a).toMatchObject({ available: false, reason: 'prod cannot be reached: dial tcp: i/o timeout' });
    expect(b).toMatchObject({ available: false, reason: 'Kubeflow Trainer is not installed on bare.' });
  });

  it('keeps the engine entries when the cluster list failed, and says where it looked when there is nothing', () => {
    expect(mergeRunTargets(local, { error: 'targets.list failed' }).map((t) => t.id)).toEqual(['local-process', 'container', 'kubeconfig:prod', 'local-cluster']);
    const empty = mergeRunTargets(local.slice(0, 2), { targets: [], kubeconfigFiles: ['/home/me/.kube/config'] });
    expect(empty.at(-1)).toMatchObject({ available: false, reason: 'No Kubernetes contexts found in /home/me/.kube/config, and no local cluster.' });
  });

  it('labels local clusters and contexts apart', () => {
    expect(kubeChoiceLabel({ kind: 'kubeconfig', context: 'gke_x', namespace: 'ml' })).toBe('Context gke_x · ml');
  });
});

describe('runInput', () => {
  it('sends the target id for a cluster choice and nothing extra otherwise', () => {
    expect(runInput('/ws', { id: 'kubeconfig:prod', backend: 'kubernetes' })).toEqual({ path: '/ws', backend: 'kubernetes', target: 'kubeconfig:prod' });
    expect(runInput('/ws', { id: 'container', backend: 'container' })).toEqual({ path: '/ws', backend: 'container' });
    expect(runInput('/ws', undefined)).toEqual({ path: '/ws', backend: 'local-process' });
  });
});
