/**
 * Promote: the same job, from history or a workspace, onto a cluster. The preview computes the
 * submission plan with the job id the new job will get (submission-plan.ts), renders every object
 * exactly as it will be applied, and asks the cluster for a server-side dry run; promote.run
 * submits that plan as a new job whose parent is the source job.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ApiError } from '../../api/api-error.js';
import type { JobDetail } from '../../api/schemas/jobs.js';
import type { PromotePreview } from '../../api/schemas/kubernetes.js';
import { newJobId } from '../../jobs/job-ids.js';
import type { JobService } from '../../jobs/job-service.js';
import { locateJobFile, validateJobText } from '../../jobs/workspace-job.js';
import { describeKubeError } from './kube-client.js';
import type { KubernetesTargets } from './kubernetes-targets.js';
import { ARCHIVE_KEY } from './manifest-adapt.js';
import { applyPromoteEdits, type PromoteEdits } from './promote-edits.js';
import { CONFIGMAP_LIMIT_BYTES, workspaceConfigMap } from './shipping.js';
import { planSubmission, type SubmissionPlan } from './submission-plan.js';

export interface PromoteRequest extends PromoteEdits {
  source: string;
  target: string;
  namespace?: string;
  shipping: 'auto' | 'hostPath' | 'configMap' | 'image';
  jobId?: string;
}

interface Prepared {
  preview: PromotePreview;
  spec: string;
  workspace: string;
  parentId: string | null;
  placement: { target: string; namespace: string; shipping: PromoteRequest['shipping'] };
}

/** What the job service assumes of a cluster node: the cluster decides about GPUs. */
const HOST = { cpus: os.availableParallelism(), gpus: Number.POSITIVE_INFINITY };

/** The objects as YAML; the archive itself (base64, up to 1.4 MB) is shown by its size and sha256. */
function renderObjects(plan: SubmissionPlan, namespace: string, jobId: string, createNamespace: boolean): { yaml: string; objects: PromotePreview['objects'] } {
  const docs: Record<string, unknown>[] = [];
  if (createNamespace) docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  if (plan.configMapName && plan.archive) {
    const cm = workspaceConfigMap({
      name: plan.configMapName,
      namespace,
      jobId,
      archive: Buffer.alloc(0),
      sha256: plan.archive.sha256,
      owner: { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', name: plan.name, uid: '<the TrainJob uid, set once it is applied>' },
    });
    cm['binaryData'] = { [ARCHIVE_KEY]: `<gzip tar of ${plan.listing.files.length} files: ${plan.archive.bytes.length} bytes, sha256 ${plan.archive.sha256}>` };
    docs.push(cm);
  }
  if (plan.trainJob) docs.push(plan.trainJob);
  const objects = docs.map((d) => {
    const m = d['metadata'] as { name: string; namespace?: string };
    return { apiVersion: String(d['apiVersion']), kind: String(d['kind']), name: m.name, namespace: m.namespace ?? '' };
  });
  return { yaml: docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'), objects };
}

export class PromoteService {
  constructor(private readonly deps: { jobs: JobService; targets: KubernetesTargets }) {}

  /** A workspace path when one exists there, else a job id from history. */
  private async source(ref: string): Promise<{ original: string; workspace: string; parentId: string | null }> {
    if (existsSync(path.resolve(ref))) {
      const { workspace, file } = await locateJobFile(ref);
      return { original: await readFile(file, 'utf8'), workspace, parentId: null };
    }
    const job = await this.deps.jobs.locate(ref);
    if (!existsSync(job.workspace)) {
      throw new ApiError('not_found', `Job ${job.id}'s workspace ${job.workspace} no longer exists, so there is nothing to ship; promote a workspace folder instead.`);
    }
    return { original: job.spec, workspace: job.workspace, parentId: job.id };
  }

  private async prepare(req: PromoteRequest): Promise<Prepared> {
    const src = await this.source(req.source);
    const spec = applyPromoteEdits(src.original, req);
    const checked = validateJobText(spec, 'trainjob.yaml', 'kubernetes', HOST);
    if (!checked.ok) {
      throw new ApiError('bad_request', `The manifest is not a valid TrainJob: ${checked.errors.map((e) => e.message).join('; ')}`, { errors: checked.errors });
    }
    const targets = this.deps.targets;
    const source = await targets.resolve(req.target);
    const namespace = req.namespace ?? targets.namespaceOf(source).namespace;
    const probe = await targets.freshProbe(source, namespace);
    const jobId = req.jobId ?? newJobId();
    const plan = await planSubmission({ jobId, job: checked.job, workspace: src.workspace, source, namespace, probe, requested: req.shipping, registry: targets.registryOf(source) });
    const createNamespace = source.kind === 'local-cluster' && probe.namespaceExists === false;
    const rendered = renderObjects(plan, namespace, jobId, createNamespace);
    const warnings = [...plan.notes, ...probe.problems];
    if (src.parentId) warnings.unshift(`The workspace ${src.workspace} is shipped as it is now, which may differ from when job ${src.parentId} ran.`);

    let blocked = plan.refusal;
    if (!blocked && plan.trainJob && !createNamespace) {
      // The cluster itself checks the TrainJob: its CRD schema, CEL rules and Trainer's webhook.
      try {
        await (await targets.client(source)).apply(plan.trainJob as never, { dryRun: true, force: true });
      } catch (err) {
        blocked = `The cluster refuses this TrainJob (server-side dry run): ${describeKubeError(err, source.cluster.server)}`;
      }
    }
    const preview: PromotePreview = {
      jobId,
      source: { jobId: src.parentId, workspace: src.workspace },
      target: targets.describe(source),
      namespace,
      original: src.original,
      trainJob: plan.trainJob ? stringify(plan.trainJob, { lineWidth: 0 }) : '',
      manifest: rendered.yaml,
      objects: rendered.objects,
      shipping: {
        mode: plan.choice.mode,
        detail: shippingDetail(plan),
        archiveBytes: plan.archive?.bytes.length ?? null,
        limitBytes: CONFIGMAP_LIMIT_BYTES,
        image: plan.image?.tag ?? (plan.trainJob ? ((plan.trainJob['spec'] as { trainer?: { image?: string } }).trainer?.image ?? null) : null),
        sha256: plan.archive?.sha256 ?? null,
      },
      files: plan.listing.files.map((f) => ({ path: f.path, bytes: f.bytes })),
      totalBytes: plan.listing.totalBytes,
      trainerApi: probe.trainer.api,
      specWarnings: plan.specWarnings,
      warnings,
      blocked,
    };
    return { preview, spec, workspace: src.workspace, parentId: src.parentId, placement: { target: source.id, namespace, shipping: req.shipping } };
  }

  preview(req: PromoteRequest): Promise<PromotePreview> {
    return this.prepare(req).then((p) => p.preview);
  }

  async run(req: PromoteRequest): Promise<JobDetail> {
    const prepared = await this.prepare(req);
    if (prepared.preview.blocked) throw new ApiError('bad_request', prepared.preview.blocked);
    return this.deps.jobs.runPrepared({
      workspace: prepared.workspace,
      spec: prepared.spec,
      backend: 'kubernetes',
      placement: prepared.placement,
      parentId: prepared.parentId,
      jobId: prepared.preview.jobId,
    });
  }
}

function shippingDetail(plan: SubmissionPlan): string {
  const files = `${plan.listing.files.length} files, ${plan.listing.totalBytes.toLocaleString('en-US')} bytes`;
  switch (plan.choice.mode) {
    case 'hostPath':
      return `The workspace is used in place: ${plan.choice.why} (hostPath at /workspace; ${files}).`;
    case 'configMap':
      return `The workspace (${files}) ships as a ${plan.archive ? plan.archive.bytes.length.toLocaleString('en-US') : '?'}-byte gzip archive in ConfigMap ${plan.configMapName}, unpacked into /workspace before the command; ${plan.choice.why}.`;
    case 'image':
      return `The workspace (${files}) is built into image ${plan.image?.tag} on top of ${plan.image?.base || '?'} and ${plan.image?.delivery === 'kind-load' ? 'loaded into the local cluster (kind load)' : 'pushed to the registry'}; ${plan.choice.why}.`;
  }
}
