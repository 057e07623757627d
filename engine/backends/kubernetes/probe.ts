/**
 * What a target runs, asked of its API server: version, whether Kubeflow Trainer and JobSet are
 * installed (API discovery, readable by any authenticated user) and which Trainer API generation
 * (the TrainJob CRD's schema, or the OpenAPI document when CRDs may not be read), the runtimes a
 * TrainJob can refer to, and the GPUs the nodes offer. Each part that fails is a sentence in
 * `problems`; only an unreachable server fails the whole probe.
 */
import type { TargetProbe } from '../../api/schemas/kubernetes.js';
import { describeKubeError, KubeError, type KubeClient } from './kube-client.js';
import { describeTrainJobCrd, JOBSET_CRD, OVERRIDES_FIELD, TRAINJOB_CRD, trainerApiFromOpenApi } from './trainer-api.js';

const GPU = 'nvidia.com/gpu';

type Discovery = { versions?: { version: string }[] };
type NameList = { items?: { metadata: { name: string } }[] };
type NodeList = { items?: { status?: { allocatable?: Record<string, string> } }[] };

const names = (l: NameList) => (l.items ?? []).map((i) => i.metadata.name).sort();
const why = (err: unknown, server: string) => (err instanceof KubeError && err.status === 403 ? 'forbidden for this user' : describeKubeError(err, server));

export async function probeTarget(client: KubeClient, targetId: string, namespace: string, now = Date.now()): Promise<TargetProbe> {
  const probe: TargetProbe = {
    targetId,
    namespace,
    at: now,
    reachable: false,
    error: null,
    serverVersion: null,
    trainer: { installed: false, servedVersions: [], api: null, overridesField: null },
    jobset: { installed: false, servedVersions: [] },
    clusterTrainingRuntimes: null,
    trainingRuntimes: null,
    gpus: null,
    namespaceExists: null,
    problems: [],
  };
  const server = client.server;
  try {
    probe.serverVersion = (await client.get<{ gitVersion?: string }>('/version', undefined, 10_000)).gitVersion ?? null;
    probe.reachable = true;
  } catch (err) {
    // /version is public on most clusters; an auth failure shows on the next call instead.
    if (!(err instanceof KubeError) || err.status === 0) {
      probe.error = describeKubeError(err, server);
      return probe;
    }
  }
  const discovery = async (group: string) => (await client.find<Discovery>(`/apis/${group}`))?.versions?.map((v) => v.version) ?? null;
  try {
    const [trainer, jobset] = await Promise.all([discovery('trainer.kubeflow.org'), discovery('jobset.x-k8s.io')]);
    probe.reachable = true;
    if (trainer) probe.trainer = { ...probe.trainer, installed: true, servedVersions: trainer };
    if (jobset) probe.jobset = { installed: true, servedVersions: jobset };
  } catch (err) {
    probe.reachable = !(err instanceof KubeError && err.status === 401) && err instanceof KubeError;
    probe.error = describeKubeError(err, server);
    if (!probe.reachable) return probe;
  }

  const tasks: Promise<void>[] = [];
  if (probe.trainer.installed) {
    tasks.push(
      (async () => {
        try {
          const crd = await client.find<Parameters<typeof describeTrainJobCrd>[0]>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${TRAINJOB_CRD}`);
          if (crd) {
            const d = describeTrainJobCrd(crd);
            probe.trainer.api = d.api;
            probe.trainer.servedVersions = d.servedVersions;
          }
        } catch (err) {
          try {
            probe.trainer.api = trainerApiFromOpenApi(await client.get('/openapi/v3/apis/trainer.kubeflow.org/v1alpha1', undefined, 20_000));
          } catch {
            probe.problems.push(`Cannot read the ${TRAINJOB_CRD} CRD (${why(err, server)}) or the OpenAPI document, so the Trainer API version is unknown; v2.2+ is assumed.`);
          }
        }
        if (probe.trainer.api) probe.trainer.overridesField = OVERRIDES_FIELD[probe.trainer.api];
      })(),
      client.get<NameList>('/apis/trainer.kubeflow.org/v1alpha1/clustertrainingruntimes').then(
        (l) => void (probe.clusterTrainingRuntimes = names(l)),
        (err) => void probe.problems.push(`Cannot list ClusterTrainingRuntimes: ${why(err, server)}.`),
      ),
      client.get<NameList>(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/${encodeURIComponent(namespace)}/trainingruntimes`).then(
        (l) => void (probe.trainingRuntimes = names(l)),
        (err) => void probe.problems.push(`Cannot list TrainingRuntimes in ${namespace}: ${why(err, server)}.`),
      ),
    );
  } else {
    probe.problems.push(`Kubeflow Trainer is not installed (no trainer.kubeflow.org API, ${TRAINJOB_CRD}).`);
  }
  if (!probe.jobset.installed) probe.problems.push(`JobSet is not installed (no jobset.x-k8s.io API, ${JOBSET_CRD}); Trainer needs it to run TrainJobs.`);
  tasks.push(
    client.get<NodeList>('/api/v1/nodes').then(
      (l) => {
        const gpus = (l.items ?? []).map((n) => Number(n.status?.allocatable?.[GPU] ?? 0) || 0);
        probe.gpus = { allocatable: gpus.reduce((a, b) => a + b, 0), nodesWithGpus: gpus.filter((g) => g > 0).length, nodes: gpus.length };
      },
      (err) => void probe.problems.push(`Cannot list nodes (for allocatable ${GPU}): ${why(err, server)}.`),
    ),
    client.find(`/api/v1/namespaces/${encodeURIComponent(namespace)}`).then(
      (ns) => {
        probe.namespaceExists = ns !== null;
        if (!ns) probe.problems.push(`Namespace ${namespace} does not exist on this cluster; create it (kubectl create namespace ${namespace}) or pick another.`);
      },
      (err) => {
        // Many users may not read namespaces but may work in one: not an error by itself.
        if (!(err instanceof KubeError && err.status === 403)) probe.problems.push(`Cannot check namespace ${namespace}: ${why(err, server)}.`);
      },
    ),
  );
  await Promise.all(tasks);
  return probe;
}

/** null when a job with this runtime can be submitted, else the refusal naming what exists. */
export function runtimeRefusal(probe: TargetProbe, context: string, runtime: { name: string; kind?: string }, namespace: string): string | null {
  if (!probe.reachable) return `Cannot submit to ${context}: ${probe.error ?? 'the cluster did not answer'}`;
  if (!probe.trainer.installed) {
    return `Kubeflow Trainer is not installed on ${context} (the cluster has no trainer.kubeflow.org API). Install Trainer v2 (and JobSet) on the cluster, or pick another target.`;
  }
  const cluster = probe.clusterTrainingRuntimes;
  const local = probe.trainingRuntimes;
  const wantsLocal = runtime.kind === 'TrainingRuntime';
  const list = wantsLocal ? local : cluster;
  if (list === null || list.includes(runtime.name)) return null; // cannot list: let the server decide
  const have = [
    cluster?.length ? `ClusterTrainingRuntimes: ${cluster.join(', ')}` : 'no ClusterTrainingRuntimes',
    local?.length ? `TrainingRuntimes in ${namespace}: ${local.join(', ')}` : `no TrainingRuntimes in ${namespace}`,
  ].join('; ');
  return `The ${wantsLocal ? 'TrainingRuntime' : 'ClusterTrainingRuntime'} "${runtime.name}" (spec.runtimeRef) does not exist on ${context}. It has ${have}. Pick one of those as the runtime.`;
}
