import { describe, expect, it } from 'vitest';
import { chooseJupyterPython, describeMissing, installGuide, type JupyterReport } from './jupyter-choice.js';

const report = (over: Partial<JupyterReport>): JupyterReport => ({
  source: 'python3 on PATH',
  command: 'python3',
  executable: '/usr/bin/python3',
  version: '3.11.2',
  jupyterServer: null,
  ipykernel: null,
  problem: '',
  explicit: false,
  ...over,
});

describe('chooseJupyterPython', () => {
  it('prefers an explicit interpreter that has both modules, else the first that does', () => {
    const pyenv = report({ executable: '/root/.pyenv/versions/3.11.7/bin/python3' });
    const debian = report({ source: '/usr/bin/python3', jupyterServer: '1.23.3', ipykernel: '6.17.0' });
    const explicit = report({ source: 'KFD_PYTHON', explicit: true, executable: '/opt/env/bin/python', jupyterServer: '2.0', ipykernel: '6' });
    expect(chooseJupyterPython([pyenv, debian])).toBe(debian);
    expect(chooseJupyterPython([pyenv, debian, explicit])).toBe(explicit);
    // An explicit one without ipykernel does not block a complete one found later.
    expect(chooseJupyterPython([{ ...explicit, ipykernel: null }, debian])).toBe(debian);
    expect(chooseJupyterPython([pyenv, { ...debian, problem: 'exit code 1' }])).toBeNull();
  });
});

describe('installGuide', () => {
  it('gives the apt command on Debian and pip for the interpreter found, naming what is missing', () => {
    const only = report({ jupyterServer: '1.0' });
    expect(installGuide([only], { platform: 'linux', hasApt: true })).toEqual({
      commands: ['sudo apt-get install python3-jupyter-server python3-ipykernel', '/usr/bin/python3 -m pip install ipykernel'],
      canInstallManaged: true,
    });
    expect(installGuide([], { platform: 'darwin', hasApt: false })).toEqual({ commands: ['brew install python'], canInstallManaged: false });
  });

  it('describes what it checked', () => {
    expect(describeMissing([report({})])).toBe(
      'No Python here has both jupyter_server and ipykernel, which notebooks need. Checked: /usr/bin/python3 (no jupyter_server, no ipykernel).',
    );
    expect(describeMissing([report({ problem: 'not found' })])).toMatch(/No Python 3 interpreter runs/);
  });
});
