import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseJupyterPython } from './jupyter-choice.js';
import { discoverJupyterPythons, jupyterCandidates } from './python-discovery.js';
import { requireJupyter } from './test-support.js';

describe('jupyterCandidates', () => {
  it('looks in the usual places, explicit choices and active envs first', () => {
    const dirs: Record<string, string[]> = {
      '/home/u/.virtualenvs': ['ml'],
      '/home/u/miniconda3/envs': ['torch'],
      '/data/python-envs': ['3f2a9c0d1e2b3f4a5b6c'],
    };
    const list = jupyterCandidates({
      env: { KFD_PYTHON: '/opt/py/bin/python3', VIRTUAL_ENV: '/work/.venv', CONDA_PREFIX: '/home/u/miniconda3/envs/torch' },
      home: '/home/u',
      platform: 'linux',
      pythonPath: '/custom/python',
      managedEnvsDir: '/data/python-envs',
      listDirs: (dir) => dirs[dir] ?? [],
    });
    const commands = list.map((c) => c.command);
    expect(list.slice(0, 4)).toEqual([
      { source: 'pythonPath setting', command: '/custom/python', explicit: true },
      { source: 'KFD_PYTHON', command: '/opt/py/bin/python3', explicit: true },
      { source: 'active venv (VIRTUAL_ENV)', command: '/work/.venv/bin/python', explicit: false },
      { source: 'active conda env (CONDA_PREFIX)', command: '/home/u/miniconda3/envs/torch/bin/python', explicit: false },
    ]);
    expect(commands.indexOf('python3')).toBeLessThan(commands.indexOf('/usr/bin/python3'));
    expect(commands).toContain('/home/u/.venv/bin/python');
    expect(commands).toContain('/home/u/.virtualenvs/ml/bin/python');
    expect(commands).toContain('/home/u/miniconda3/bin/python');
    expect(commands).toContain('/opt/conda/bin/python');
    expect(commands.at(-1)).toBe(path.join('/data/python-envs', '3f2a9c0d1e2b3f4a5b6c', 'bin', 'python'));
  });
});

describe.runIf(requireJupyter())('discovery on this machine', () => {
  it('finds an interpreter with Jupyter without being told (Debian\'s /usr/bin/python3 here), even when python3 on PATH lacks it', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir() };
    const reports = await discoverJupyterPythons(
      jupyterCandidates({ env, home: os.homedir(), platform: process.platform, pythonPath: '', managedEnvsDir: '/nonexistent' }),
      env,
    );
    const chosen = chooseJupyterPython(reports);
    expect(chosen?.jupyterServer).toMatch(/^\d/);
    expect(chosen?.ipykernel).toMatch(/^\d/);
    expect(reports.some((r) => r.executable === '/usr/bin/python3' && r.jupyterServer)).toBe(true);
    // Each interpreter is listed once, however many names lead to it.
    const exes = reports.map((r) => r.executable);
    expect(new Set(exes).size).toBe(exes.length);
  }, 60_000);
});
