import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../probe.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir, requirePart } from '../test-support/fake-bin.js';
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
    if (!systemReady) requirePart(t.skip, SYSTEM_REASON);
    const r = await run({ env: process.env, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^Using \/usr\/bin\/python3, Python 3\.\d+\.\d+: jupyter_server \S+, ipykernel \S+, torch \S+\./);
    expect(r.fix).toBe('');
  });

  it('uses a configured interpreter that lacks the modules, naming them and the one that works', async (t) => {
    if (!systemReady) requirePart(t.skip, SYSTEM_REASON);
    const onPath = await findOnPath('python3', process.env);
    if (!onPath || imports(onPath)) return t.skip('the python3 on PATH already has the modules (no pyenv build here)');
    const r = await run({ env: process.env, settings: { ...DEFAULT_TEST_SETTINGS, pythonPath: onPath } });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('cannot import jupyter_server, ipykernel, torch.');
    expect(r.fix).toContain('Set the Python interpreter setting (pythonPath) to /usr/bin/python3');
    expect(r.fix).toContain('-m pip install jupyter_server ipykernel torch');
  });

  it('falls back to discovery when the configured interpreter does not exist, and says so', async (t) => {
    if (!systemReady) requirePart(t.skip, SYSTEM_REASON);
    const missing = `${tmp.dir}/no-such-python`;
    const r = await run({ env: { PATH: tmp.dir }, settings: { ...DEFAULT_TEST_SETTINGS, pythonPath: missing } });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain(`pythonPath setting ${missing} does not run (not found). Using /usr/bin/python3`);
    expect(r.detail).toContain('python3 on PATH (python3): not on PATH');
    expect(r.fix).toBe('Set the Python interpreter setting (pythonPath) to /usr/bin/python3, or clear it to discover one');
  });
});
