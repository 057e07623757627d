/**
 * Where kubernetes jobs can run: every context of the user's kubeconfig and every local kind
 * cluster the app created. KUBECONFIG is honoured like kubectl does (a list of files; for each
 * context, cluster and user name the first file that defines it wins; the first current-context
 * wins). Each target gets a KubeConfig of its own with just its context, so exec plugins (cloud
 * logins) and OIDC run through @kubernetes/client-node exactly as kubectl would run them; the app
 * never copies or stores a credential.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { ApiError } from '../../api/api-error.js';
import type { KubeTarget, TargetKind } from '../../api/schemas/kubernetes.js';
import { listClusterRecords, type ClusterRecord } from '../../../local-cluster/cluster-record.js';

export interface TargetSource {
  id: string;
  kind: TargetKind;
  context: Context;
  cluster: Cluster;
  user: User;
  kubeconfigPath: string;
  current: boolean;
  /** Local clusters: their record (workspace mount, name). */
  record: ClusterRecord | null;
}

export interface TargetSources {
  sources: TargetSource[];
  files: string[];
  problems: string[];
}

/**
 * @kubernetes/client-node takes seconds to load (its generated API): it is loaded on first use,
 * so commands and app starts that never touch a cluster do not pay for it.
 */
let clientNode: Promise<typeof import('@kubernetes/client-node')> | undefined;
export function loadClientNode(): Promise<typeof import('@kubernetes/client-node')> {
  return (clientNode ??= import('@kubernetes/client-node'));
}

export const targetIdFor = (kind: TargetKind, name: string) => (kind === 'local-cluster' ? `local:${name}` : `kubeconfig:${name}`);

/** KUBECONFIG's files (path-list separated), else ~/.kube/config. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const list = env.KUBECONFIG?.split(path.delimiter).filter(Boolean);
  if (list?.length) return [...new Set(list.map((f) => path.resolve(f)))];
  return [path.join(env.HOME || os.homedir(), '.kube', 'config')];
}

function loadFile(KC: typeof KubeConfig, file: string): KubeConfig {
  const kc = new KC();
  // Relative certificate and exec paths are relative to the file (kubectl does the same).
  kc.loadFromString(readFileSync(file, 'utf8'), { onInvalidEntry: 'filter' });
  kc.makePathsAbsolute(path.dirname(file));
  return kc;
}

interface Merged {
  contexts: Map<string, { context: Context; file: string }>;
  clusters: Map<string, Cluster>;
  users: Map<string, User>;
  current: string | null;
}

export async function loadTargetSources(env: NodeJS.ProcessEnv, dataDir: string): Promise<TargetSources> {
  const { KubeConfig: KC } = await loadClientNode();
  const files = kubeconfigFiles(env);
  const problems: string[] = [];
  const merged: Merged = { contexts: new Map(), clusters: new Map(), users: new Map(), current: null };
  const read: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) {
      if (env.KUBECONFIG) problems.push(`${file} (in KUBECONFIG) does not exist.`);
      continue;
    }
    let kc: KubeConfig;
    try {
      kc = loadFile(KC, file);
    } catch (err) {
      problems.push(`${file} is not a readable kubeconfig: ${(err as Error).message}`);
      continue;
    }
    read.push(file);
    for (const c of kc.getContexts()) if (!merged.contexts.has(c.name)) merged.contexts.set(c.name, { context: c, file });
    for (const c of kc.getClusters()) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!merged.users.has(u.name)) merged.users.set(u.name, u);
    if (!merged.current && kc.getCurrentContext()) merged.current = kc.getCurrentContext();
  }

  const sources: TargetSource[] = [];
  for (const [name, { context, file }] of merged.contexts) {
    const cluster = merged.clusters.get(context.cluster);
    const user = merged.users.get(context.user) ?? { name: context.user || '(none)' };
    if (!cluster) {
      problems.push(`Context ${name} (${file}) refers to cluster "${context.cluster}", which no kubeconfig file defines.`);
      continue;
    }
    sources.push({ id: targetIdFor('kubeconfig', name), kind: 'kubeconfig', context, cluster, user, kubeconfigPath: file, current: merged.current === name, record: null });
  }

  for (const record of listClusterRecords(dataDir)) {
    try {
      const kc = loadFile(KC, record.kubeconfigPath);
      const context = kc.getContextObject(record.context) ?? kc.getContextObject(kc.getCurrentContext());
      const cluster = context && kc.getCluster(context.cluster);
      if (!context || !cluster) throw new Error(`it has no context ${record.context}`);
      const user = kc.getUser(context.user) ?? { name: context.user };
      sources.push({ id: targetIdFor('local-cluster', record.name), kind: 'local-cluster', context, cluster, user, kubeconfigPath: record.kubeconfigPath, current: false, record });
    } catch (err) {
      problems.push(`Local cluster ${record.name}: its kubeconfig ${record.kubeconfigPath} cannot be read (${(err as Error).message}).`);
    }
  }
  return { sources, files: read, problems };
}

/** A KubeConfig holding only this target's context, cluster and user. */
export async function kubeConfigFor(source: TargetSource): Promise<KubeConfig> {
  const kc = new (await loadClientNode()).KubeConfig();
  kc.loadFromOptions({ clusters: [source.cluster], users: [source.user], contexts: [source.context], currentContext: source.context.name });
  return kc;
}

/** How the user authenticates, for people; never the secret. */
export function describeAuth(user: User): { auth: KubeTarget['auth']; authDetail: string } {
  if (user.exec) {
    const cmd = String((user.exec as { command?: string }).command ?? '?');
    return { auth: 'exec', authDetail: `exec: ${path.basename(cmd)}` };
  }
  if (user.authProvider) return { auth: 'auth-provider', authDetail: `auth-provider: ${String((user.authProvider as { name?: string }).name ?? '?')}` };
  if (user.token) return { auth: 'token', authDetail: 'bearer token in the kubeconfig' };
  if (user.certData || user.certFile) return { auth: 'client-certificate', authDetail: user.certFile ? `client certificate ${user.certFile}` : 'client certificate in the kubeconfig' };
  if (user.username) return { auth: 'basic', authDetail: `user name ${user.username}` };
  return { auth: 'none', authDetail: 'no credentials' };
}

/**
 * A target by id (`kubeconfig:<ctx>`, `local:<name>`) or by name: a local cluster's name or
 * context first (it knows its workspace mount), then a kubeconfig context.
 */
export function resolveTarget(all: TargetSources, ref: string): TargetSource {
  const byId = all.sources.find((s) => s.id === ref);
  if (byId) return byId;
  const local = all.sources.find((s) => s.kind === 'local-cluster' && (s.record?.name === ref || s.context.name === ref));
  if (local) return local;
  const ctx = all.sources.find((s) => s.kind === 'kubeconfig' && s.context.name === ref);
  if (ctx) return ctx;
  const known = all.sources.map((s) => s.context.name);
  const where = all.files.length ? all.files.join(', ') : 'no kubeconfig file found';
  throw new ApiError(
    'not_found',
    `No Kubernetes target "${ref}". ${known.length ? `Known contexts: ${known.join(', ')}` : 'There are no contexts'} (from ${where}${all.sources.some((s) => s.kind === 'local-cluster') ? ' and the local clusters' : ''}). \`kfd targets\` lists them.`,
  );
}
