/**
 * Finds interpreters that could run Jupyter: the explicit choices, the active venv/conda env,
 * PATH, the system Python (Debian's packaged jupyter_server lives only there), venvs and conda
 * envs in their usual places, and the app's managed job environments. Each distinct file is
 * probed once (one subprocess printing JSON; importlib.util.find_spec, so nothing is imported).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, probe } from '../doctor/probe.js';
import type { JupyterCandidate, JupyterReport } from './jupyter-choice.js';

export interface CandidateContext {
  env: NodeJS.ProcessEnv;
  home: string;
  platform: NodeJS.Platform;
  pythonPath: string;
  /** `<dataDir>/python-envs`: the managed job environments (and the one-click Jupyter env). */
  managedEnvsDir: string;
  /** Folder names inside `dir` (empty when it does not exist); injected for tests. */
  listDirs?: (dir: string) => string[];
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Candidates in the order they are preferred; duplicates (same file) are removed after probing paths. */
export function jupyterCandidates(ctx: CandidateContext): JupyterCandidate[] {
  const ls = ctx.listDirs ?? subdirs;
  const win = ctx.platform === 'win32';
  const bin = (prefix: string) => (win ? path.join(prefix, 'python.exe') : path.join(prefix, 'bin', 'python'));
  const venvBin = (prefix: string) => (win ? path.join(prefix, 'Scripts', 'python.exe') : path.join(prefix, 'bin', 'python'));
  const list: JupyterCandidate[] = [];
  const add = (source: string, command: string, explicit = false) => list.push({ source, command, explicit });

  if (ctx.pythonPath) add('pythonPath setting', ctx.pythonPath, true);
  if (ctx.env.KFD_PYTHON) add('KFD_PYTHON', ctx.env.KFD_PYTHON, true);
  if (ctx.env.VIRTUAL_ENV) add('active venv (VIRTUAL_ENV)', venvBin(ctx.env.VIRTUAL_ENV));
  if (ctx.env.CONDA_PREFIX) add('active conda env (CONDA_PREFIX)', bin(ctx.env.CONDA_PREFIX));
  add('python3 on PATH', 'python3');
  add('python on PATH', 'python');
  if (!win) {
    add('/usr/bin/python3', '/usr/bin/python3');
    add('/usr/local/bin/python3', '/usr/local/bin/python3');
    if (ctx.platform === 'darwin') add('/opt/homebrew/bin/python3', '/opt/homebrew/bin/python3');
  }
  for (const name of ['.venv', 'venv', '.virtualenvs/jupyter']) add(`~/${name}`, venvBin(path.join(ctx.home, name)));
  for (const name of ls(path.join(ctx.home, '.virtualenvs'))) add(`virtualenv ${name}`, venvBin(path.join(ctx.home, '.virtualenvs', name)));
  const condaRoots = ['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge', 'micromamba'].map((n) => path.join(ctx.home, n));
  if (!win) condaRoots.push('/opt/conda', '/opt/miniconda3', '/opt/anaconda3');
  for (const root of condaRoots) {
    add(`conda base ${root}`, bin(root));
    for (const env of ls(path.join(root, 'envs'))) add(`conda env ${env}`, bin(path.join(root, 'envs', env)));
  }
  for (const key of ls(ctx.managedEnvsDir)) add(`managed env ${key.slice(0, 12)}`, venvBin(path.join(ctx.managedEnvsDir, key)));
  return list;
}

// The last stdout line is our JSON (sitecustomize may print).
const PROBE_SCRIPT = `
import importlib.util, json, sys
def version(mod):
    try:
        if importlib.util.find_spec(mod) is None:
            return None
    except Exception:
        return None
    try:
        from importlib.metadata import version as v
        return v(mod)
    except Exception:
        return ""
print()
print(json.dumps({"version": sys.version.split()[0], "executable": sys.executable, "jupyter_server": version("jupyter_server"), "ipykernel": version("ipykernel")}))
`;

async function probeOne(c: JupyterCandidate, env: NodeJS.ProcessEnv, found: string): Promise<JupyterReport> {
  const report: JupyterReport = { source: c.source, command: c.command, explicit: c.explicit, executable: found, version: '', jupyterServer: null, ipykernel: null, problem: '' };
  const r = await probe(found, ['-c', PROBE_SCRIPT], { env, timeoutMs: 20_000 });
  if (r.exitCode !== 0) {
    report.problem = r.timedOut ? 'timed out' : (r.stderr.trim().split('\n').pop() ?? `exit code ${r.exitCode}`).slice(0, 200) || `exit code ${r.exitCode}`;
    return report;
  }
  try {
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, string | null>;
    report.version = String(parsed.version ?? '');
    report.executable = String(parsed.executable || found);
    report.jupyterServer = parsed.jupyter_server ?? null;
    report.ipykernel = parsed.ipykernel ?? null;
  } catch {
    report.problem = 'printed no report (is it Python 3?)';
  }
  return report;
}

/** Probes every distinct existing candidate (4 at a time); missing ones are left out, explicit ones reported. */
export async function discoverJupyterPythons(candidates: JupyterCandidate[], env: NodeJS.ProcessEnv): Promise<JupyterReport[]> {
  const seen = new Set<string>();
  const todo: { c: JupyterCandidate; found: string }[] = [];
  const reports: JupyterReport[] = [];
  for (const c of candidates) {
    const found = await findOnPath(c.command, env);
    if (!found) {
      if (c.explicit) {
        reports.push({ source: c.source, command: c.command, explicit: true, executable: '', version: '', jupyterServer: null, ipykernel: null, problem: 'not found' });
      }
      continue;
    }
    // Exact path only: a venv's python is a symlink to its base but has its own site-packages.
    if (seen.has(found)) continue;
    seen.add(found);
    todo.push({ c, found });
  }
  const results: JupyterReport[] = new Array(todo.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(4, todo.length) }, async () => {
      while (next < todo.length) {
        const i = next++;
        results[i] = await probeOne(todo[i]!.c, env, todo[i]!.found);
      }
    }),
  );
  // Two names for one interpreter (python3 on PATH = /usr/bin/python3): keep the first.
  const byExe = new Set(reports.map((r) => r.executable));
  for (const r of results) {
    if (!r.problem && byExe.has(r.executable)) continue;
    byExe.add(r.executable);
    reports.push(r);
  }
  return reports;
}
