/**
 * fake-kind, fake-kubectl and fake-docker: stand-ins for a kind cluster's success path, which
 * cannot run on these machines (no kind node image can be pulled, no GPU exists). Each is a
 * small Node script put on PATH that records every call (argv + stdin) as a JSON line in
 * calls.jsonl, and answers the way the real tool does for the calls a create makes:
 *   fake-kind    prints kind v0.30's real status lines (fixtures/fake-kind-create-success.txt),
 *                writes the kubeconfig, remembers the cluster (FAKE_KIND_MODE=hang|fail changes that)
 *   fake-kubectl succeeds applies and waits, answers `get nodes` with the GPU nodes'
 *                allocatable nvidia.com/gpu, and can fail the first N applies with the webhook
 *                race's real error text (FAKE_KUBECTL_RACES=N)
 *   fake-docker  stands for the node containers kind would have made: `ps` lists them, `exec`/`cp`
 *                succeed, `image inspect` knows the images listed in images.txt, `info` is a GPU host's
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FakeCall {
  tool: string;
  args: string[];
  stdin: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const SUCCESS_STDERR = path.join(here, '..', 'fixtures', 'fake-kind-create-success.txt');
export const FAILED_STDERR = path.join(here, '..', 'fixtures', 'fake-kind-create-control-plane-failed.txt');
const GPU_DOCKER_INFO = path.join(here, '..', 'diagnostics', 'fixtures', 'fake-docker-info-nvidia.json');

/** kube-apiserver's answer while a webhook's Service has no endpoints yet (the race right after an install). */
export const WEBHOOK_RACE_ERROR =
  'Error from server (InternalError): Internal error occurred: failed calling webhook "validator.clustertrainingruntime.trainer.kubeflow.org": failed to call webhook: Post "https://kubeflow-trainer-controller-manager.kubeflow-system.svc:443/validate-trainer-kubeflow-org-v1alpha1-clustertrainingruntime?timeout=10s": no endpoints available for service "kubeflow-trainer-controller-manager"';

const COMMON = `
const fs = require('node:fs');
const path = require('node:path');
const dir = __DIR__;
const args = process.argv.slice(2);
let stdin = '';
try { if (!process.stdin.isTTY) stdin = fs.readFileSync(0, 'utf8'); } catch {}
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ tool: TOOL, args, stdin }) + '\\n');
const state = (f, d) => { try { return fs.readFileSync(path.join(dir, f), 'utf8'); } catch { return d; } };
const lines = (f) => state(f, '').split('\\n').filter(Boolean);
const flag = (n) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
`;

const KIND = `
const name = flag('--name') || 'kind';
if (args[0] === 'version') { console.log('kind v0.30.0 go1.24.6 linux/amd64'); process.exit(0); }
if (args[0] === 'get' && args[1] === 'clusters') { const c = lines('clusters'); if (!c.length) console.error('No kind clusters found.'); else console.log(c.join('\\n')); process.exit(0); }
if (args[0] === 'get' && args[1] === 'kubeconfig') { process.stdout.write(state('kubeconfig-' + name, '')); process.exit(0); }
if (args[0] === 'create') {
  const mode = process.env.FAKE_KIND_MODE || 'ok';
  const out = fs.readFileSync(mode === 'fail' ? __FAILED__ : __SUCCESS__, 'utf8').replaceAll('"kfd"', JSON.stringify(name)).replaceAll('kind-kfd', 'kind-' + name).split('\\n');
  fs.appendFileSync(path.join(dir, 'clusters'), name + '\\n');
  for (const [i, l] of out.entries()) {
    process.stderr.write(l + '\\n');
    if (mode === 'hang' && i === 4) { fs.writeFileSync(path.join(dir, 'kind.pid'), String(process.pid)); setInterval(() => {}, 1000); return; }
    sleep(5);
  }
  if (mode === 'fail') process.exit(1);
  const kc = 'apiVersion: v1\\nkind: Config\\nclusters:\\n- name: kind-' + name + '\\n  cluster: {server: "https://127.0.0.1:6443"}\\ncontexts:\\n- name: kind-' + name + '\\n  context: {cluster: kind-' + name + ', user: kind-' + name + '}\\nusers:\\n- name: kind-' + name + '\\n  user: {token: fake}\\ncurrent-context: kind-' + name + '\\n';
  fs.writeFileSync(flag('--kubeconfig'), kc, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'kubeconfig-' + name), kc);
  process.exit(0);
}
if (args[0] === 'delete') { fs.writeFileSync(path.join(dir, 'clusters'), lines('clusters').filter((c) => c !== name).map((c) => c + '\\n').join('')); console.error('Deleting cluster "' + name + '" ...'); process.exit(0); }
if (args[0] === 'export' && args[1] === 'logs') { fs.mkdirSync(args[2], { recursive: true }); fs.writeFileSync(path.join(args[2], 'kind-version.txt'), 'kind v0.30.0'); console.log('Exported logs for cluster "' + name + '" to:\\n' + args[2]); process.exit(0); }
if (args[0] === 'load') process.exit(0);
console.error('fake-kind: unexpected call'); process.exit(2);
`;

const KUBECTL = `
const a = args.filter((x, i) => !(x === '--kubeconfig' || args[i - 1] === '--kubeconfig'));
if (a[0] === 'version') { console.log(JSON.stringify({ clientVersion: { gitVersion: 'v1.34.0' } })); process.exit(0); }
if (a[0] === 'apply') {
  const races = Number(process.env.FAKE_KUBECTL_RACES || 0);
  const n = Number(state('applies', '0')) + 1;
  fs.writeFileSync(path.join(dir, 'applies'), String(n));
  if (n <= races) { console.error(__RACE__); process.exit(1); }
  process.exit(0);
}
if (a[0] === 'wait') process.exit(0);
if (a[0] === 'get' && a[1] === 'nodes') {
  const gpu = (process.env.FAKE_GPU_NODES || '').split(',').filter(Boolean);
  const names = lines('nodes');
  console.log(JSON.stringify({ items: names.map((n) => ({ metadata: { name: n }, status: { allocatable: gpu.includes(n) ? { 'nvidia.com/gpu': '1' } : {} } })) }));
  process.exit(0);
}
console.error('fake-kubectl: unexpected call'); process.exit(2);
`;

const DOCKER = `
if (args[0] === 'info') { process.stdout.write(fs.readFileSync(__INFO__, 'utf8')); process.exit(0); }
if (args[0] === 'image' && args[1] === 'inspect') {
  const ref = args[args.length - 1];
  if (lines('images.txt').includes(ref)) { console.log('sha256:' + Buffer.from(ref).toString('hex').slice(0, 64).padEnd(64, '0')); process.exit(0); }
  console.error('Error: No such image: ' + ref); process.exit(1);
}
if (args[0] === 'ps') {
  const label = (flag('--filter') || '').split('=').pop();
  if (lines('clusters').includes(label)) console.log(lines('nodes').filter((n) => n.startsWith(label + '-')).map((n) => n + '\\trunning\\t' + (n.endsWith('control-plane') ? 'control-plane' : 'worker')).join('\\n'));
  process.exit(0);
}
if (args[0] === 'exec' || args[0] === 'cp') process.exit(0);
console.error('fake-docker: unexpected call'); process.exit(2);
`;

export interface FakeTools {
  dir: string;
  /** PATH with the fakes first, then the real PATH (for sh, node, ...). */
  env: NodeJS.ProcessEnv;
  calls(): FakeCall[];
  /** The node containers fake-docker lists once fake-kind created the cluster. */
  setNodes(names: string[]): void;
  setImages(refs: string[]): void;
}

export function createFakeTools(dir: string, only: ('kind' | 'kubectl' | 'docker')[] = ['kind', 'kubectl', 'docker']): FakeTools {
  mkdirSync(dir, { recursive: true });
  const write = (tool: string, body: string) => {
    const file = path.join(dir, tool);
    const src = (COMMON + body)
      .replace('__DIR__', JSON.stringify(dir))
      .replace(/\bTOOL\b/g, JSON.stringify(`fake-${tool}`))
      .replace('__FAILED__', JSON.stringify(FAILED_STDERR))
      .replace('__SUCCESS__', JSON.stringify(SUCCESS_STDERR))
      .replace('__RACE__', JSON.stringify(WEBHOOK_RACE_ERROR))
      .replace('__INFO__', JSON.stringify(GPU_DOCKER_INFO));
    const text = `#!${process.execPath}\n${src}`;
    writeFileSync(file, text);
    chmodSync(file, 0o755);
  };
  if (only.includes('kind')) write('kind', KIND);
  if (only.includes('kubectl')) write('kubectl', KUBECTL);
  if (only.includes('docker')) write('docker', DOCKER);
  return {
    dir,
    env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    calls: () => {
      try {
        return readFileSync(path.join(dir, 'calls.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall);
      } catch {
        return [];
      }
    },
    setNodes: (names) => writeFileSync(path.join(dir, 'nodes'), names.map((n) => `${n}\n`).join('')),
    setImages: (refs) => writeFileSync(path.join(dir, 'images.txt'), refs.map((n) => `${n}\n`).join('')),
  };
}
