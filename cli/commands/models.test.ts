/**
 * `kfd models …` as a user runs it (bin/kfd.mjs): register from the sklearn template's job,
 * list and show, then `serve` — prints the V2 base URL and stays up until Ctrl+C (it stops the
 * server) or until `kfd models stop` from another terminal.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findVenvPython } from '../../engine/jobs/python-env/test-support.js';
import { kfd, KFD_BIN, kfdEnv } from '../../engine/jobs/test-support/kfd-cli.js';
import { requirePart, tempDir } from '../../engine/jobs/test-support/parts.js';
import { REPO_ROOT } from '../../engine/jobs/test-support/workspaces.js';
import { modelsEnv, shareServingEnvs } from '../../engine/models/test-support/models-parts.js';
import { reportMissingPart } from '../../engine/test-support/real-parts.js';
import { registerCommand } from './models.js';

function errors(): { deps: Parameters<typeof registerCommand>[1]; err: string[] } {
  const err: string[] = [];
  const deps = { dispatch: async () => ({ result: null }), subscribe: () => () => undefined, stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) } };
  return { deps, err };
}

describe('kfd models register: where the model is', () => {
  it('needs --job with --path, or --uri, not both', async () => {
    for (const [opts, message] of [
      [{ job: 'j', uri: '/x' }, /either --job <id> --path <file-or-dir> or --uri <file-or-dir>, not both/],
      [{ job: 'j' }, /--job needs --path/],
      [{}, /Say where the model is/],
    ] as const) {
      const { deps, err } = errors();
      expect(await registerCommand({ name: 'm', format: 'sklearn', ...opts }, deps)).toBe(1);
      expect(err.join('')).toMatch(message);
    }
  });
});

const venv = findVenvPython();
const ready = requirePart('scikit-learn + joblib', 'import sklearn, joblib') && (venv.python ? true : reportMissingPart('python3-venv', venv.reason));

/** `kfd models serve …` in the background: resolves with the URL it prints, and its exit. */
function serveInBackground(dataDir: string, args: string[]) {
  const child = spawn(process.execPath, [KFD_BIN, 'models', 'serve', ...args], { env: { ...modelsEnv(), ...kfdEnv(dataDir) }, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`kfd models serve exited ${code} before printing a URL:\n${stderr}`));
    });
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe.runIf(ready)('kfd models (real CLI, real server)', () => {
  it('register --job --path, models, show; serve prints the V2 URL and stays up until Ctrl+C or kfd models stop', async () => {
    const dataDir = path.join(tempDir('cli-models'), 'kfd');
    shareServingEnvs(dataDir);
    const ws = tempDir('cli-ws');
    fs.cpSync(path.join(REPO_ROOT, 'templates', 'sklearn'), ws, { recursive: true });
    const run = await kfd(dataDir, ['run', ws, '--follow'], 120_000);
    expect(run.code, run.stderr).toBe(0);
    const jobId = /as (\S+) \(/.exec(run.stderr)![1]!;

    const reg = await kfd(dataDir, ['models', 'register', '--name', 'digits', '--job', jobId, '--path', 'model.joblib', '--format', 'sklearn']);
    expect(reg.code, reg.stderr).toBe(0);
    expect(reg.stdout).toBe('digits:v1\n');
    expect((await kfd(dataDir, ['models'])).stdout).toMatch(/^NAME\s+VERSIONS\s+LATEST\s+SERVING\s+UPDATED\ndigits\s+1\s+v1\s+-/);
    const listed = JSON.parse((await kfd(dataDir, ['models', '--json'])).stdout) as { name: string }[];
    expect(listed.map((m) => m.name)).toEqual(['digits']);
    const show = await kfd(dataDir, ['models', 'show', 'digits:v1']);
    expect(show.stdout).toContain(`from      job ${jobId}`);
    expect(show.stdout).toMatch(/metric\.accuracy\s+0\.9\d+/);
    expect(JSON.parse((await kfd(dataDir, ['models', 'show', 'digits:v1', '--json'])).stdout)).toMatchObject({ name: 'v1', jobId });

    // Ctrl+C stops the server and exits 0.
    const first = serveInBackground(dataDir, ['digits:v1']);
    const url = await first.url;
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    expect(first.output().stderr).toMatch(/Ready: .*\/v2\/models\/digits-v1 \(metadata\)/);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    await expect(fetch(`${url}/v2/health/ready`)).rejects.toThrow();

    // `kfd models stop` from another terminal ends it too, and the serving command exits 0.
    const port = 40000 + Math.floor(Math.random() * 20000);
    const second = serveInBackground(dataDir, ['digits', '--port', String(port)]);
    expect(await second.url).toBe(`http://127.0.0.1:${port}`);
    const stop = await kfd(dataDir, ['models', 'stop', 'digits:v1']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(await second.exited).toBe(0);
    expect(second.output().stderr).toMatch(/digits:v1 Stopped/);
  }, 900_000);
});
