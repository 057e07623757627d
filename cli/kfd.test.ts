/** The real `kfd` binary as a user runs it (bin/kfd.mjs through tsx), in a temp data dir. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const kfd = path.resolve(import.meta.dirname, '..', 'bin', 'kfd.mjs');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kfd-cli-'));
const env = { ...process.env, KFD_DATA_DIR: dataDir, NO_COLOR: '1' };

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function kfdRun(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [kfd, ...args], { env: { ...env, ...extraEnv } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('kfd command line', () => {
  it('--help lists the commands', async () => {
    const { code, stdout } = await kfdRun(['--help']);
    expect(code).toBe(0);
    for (const cmd of ['serve', 'doctor', 'version', 'targets', 'promote']) expect(stdout).toContain(cmd);
  });

  it('version prints the package version, also as JSON', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
    expect((await kfdRun(['version'])).stdout).toContain(`kubeflow-desktop ${pkg.version}`);
    expect(JSON.parse((await kfdRun(['version', '--json'])).stdout)).toMatchObject({ name: 'kubeflow-desktop', version: pkg.version });
  });

  it('an unknown command or a bad port fails with a message that says what to do', async () => {
    const unknown = await kfdRun(['frobnicate']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badPort = await kfdRun(['serve', '--port', 'eighty']);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain('"eighty" is not a port number');
  });

  it('serve prints its URL with the token from KFD_TOKEN, answers on it, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [kfd, 'serve', '--port', '0'], { env: { ...env, KFD_TOKEN: 'cli-test-token' } });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^Kubeflow Desktop listening on (http:\/\/127\.0\.0\.1:\d+\/)\?token=cli-test-token$/m.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
    });
    const res = await fetch(`${url}api/version`, { headers: { Authorization: 'Bearer cli-test-token' } });
    expect(await res.json()).toMatchObject({ name: 'kubeflow-desktop' });
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
