import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../probe.js';
import path from 'node:path';
import { skipMissingPart } from '../../test-support/real-parts.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir } from '../test-support/fake-bin.js';
import { pythonCandidates, run } from './python.js';

// Real interpreters: Debian's /usr/bin/python3 has jupyter_server, ipykernel and torch here
// (python3-jupyter-server, python3-ipykernel, python3-torch); CI installs the same.
function imports(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import jupyter_server, ipykernel, torch'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
const systemReady = imports('/usr/bin/python3');
const SYSTEM_REASON = '/usr/bin/python3 cannot import jupyter_server, ipykernel, torch (sudo apt-get install python3-jupyter-server python3-ipykernel python3-torch)';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('pythonCandidates', () => {
  it('tries the setting, KFD_PYTHON, /usr/bin/python3, then python3 on PATH', () => {
    const list = pythonCandidates({ ...DEFAULT_TEST_SETTINGS, pythonPath: '/a/python' }, { KFD_PYTHON: '/b/python' });
    expect(list.map((c) => c.command)).toEqual(['/a/python', '/b/python', '/usr/bin/python3', 'python3']);
    expect(list.map((c) => c.explicit)).toEqual([true, true, false, false]);
  });
});

describe('python check', () => {
  it('finds the interpreter that has the modules and says which it used', async (t) => {
    if (!systemReady) return skipMissingPart('Python with Jupyter and torch', SYSTEM_REASON, t.skip);
    const r = await run({ env: process.env, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^Using \/usr\/bin\/python3, Python 3\.\d+\.\d+: jupyter_server \S+, ipykernel \S+, torch \S+\./);
    expect(r.fix).toBe('');
  });

  it('uses a configured interpreter that lacks the modules, naming them and the one that works', async (t) => {
    if (!systemReady) return skipMissingPart('Python with Jupyter and torch', SYSTEM_REASON, t.skip);
    // A python3 first on PATH without the modules (like a pyenv build): a bare venv of Debian's.
    const venv = path.join(tmp.dir, 'venv');
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv], { stdio: 'ignore', timeout: 60_000 });
    const env = { ...process.env, PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    const onPath = await findOnPath('python3', env);
    expect(onPath).toBe(path.join(venv, 'bin', 'python3'));
    expect(imports(onPath!)).toBe(false);
    const r = await run({ env, settings: { ...DEFAULT_TEST_SETTINGS, pythonPath: onPath! } });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('cannot import jupyter_server, ipykernel, torch.');
    expect(r.fix).toContain('Set the Python interpreter setting (pythonPath) to /usr/bin/python3');
    expect(r.fix).toContain('-m pip install jupyter_server ipykernel torch');
  });

  it('falls back to discovery when the configured interpreter does not exist, and says so', async (t) => {
    if (!systemReady) return skipMissingPart('Python with Jupyter and torch', SYSTEM_REASON, t.skip);
    const missing = `${tmp.dir}/no-such-python`;
    const r = await run({ env: { PATH: tmp.dir }, settings: { ...DEFAULT_TEST_SETTINGS, pythonPath: missing } });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain(`pythonPath setting ${missing} does not run (not found). Using /usr/bin/python3`);
    expect(r.detail).toContain('python3 on PATH (python3): not on PATH');
    expect(r.fix).toBe('Set the Python interpreter setting (pythonPath) to /usr/bin/python3, or clear it to discover one');
  });
});
