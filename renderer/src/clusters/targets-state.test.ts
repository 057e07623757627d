import { describe, expect, it } from 'vitest';
import { gpuText, initialTargetsState, namespaceChoices, probeFacts, runtimeNames, sortTargets, targetsReducer, targetTone, toneLabel, type TargetsState } from './targets-state';
import { probe, target } from './test-targets';

const listed: TargetsState = targetsReducer(initialTargetsState, {
  type: 'listed',
  targets: [target({ context: 'prod' }), target({ context: 'kfd', kind: 'local-cluster' })],
  kubeconfigFiles: ['/home/me/.kube/config'],
  problems: [],
});

describe('targetsReducer', () => {
  it('fills one row in when its probe event arrives, leaving the others', () => {
    let s = targetsReducer(listed, { type: 'probeStarted', ids: ['kubeconfig:prod', 'local:kfd'] });
    expect([...s.probing].sort()).toEqual(['kubeconfig:prod', 'local:kfd']);
    s = targetsReducer(s, { type: 'probed', probe: probe({ targetId: 'local:kfd', serverVersion: 'v1.31.2' }) });
    expect(s.targets.find((t) => t.id === 'local:kfd')?.probe?.serverVersion).toBe('v1.31.2');
    expect(s.targets.find((t) => t.id === 'kubeconfig:prod')?.probe).toBeNull();
    expect([...s.probing]).toEqual(['kubeconfig:prod']);
  });

  it('never lets a late, older probe answer replace a newer one', () => {
    let s = targetsReducer(listed, { type: 'probed', probe: probe({ targetId: 'kubeconfig:prod', at: 2000, reachable: false, error: 'timeout' }) });
    s = targetsReducer(s, { type: 'probed', probe: probe({ targetId: 'kubeconfig:prod', at: 1000 }) });
    expect(s.targets[0]?.probe?.reachable).toBe(false);
  });

  it('keeps known probes when the list is read again without them', () => {
    let s = targetsReducer(listed, { type: 'probed', probe: probe({ targetId: 'local:kfd', at: 5000 }) });
    s = targetsReducer(s, { type: 'listed', targets: [target({ context: 'kfd', kind: 'local-cluster' })], kubeconfigFiles: [], problems: ['bad file'] });
    expect(s.targets).toHaveLength(1);
    expect(s.targets[0]?.probe?.at).toBe(5000);
    expect(s.problems).toEqual(['bad file']);
  });

  it('records a probe call that failed and clears it on the next try', () => {
    let s = targetsReducer(listed, { type: 'probeStarted', ids: ['kubeconfig:prod'] });
    s = targetsReducer(s, { type: 'probeFailed', id: 'kubeconfig:prod', message: 'engine gone' });
    expect(s.probeErrors['kubeconfig:prod']).toBe('engine gone');
    expect(s.probing.size).toBe(0);
    s = targetsReducer(s, { type: 'probeStarted', ids: ['kubeconfig:prod'] });
    expect(s.probeErrors['kubeconfig:prod']).toBeUndefined();
  });

  it('replaces a row after a namespace change but keeps its probe, whose facts still name the namespace they are about', () => {
    let s = targetsReducer(listed, { type: 'probed', probe: probe({ targetId: 'kubeconfig:prod', namespace: 'default', trainingRuntimes: ['mine'] }) });
    s = targetsReducer(s, { type: 'updated', target: target({ context: 'prod', namespace: 'team-a', namespaceSource: 'setting' }) });
    expect(s.targets[0]?.label).toBe('prod/team-a');
    expect(s.targets[0]?.probe).not.toBeNull();
    expect(probeFacts(s.targets[0]!, s.targets[0]!.probe!).find((f) => f.label.startsWith('Runtimes in'))).toMatchObject({ label: 'Runtimes in default', value: 'mine' });
  });

  it("ignores a probe of another namespace than the row's (the promote dialog's)", () => {
    let s = targetsReducer(listed, { type: 'probeStarted', ids: ['kubeconfig:prod'] });
    s = targetsReducer(s, { type: 'probed', probe: probe({ targetId: 'kubeconfig:prod', namespace: 'team-b', trainingRuntimes: ['theirs'] }) });
    expect(s.targets[0]?.probe).toBeNull();
    expect(s.probing.has('kubeconfig:prod')).toBe(true);
    s = targetsReducer(s, { type: 'probed', probe: probe({ targetId: 'kubeconfig:prod', namespace: 'default' }) });
    expect(s.targets[0]?.probe?.namespace).toBe('default');
  });
});

describe('what a probe says', () => {
  it('an unreachable target shows only why', () => {
    const p = probe({ targetId: 'x', reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:6443' });
    expect(targetTone(p, false)).toBe('missing');
    expect(toneLabel('missing', p, false)).toBe('Unreachable');
    expect(probeFacts({ namespace: 'default' }, p)).toEqual([{ label: 'Reachable', value: 'no: connect ECONNREFUSED 127.0.0.1:6443', problem: true }]);
  });

  it('a cluster without Trainer is a warning that says jobs cannot run', () => {
    const p = probe({ targetId: 'x', trainer: { installed: false, servedVersions: [], api: null, overridesField: null }, clusterTrainingRuntimes: [] });
    expect(targetTone(p, false)).toBe('warning');
    expect(toneLabel('warning', p, false)).toBe('No Trainer');
    const trainer = probeFacts({ namespace: 'default' }, p).find((f) => f.label === 'Trainer API');
    expect(trainer).toMatchObject({ problem: true });
    expect(trainer?.value).toMatch(/not installed/);
  });

  it('names the Trainer generation and where pod patches go', () => {
    const facts = probeFacts({ namespace: 'team-a' }, probe({ targetId: 'x', trainingRuntimes: ['my-rt'] }));
    expect(facts.find((f) => f.label === 'Trainer API')?.value).toBe('v2.2+ (v1alpha1) · pod patches in runtimePatches');
    expect(facts.find((f) => f.label === 'Runtimes in team-a')?.value).toBe('my-rt');
    expect(facts.every((f) => !f.problem)).toBe(true);
  });

  it('a namespace that does not exist and forbidden lists are problems', () => {
    const facts = probeFacts({ namespace: 'nope' }, probe({ targetId: 'x', namespaceExists: false, trainingRuntimes: null }));
    expect(facts.filter((f) => f.problem).map((f) => f.label)).toEqual(['Runtimes in nope', 'Namespace']);
  });

  it('GPUs in words', () => {
    expect(gpuText(null)).toMatch(/unknown/);
    expect(gpuText({ allocatable: 0, nodesWithGpus: 0, nodes: 1 })).toBe('none on 1 node');
    expect(gpuText({ allocatable: 8, nodesWithGpus: 2, nodes: 3 })).toBe('8 nvidia.com/gpu on 2 of 3 nodes');
  });

  it('runtimes: cluster-wide first, then the namespace', () => {
    expect(runtimeNames(probe({ targetId: 'x', clusterTrainingRuntimes: ['torch-distributed'], trainingRuntimes: ['mine'] }))).toEqual([
      { name: 'torch-distributed', scope: 'cluster' },
      { name: 'mine', scope: 'namespace' },
    ]);
    expect(runtimeNames(null)).toEqual([]);
  });

  it('sorts local clusters, then the current context, then by name', () => {
    const sorted = sortTargets([target({ context: 'b' }), target({ context: 'a' }), target({ context: 'cur', current: true }), target({ context: 'kfd', kind: 'local-cluster' })]);
    expect(sorted.map((t) => t.context)).toEqual(['kfd', 'cur', 'a', 'b']);
  });
});

describe('namespaceChoices', () => {
  it('offers the listed namespaces and the one in use, once each, sorted; nothing listed (forbidden) still offers the one in use', () => {
    expect(namespaceChoices({ namespaces: ['team-b', 'default'] }, 'team-a', 'default', null)).toEqual(['default', 'team-a', 'team-b']);
    expect(namespaceChoices({ namespaces: [] }, 'team-a')).toEqual(['team-a']);
    expect(namespaceChoices(null)).toEqual([]);
  });
});
