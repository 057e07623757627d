import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFailure, findOnPath, probe } from './probe.js';
import { makeTempDir, writeHangingBinary, writeScript } from './test-support/fake-bin.js';
import { readFile } from 'node:fs/promises';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('findOnPath', () => {
  it('searches only the PATH it is given', async () => {
    expect(await findOnPath('node', { PATH: tmp.dir })).toBeNull();
    expect(await findOnPath('node', process.env)).toMatch(/\/node$/);
  });

  it('takes a name with a slash as a path and ignores non-executable files', async () => {
    const script = await writeScript(tmp.dir, 'tool', 'exit 0');
    expect(await findOnPath(script, {})).toBe(script);
    expect(await findOnPath('/nonexistent/tool', {})).toBeNull();
    expect(await findOnPath(tmp.dir, {})).toBeNull(); // a directory is not a binary
  });
});

describe('probe', () => {
  it('runs a real binary without a shell and captures its output', async () => {
    const r = await probe('node', ['-e', 'process.stdout.write("out; $HOME"); process.stderr.write("err"); process.exit(3)'], {
      env: process.env,
    });
    expect(r).toMatchObject({ found: true, exitCode: 3, stdout: 'out; $HOME', stderr: 'err', timedOut: false });
    expect(describeFailure('node', r)).toContain('exited 3: err');
  });

  it('reports a binary that is not on PATH as not found', async () => {
    const r = await probe('kubectl', ['version'], { env: { PATH: tmp.dir } });
    expect(r).toMatchObject({ found: false, exitCode: null, path: '' });
  });

  it('kills a hung binary at its time limit, with nothing left running', async () => {
    const { pidFile } = await writeHangingBinary(tmp.dir, 'hang');
    const started = Date.now();
    const r = await probe('hang', [], { env: { PATH: tmp.dir }, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r).toMatchObject({ found: true, timedOut: true, exitCode: null });
    expect(describeFailure('hang', r)).toContain('did not answer in time');
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(alive(pid)).toBe(false);
  });

  it('stops when its AbortSignal fires', async () => {
    await writeHangingBinary(tmp.dir, 'hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await probe('hang', [], { env: { PATH: tmp.dir }, timeoutMs: 60_000, signal: controller.signal });
    expect(r.timedOut).toBe(true);
  });
});
