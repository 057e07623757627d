/**
 * Merging the cluster's context into the user's kubeconfig, only when they ask: the entries
 * named after the cluster are replaced, everything else in the file is kept, and the file is
 * written atomically with mode 0600. Pure merge + a small writer.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

export function mergeKubeconfig(userText: string, clusterText: string, setCurrent: boolean): string {
  const user = (parse(userText || '{}') ?? {}) as KubeConfig;
  const add = (parse(clusterText) ?? {}) as KubeConfig;
  const merge = (a: Named[] = [], b: Named[] = []) => [...a.filter((x) => !b.some((y) => y.name === x.name)), ...b];
  const out: KubeConfig = {
    ...user,
    apiVersion: user.apiVersion ?? 'v1',
    kind: user.kind ?? 'Config',
    clusters: merge(user.clusters, add.clusters),
    users: merge(user.users, add.users),
    contexts: merge(user.contexts, add.contexts),
  };
  if (setCurrent && add['current-context']) out['current-context'] = add['current-context'];
  return stringify(out);
}

export function userKubeconfigPath(env: NodeJS.ProcessEnv): string {
  const first = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return first ?? path.join(env.HOME || os.homedir(), '.kube', 'config');
}

export function mergeIntoFile(file: string, clusterText: string): void {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // a new file
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.kfd-${process.pid}.tmp`;
  writeFileSync(tmp, mergeKubeconfig(current, clusterText, true), { mode: 0o600 });
  renameSync(tmp, file);
}
