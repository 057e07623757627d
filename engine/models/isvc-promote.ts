/**
 * Promote an InferenceService to a cluster with KServe: probe for the CRD
 * (inferenceservices.serving.kserve.io, v1beta1 served), check that the storageUri is one a
 * cluster can read, ask for a server-side dry run, then apply server-side with our field
 * manager and read conditions and URL back from status. Recorded as a `cluster` deployment of
 * the version it serves (lineage), refreshed on demand.
 */
import { ApiError } from '../api/api-error.js';
import type { Deployment, IsvcPromotePreview } from '../api/schemas/models.js';
import { describeKubeError, KubeError, type KubeClient } from '../backends/kubernetes/kube-client.js';
import type { KubernetesTargets } from '../backends/kubernetes/kubernetes-targets.js';
import { FIELD_MANAGER } from '../backends/kubernetes/manifest-adapt.js';
import { newJobId } from '../jobs/job-ids.js';
import { clusterStorageProblem, forCluster, inferenceServiceYaml, MODEL_VERSION_ANNOTATION, parseInferenceService, type InferenceService } from './inference-service.js';
import type { ModelRegistry } from './model-registry.js';

const CRD = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/inferenceservices.serving.kserve.io';

export function isvcPath(namespace: string, name?: string): string {
  return `/apis/serving.kserve.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/inferenceservices${name ? `/${encodeURIComponent(name)}` : ''}`;
}

interface IsvcStatus {
  url?: string;
  address?: { url?: string };
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** Ready / NotReady / Applied (no conditions yet) with a sentence, from an InferenceService's status. Pure. */
export function isvcState(status: IsvcStatus | undefined): { state: Deployment['state']; message: string; url: string | null; conditions: Deployment['conditions'] } {
  const conditions = (status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
  const url = status?.url ?? status?.address?.url ?? null;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (!ready) return { state: 'Applied', message: 'Applied; KServe has not reported on it yet.', url, conditions };
  if (ready.status === 'True') return { state: 'Ready', message: `Ready${url ? ` at ${url}` : ''}.`, url, conditions };
  const failing = conditions.find((c) => c.status === 'False' && c.message) ?? ready;
  return { state: 'NotReady', message: `Not ready: ${failing.type}${failing.reason ? ` (${failing.reason})` : ''}${failing.message ? `: ${failing.message}` : ''}`, url, conditions };
}

export interface PromoteIsvcInput {
  deployment?: string | undefined;
  model?: string | undefined;
  manifest?: string | undefined;
  target: string;
  namespace?: string | undefined;
  storageUri?: string | undefined;
}

export class IsvcPromoter {
  constructor(
    private readonly deps: {
      targets: KubernetesTargets;
      registry: ModelRegistry;
      /** A version's InferenceService as served locally. */
      inferenceService(ref: string): { yaml: string };
      getDeployment(id: string): Deployment;
      changed(d: Deployment): void;
    },
  ) {}

  private source(input: PromoteIsvcInput): { isvc: InferenceService; versionRef: string | null } {
    let yaml: string;
    if (input.manifest) yaml = input.manifest;
    else if (input.deployment) yaml = this.deps.getDeployment(input.deployment).manifest;
    else if (input.model) yaml = this.deps.inferenceService(input.model).yaml;
    else throw new ApiError('bad_request', 'Say what to promote: a server id, a model (name:version) or an InferenceService file.');
    let isvc: InferenceService;
    try {
      isvc = parseInferenceService(yaml);
    } catch (err) {
      throw new ApiError('bad_request', (err as Error).message);
    }
    return { isvc, versionRef: isvc.metadata.annotations?.[MODEL_VERSION_ANNOTATION] ?? input.model ?? null };
  }

  private async connect(target: string, namespace?: string) {
    const source = await this.deps.targets.resolve(target);
    const ns = namespace ?? this.deps.targets.namespaceOf(source).namespace;
    return { source, namespace: ns, client: await this.deps.targets.client(source) };
  }

  /** The CRD exists and serves v1beta1. */
  async kserveInstalled(client: KubeClient): Promise<boolean> {
    const crd = await client.find<{ spec?: { versions?: { name: string; served: boolean }[] } }>(CRD);
    return Boolean(crd?.spec?.versions?.some((v) => v.name === 'v1beta1' && v.served));
  }

  async preview(input: PromoteIsvcInput): Promise<IsvcPromotePreview & { object: InferenceService; client: KubeClient }> {
    const { isvc } = this.source(input);
    const { source, namespace, client } = await this.connect(input.target, input.namespace);
    const object = forCluster(isvc, { storageUri: input.storageUri, namespace });
    const manifest = inferenceServiceYaml(object);
    const warnings: string[] = [];
    let installed = false;
    try {
      installed = await this.kserveInstalled(client);
    } catch (err) {
      return { manifest, target: source.id, namespace, kserveInstalled: false, blocked: `Cannot ask ${source.context.name}: ${describeKubeError(err, client.server)}`, dryRun: null, warnings, object, client };
    }
    if (!installed) {
      return { manifest, target: source.id, namespace, kserveInstalled: false, blocked: `${source.context.name} has no KServe: the CRD inferenceservices.serving.kserve.io (v1beta1) is not installed. Install KServe on the cluster, or pick a target that has it.`, dryRun: null, warnings, object, client };
    }
    const storage = clusterStorageProblem(object.spec.predictor.model.storageUri);
    let dryRun: IsvcPromotePreview['dryRun'] = null;
    try {
      await this.apply(client, object, true);
      dryRun = { ok: true, message: 'The API server accepted it (server-side dry run).' };
    } catch (err) {
      dryRun = { ok: false, message: describeKubeError(err, client.server) };
    }
    const blocked = storage ?? (dryRun.ok ? null : `The cluster refused it: ${dryRun.message}`);
    return { manifest, target: source.id, namespace, kserveInstalled: true, blocked, dryRun, warnings, object, client };
  }

  private apply(client: KubeClient, obj: InferenceService, dryRun: boolean): Promise<{ status?: IsvcStatus; metadata?: { uid?: string } }> {
    return client.request('PATCH', isvcPath(obj.metadata.namespace!, obj.metadata.name), {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: true, fieldValidation: 'Strict', ...(dryRun ? { dryRun: 'All' } : {}) },
    });
  }

  async promote(input: PromoteIsvcInput): Promise<Deployment> {
    const p = await this.preview(input);
    if (p.blocked) throw new ApiError('bad_request', p.blocked);
    const applied = await this.apply(p.client, p.object, false).catch((err: unknown) => {
      throw new ApiError(err instanceof KubeError && err.status === 403 ? 'forbidden' : 'unavailable', `Applying InferenceService ${p.object.metadata.name}: ${describeKubeError(err, p.client.server)}`);
    });
    const { versionRef } = this.source(input);
    if (!versionRef) throw new ApiError('bad_request', `The InferenceService has no ${MODEL_VERSION_ANNOTATION} annotation, so it cannot be tied to a registered version; it was applied, but is not listed under a model.`);
    const { version } = this.deps.registry.resolve(versionRef);
    const s = isvcState(applied.status);
    const id = newJobId();
    const repo = this.deps.registry.repo;
    repo.insertDeployment({ id, modelVersionId: version.id, kind: 'cluster', backend: 'kubernetes', port: null, url: s.url, target: p.target, namespace: p.namespace, manifest: p.manifest, state: s.state, message: s.message }, Date.now());
    repo.updateDeployment(id, { conditions: s.conditions }, Date.now());
    const d = repo.deployment(id)!;
    this.deps.changed(d);
    return d;
  }

  /** Reads the InferenceService's status again. */
  async refresh(id: string): Promise<Deployment> {
    const d = this.deps.getDeployment(id);
    if (d.kind !== 'cluster' || !d.target || !d.namespace) throw new ApiError('bad_request', `${d.id} is a local server; its state comes from its job.`);
    const { client } = await this.connect(d.target, d.namespace);
    const name = parseInferenceService(d.manifest).metadata.name;
    const obj = await client.find<{ status?: IsvcStatus }>(isvcPath(d.namespace, name)).catch((err: unknown) => {
      throw new ApiError('unavailable', describeKubeError(err, client.server));
    });
    const repo = this.deps.registry.repo;
    if (!obj) repo.updateDeployment(d.id, { state: 'Stopped', message: `InferenceService ${name} is gone from ${d.namespace}.`, url: null }, Date.now());
    else {
      const s = isvcState(obj.status);
      repo.updateDeployment(d.id, { state: s.state, message: s.message, url: s.url, conditions: s.conditions }, Date.now());
    }
    const after = repo.deployment(d.id)!;
    this.deps.changed(after);
    return after;
  }
}
