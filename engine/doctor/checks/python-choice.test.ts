import { describe, expect, it } from 'vitest';
import { choosePython, type PythonReport } from './python-choice.js';

const FULL = { jupyter_server: '1.23.3', ipykernel: '6.17.0', torch: '1.13.0a0' };
const NONE = { jupyter_server: null, ipykernel: null, torch: null };

function report(over: Partial<PythonReport>): PythonReport {
  return { source: 'x', command: 'x', explicit: false, problem: '', version: '3.11.2', executable: '', modules: {}, importErrors: {}, ...over };
}
const system = report({ source: '/usr/bin/python3', command: '/usr/bin/python3', executable: '/usr/bin/python3', modules: FULL });
const pyenv = report({ source: 'python3 on PATH', command: 'python3', executable: '/root/.pyenv/versions/3.11.7/bin/python3', version: '3.11.7', modules: NONE });

describe('choosePython', () => {
  it('prefers the candidate that has every module, and lists them all', () => {
    const r = choosePython([pyenv, system]);
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^Using \/usr\/bin\/python3, Python 3\.11\.2: jupyter_server 1\.23\.3, ipykernel 6\.17\.0, torch 1\.13\.0a0\./);
    expect(r.detail).toContain('python3 on PATH (/root/.pyenv/versions/3.11.7/bin/python3): Python 3.11.7, no jupyter_server, no ipykernel, no torch');
  });

  it('uses an explicit choice as-is, and points to the candidate that would work', () => {
    const explicit = { ...pyenv, source: 'pythonPath setting', command: pyenv.executable, explicit: true };
    const r = choosePython([explicit, system]);
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('cannot import jupyter_server, ipykernel, torch');
    expect(r.fix).toBe(
      'Set the Python interpreter setting (pythonPath) to /usr/bin/python3, or sudo apt-get install python3-jupyter-server ' +
        'python3-ipykernel python3-torch (Debian/Ubuntu), or /root/.pyenv/versions/3.11.7/bin/python3 -m pip install jupyter_server ipykernel torch',
    );
  });

  it('names exactly the missing modules in the apt and pip fixes', () => {
    const partial = report({ source: '/usr/bin/python3', executable: '/usr/bin/python3', modules: { ...FULL, torch: null } });
    const r = choosePython([partial, { ...pyenv, problem: 'not on PATH' }]);
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('cannot import torch.');
    expect(r.fix).toBe('sudo apt-get install python3-torch (Debian/Ubuntu), or /usr/bin/python3 -m pip install torch');
  });

  it('shows why an import failed when the module is there but broken', () => {
    const broken = report({ ...system, modules: { ...FULL, torch: null }, importErrors: { torch: 'OSError: libtorch.so missing' } });
    expect(choosePython([broken]).detail).toContain('torch FAILED (OSError: libtorch.so missing)');
  });

  it('is missing when no candidate runs', () => {
    const r = choosePython([{ ...system, problem: 'not found' }, { ...pyenv, problem: 'not on PATH' }]);
    expect(r.status).toBe('missing');
    expect(r.detail).toContain('/usr/bin/python3 (/usr/bin/python3): not found');
    expect(r.fix).toBe('sudo apt-get install python3 python3-jupyter-server python3-ipykernel python3-torch (Debian/Ubuntu)');
  });

  it('warns about an explicit choice that does not run even when discovery works', () => {
    const bad = report({ source: 'KFD_PYTHON', command: '/opt/py/bin/python', explicit: true, problem: 'not found' });
    const r = choosePython([bad, system]);
    expect(r.status).toBe('warning');
    expect(r.detail).toMatch(/^KFD_PYTHON \/opt\/py\/bin\/python does not run \(not found\)\. Using \/usr\/bin\/python3/);
    expect(r.fix).toBe('Unset KFD_PYTHON or set it to /usr/bin/python3');
  });
});
