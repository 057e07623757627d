/**
 * Which interpreter runs the Jupyter server, and what to tell the user when none can. Pure: the
 * rules are tested without interpreters.
 * 1. An explicit choice (pythonPath setting, KFD_PYTHON) that has jupyter_server + ipykernel.
 * 2. Otherwise the first candidate, in discovery order, that has both.
 * 3. Otherwise none: a guide with the apt command, the pip command for the first Python that
 *    runs, and (when one runs) the one-click managed install.
 */
import type { JupyterPython } from '../api/schemas/notebooks.js';

export interface JupyterCandidate {
  source: string;
  command: string;
  explicit: boolean;
}

export type JupyterReport = JupyterPython & { explicit: boolean };

export const hasJupyter = (r: JupyterPython): boolean => !r.problem && r.jupyterServer !== null && r.ipykernel !== null;

export function chooseJupyterPython(reports: readonly JupyterReport[]): JupyterReport | null {
  return reports.find((r) => r.explicit && hasJupyter(r)) ?? reports.find(hasJupyter) ?? null;
}

export function missingOf(r: JupyterPython): string[] {
  const missing: string[] = [];
  if (r.jupyterServer === null) missing.push('jupyter_server');
  if (r.ipykernel === null) missing.push('ipykernel');
  return missing;
}

export interface GuideContext {
  platform: NodeJS.Platform;
  /** apt-get exists (Debian/Ubuntu). */
  hasApt: boolean;
}

export function installGuide(reports: readonly JupyterReport[], ctx: GuideContext) {
  const running = reports.filter((r) => !r.problem);
  const commands: string[] = [];
  if (ctx.hasApt) commands.push('sudo apt-get install python3-jupyter-server python3-ipykernel');
  const target = running.find((r) => r.explicit) ?? running[0];
  if (target) {
    const missing = missingOf(target);
    commands.push(`${target.executable || target.command} -m pip install ${(missing.length ? missing : ['jupyter_server', 'ipykernel']).join(' ')}`);
  } else {
    commands.push(ctx.platform === 'darwin' ? 'brew install python' : 'install Python 3 (https://www.python.org/downloads/)');
  }
  return { commands, canInstallManaged: running.length > 0 };
}

/** "No Python here has jupyter_server and ipykernel (checked: …)" — names what was found. */
export function describeMissing(reports: readonly JupyterReport[]): string {
  const running = reports.filter((r) => !r.problem);
  if (running.length === 0) return 'No Python 3 interpreter runs on this machine, so notebooks cannot start a Jupyter server.';
  const seen = running
    .slice(0, 4)
    .map((r) => `${r.executable || r.command} (no ${missingOf(r).join(', no ')})`)
    .join('; ');
  return `No Python here has both jupyter_server and ipykernel, which notebooks need. Checked: ${seen}${running.length > 4 ? '; …' : ''}.`;
}
