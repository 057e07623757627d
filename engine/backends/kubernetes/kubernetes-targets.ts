/**
 * The targets service: lists targets (kubeconfig-targets.ts) with the namespace and registry the
 * user chose (target-settings.ts), probes them (probe.ts, answers cached for this engine's
 * lifetime and published as `targets.probed`), and hands out a client per target.
 */
import type Database from 'better-sqlite3';
import type { EventBus } from '../../api/event-bus.js';
import type { KubeTarget, TargetProbe } from '../../api/schemas/kubernetes.js';
import { KubeClient } from './kube-client.js';
import { describeAuth, kubeConfigFor, loadTargetSources, resolveTarget, type TargetSource, type TargetSources } from './kubeconfig-targets.js';
import { listNamespaces, type NamespaceList } from './namespaces.js';
import { probeTarget } from './probe.js';
import { readTargetPrefs, updateTargetPrefs } from './target-settings.js';

export interface TargetsDeps {
  db: Database.Database;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  events?: EventBus;
}

/** A probe younger than this is reused when a job is submitted. */
const PROBE_FRESH_MS = 30_000;

export class KubernetesTargets {
  /** The last probe per target, for its remembered namespace (what targets.list shows). */
  private readonly probes = new Map<string, TargetProbe>();
  /** Probes for other namespaces (a namespace being picked in promote), by target and namespace. */
  private readonly otherProbes = new Map<string, TargetProbe>();

  constructor(private readonly deps: TargetsDeps) {}

  sources(): Promise<TargetSources> {
    return loadTargetSources(this.deps.env, this.deps.dataDir);
  }

  async resolve(ref: string): Promise<TargetSource> {
    return resolveTarget(await this.sources(), ref);
  }

  namespaceOf(source: TargetSource): { namespace: string; from: KubeTarget['namespaceSource'] } {
    const pref = readTargetPrefs(this.deps.db)[source.id]?.namespace;
    if (pref) return { namespace: pref, from: 'setting' };
    if (source.context.namespace) return { namespace: source.context.namespace, from: 'context' };
    return { namespace: 'default', from: 'default' };
  }

  registryOf(source: TargetSource): string | null {
    return readTargetPrefs(this.deps.db)[source.id]?.imageRegistry ?? null;
  }

  describe(source: TargetSource): KubeTarget {
    const { namespace, from } = this.namespaceOf(source);
    return {
      id: source.id,
      kind: source.kind,
      context: source.context.name,
      label: `${source.context.name}/${namespace}`,
      server: source.cluster.server,
      kubeconfigPath: source.kubeconfigPath,
      user: source.user.name,
      ...describeAuth(source.user),
      current: source.current,
      namespace,
      namespaceSource: from,
      defaultShipping: source.kind === 'local-cluster' && source.record?.workspaceRoot ? 'hostPath' : 'configMap',
      workspaceRoot: source.record?.workspaceRoot ?? null,
      imageRegistry: this.registryOf(source),
      probe: this.probes.get(source.id) ?? null,
    };
  }

  async list(probe: boolean): Promise<{ targets: KubeTarget[]; kubeconfigFiles: string[]; problems: string[] }> {
    const all = await this.sources();
    if (probe) await Promise.all(all.sources.map((s) => this.probeSource(s)));
    return { targets: all.sources.map((s) => this.describe(s)), kubeconfigFiles: all.files, problems: all.problems };
  }

  async client(source: TargetSource): Promise<KubeClient> {
    return new KubeClient(await kubeConfigFor(source));
  }

  private cached(source: TargetSource, namespace: string): TargetProbe | undefined {
    return namespace === this.namespaceOf(source).namespace ? this.probes.get(source.id) : this.otherProbes.get(`${source.id}\0${namespace}`);
  }

  async probeSource(source: TargetSource, namespace = this.namespaceOf(source).namespace): Promise<TargetProbe> {
    const result = await probeTarget(await this.client(source), source.id, namespace);
    if (namespace === this.namespaceOf(source).namespace) this.probes.set(source.id, result);
    else this.otherProbes.set(`${source.id}\0${namespace}`, result);
    this.deps.events?.emit('targets.probed', result);
    return result;
  }

  async probe(ref: string, namespace?: string): Promise<TargetProbe> {
    const source = await this.resolve(ref);
    return this.probeSource(source, namespace);
  }

  /** The cached probe of this target and namespace when it is fresh, else a new one. */
  async freshProbe(source: TargetSource, namespace: string): Promise<TargetProbe> {
    const have = this.cached(source, namespace);
    if (have && have.reachable && Date.now() - have.at < PROBE_FRESH_MS) return have;
    return this.probeSource(source, namespace);
  }

  async namespaces(ref: string): Promise<NamespaceList> {
    const source = await this.resolve(ref);
    return listNamespaces(await this.client(source), { id: source.id, context: source.context.name, user: source.user.name });
  }

  async setNamespace(ref: string, namespace: string): Promise<KubeTarget> {
    const source = await this.resolve(ref);
    const before = this.namespaceOf(source).namespace;
    updateTargetPrefs(this.deps.db, source.id, { namespace });
    // The old namespace's probe is kept as another namespace's; the new one's becomes the target's own.
    const own = this.probes.get(source.id);
    if (own && before !== namespace) this.otherProbes.set(`${source.id}\0${before}`, own);
    const next = this.otherProbes.get(`${source.id}\0${namespace}`);
    if (next) this.probes.set(source.id, next);
    else this.probes.delete(source.id);
    return this.describe(source);
  }

  async setImageRegistry(ref: string, registry: string | null): Promise<KubeTarget> {
    const source = await this.resolve(ref);
    updateTargetPrefs(this.deps.db, source.id, { imageRegistry: registry });
    return this.describe(source);
  }
}
