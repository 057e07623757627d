/**
 * The workspace API through a real engine (dispatch, as every transport calls it), on real temp
 * folders: open/recent across restarts, confinement, events from the watcher, and validation that
 * matches what `jobs.run` says about the same text.
 */
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../api/contract.js';
import { createEngine, type Engine } from '../engine.js';
import { eventually, tempWorkspace, type TempWorkspace } from './test-support.js';

let t: TempWorkspace;
let engine: Engine;
let events: { event: string; payload: any }[];

function startEngine(): Engine {
  const e = createEngine({ dataDir: path.join(t.base, 'data'), env: { ...process.env, KFD_DATA_DIR: '', KUBECONFIG: path.join(t.base, 'no-kubeconfig') } });
  e.events.subscribe((event, payload) => events.push({ event, payload }));
  return e;
}

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const answer = await engine.dispatch(method, input);
  if ('error' in answer) throw Object.assign(new Error(answer.error.message), answer.error);
  return answer.result as MethodOutput<M>;
}

beforeEach(() => {
  t = tempWorkspace();
  events = [];
  engine = startEngine();
});
afterEach(async () => {
  await engine.close();
  t.cleanup();
});

const BAD_JOB = `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: demo
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    command: ["python3", "train.py"]
    numProcPerNode: two
`;

describe('workspace API', () => {
  it('opens a folder through a symlink as its real path, and remembers it across restarts', async () => {
    t.write('trainjob.yaml', 'x: 1\n');
    mkdirSync(path.join(t.base, 'links'));
    symlinkSync(t.root, path.join(t.base, 'links', 'ws'));
    const info = await call('workspace.open', { path: path.join(t.base, 'links', 'ws') });
    expect(info).toEqual({ root: t.root, name: 'ws', hasJobFile: true });
    expect((await call('workspace.read', { root: info.root, path: 'trainjob.yaml' })).text).toBe('x: 1\n');
    await engine.close();
    engine = startEngine();
    const recent = await call('workspace.recent', {});
    expect(recent).toEqual([expect.objectContaining({ path: t.root, name: 'ws', exists: true })]);
    // Settings are unaffected by the extra key in their table.
    expect(await call('settings.get', {})).toMatchObject({ theme: 'system' });
    expect(await call('workspace.forget', { path: t.root })).toEqual([]);
  });

  it('refuses file calls for a folder that was not opened, and paths that leave the workspace', async () => {
    const err = (p: Promise<unknown>) => p.then(() => ({ code: 'none' }), (e: { code: string }) => ({ code: e.code }));
    expect(await err(call('workspace.tree', { root: t.root }))).toEqual({ code: 'not_found' });
    expect(await err(call('workspace.read', { root: '/', path: 'etc/passwd' }))).toEqual({ code: 'not_found' });
    const { root } = await call('workspace.open', { path: t.root });
    symlinkSync(t.outside, path.join(t.root, 'out'));
    for (const p of ['../outside/secret.txt', path.join(t.outside, 'secret.txt'), 'out/secret.txt']) {
      expect(await err(call('workspace.read', { root, path: p }))).toEqual({ code: 'forbidden' });
      expect(await err(call('workspace.write', { root, path: p, text: 'x', etag: null, force: true }))).toEqual({ code: 'forbidden' });
    }
    expect(await err(call('workspace.open', { path: 'relative/path' }))).toEqual({ code: 'bad_request' });
    expect(await err(call('workspace.open', { path: '/' }))).toEqual({ code: 'bad_request' });
    expect(await err(call('workspace.open', { path: path.join(t.base, 'missing') }))).toEqual({ code: 'not_found' });
  });

  it('publishes workspace.changed when a file changes outside the app, and after its own writes', async () => {
    t.write('train.py', 'LR = 0.1\n');
    const { root } = await call('workspace.open', { path: t.root });
    await new Promise((r) => setTimeout(r, 300)); // the watcher's first scan
    appendFileSync(path.join(t.root, 'train.py'), '# edited elsewhere\n');
    const changed = () => events.filter((e) => e.event === 'workspace.changed' && e.payload.root === root).flatMap((e) => e.payload.changes);
    await eventually('the external change', () => changed().find((c: any) => c.path === 'train.py' && c.kind === 'change'));
    await call('workspace.write', { root, path: 'src/new.py', text: 'x = 1\n', etag: null, force: false });
    await eventually('the new file', () => changed().find((c: any) => c.path === 'src/new.py' && c.kind === 'add'));
    const tree = await call('workspace.tree', { root });
    expect(tree.entries.map((e) => e.path).sort()).toEqual(['src', 'src/new.py', 'train.py']);
    expect(await call('workspace.close', { root })).toEqual({ closed: true });
  });

  it('creates a workspace from a template, opens it and lists it as recent', async () => {
    const dir = path.join(t.base, 'ddp-demo');
    const created = await call('workspace.create', { template: 'pytorch-ddp', dir });
    expect(created.workspace).toEqual({ root: dir, name: 'ddp-demo', hasJobFile: true });
    expect(created.copied).toEqual(expect.arrayContaining(['README.md', 'train.py', 'trainjob.yaml']));
    expect((await call('workspace.recent', {}))[0]).toMatchObject({ path: dir });
    const validation = await call('jobs.validate', { path: dir });
    expect(validation.ok).toBe(true);
    const templates = await call('workspace.templates', {});
    expect(templates.map((x) => x.id)).toEqual(expect.arrayContaining(['python-basic', 'pytorch-ddp', 'sklearn', 'notebook-starter']));
  });

  it('validates unsaved trainjob.yaml text with the same messages jobs.validate gives for the file', async () => {
    t.write('trainjob.yaml', BAD_JOB);
    const typed = await call('workspace.validateJob', { text: BAD_JOB });
    const saved = await call('jobs.validate', { path: t.root });
    expect(typed.ok).toBe(false);
    expect(typed.errors).toEqual(saved.errors);
    expect(typed.errors[0]).toMatchObject({ path: 'spec.trainer.numProcPerNode', line: 10, column: 21 });
    expect(typed.errors[0]!.message).toMatch(/^trainjob\.yaml:10:21 spec\.trainer\.numProcPerNode: expected a whole number ≥ 1/);
    const fixed = await call('workspace.validateJob', { text: BAD_JOB.replace('two', '2') });
    expect(fixed).toMatchObject({ ok: true, errors: [] });
  });

  it('warns about a GPU request exactly when jobs.validate does: for local processes, not for containers', async () => {
    const gpuJob = BAD_JOB.replace('two', '1').replace('numProcPerNode: 1', 'numProcPerNode: 1\n    resourcesPerNode:\n      limits:\n        nvidia.com/gpu: 1');
    t.write('trainjob.yaml', gpuJob);
    for (const backend of ['local-process', 'container'] as const) {
      const typed = await call('workspace.validateJob', { text: gpuJob, backend });
      const saved = await call('jobs.validate', { path: t.root, backend });
      expect(typed.warnings).toEqual(saved.warnings);
      expect(typed.warnings.some((w) => w.path.includes('nvidia.com/gpu'))).toBe(backend === 'local-process');
    }
  });

  it('serves the JSON schema with runtime names, and the run targets with reasons', async () => {
    const { schema, runtimes } = await call('workspace.jobSchema', {});
    expect(runtimes.map((r) => r.name)).toContain('torch-distributed');
    expect(JSON.stringify(schema)).toContain('deepspeed-distributed');
    const targets = await call('workspace.targets', {});
    expect(targets.find((x) => x.backend === 'local-process')).toMatchObject({ available: true, reason: null });
    const kube = targets.find((x) => x.backend === 'kubernetes')!;
    // No kubeconfig and no local cluster here: the kubernetes entry says so.
    expect(kube).toMatchObject({ id: 'local-cluster', available: false });
    // The same sentence jobs.run answers with.
    const run = await engine.dispatch('jobs.run', { path: t.root, backend: 'kubernetes' });
    expect(run).toEqual({ error: { code: 'unavailable', message: kube.reason } });
  });

  it("marks Containers unavailable, with the engine's own sentence, when no engine answers", async () => {
    // The setting picks an engine; one that is not running is reported, never replaced by another.
    await call('settings.update', { containerSocket: path.join(t.base, 'no-engine.sock') });
    const container = (await call('workspace.targets', {})).find((x) => x.backend === 'container')!;
    expect(container.available).toBe(false);
    expect(container.reason).toMatch(/^No Docker or Podman engine answered \(tried .*no-engine\.sock/);
    await call('settings.update', { containerSocket: '' });
  });

  it('writes, detects a conflict, renames and deletes through the API', async () => {
    writeFileSync(path.join(t.root, 'a.py'), 'A = 1\n');
    const { root } = await call('workspace.open', { path: t.root });
    const a = await call('workspace.read', { root, path: 'a.py' });
    writeFileSync(path.join(t.root, 'a.py'), 'A = 2\n');
    const conflict = await engine.dispatch('workspace.write', { root, path: 'a.py', text: 'A = 3\n', etag: a.etag });
    expect(conflict).toMatchObject({ error: { code: 'conflict', details: { path: 'a.py' } } });
    await call('workspace.mkdir', { root, path: 'lib' });
    expect(await call('workspace.rename', { root, from: 'a.py', to: 'lib/a.py' })).toEqual({ from: 'a.py', to: 'lib/a.py' });
    expect(await call('workspace.delete', { root, path: 'lib' })).toEqual({ path: 'lib' });
    expect((await call('workspace.tree', { root })).entries).toEqual([]);
  });
});
