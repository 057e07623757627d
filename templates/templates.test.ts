/**
 * Every template is a valid TrainJob workspace that really runs. python-basic runs with any
 * python3; the PyTorch DDP and scikit-learn templates need an interpreter with torch and
 * scikit-learn (Debian's /usr/bin/python3 here): skipped with a reason locally, a failure in CI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processEnvs } from '../engine/jobs/trainjob/env-contract.js';
import { parseTrainJob } from '../engine/jobs/trainjob/parse-trainjob.js';
import { unsupportedFields } from '../engine/jobs/trainjob/backend-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const templates = readdirSync(here).filter((name) => statSync(path.join(here, name)).isDirectory() && existsSync(path.join(here, name, 'trainjob.yaml')));

function run(python: string, dir: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['train.py'], { cwd: dir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A python3 that imports torch and sklearn, or the reason there is none. */
function mlPython(): { python?: string; reason?: string } {
  for (const python of [process.env.KFD_TEST_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p)) {
    const probe = spawnSync(python, ['-c', 'import torch, sklearn'], { encoding: 'utf8' });
    if (probe.status === 0) return { python };
  }
  return { reason: 'no python3 with torch and scikit-learn (set KFD_TEST_PYTHON)' };
}
const ml = mlPython();
const needsMl = ml.python || process.env.CI === 'true' ? it : it.skip;
if (!ml.python && process.env.CI !== 'true') console.log(`templates: skipping the torch/sklearn runs: ${ml.reason}`);

describe('templates', () => {
  it('includes python-basic, pytorch-ddp and sklearn', () => {
    expect(templates).toEqual(expect.arrayContaining(['python-basic', 'pytorch-ddp', 'sklearn']));
  });

  it.each(templates)('%s: trainjob.yaml is a valid TrainJob the cluster takes without warnings', (name) => {
    const dir = path.join(here, name);
    const result = parseTrainJob(readFileSync(path.join(dir, 'trainjob.yaml'), 'utf8'), `${name}/trainjob.yaml`);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    expect(result.warnings).toEqual([]);
    expect(unsupportedFields(result.job, 'kubernetes')).toEqual([]);
    expect(result.job.spec.runtimeRef.name).toBe('torch-distributed');
    expect(result.job.spec.trainer?.command).toEqual(['python3', 'train.py']);
    expect(result.job.spec.trainer?.image).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+:[\w.-]+$/); // no registry host
    expect(existsSync(path.join(dir, 'train.py'))).toBe(true);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('kfd run .');
  });

  it('python-basic runs and prints the env contract and its progress', async () => {
    const [env] = processEnvs({ numNodes: 1, numProcPerNode: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: 29500 });
    const started = Date.now();
    const { code, stdout, stderr } = await run('python3', path.join(here, 'python-basic'), env);
    expect(code, stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stdout).toContain('rank=0 world_size=1 local_rank=0 node_rank=0 master=127.0.0.1:29500');
    const losses = [...stdout.matchAll(/^step=(\d+) loss=([\d.]+)$/gm)].map((m) => Number(m[2]));
    expect(losses).toHaveLength(20);
    expect(losses[19]!).toBeLessThan(losses[0]! / 10);
  });

  needsMl('pytorch-ddp: two ranks started with the env contract all-reduce to the same parameters', async () => {
    expect(ml.python, ml.reason).toBeDefined();
    const masterPort = await freePort();
    const envs = processEnvs({ numNodes: 1, numProcPerNode: 2, nodeRank: 0, masterAddr: '127.0.0.1', masterPort, runId: 'templates-test' });
    const started = Date.now();
    const ranks = await Promise.all(envs.map((env) => run(ml.python!, path.join(here, 'pytorch-ddp'), env)));
    console.log(`pytorch-ddp 1x2 took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const r of ranks) expect(r.code, r.stderr).toBe(0);
    const checksums = ranks.map((r) => /param_checksum=(-?[\d.]+)/.exec(r.stdout)?.[1]);
    expect(checksums[0]).toMatch(/^-?\d+\.\d{6}$/);
    expect(checksums[1]).toBe(checksums[0]);
    const accs = [...ranks[0]!.stdout.matchAll(/^epoch=\d+ step=\d+ val_loss=[\d.]+ val_acc=([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(accs.at(-1)!).toBeGreaterThan(0.85);
    expect(ranks[0]!.stdout).toMatch(/^step=10 loss=[\d.]+ acc=[\d.]+$/m);
    expect(ranks[1]!.stdout).not.toMatch(/^step=/m); // metrics come from rank 0 only
  }, 60_000);

  needsMl('sklearn: trains on the bundled digits and saves model.joblib', async () => {
    expect(ml.python, ml.reason).toBeDefined();
    const out = mkdtempSync(path.join(tmpdir(), 'kfd-template-sklearn-'));
    const { code, stdout, stderr } = await run(ml.python!, path.join(here, 'sklearn'), { MODEL_DIR: out });
    expect(code, stderr).toBe(0);
    expect(existsSync(path.join(out, 'model.joblib'))).toBe(true);
    expect(existsSync(path.join(here, 'sklearn', 'model.joblib'))).toBe(false); // MODEL_DIR is honoured
    rmSync(out, { recursive: true, force: true });
    const accuracies = [...stdout.matchAll(/^step=\d+ loss=[\d.]+ accuracy=([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(accuracies.length).toBeGreaterThanOrEqual(5);
    expect(accuracies.at(-1)!).toBeGreaterThan(0.9);
  }, 60_000);
});
