/**
 * Promote: the same Experiment file to a cluster with Katib. Probes the target for Katib's API
 * (kubeflow.org/v1beta1 experiments) and Trainer's (the trials are TrainJobs), asks the server
 * for a dry run, then applies it server-side with our field manager. Status comes back from the
 * cluster: conditions, trials and currentOptimalTrial, as Katib writes them.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument, stringify } from 'yaml';
import { ApiError } from '../api/api-error.js';
import type { MethodInput, PromoteExperimentResult } from '../api/contract.js';
import { KubeError, describeKubeError, type KubeClient } from '../backends/kubernetes/kube-client.js';
import type { KubernetesTargets } from '../backends/kubernetes/kubernetes-targets.js';
import { locateExperimentFile } from './experiment-file.js';
import type { ExperimentService } from './experiment-service.js';
import { parseExperiment } from './parse-experiment.js';

type PromoteInput = MethodInput<'experiments.promote'>;

interface KatibExperimentStatus {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  currentOptimalTrial?: { bestTrialName?: string; parameterAssignments?: { name: string; value: string }[]; observation?: { metrics?: { name: string; latest?: string }[] } };
}

export class KatibPromote {
  constructor(private readonly deps: { targets: KubernetesTargets; experiments: ExperimentService }) {}

  /** The Experiment's YAML from an experiment id (as it was submitted) or a file/workspace path. */
  private async sourceText(source: string): Promise<{ text: string; file: string }> {
    try {
      const e = this.deps.experiments.detail(source);
      return { text: e.spec, file: e.file };
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'not_found') throw err;
    }
    const located = await locateExperimentFile(source);
    return { text: await readFile(located.file, 'utf8'), file: located.file };
  }

  private async connect(targetRef: string, namespace?: string): Promise<{ client: KubeClient; target: string; namespace: string; server: string }> {
    const source = await this.deps.targets.resolve(targetRef);
    const client = await this.deps.targets.client(source);
    return { client, target: source.id, namespace: namespace ?? this.deps.targets.namespaceOf(source).namespace, server: source.cluster.server };
  }

  /** Katib's API on the cluster (discovery, which every signed-in user may read). */
  async probe(client: KubeClient, server: string): Promise<{ katib: boolean; trainer: boolean }> {
    const has = async (group: string, plural: string) => {
      try {
        const list = await client.get<{ resources?: { name: string }[] }>(`/apis/${group}`);
        return (list.resources ?? []).some((r) => r.name === plural);
      } catch (err) {
        if (err instanceof KubeError && err.status === 404) return false;
        throw new ApiError('unavailable', describeKubeError(err, server));
      }
    };
    return { katib: await has('kubeflow.org/v1beta1', 'experiments'), trainer: await has('trainer.kubeflow.org/v1alpha1', 'trainjobs') };
  }

  async promote(input: PromoteInput): Promise<PromoteExperimentResult> {
    const { text, file } = await this.sourceText(input.source);
    const parsed = parseExperiment(text, file, { local: false });
    if (!parsed.ok) throw new ApiError('bad_request', `${file} is not a valid Experiment:\n${parsed.errors.slice(0, 5).map((e) => `  ${e.message}`).join('\n')}`, { errors: parsed.errors });
    const { client, target, namespace, server } = await this.connect(input.target, input.namespace);
    const found = await this.probe(client, server);
    if (!found.katib) throw new ApiError('unavailable', `${target} has no Katib: the API kubeflow.org/v1beta1 experiments is not served there. Install Katib (v0.19 or newer runs TrainJob trials) or pick another target.`);
    const warnings = parsed.warnings.filter((w) => !/only on Katib|Katib on a cluster/.test(w.message)).map((w) => w.message);
    if (!found.trainer) warnings.push(`${target} serves no trainer.kubeflow.org/v1alpha1 TrainJobs: Katib will not be able to start the trials. Install Kubeflow Trainer v2.`);
    warnings.push('The trials run spec.trialTemplate.trialSpec on the cluster as written: its image must contain the code (the workspace is not shipped with an Experiment).');

    const doc = parseDocument(text).toJS() as Record<string, unknown>;
    delete doc.status;
    const metadata = { ...(doc.metadata as Record<string, unknown>), namespace };
    const manifest = { ...doc, metadata } as { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } & Record<string, unknown>;
    try {
      await client.apply(manifest, { dryRun: true });
      if (!input.dryRun) await client.apply(manifest);
    } catch (err) {
      if (err instanceof KubeError && err.status >= 400 && err.status < 500) {
        const causes = err.causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`).join('; ');
        throw new ApiError('bad_request', `${target} refused the Experiment ${manifest.metadata.name}: ${err.message}${causes ? ` (${causes})` : ''}`);
      }
      throw new ApiError('unavailable', describeKubeError(err, server));
    }
    const result: PromoteExperimentResult = { target, namespace, name: manifest.metadata.name, dryRun: input.dryRun ?? false, manifest: stringify(manifest, { lineWidth: 0 }), warnings, conditions: [], trials: [], currentOptimalTrial: null };
    if (input.dryRun) return result;
    return { ...result, ...(await this.read(client, namespace, manifest.metadata.name)) };
  }

  async status(input: MethodInput<'experiments.clusterStatus'>): Promise<PromoteExperimentResult> {
    const { client, target, namespace } = await this.connect(input.target, input.namespace);
    const got = await client.find<{ metadata: { name: string } } & Record<string, unknown>>(`/apis/kubeflow.org/v1beta1/namespaces/${encodeURIComponent(namespace)}/experiments/${encodeURIComponent(input.name)}`);
    if (!got) throw new ApiError('not_found', `No Experiment ${input.name} in ${target} namespace ${namespace}.`);
    const { status: _s, ...rest } = got;
    return { target, namespace, name: input.name, dryRun: false, manifest: stringify(rest, { lineWidth: 0 }), warnings: [], ...(await this.read(client, namespace, input.name)) };
  }

  private async read(client: KubeClient, namespace: string, name: string): Promise<Pick<PromoteExperimentResult, 'conditions' | 'trials' | 'currentOptimalTrial'>> {
    const ns = encodeURIComponent(namespace);
    const exp = await client.find<{ status?: KatibExperimentStatus }>(`/apis/kubeflow.org/v1beta1/namespaces/${ns}/experiments/${encodeURIComponent(name)}`);
    const trials = await client
      .get<{ items?: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] }>(`/apis/kubeflow.org/v1beta1/namespaces/${ns}/trials`, { labelSelector: `katib.kubeflow.org/experiment=${name}` })
      .catch(() => ({ items: [] }));
    const st = exp?.status;
    const best = st?.currentOptimalTrial;
    return {
      conditions: (st?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' })),
      trials: (trials.items ?? []).map((t) => ({ name: t.metadata.name, status: [...(t.status?.conditions ?? [])].reverse().find((c) => c.status === 'True')?.type ?? 'Created' })),
      currentOptimalTrial: best?.bestTrialName
        ? { bestTrialName: best.bestTrialName, parameterAssignments: best.parameterAssignments ?? [], metrics: (best.observation?.metrics ?? []).map((m) => ({ name: m.name, latest: m.latest ?? '' })) }
        : null,
    };
  }
}
