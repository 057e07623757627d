/**
 * The "Clusters & contexts" list as a pure reducer (tested in node): targets come from
 * `targets.list`, each row fills in as its `targets.probed` event (or probe answer) arrives, and
 * a namespace / registry change replaces one row. Plus the sentences a probe turns into.
 */
import type { KubeTarget, TargetProbe } from '../../../engine/api/contract';

export interface TargetsState {
  loaded: boolean;
  /** targets.list failed: the engine's message. */
  error: string | null;
  targets: KubeTarget[];
  kubeconfigFiles: string[];
  /** Kubeconfig files or entries that could not be read. */
  problems: string[];
  /** Target ids with a probe under way. */
  probing: ReadonlySet<string>;
  /** A probe call that failed outright (not "unreachable": that is a probe result). */
  probeErrors: Readonly<Record<string, string>>;
}

export type TargetsAction =
  | { type: 'listed'; targets: KubeTarget[]; kubeconfigFiles: string[]; problems: string[] }
  | { type: 'listFailed'; message: string }
  | { type: 'probeStarted'; ids: string[] }
  | { type: 'probed'; probe: TargetProbe }
  | { type: 'probeFailed'; id: string; message: string }
  | { type: 'updated'; target: KubeTarget };

export const initialTargetsState: TargetsState = {
  loaded: false,
  error: null,
  targets: [],
  kubeconfigFiles: [],
  problems: [],
  probing: new Set(),
  probeErrors: {},
};

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

function withoutId(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  next.delete(id);
  return next;
}

/** A newer probe wins; an older one (a late answer) never replaces what is shown. */
function newerProbe(current: TargetProbe | null, incoming: TargetProbe): TargetProbe {
  return current && current.at > incoming.at ? current : incoming;
}

export function targetsReducer(state: TargetsState, action: TargetsAction): TargetsState {
  switch (action.type) {
    case 'listed': {
      // A re-list keeps probes we already have when the engine's list has none yet.
      const known = new Map(state.targets.map((t) => [t.id, t.probe]));
      const targets = action.targets.map((t) => {
        const prev = known.get(t.id) ?? null;
        return prev && (!t.probe || t.probe.at < prev.at) ? { ...t, probe: prev } : t;
      });
      return { ...state, loaded: true, error: null, targets, kubeconfigFiles: action.kubeconfigFiles, problems: action.problems };
    }
    case 'listFailed':
      return { ...state, loaded: true, error: action.message };
    case 'probeStarted': {
      const probing = new Set(state.probing);
      let probeErrors = state.probeErrors;
      for (const id of action.ids) {
        probing.add(id);
        probeErrors = without(probeErrors, id);
      }
      return { ...state, probing, probeErrors };
    }
    case 'probed': {
      const { probe } = action;
      const row = state.targets.find((t) => t.id === probe.targetId);
      // A probe of another namespace (one being picked in the promote dialog) is not this row's.
      if (!row || (probe.namespace !== undefined && probe.namespace !== row.namespace)) return state;
      const targets = state.targets.map((t) => (t === row ? { ...t, probe: newerProbe(t.probe, probe) } : t));
      return { ...state, targets, probing: withoutId(state.probing, probe.targetId), probeErrors: without(state.probeErrors, probe.targetId) };
    }
    case 'probeFailed':
      return { ...state, probing: withoutId(state.probing, action.id), probeErrors: { ...state.probeErrors, [action.id]: action.message } };
    case 'updated': {
      const { target } = action;
      const targets = state.targets.map((t) => (t.id === target.id ? { ...target, probe: target.probe ?? t.probe } : t));
      return { ...state, targets };
    }
  }
}

/** How a row reads at a glance: colour, icon and word (StatusBadge's statuses). */
export type TargetTone = 'ok' | 'warning' | 'missing' | 'pending';

export function targetTone(probe: TargetProbe | null, probing: boolean): TargetTone {
  if (probing || !probe) return 'pending';
  if (!probe.reachable) return 'missing';
  if (!probe.trainer.installed || probe.problems.length > 0 || probe.namespaceExists === false) return 'warning';
  return 'ok';
}

export function toneLabel(tone: TargetTone, probe: TargetProbe | null, probing: boolean): string {
  if (probing) return 'Probing…';
  if (!probe) return 'Not probed';
  if (!probe.reachable) return 'Unreachable';
  if (!probe.trainer.installed) return 'No Trainer';
  return tone === 'ok' ? 'Ready' : 'Reachable';
}

export interface ProbeFact {
  label: string;
  value: string;
  /** Something the user has to act on before a job can run there. */
  problem: boolean;
}

function list(names: readonly string[] | null, what: string): { value: string; problem: boolean } {
  if (names === null) return { value: `could not list ${what} (see problems)`, problem: true };
  if (names.length === 0) return { value: 'none', problem: false };
  return { value: names.join(', '), problem: false };
}

/** The probe as label/value rows: what the target runs and what stands in the way. */
export function probeFacts(target: Pick<KubeTarget, 'namespace'>, probe: TargetProbe): ProbeFact[] {
  if (!probe.reachable) {
    return [{ label: 'Reachable', value: `no: ${probe.error ?? 'the API server did not answer'}`, problem: true }];
  }
  const t = probe.trainer;
  const facts: ProbeFact[] = [
    { label: 'Server', value: probe.serverVersion ?? 'version unknown', problem: false },
    t.installed
      ? {
          label: 'Trainer API',
          value: [t.api ?? 'unknown generation', t.servedVersions.length ? `(${t.servedVersions.join(', ')})` : '', t.overridesField ? `· pod patches in ${t.overridesField}` : '']
            .filter(Boolean)
            .join(' '),
          problem: false,
        }
      : { label: 'Trainer API', value: 'not installed: jobs cannot run here until Kubeflow Trainer is installed', problem: true },
    {
      label: 'JobSet',
      value: probe.jobset.installed ? `installed (${probe.jobset.servedVersions.join(', ') || 'no versions served'})` : 'not installed',
      problem: !probe.jobset.installed,
    },
  ];
  const ctr = list(probe.clusterTrainingRuntimes, 'ClusterTrainingRuntimes');
  facts.push({ label: 'Cluster runtimes', ...ctr });
  // Until the probe of a newly chosen namespace answers, the facts are the previous namespace's: say so.
  const ns = probe.namespace ?? target.namespace;
  const tr = list(probe.trainingRuntimes, `TrainingRuntimes in ${ns}`);
  facts.push({ label: `Runtimes in ${ns}`, ...tr });
  facts.push({ label: 'GPUs', value: gpuText(probe.gpus), problem: false });
  if (probe.namespaceExists === false) {
    facts.push({ label: 'Namespace', value: `${ns} does not exist on the cluster`, problem: true });
  }
  return facts;
}

export function gpuText(gpus: TargetProbe['gpus']): string {
  if (!gpus) return 'unknown (nodes could not be listed)';
  if (gpus.allocatable === 0) return `none on ${gpus.nodes} ${gpus.nodes === 1 ? 'node' : 'nodes'}`;
  return `${gpus.allocatable} nvidia.com/gpu on ${gpus.nodesWithGpus} of ${gpus.nodes} ${gpus.nodes === 1 ? 'node' : 'nodes'}`;
}

/** Every runtime name a job on this target can reference, cluster-wide first. */
export function runtimeNames(probe: TargetProbe | null): { name: string; scope: 'cluster' | 'namespace' }[] {
  if (!probe) return [];
  return [
    ...(probe.clusterTrainingRuntimes ?? []).map((name) => ({ name, scope: 'cluster' as const })),
    ...(probe.trainingRuntimes ?? []).map((name) => ({ name, scope: 'namespace' as const })),
  ];
}

/** Local clusters first, then the kubeconfig's current context, then by name. */
export function sortTargets(targets: readonly KubeTarget[]): KubeTarget[] {
  const rank = (t: KubeTarget) => (t.kind === 'local-cluster' ? 0 : t.current ? 1 : 2);
  return [...targets].sort((a, b) => rank(a) - rank(b) || a.context.localeCompare(b.context));
}

/** How the target authenticates, for the row's subtitle (never the credential). */
export function authText(t: Pick<KubeTarget, 'user' | 'auth' | 'authDetail'>): string {
  return t.authDetail ? `${t.user} (${t.authDetail})` : `${t.user} (${t.auth})`;
}

/** What a namespace picker offers: the listed namespaces, plus the ones already in use (the remembered one). */
export function namespaceChoices(list: { namespaces: readonly string[] } | null, ...inUse: (string | null | undefined)[]): string[] {
  const all = new Set([...(list?.namespaces ?? []), ...inUse.filter((n): n is string => Boolean(n))]);
  return [...all].sort();
}
