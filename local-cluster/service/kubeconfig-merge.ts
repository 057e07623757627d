/**
 * Merging the cluster's context into the user's kubeconfig, only when they ask: the entries
 * named after the cluster are replaced, everything else in the file is kept — the user's
 * current-context too, unless they ask to switch — and the file is written atomically with mode
 * 0600. A `~/.kube/config` that is a symlink (dotfiles) stays one: its target is written.
 * Pure merge + a small writer that says what it did.
 */
import { lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

interface Named {
  name: string;
  [k: string]: unknown;
}
interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [k: string]: unknown;
}

export interface MergeResult {
  text: string;
  /** The context the merge added (the cluster's own current-context). */
  context: string | null;
  /** Names of the file's own entries that the cluster's replaced (an earlier merge of it). */
  replaced: string[];
  /** The file's current-context after the merge (null: none set). */
  currentContext: string | null;
  /** Whether the merge changed the current-context. */
  switched: boolean;
}

export function mergeKubeconfig(userText: string, clusterText: string, setCurrent: boolean): MergeResult {
  const user = (parse(userText || '{}') ?? {}) as KubeConfig;
  const add = (parse(clusterText) ?? {}) as KubeConfig;
  const replaced: string[] = [];
  const merge = (kind: string, a: Named[] = [], b: Named[] = []) => {
    for (const x of a) if (b.some((y) => y.name === x.name)) replaced.push(`${kind} ${x.name}`);
    return [...a.filter((x) => !b.some((y) => y.name === x.name)), ...b];
  };
  const out: KubeConfig = {
    ...user,
    apiVersion: user.apiVersion ?? 'v1',
    kind: user.kind ?? 'Config',
    clusters: merge('cluster', user.clusters, add.clusters),
    users: merge('user', user.users, add.users),
    contexts: merge('context', user.contexts, add.contexts),
  };
  const context = add['current-context'] ?? null;
  const before = user['current-context'] || null;
  // A file with no current context gets the cluster's: nothing of the user's changes.
  if (context && (setCurrent || !before)) out['current-context'] = context;
  const currentContext = out['current-context'] || null;
  return { text: stringify(out), context, replaced, currentContext, switched: currentContext !== before };
}

export function userKubeconfigPath(env: NodeJS.ProcessEnv): string {
  const first = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return first ?? path.join(env.HOME || os.homedir(), '.kube', 'config');
}

/** The file to write for `file`: itself, or the end of its symlink chain (which may not exist yet). */
export function writeTarget(file: string): string {
  try {
    if (!lstatSync(file).isSymbolicLink()) return file;
  } catch {
    return file; // a new file
  }
  try {
    return realpathSync(file);
  } catch {
    // A dangling link: follow it by hand to where the file should be.
    let at = file;
    for (let hops = 0; hops < 40; hops++) {
      let next: string;
      try {
        if (!lstatSync(at).isSymbolicLink()) return at;
        next = path.resolve(path.dirname(at), readlinkSync(at));
      } catch {
        return at;
      }
      at = next;
    }
    throw new Error(`${file} is a symlink loop; point it at a file or remove it.`);
  }
}

export interface MergeReport extends Omit<MergeResult, 'text'> {
  /** The file written: the kubeconfig, or the target of its symlink. */
  file: string;
  /** Set when the kubeconfig is a symlink (kept as one): its path. */
  link: string | null;
  created: boolean;
}

export function mergeIntoFile(file: string, clusterText: string, options: { setCurrent?: boolean } = {}): MergeReport {
  const target = writeTarget(file);
  let current = '';
  let created = false;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    created = true;
  }
  const result = mergeKubeconfig(current, clusterText, options.setCurrent ?? false);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.kfd-${process.pid}.tmp`;
  writeFileSync(tmp, result.text, { mode: 0o600 });
  renameSync(tmp, target);
  const { text: _text, ...rest } = result;
  return { ...rest, file: target, link: target === file ? null : file, created };
}

/** What a merge did, in sentences: which file, what was added or replaced, the current context. */
export function describeMerge(r: MergeReport): string {
  const where = r.link ? `${r.file} (the target of ${r.link}, which stays a link)` : r.file;
  const lines = [`${r.created ? 'Created' : 'Updated'} ${where}: ${r.replaced.length ? `replaced ${r.replaced.join(', ')}` : `added context ${r.context}`}.`];
  if (r.switched) lines.push(`Current context is now ${r.currentContext}.`);
  else if (r.currentContext === r.context) lines.push(`Current context is ${r.context}.`);
  else lines.push(`Current context stays ${r.currentContext}; use the cluster with \`kubectl --context ${r.context}\` or switch with \`kubectl config use-context ${r.context}\`.`);
  return lines.join(' ');
}
