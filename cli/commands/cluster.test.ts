/**
 * `kfd cluster …` on a real engine, with fake-kind / fake-kubectl / fake-docker on PATH
 * (local-cluster/test-support/fake-tools.ts) standing for a kind cluster that cannot exist here.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/engine.js';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { nodeNames } from '../../local-cluster/create-plan.js';
import { writeFakeAssets } from '../../local-cluster/test-support/fake-assets.js';
import { createFakeTools } from '../../local-cluster/test-support/fake-tools.js';
import { clusterCreateCommand, clusterDoctorCommand, clusterStatusCommand, type ClusterCommandDeps } from './cluster.js';

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; } };
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function setup(extraEnv: Record<string, string> = {}) {
  const dataDir = makeTempDir('cli', 'cluster');
  const fakes = createFakeTools(path.join(dataDir, 'fake-bin'));
  fakes.setNodes(nodeNames('kfd', 0));
  writeFakeAssets(dataDir);
  engine = createEngine({ dataDir, env: { ...fakes.env, KFD_DATA_DIR: dataDir, ...extraEnv } });
  const out = capture();
  const err = capture();
  let interrupt: (() => void) | undefined;
  const deps: ClusterCommandDeps = {
    dispatch: engine.dispatch,
    subscribe: (l) => engine!.events.subscribe(l),
    stdout: out,
    stderr: err,
    onInterrupt: (h) => ((interrupt = h), () => (interrupt = undefined)),
  };
  return { deps, out, err, fakes, interrupt: () => interrupt?.() };
}

describe('kfd cluster', () => {
  it('create --dry-run prints the kind config and the steps, and runs nothing', async () => {
    const { deps, out, fakes } = setup();
    expect(await clusterCreateCommand({ name: 'dev', workers: 1, gpus: 'none', dryRun: true }, deps)).toBe(0);
    expect(out.text).toMatch(/^# kind config for "dev" \(kind reads it on stdin\)\nkind: Cluster\napiVersion: kind\.x-k8s\.io\/v1alpha4\nname: dev\n/);
    expect(out.text).toContain('  - role: worker');
    expect(out.text).toContain('3. Create the kind nodes\n     kind create cluster --name dev --config - --kubeconfig ');
    // Only reads: kind's version, Docker's cgroup version, the node image's labels.
    expect(fakes.calls().map((c) => `${c.tool} ${c.args.slice(0, 2).join(' ')}`).sort()).toEqual(['fake-docker image inspect', 'fake-docker info --format', 'fake-kind version']);
  });

  it('create prints a line per step and exits 0; status shows the cluster', async () => {
    const { deps, out, err } = setup();
    expect(await clusterCreateCommand({ gpus: 'none' }, deps)).toBe(0);
    expect(err.text).toContain('[3/11] • Create the kind nodes');
    expect(err.text).toContain('[3/11] ✓ Create the kind nodes: 1 node(s): kfd-control-plane');
    expect(out.text).toMatch(/^create done: kubeconfig \S+\/clusters\/kfd\/kubeconfig, context kind-kfd\n$/);
    const status = capture();
    expect(await clusterStatusCommand({}, { ...deps, stdout: status })).toBe(0);
    expect(status.text).toMatch(/^kfd {2}running {2}context kind-kfd\n {2}nodes: kfd-control-plane \(running\)\n/);
    expect(status.text).toContain('Offline assets: prepared in ');
  }, 60_000);

  it('Ctrl+C cancels a create: exit 130, the step it stopped at, nothing left', async () => {
    const s = setup({ FAKE_KIND_MODE: 'hang' });
    const done = clusterCreateCommand({}, s.deps);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (s.err.text.includes('• Create the kind nodes: Preparing nodes')) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    s.interrupt();
    expect(await done).toBe(130);
    expect(s.err.text).toContain('Cancelling…');
    expect(s.err.text).toContain('create failed at step "Create the kind nodes": Cancelled.');
    expect(s.fakes.calls().filter((c) => c.tool === 'fake-kind').map((c) => c.args[0])).toEqual(['version', 'get', 'create', 'delete']);
  }, 60_000);

  it('doctor --json prints {id, status, detail, fix} rows; a bad --gpus names the flag', async () => {
    const { deps, out, err } = setup();
    await clusterDoctorCommand({ json: true }, deps);
    const rows = JSON.parse(out.text) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(['docker-memory', 'kind-binary', 'kubectl', 'cluster-assets', 'nvidia-gpu']);
    for (const r of rows) expect(Object.keys(r)).toEqual(['id', 'status', 'detail', 'fix']);
    expect(await clusterCreateCommand({ gpus: '1,x' }, deps)).toBe(1);
    expect(err.text).toContain('kfd: --gpus "1,x" is not auto, all, none or a list of GPU indexes like 0,1.');
  });
});
