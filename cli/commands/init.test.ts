/** `kfd init` through the real binary (bin/kfd.mjs), in temp folders. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const kfd = path.resolve(import.meta.dirname, '..', '..', 'bin', 'kfd.mjs');
const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'kfd-init-')));
const env = { ...process.env, KFD_DATA_DIR: path.join(base, 'data'), NO_COLOR: '1' };

afterAll(() => rmSync(base, { recursive: true, force: true }));

async function kfdRun(args: string[], cwd = base) {
  try {
    const { stdout, stderr } = await run(process.execPath, [kfd, ...args], { env, cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('kfd init', () => {
  it('creates a workspace from a template and says what to do next', async () => {
    const { code, stdout, stderr } = await kfdRun(['init', '--template', 'pytorch-ddp', 'ddp-exp']);
    expect(code, stderr).toBe(0);
    const dir = path.join(base, 'ddp-exp');
    for (const f of ['README.md', 'train.py', 'trainjob.yaml']) {
      expect(existsSync(path.join(dir, f))).toBe(true);
      expect(stdout).toContain(`created ${path.join(dir, f)}`);
    }
    expect(readFileSync(path.join(dir, 'trainjob.yaml'), 'utf8')).toContain('name: ddp-exp');
    expect(stderr).toContain('Created ddp-exp from pytorch-ddp. Next: `cd ddp-exp && kfd run . --follow`');
  }, 60_000);

  it('says `cd` with the folder as the user gave it, not a path relative to where kfd runs', async () => {
    const cwd = path.join(base, 'deep', 'down');
    mkdirSync(cwd, { recursive: true });
    const absolute = path.join(base, 'elsewhere', 'abs-exp');
    const abs = await kfdRun(['init', absolute], cwd);
    expect(abs.code, abs.stderr).toBe(0);
    expect(abs.stderr).toContain(`Next: \`cd ${absolute} && kfd run . --follow\``);
    const spaced = await kfdRun(['init', "../my exp's"], cwd);
    expect(spaced.code, spaced.stderr).toBe(0);
    expect(existsSync(path.join(base, 'deep', "my exp's", 'train.py'))).toBe(true);
    expect(spaced.stderr).toContain(`Next: \`cd '../my exp'\\''s' && kfd run . --follow\``);
  }, 60_000);

  it('uses python-basic by default, and refuses a non-empty folder unless --force (which keeps existing files)', async () => {
    const dir = path.join(base, 'mine');
    expect((await kfdRun(['init', dir])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'train.py'), 'utf8')).toContain('Anscombe');
    writeFileSync(path.join(dir, 'train.py'), 'print("mine")\n');
    const again = await kfdRun(['init', '--template', 'sklearn', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty .*--force/);
    const forced = await kfdRun(['init', '--template', 'sklearn', '--force', dir]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`kept    ${path.join(dir, 'train.py')} (already there)`);
    expect(readFileSync(path.join(dir, 'train.py'), 'utf8')).toBe('print("mine")\n');
  }, 60_000);

  it('lists templates, and names them when the template or folder is wrong', async () => {
    const list = await kfdRun(['init', '--list']);
    expect(list.code).toBe(0);
    for (const id of ['python-basic', 'pytorch-ddp', 'sklearn', 'notebook-starter']) expect(list.stdout).toContain(id);
    const unknown = await kfdRun(['init', '--template', 'tensorflow', 'tf']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no template "tensorflow". Templates: python-basic, pytorch-ddp/);
    const noDir = await kfdRun(['init']);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('give the folder to create');
  }, 60_000);
});
