/**
 * Turning venv's and pip's output into errors a user can act on. Pure: the texts are what
 * Python 3.11 / pip 23 print, so the rules are tested without a network or a broken Python.
 */
import { ApiError } from '../../api/api-error.js';
import type { ErrorCode } from '../../api/contract.js';

export type PythonEnvErrorKind =
  | 'bad-requirements'
  | 'interpreter'
  | 'venv-unavailable'
  | 'wheelhouse-missing'
  | 'index-unreachable'
  | 'not-found'
  | 'pip-failed'
  | 'cancelled';

const CODES: Record<PythonEnvErrorKind, ErrorCode> = {
  'bad-requirements': 'bad_request',
  interpreter: 'unavailable',
  'venv-unavailable': 'unavailable',
  'wheelhouse-missing': 'not_found',
  'index-unreachable': 'unavailable',
  'not-found': 'not_found',
  'pip-failed': 'internal',
  cancelled: 'cancelled',
};

export class PythonEnvError extends ApiError {
  constructor(
    readonly kind: PythonEnvErrorKind,
    message: string,
    details?: { requirements?: string[]; output?: string[] },
  ) {
    super(CODES[kind], message, details === undefined ? { kind } : { kind, ...details });
    this.name = 'PythonEnvError';
  }
}

// urllib3/requests wording for "never got an answer from the index" (incl. proxies, DNS, TLS).
const NETWORK = [
  /Failed to establish a new connection: \[Errno -?\d+\] ([^'")]+)/,
  /(Temporary failure in name resolution|Name or service not known|nodename nor servname provided)/,
  /(Network is unreachable|No route to host|Connection refused|Connection reset by peer)/,
  /(ConnectTimeoutError|ReadTimeoutError|Read timed out|ProxyError|SSLError|CERTIFICATE_VERIFY_FAILED)/,
  /Could not fetch URL [^:]+: (.*?)(?: - skipping)?$/,
];

/** Index URLs as pip printed them, with any user:password@ removed (pip masks only the password). */
export function indexUrls(lines: string[]): string[] {
  for (const line of lines) {
    const m = /^Looking in indexes: (.+)$/.exec(line.trim());
    if (m) return m[1]!.split(/,\s*/).map((u) => u.replace(/\/\/[^/@\s]*@/, '//'));
  }
  return [];
}

export type PipFailure =
  | { kind: 'index-unreachable'; reason: string; indexes: string[] }
  | { kind: 'not-found'; requirements: string[]; available: Record<string, string> }
  | { kind: 'other'; summary: string };

/** Why `pip install` failed, from its output lines (stdout and stderr, in order). */
export function classifyPipFailure(lines: string[], offline: boolean): PipFailure {
  if (!offline) {
    for (const line of lines) {
      for (const pattern of NETWORK) {
        const m = pattern.exec(line);
        if (m) return { kind: 'index-unreachable', reason: (m[1] ?? m[0]).trim(), indexes: indexUrls(lines) };
      }
    }
  }
  const missing: string[] = [];
  const available: Record<string, string> = {};
  for (const line of lines) {
    const nf = /No matching distribution found for (.+)$/.exec(line);
    if (nf) missing.push(nf[1]!.trim());
    const versions = /Could not find a version that satisfies the requirement (\S+) \(from versions: ([^)]*)\)/.exec(line);
    if (versions) available[versions[1]!] = versions[2]!.trim();
  }
  if (missing.length) return { kind: 'not-found', requirements: [...new Set(missing)], available };
  const errors = lines.filter((l) => /^ERROR:|error:/i.test(l.trim()));
  return { kind: 'other', summary: (errors.length ? errors : lines.slice(-8)).join('\n').trim() };
}

/** The error for a failed `pip install`, saying what to do about it. */
export function pipError(failure: PipFailure, ctx: { requirements: string[]; names: string[]; wheelhouse?: string | undefined; output: string[] }): PythonEnvError {
  const listed = ctx.requirements.join(', ');
  const details = { requirements: ctx.requirements, output: ctx.output };
  if (failure.kind === 'index-unreachable') {
    const where = failure.indexes.length ? ` (${failure.indexes.join(', ')})` : '';
    return new PythonEnvError(
      'index-unreachable',
      `pip could not reach the package index${where}: ${failure.reason}. It was installing ${listed}. ` +
        `Connect to the network and run the job again; or install offline from a folder of wheels: ` +
        `set KFD_WHEELHOUSE=<dir> (or the Python wheelhouse setting) to a folder holding wheels for ${ctx.names.join(', ')} ` +
        `and their dependencies (\`pip download -d <dir> ${ctx.names.join(' ')}\` on a connected machine); ` +
        `or choose an interpreter that already has these packages (the Python interpreter setting or KFD_PYTHON) ` +
        `and remove the job's requirements.`,
      details,
    );
  }
  if (failure.kind === 'not-found') {
    const from = ctx.wheelhouse ? `in the wheelhouse ${ctx.wheelhouse} (offline install)` : 'on the package index';
    const which = failure.requirements
      .map((r) => {
        const name = r.split(/[\s<>=!~;[]/)[0]!;
        const versions = failure.available[r] ?? failure.available[name];
        return versions && versions !== 'none' ? `${r} (available: ${versions})` : r;
      })
      .join(', ');
    const fix = ctx.wheelhouse
      ? `Add its wheel to ${ctx.wheelhouse} (\`pip download -d ${ctx.wheelhouse} <requirement>\` on a connected machine), or fix the name/version in requirements.txt or the kubeflow-desktop/packages annotation.`
      : 'Check the name and version in requirements.txt or the kubeflow-desktop/packages annotation. ' +
        '(If this machine is offline and pip retries are off, the index may not have been reached: set KFD_WHEELHOUSE=<dir> to a folder of wheels.)';
    return new PythonEnvError('not-found', `No package matches ${which} ${from}. ${fix}`, details);
  }
  return new PythonEnvError('pip-failed', `pip could not install ${listed}:\n${failure.summary}`, details);
}

/** The error for a failed `python -m venv`; Debian ships ensurepip separately (python3-venv). */
export function venvError(basePython: string, output: string[]): PythonEnvError {
  const text = output.join('\n');
  if (/ensurepip is not\s+available|No module named '?ensurepip|No module named venv|python3(\.\d+)?-venv/.test(text)) {
    return new PythonEnvError(
      'venv-unavailable',
      `${basePython} cannot create virtual environments: its venv/ensurepip module is missing. ` +
        `On Debian/Ubuntu run: sudo apt-get install python3-venv — or choose another interpreter (the Python interpreter setting or KFD_PYTHON).`,
      { output },
    );
  }
  const last = output.filter((l) => l.trim()).slice(-5).join('\n');
  return new PythonEnvError('venv-unavailable', `${basePython} -m venv failed:\n${last}`, { output });
}
