/**
 * Which Python the app should use, decided from what each candidate reported. Pure, so the
 * rules are tested without interpreters. The rules:
 * 1. An explicit choice (the pythonPath setting, then KFD_PYTHON) that runs is used as-is:
 *    the user asked for it. If it lacks modules we say which other candidate has them.
 * 2. Otherwise the first candidate that has every required module.
 * 3. Otherwise the first candidate that runs at all (warning, naming the missing modules).
 */
import type { CheckOutcome } from '../check.js';

export const REQUIRED_MODULES = ['jupyter_server', 'ipykernel', 'torch'] as const;
const DEBIAN_PACKAGE: Record<string, string> = {
  jupyter_server: 'python3-jupyter-server',
  ipykernel: 'python3-ipykernel',
  torch: 'python3-torch',
};

export interface PythonCandidate {
  /** Where it came from: "pythonPath setting", "KFD_PYTHON", "/usr/bin/python3", "python3 on PATH". */
  source: string;
  /** What we ran: a path, or a name looked up on PATH. */
  command: string;
  explicit: boolean;
}

export interface PythonReport extends PythonCandidate {
  /** Why it did not run (not found, exit code, timeout); '' when it ran. */
  problem: string;
  version: string;
  /** sys.executable: the real interpreter behind shims (pyenv) and symlinks. */
  executable: string;
  /** module → version ('' if it has no __version__), or null when the import failed. */
  modules: Record<string, string | null>;
  /** module → import error text, for imports that failed other than "not installed". */
  importErrors: Record<string, string>;
}

export function missingModules(r: PythonReport): string[] {
  return REQUIRED_MODULES.filter((m) => typeof r.modules[m] !== 'string');
}

/** "python3 on PATH (/root/.pyenv/.../python3)", or just "/usr/bin/python3" when they agree. */
function label(r: PythonReport): string {
  const exe = r.executable || r.command;
  return exe === r.source ? exe : `${r.source} (${exe})`;
}

function describeCandidate(r: PythonReport): string {
  if (r.problem) return `${r.source} (${r.command}): ${r.problem}`;
  const modules = REQUIRED_MODULES.map((m) => {
    const v = r.modules[m];
    if (typeof v === 'string') return v ? `${m} ${v}` : m;
    return r.importErrors[m] ? `${m} FAILED (${r.importErrors[m]})` : `no ${m}`;
  });
  return `${label(r)}: Python ${r.version}, ${modules.join(', ')}`;
}

function installFix(chosen: PythonReport, missing: string[]): string {
  const apt = missing.map((m) => DEBIAN_PACKAGE[m]).join(' ');
  return `sudo apt-get install ${apt} (Debian/Ubuntu), or ${chosen.executable || chosen.command} -m pip install ${missing.join(' ')}`;
}

export function choosePython(reports: PythonReport[]): CheckOutcome {
  const listing = `Candidates:\n${reports.map((r) => `  ${describeCandidate(r)}`).join('\n')}`;
  const running = reports.filter((r) => !r.problem);
  const complete = running.filter((r) => missingModules(r).length === 0);
  if (running.length === 0) {
    return {
      status: 'missing',
      detail: `No Python interpreter runs.\n${listing}`,
      fix: `sudo apt-get install python3 ${REQUIRED_MODULES.map((m) => DEBIAN_PACKAGE[m]).join(' ')} (Debian/Ubuntu)`,
    };
  }
  const chosen = running.find((r) => r.explicit) ?? complete[0] ?? running[0]!;
  const used = `Using ${label(chosen)}, Python ${chosen.version}`;
  const missing = missingModules(chosen);
  if (missing.length > 0) {
    const better = complete.find((r) => r !== chosen);
    return {
      status: 'warning',
      detail: `${used}, which cannot import ${missing.join(', ')}.\n${listing}`,
      fix: better
        ? `Set the Python interpreter setting (pythonPath) to ${better.executable || better.command}, or ${installFix(chosen, missing)}`
        : installFix(chosen, missing),
    };
  }
  const versions = REQUIRED_MODULES.map((m) => `${m} ${chosen.modules[m] || '(version unknown)'}`).join(', ');
  const brokenExplicit = reports.find((r) => r.explicit && r.problem);
  if (brokenExplicit) {
    return {
      status: 'warning',
      detail: `${brokenExplicit.source} ${brokenExplicit.command} does not run (${brokenExplicit.problem}). ${used}: ${versions}.\n${listing}`,
      fix:
        brokenExplicit.source === 'KFD_PYTHON'
          ? `Unset KFD_PYTHON or set it to ${chosen.executable || chosen.command}`
          : `Set the Python interpreter setting (pythonPath) to ${chosen.executable || chosen.command}, or clear it to discover one`,
    };
  }
  return { status: 'ok', detail: `${used}: ${versions}.\n${listing}`, fix: '' };
}
