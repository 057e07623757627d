/**
 * Real interpreters, real venvs, real pip, offline: packages come from wheels built here.
 * Timings (create vs reuse) are printed for the report.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonEnvError } from './env-errors.js';
import { skipMissingPart } from '../../test-support/real-parts.js';
import { findVenvPython, makeWheel, processesMentioning, runPython, tempDir } from './test-support.js';
import { ensureEnv, READY_FILE, type EnvProgress } from './venv-manager.js';

const { python: BASE, reason } = findVenvPython();
let root = '';
let wheelhouse = '';
let envsDir = '';

// Each env build is a venv (~2.5 s here) plus pip.
describe.sequential('ensureEnv (real venv + pip)', { timeout: 90_000 }, () => {
  beforeAll(() => {
    if (!BASE) return;
    root = tempDir('kfd-pyenv-');
    wheelhouse = path.join(root, 'wheelhouse');
    envsDir = path.join(root, 'envs');
    makeWheel(BASE, wheelhouse, 'kfdtiny', '0.1', 'VALUE = 42\ndef main():\n    print("kfdtiny says", VALUE)\n');
  });
  afterAll(() => {
    if (root && !process.env.KFD_KEEP_TEST_DIRS) fs.rmSync(root, { recursive: true, force: true });
  });
  const requireBase = (t: { skip: (note?: string) => void }): string => {
    if (!BASE) skipMissingPart('a Python that can make venvs', reason, t.skip);
    return BASE!;
  };
  const entries = () => (fs.existsSync(envsDir) ? fs.readdirSync(envsDir).sort() : []);

  it('uses the base interpreter as-is when there is nothing to install', async (t) => {
    const base = requireBase(t);
    const events: EnvProgress[] = [];
    const r = await ensureEnv({ basePython: base, requirements: [' ', ''], envsDir, onProgress: (e) => events.push(e) });
    expect(r).toEqual({ python: base, created: false, envDir: null, envKey: null, requirements: [] });
    expect(fs.existsSync(envsDir)).toBe(false);
    expect(events).toEqual([]);
  });

  it('builds an env from an offline wheelhouse once, then reuses it without pip', async (t) => {
    const base = requireBase(t);
    const events: EnvProgress[] = [];
    let started = performance.now();
    const first = await ensureEnv({ basePython: base, requirements: ['KFDTiny'], wheelhouse, envsDir, onProgress: (e) => events.push(e) });
    const createMs = performance.now() - started;
    expect(first.created).toBe(true);
    expect(first.envDir).toBe(path.join(fs.realpathSync(envsDir), first.envKey!));
    expect(first.python).toBe(path.join(first.envDir!, 'bin', 'python'));
    expect(runPython(first.python, 'import kfdtiny, sys; print(kfdtiny.VALUE, sys.prefix != sys.base_prefix)')).toBe('42 True');
    // The console script was written in the temp dir; its shebang must follow the rename.
    expect(execFileSync(path.join(first.envDir!, 'bin', 'kfdtiny'), { encoding: 'utf8' }).trim()).toBe('kfdtiny says 42');
    expect(fs.existsSync(path.join(first.envDir!, READY_FILE))).toBe(true);
    expect(entries()).toEqual([first.envKey]); // no temp dir, no lock left behind

    expect(events.map((e) => e.step)).toContain('venv');
    expect(events.find((e) => e.step === 'pip' && !e.line)?.message).toBe(`Installing kfdtiny from the wheelhouse ${wheelhouse} (offline).`);
    expect(events.some((e) => e.step === 'pip' && /Successfully installed kfdtiny-0\.1/.test(e.line ?? ''))).toBe(true);
    expect(events.at(-1)).toMatchObject({ step: 'done', message: expect.stringMatching(/^Python environment [0-9a-f]{16} ready/) });

    const again: EnvProgress[] = [];
    started = performance.now();
    const second = await ensureEnv({ basePython: base, requirements: ['kfdtiny'], wheelhouse, envsDir, onProgress: (e) => again.push(e) });
    const reuseMs = performance.now() - started;
    expect(second).toEqual({ ...first, created: false });
    expect(again).toEqual([{ step: 'done', message: `Using the Python environment ${first.envKey} (kfdtiny).` }]);
    console.log(`[timing] env create ${createMs.toFixed(0)} ms, reuse ${reuseMs.toFixed(0)} ms`);
    expect(reuseMs).toBeLessThan(createMs / 4);
  });

  it('with --system-site-packages the env also sees the base interpreter\'s packages', async (t) => {
    const base = requireBase(t);
    try {
      runPython(base, 'import yaml');
    } catch {
      return skipMissingPart('python3-yaml', `${base} has no yaml module (sudo apt-get install python3-yaml)`, t.skip);
    }
    const plain = await ensureEnv({ basePython: base, requirements: ['kfdtiny'], wheelhouse, envsDir });
    const shared = await ensureEnv({ basePython: base, requirements: ['kfdtiny'], systemSitePackages: true, wheelhouse, envsDir });
    expect(shared.envKey).not.toBe(plain.envKey);
    expect(runPython(shared.python, 'import yaml, kfdtiny; print(kfdtiny.VALUE)')).toBe('42');
    expect(() => runPython(plain.python, 'import yaml')).toThrow(/No module named 'yaml'/);
  });

  it('says clearly when the package index cannot be reached', async (t) => {
    const base = requireBase(t);
    const before = entries();
    // Nothing listens on port 9; one retry keeps the test quick (pip's default is 5).
    const env: NodeJS.ProcessEnv = { ...process.env, PIP_INDEX_URL: 'http://127.0.0.1:9/simple', PIP_RETRIES: '1' };
    delete env.PIP_FIND_LINKS;
    const err = await ensureEnv({ basePython: base, requirements: ['kfd-not-anywhere>=1'], envsDir, env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PythonEnvError);
    const e = err as PythonEnvError;
    expect(e.kind).toBe('index-unreachable');
    expect(e.message).toMatch(/^pip could not reach the package index \(http:\/\/127\.0\.0\.1:9\/simple\): Connection refused\. It was installing kfd-not-anywhere>=1\./);
    expect(e.message).toContain('KFD_WHEELHOUSE=<dir>');
    expect(entries()).toEqual(before); // the failed build left nothing
  });

  it('names a requirement the wheelhouse does not have', async (t) => {
    const base = requireBase(t);
    const err = (await ensureEnv({ basePython: base, requirements: ['kfdtiny==9'], wheelhouse, envsDir }).catch((e: unknown) => e)) as PythonEnvError;
    expect(err.kind).toBe('not-found');
    expect(err.message).toMatch(/^No package matches kfdtiny==9 \(available: 0\.1\) in the wheelhouse /);
  });

  it('builds once when two jobs need the same env at the same time', async (t) => {
    const base = requireBase(t);
    const installs: number[] = [];
    const call = (i: number) =>
      ensureEnv({ basePython: base, requirements: ['kfdtiny>=0.1'], wheelhouse, envsDir, onProgress: (e) => e.step === 'pip' && !e.line && installs.push(i) });
    const [a, b] = await Promise.all([call(1), call(2)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.python).toBe(b.python);
    expect(installs).toHaveLength(1);
  });

  it('cancelling kills pip and leaves no temp dir, env or lock', async (t) => {
    const base = requireBase(t);
    const before = entries();
    const controller = new AbortController();
    const err = (await ensureEnv({
      basePython: base,
      requirements: ['kfdtiny', 'kfd-cancel-me'],
      wheelhouse,
      envsDir,
      signal: controller.signal,
      onProgress: (e) => e.step === 'pip' && e.line && controller.abort(),
    }).catch((e: unknown) => e)) as PythonEnvError;
    expect(err.kind).toBe('cancelled');
    expect(err.code).toBe('cancelled');
    expect(entries()).toEqual(before);
    expect(processesMentioning(path.join(fs.realpathSync(envsDir), '.tmp-'))).toEqual([]);
  });
});
