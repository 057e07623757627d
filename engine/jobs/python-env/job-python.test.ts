import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonEnvError } from './env-errors.js';
import { envsDirOf, prepareJobPython } from './job-python.js';
import { PACKAGES_ANNOTATION, SYSTEM_SITE_ANNOTATION } from './requirements.js';
import { skipMissingPart } from '../../test-support/real-parts.js';
import { findVenvPython, makeWheel, runPython, tempDir } from './test-support.js';

const { python: BASE, reason } = findVenvPython();
let root = '';
let wheelhouse = '';
const workspace = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(root, 'ws-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
};

describe.sequential('prepareJobPython', { timeout: 90_000 }, () => {
  beforeAll(() => {
    root = tempDir('kfd-jobpy-');
    if (BASE) {
      wheelhouse = path.join(root, 'wheelhouse');
      makeWheel(BASE, wheelhouse, 'kfdtiny', '0.1', 'VALUE = 42\ndef main():\n    print(VALUE)\n');
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('without requirements: the chosen interpreter, not run, no env', async () => {
    const dataDir = path.join(root, 'data-none');
    const r = await prepareJobPython({ settings: {}, env: { PATH: process.env.PATH }, workspace: workspace({ 'train.py': '' }), dataDir });
    expect(r).toMatchObject({ python: 'python3', created: false, envDir: null, description: 'python3 from PATH' });
    const fromSetting = await prepareJobPython({ settings: { pythonPath: '/nowhere/python' }, env: { KFD_PYTHON: '/x' }, workspace: workspace({}), dataDir });
    expect(fromSetting).toMatchObject({ python: '/nowhere/python', description: '/nowhere/python from the pythonPath setting' });
    expect(fs.existsSync(envsDirOf(dataDir))).toBe(false);
  });

  it('requirements.txt + the annotation → a managed env built from KFD_WHEELHOUSE', async (t) => {
    if (!BASE) return skipMissingPart('a Python that can make venvs', reason, t.skip);
    const dataDir = path.join(root, 'data');
    const ws = workspace({ 'requirements.txt': '# offline\nkfdtiny\n' });
    const env = { ...process.env, KFD_PYTHON: BASE, KFD_WHEELHOUSE: wheelhouse };
    const lines: string[] = [];
    const r = await prepareJobPython({ settings: {}, env, workspace: ws, annotations: { [PACKAGES_ANNOTATION]: 'KFDTiny>=0.1' }, dataDir, onProgress: (p) => p.line && lines.push(p.line) });
    expect(r.created).toBe(true);
    expect(r.requirements).toEqual(['kfdtiny', 'kfdtiny>=0.1']);
    expect(r.python.startsWith(fs.realpathSync(envsDirOf(dataDir)))).toBe(true);
    expect(r.description).toMatch(new RegExp(`^managed environment ${r.envKey} \\(kfdtiny\\) on ${BASE} from KFD_PYTHON \\(Python 3\\.\\d+\\.\\d+\\)$`));
    expect(runPython(r.python, 'import kfdtiny; print(kfdtiny.VALUE)')).toBe('42');
    expect(lines.some((l) => l.includes('Successfully installed kfdtiny'))).toBe(true);
    const again = await prepareJobPython({ settings: {}, env, workspace: ws, annotations: { [PACKAGES_ANNOTATION]: 'kfdtiny >= 0.1' }, dataDir });
    expect(again).toMatchObject({ created: false, python: r.python });
  });

  it('rejects invalid requirements and annotations before running anything', async () => {
    const dataDir = path.join(root, 'data-bad');
    const ws = workspace({ 'requirements.txt': 'numpy\n--extra-index-url https://example.com/simple\n' });
    const err = (await prepareJobPython({ settings: {}, env: {}, workspace: ws, annotations: { [SYSTEM_SITE_ANNOTATION]: 'maybe' }, dataDir }).catch((e: unknown) => e)) as PythonEnvError;
    expect(err).toBeInstanceOf(PythonEnvError);
    expect(err.kind).toBe('bad-requirements');
    expect(err.message).toMatch(/requirements\.txt:2: "--extra-index-url" is a pip option/);
    expect(err.message).toContain(`${SYSTEM_SITE_ANNOTATION}: "maybe" is not a yes/no value`);
    expect(fs.existsSync(envsDirOf(dataDir))).toBe(false);
  });

  it('names the interpreter and where it came from when it does not exist', async () => {
    const ws = workspace({ 'requirements.txt': 'kfdtiny\n' });
    const err = (await prepareJobPython({ settings: {}, env: { KFD_PYTHON: '/nowhere/python3' }, workspace: ws, dataDir: root }).catch((e: unknown) => e)) as PythonEnvError;
    expect(err.kind).toBe('interpreter');
    expect(err.message).toBe(
      'Python interpreter /nowhere/python3 (KFD_PYTHON) does not exist or is not executable. Set the Python interpreter setting (pythonPath) or KFD_PYTHON to a python3 that runs.',
    );
  });
});
