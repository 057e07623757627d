import { describe, expect, it } from 'vitest';
import { NO_KUBE_TARGET, runTargets, unavailableReason } from './run-targets.js';

describe('run targets', () => {
  const all = new Set(['local-process', 'container', 'kubernetes'] as const);

  it('lists local processes, containers, then one entry per Kubernetes target', () => {
    const t = runTargets(all, [
      { id: 'kubeconfig:prod', label: 'prod', kind: 'kubeconfig' },
      { id: 'local:kfd', label: 'kfd', kind: 'local-cluster' },
    ]);
    expect(t.map((x) => [x.id, x.available])).toEqual([
      ['local-process', true],
      ['container', true],
      ['kubeconfig:prod', true],
      ['local:kfd', true],
    ]);
  });

  it('a backend that is down carries the sentence a start would fail with', () => {
    const t = runTargets(all, [], { container: 'No Docker or Podman engine answered (tried /var/run/docker.sock: ENOENT).' });
    expect(t.find((x) => x.id === 'container')).toMatchObject({ available: false, reason: 'No Docker or Podman engine answered (tried /var/run/docker.sock: ENOENT).' });
    expect(t.find((x) => x.id === 'local-cluster')).toMatchObject({ available: false, reason: NO_KUBE_TARGET });
  });

  it('a backend this build lacks is off with the job service refusal', () => {
    const t = runTargets(new Set(['local-process'] as const));
    expect(t.find((x) => x.id === 'container')).toMatchObject({ available: false, reason: unavailableReason('container') });
  });
});
