/**
 * The Python that runs jobs and notebooks, and whether it imports jupyter_server, ipykernel and
 * torch. Every candidate is probed concurrently with one subprocess each that prints JSON.
 */
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext, CheckOutcome } from '../check.js';
import { describeFailure, findOnPath, probe } from '../probe.js';
import { choosePython, REQUIRED_MODULES, type PythonCandidate, type PythonReport } from './python-choice.js';
import type { Settings } from '../../api/contract.js';

export const id = 'python';
export const title = 'Python';
// importing torch takes about a second here; several candidates, a busy machine: be generous.
export const timeoutMs = 30_000;
const PROBE_TIMEOUT_MS = 25_000;

// The last stdout line is our JSON (a module may print on import).
const PROBE_SCRIPT = `
import importlib, json, sys
mods, errs = {}, {}
for name in ${JSON.stringify(REQUIRED_MODULES)}:
    try:
        mod = importlib.import_module(name)
        mods[name] = str(getattr(mod, "__version__", ""))
    except ModuleNotFoundError:
        mods[name] = None
    except BaseException as e:
        mods[name] = None
        errs[name] = (type(e).__name__ + ": " + str(e))[:200]
print()
print(json.dumps({"version": sys.version.split()[0], "executable": sys.executable, "modules": mods, "errors": errs}))
`;

export function pythonCandidates(settings: Settings, env: NodeJS.ProcessEnv): PythonCandidate[] {
  const list: PythonCandidate[] = [];
  if (settings.pythonPath) list.push({ source: 'pythonPath setting', command: settings.pythonPath, explicit: true });
  if (env.KFD_PYTHON) list.push({ source: 'KFD_PYTHON', command: env.KFD_PYTHON, explicit: true });
  // Debian's packaged modules live only in the system interpreter; a pyenv python3 on PATH
  // does not see them, so the system one is tried before PATH.
  list.push({ source: '/usr/bin/python3', command: '/usr/bin/python3', explicit: false });
  list.push({ source: 'python3 on PATH', command: 'python3', explicit: false });
  return list;
}

async function inspect(c: PythonCandidate, ctx: CheckContext): Promise<PythonReport> {
  const report: PythonReport = { ...c, problem: '', version: '', executable: '', modules: {}, importErrors: {} };
  const r = await probe(c.command, ['-c', PROBE_SCRIPT], { env: ctx.env, signal: ctx.signal, timeoutMs: PROBE_TIMEOUT_MS });
  if (!r.found) {
    report.problem = c.command.includes('/') ? 'not found' : 'not on PATH';
    return report;
  }
  if (r.exitCode !== 0) {
    report.problem = describeFailure(path.basename(c.command), r);
    return report;
  }
  try {
    const lines = r.stdout.trim().split('\n');
    const parsed = JSON.parse(lines[lines.length - 1] ?? '') as {
      version: string;
      executable: string;
      modules: Record<string, string | null>;
      errors: Record<string, string>;
    };
    return { ...report, version: parsed.version, executable: parsed.executable || r.path, modules: parsed.modules, importErrors: parsed.errors };
  } catch {
    report.problem = `printed no module report (is it Python 3?): ${r.stdout.trim().slice(0, 120)}`;
    return report;
  }
}

/**
 * Which Python a path is: the file it resolves to — except in a virtualenv, whose python is a
 * symlink to its base interpreter but a different Python (its own site-packages, pyvenv.cfg).
 */
async function pythonIdentity(found: string): Promise<string> {
  for (const dir of [path.dirname(found), path.dirname(path.dirname(found))]) {
    if (await access(path.join(dir, 'pyvenv.cfg')).then(() => true, () => false)) return `venv:${dir}`;
  }
  return realpath(found).catch(() => found);
}

/** Candidates that are the same Python (python3 on PATH is often /usr/bin/python3) are probed once. */
async function dedupe(candidates: PythonCandidate[], env: NodeJS.ProcessEnv): Promise<PythonCandidate[]> {
  const seen = new Set<string>();
  const out: PythonCandidate[] = [];
  for (const c of candidates) {
    const found = await findOnPath(c.command, env);
    const resolved = found ? await pythonIdentity(found) : `unresolved:${c.command}`;
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    out.push(c);
  }
  return out;
}

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const candidates = await dedupe(pythonCandidates(ctx.settings, ctx.env), ctx.env);
  const reports = await Promise.all(candidates.map((c) => inspect(c, ctx)));
  return choosePython(reports);
}
