/**
 * What a job asks pip for, from `requirements.txt` and the `kubeflow-desktop/packages`
 * annotation, normalised so that the same set of packages always maps to the same managed
 * environment (`envKey`). Pure: no I/O.
 *
 * Decision on pip options inside requirements.txt: they are rejected, with the line and what
 * to do instead. `-r`/`-c` would pull in text the hash never sees; `-e` and local paths install
 * code that changes under the same key; index options belong in the environment (PIP_INDEX_URL,
 * pip.conf) so credentials stay out of files we copy and out of command lines. Only the
 * per-requirement `--hash=` option is kept (pip-compile writes it).
 */
import { createHash } from 'node:crypto';

export const PACKAGES_ANNOTATION = 'kubeflow-desktop/packages';
export const SYSTEM_SITE_ANNOTATION = 'kubeflow-desktop/system-site-packages';
/** Bump when the environment layout or the key's inputs change: old envs are then ignored. */
const KEY_FORMAT = 'kfd-venv-1';

export interface RequirementIssue {
  /** "requirements.txt" or the annotation's name. */
  source: string;
  /** 1-based; absent for annotations. */
  line?: number;
  message: string;
}

export interface Requirement {
  /** PEP 503 name: lower-case, runs of `-_.` folded to `-`. */
  name: string;
  /** The normalised line written to the env's requirements file and hashed. */
  line: string;
}

export interface RequirementSet {
  /** Sorted, de-duplicated normalised lines. Empty → use the chosen interpreter as-is. */
  requirements: string[];
  /** Sorted distinct package names, for messages. */
  names: string[];
  issues: RequirementIssue[];
}

/** PEP 503 name normalisation. */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/;
const VERSION_CLAUSE = /^(?:===|==|!=|~=|<=|>=|<|>)[A-Za-z0-9.*+!_-]+$/;
const OPERATOR_START = /^[<>=!~]/;

function optionAdvice(option: string): string {
  if (/^(-r|--requirement|-c|--constraint)\b/.test(option)) return 'copy the referenced requirements into this file instead (the environment is keyed on this file alone)';
  if (/^(-e|--editable)\b/.test(option)) return 'editable installs are not supported; the workspace is the job\'s working directory, so its own modules import without installing';
  if (/^(-i|--index-url|--extra-index-url|-f|--find-links|--no-index|--trusted-host)\b/.test(option)) {
    return 'set the index in the environment instead (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, pip.conf), which keeps credentials out of files and command lines; for a folder of wheels set KFD_WHEELHOUSE';
  }
  return 'set pip options in the environment instead (PIP_<OPTION>=..., or pip.conf)';
}

/**
 * One requirement (no comments, continuations already joined) → its normalised line, or why
 * it is not accepted.
 */
export function normaliseRequirement(text: string): Requirement | { error: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) {
    const option = trimmed.split(/[\s=]/)[0]!;
    return { error: `"${option}" is a pip option, not a package: ${optionAdvice(option)}.` };
  }
  // Per-requirement options follow the specifier: only --hash is kept.
  const optAt = trimmed.search(/\s--?[A-Za-z]/);
  const spec = optAt < 0 ? trimmed : trimmed.slice(0, optAt);
  const hashes: string[] = [];
  if (optAt >= 0) {
    const tokens = trimmed.slice(optAt).trim().split(/\s+/);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const value = t === '--hash' ? tokens[++i] : t.startsWith('--hash=') ? t.slice('--hash='.length) : undefined;
      if (!value || !/^[a-z0-9]+:[0-9a-fA-F]+$/.test(value)) {
        return { error: `"${t}" after a requirement is not supported (only --hash=<algorithm>:<digest> is).` };
      }
      hashes.push(`--hash=${value.toLowerCase()}`);
    }
  }
  const m = NAME.exec(spec);
  if (!m) {
    return {
      error: `"${spec}" is not a package requirement (local paths and bare URLs are not supported: put the wheel in a wheelhouse folder, set KFD_WHEELHOUSE, and list the package by name).`,
    };
  }
  const name = normaliseName(m[1]!);
  const extras = m[2]
    ? `[${[...new Set(m[2].slice(1, -1).split(',').map((e) => normaliseName(e.trim())).filter(Boolean))].sort().join(',')}]`
    : '';
  let rest = m[3]!.trim();
  let marker = '';
  if (rest.startsWith('@')) {
    // Direct reference: "name @ url ; marker". The URL may use ${VAR}, which pip expands.
    const [url, ...markerParts] = rest.slice(1).split(/\s;\s*|;\s+/);
    if (!url?.trim()) return { error: `"${spec}" has "@" but no URL after it.` };
    marker = markerParts.join('; ').replace(/\s+/g, ' ').trim();
    rest = ` @ ${url.trim()}`;
  } else {
    const semi = rest.indexOf(';');
    if (semi >= 0) {
      marker = rest.slice(semi + 1).replace(/\s+/g, ' ').trim();
      rest = rest.slice(0, semi);
    }
    rest = rest.replace(/\s+/g, '');
    if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1);
    if (rest && !rest.split(',').every((c) => VERSION_CLAUSE.test(c))) {
      return { error: `"${spec}" is not a valid requirement: after the name "${m[1]}" expected versions like ==1.2 or >=1.0,<2.` };
    }
  }
  const line = `${name}${extras}${rest}${marker ? `; ${marker}` : ''}${hashes.length ? ` ${[...new Set(hashes)].sort().join(' ')}` : ''}`;
  return { name, line };
}

/** requirements.txt text → requirements, with pip's comment and line-continuation rules. */
export function parseRequirementsTxt(text: string, source = 'requirements.txt'): { requirements: Requirement[]; issues: RequirementIssue[] } {
  const requirements: Requirement[] = [];
  const issues: RequirementIssue[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!;
    // pip: a comment starts at "#" at the line start or after whitespace (URL fragments stay).
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (!content) continue;
    const r = normaliseRequirement(content);
    if ('error' in r) issues.push({ source, line: start, message: r.error });
    else requirements.push(r);
  }
  return { requirements, issues };
}

/**
 * The annotation's value: specifiers separated by commas or whitespace. A comma or space also
 * appears inside one specifier ("numpy >= 1.2, <2", "pkg[a, b]"), so a token that starts with a
 * version operator, or follows one that ends with it, belongs to the previous specifier.
 */
export function parsePackagesAnnotation(value: string, source = PACKAGES_ANNOTATION): { requirements: Requirement[]; issues: RequirementIssue[] } {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
      if (current) tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (current) tokens.push(current);
  const specs: string[] = [];
  for (const token of tokens) {
    const prev = specs[specs.length - 1];
    if (prev !== undefined && /[<>=!~]$/.test(prev)) specs[specs.length - 1] = prev + token;
    else if (prev !== undefined && OPERATOR_START.test(token)) specs[specs.length - 1] = prev + (/[<>=!~]/.test(prev) ? ',' : '') + token;
    else specs.push(token);
  }
  const requirements: Requirement[] = [];
  const issues: RequirementIssue[] = [];
  for (const spec of specs) {
    if (/[;@]/.test(spec)) {
      issues.push({ source, message: `"${spec}": markers and URLs are not supported in the annotation; put that requirement in requirements.txt.` });
      continue;
    }
    const r = normaliseRequirement(spec);
    if ('error' in r) issues.push({ source, message: r.error });
    else requirements.push(r);
  }
  return { requirements, issues };
}

function toSet(requirements: Requirement[], issues: RequirementIssue[]): RequirementSet {
  return {
    requirements: [...new Set(requirements.map((r) => r.line))].sort(),
    names: [...new Set(requirements.map((r) => r.name))].sort(),
    issues,
  };
}

/** Everything a job asks for: requirements.txt (null when absent) plus the annotation. */
export function collectRequirements(input: {
  requirementsTxt?: string | null;
  requirementsSource?: string;
  annotations?: Record<string, string> | undefined;
}): RequirementSet {
  const all: Requirement[] = [];
  const issues: RequirementIssue[] = [];
  if (input.requirementsTxt) {
    const r = parseRequirementsTxt(input.requirementsTxt, input.requirementsSource);
    all.push(...r.requirements);
    issues.push(...r.issues);
  }
  const annotation = input.annotations?.[PACKAGES_ANNOTATION];
  if (annotation) {
    const r = parsePackagesAnnotation(annotation);
    all.push(...r.requirements);
    issues.push(...r.issues);
  }
  return toSet(all, issues);
}

/** Already-written specifiers (e.g. from a caller) → the same normalised set. */
export function normaliseRequirements(lines: readonly string[], source = 'requirements'): RequirementSet {
  const all: Requirement[] = [];
  const issues: RequirementIssue[] = [];
  for (const text of lines) {
    if (!text.trim()) continue;
    const r = normaliseRequirement(text);
    if ('error' in r) issues.push({ source, message: r.error });
    else all.push(r);
  }
  return toSet(all, issues);
}

/** One line per issue, for an error message. */
export function formatIssues(issues: RequirementIssue[]): string {
  return issues.map((i) => `${i.source}${i.line ? `:${i.line}` : ''}: ${i.message}`).join('\n');
}

/** The annotation's yes/no values; anything else is undefined (not set). */
export function parseFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(1|true|yes|on)$/i.test(value.trim())) return true;
  if (/^(0|false|no|off)$/i.test(value.trim())) return false;
  return undefined;
}

/**
 * The managed environment's identity. The base interpreter's executable is hashed as well as
 * its version: a venv links to that file, and with system site-packages it sees that
 * interpreter's packages, so two 3.11 builds must not share an env.
 */
export function envKey(input: {
  requirements: readonly string[];
  python: { version: string; executable: string };
  systemSitePackages: boolean;
}): string {
  const payload = JSON.stringify({
    format: KEY_FORMAT,
    requirements: [...new Set(input.requirements)].sort(),
    python: input.python.version,
    executable: input.python.executable,
    systemSitePackages: input.systemSitePackages,
  });
  return createHash('sha256').update(payload).digest('hex').slice(0, 16);
}
