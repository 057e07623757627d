/**
 * Which parts of a TrainJob a backend cannot honour. The same manifest runs everywhere, so
 * anything a backend has to drop or change is reported with its line and what happens instead
 * — never silently ignored.
 */
import type { Position, TrainJobIssue } from './issues.js';
import { byPosition, makeIssue, sourceOf } from './issues.js';
import { quantityCeil } from './quantity.js';
import type { PathSegment } from './schema-walk.js';
import { findUnknownFields } from './schema-walk.js';
import type { TrainJob } from './trainjob-schema.js';
import { MANAGED_BY_VALUES, trainJobSchema } from './trainjob-schema.js';

export type Backend = 'local-process' | 'container' | 'kubernetes';

export interface BackendContext {
  /** GPUs a local backend can give each node; GPU requests above this are reported. Default 0. */
  gpusPerNode?: number;
  /** Installed Kubeflow Trainer version (e.g. "2.1.0"), when known; enables version-specific checks. */
  trainerVersion?: string;
}

/** Resources the local backends turn into process/container limits; others are reported. */
const ENFORCED_LOCALLY = new Set(['cpu', 'memory']);

export function unsupportedFields(job: TrainJob, backend: Backend, context: BackendContext = {}): TrainJobIssue[] {
  const source = sourceOf(job);
  const file = source?.file ?? 'trainjob.yaml';
  const out: TrainJobIssue[] = [];
  const report = (path: PathSegment[], instead: string) => {
    const pos: Position = source ? source.locate(path, { key: true }) : { line: 0, column: 0 };
    out.push(makeIssue(file, path, pos, `the ${backend} backend cannot honour this; ${instead}`));
  };
  const local = backend !== 'kubernetes';
  const spec = job.spec;
  const trainer = spec.trainer;

  for (const { path } of findUnknownFields(trainJobSchema, job)) {
    report(
      path,
      local
        ? 'it is not a TrainJob field and is ignored.'
        : 'it is not a TrainJob field; the API server drops it, or rejects the TrainJob under strict field validation.',
    );
  }

  if (local) {
    if (backend === 'local-process' && trainer?.image) {
      report(['spec', 'trainer', 'image'], "the command runs with this machine's Python instead of inside the image, so the packages it needs must be installed locally.");
    }
    for (const key of ['podSpecOverrides', 'podTemplateOverrides', 'runtimePatches'] as const) {
      if (spec[key]?.length) report(['spec', key], 'there are no pods to override, so these overrides are not applied.');
    }
    for (const key of ['dataset', 'model'] as const) {
      const init = spec.initializer?.[key];
      if (init) {
        const what = init.storageUri ? `nothing downloads ${init.storageUri}` : `no ${key} initializer runs`;
        report(['spec', 'initializer', key], `${what}; the training code must find its ${key} itself (e.g. under the workspace).`);
      }
    }
    if (spec.suspend === true) report(['spec', 'suspend'], 'a local job cannot be held suspended; it starts when you run it.');
    if (spec.managedBy && spec.managedBy !== MANAGED_BY_VALUES[0]) report(['spec', 'managedBy'], 'there is no Kueue here; the job runs on this machine.');
    if (spec.activeDeadlineSeconds !== undefined) report(['spec', 'activeDeadlineSeconds'], 'the deadline is not enforced; cancel the job by hand if it runs too long.');
    for (const key of ['labels', 'annotations'] as const) {
      if (spec[key] && Object.keys(spec[key]).length) report(['spec', key], 'there is no JobSet to apply them to; they are kept in the job record only.');
    }
    if (!/torch/.test(spec.runtimeRef.name) || /torchtune/.test(spec.runtimeRef.name)) {
      report(['spec', 'runtimeRef', 'name'], `ranks are started with the torch environment contract (RANK, WORLD_SIZE, MASTER_ADDR…); the "${spec.runtimeRef.name}" runtime's own launcher is not reproduced.`);
    }
    trainer?.env?.forEach((env, i) => {
      if (env.valueFrom) report(['spec', 'trainer', 'env', i, 'valueFrom'], `valueFrom needs Kubernetes to resolve it, so ${env.name} is not set.`);
    });
    const resources = trainer?.resourcesPerNode;
    const gpus = requestedGpus(trainer);
    const have = context.gpusPerNode ?? 0;
    if (gpus && gpus.count > have) {
      report(['spec', 'trainer', 'resourcesPerNode', gpus.from, gpus.key], `${gpus.count} GPU(s) per node requested but ${have} available to this backend; the processes run without ${have ? 'the missing GPUs' : 'a GPU'}.`);
    }
    for (const from of ['limits', 'requests'] as const) {
      for (const key of Object.keys(resources?.[from] ?? {})) {
        if (isGpuKey(key)) continue;
        if (!ENFORCED_LOCALLY.has(key)) report(['spec', 'trainer', 'resourcesPerNode', from, key], `${key} is not enforced locally.`);
        // Containers get cgroup limits; plain processes share the machine (no limit is applied).
        else if (backend === 'local-process' && from === 'limits') {
          report(['spec', 'trainer', 'resourcesPerNode', from, key], `the ${key} limit is not applied to local processes; use the container backend to enforce it.`);
        }
      }
    }
    if (resources?.claims !== undefined) report(['spec', 'trainer', 'resourcesPerNode', 'claims'], 'resource claims need Kubernetes dynamic resource allocation; they are ignored.');
  } else if (context.trainerVersion) {
    versionChecks(job, context.trainerVersion, report);
  }
  return out.sort(byPosition);
}

function isGpuKey(key: string): boolean {
  return key.toLowerCase().includes('gpu');
}

type Resources = { resourcesPerNode?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> } };

/** The GPU request per node in resourcesPerNode (limits first, as Kubernetes reads them), if any. */
export function requestedGpus(trainer: Resources | undefined): { from: 'limits' | 'requests'; key: string; count: number } | undefined {
  const resources = trainer?.resourcesPerNode;
  return gpuRequest(resources?.limits, 'limits') ?? gpuRequest(resources?.requests, 'requests');
}

/** GPUs per node that resourcesPerNode asks for; 0 for none. */
export const requestedGpusPerNode = (trainer: Resources | undefined): number => requestedGpus(trainer)?.count ?? 0;

function gpuRequest(list: Record<string, string | number> | undefined, from: 'limits' | 'requests') {
  for (const [key, value] of Object.entries(list ?? {})) {
    const count = quantityCeil(value) ?? 0;
    if (isGpuKey(key) && count > 0) return { from, key, count };
  }
  return undefined;
}

/**
 * Fields that exist only in some Trainer releases: v2.0 podSpecOverrides, v2.1 podTemplateOverrides;
 * v2.2 replaced those and spec.labels/annotations with runtimePatches (kubeflow/trainer#3309).
 */
function versionChecks(job: TrainJob, version: string, report: (path: PathSegment[], instead: string) => void): void {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const v = major * 100 + minor;
  const spec = job.spec;
  type Key = 'podSpecOverrides' | 'podTemplateOverrides' | 'runtimePatches' | 'labels' | 'annotations';
  const field = (key: Key, from: number, until: number, name: string) => {
    const value = spec[key];
    const present = Array.isArray(value) ? value.length > 0 : value !== undefined && Object.keys(value).length > 0;
    if (present && (v < from || v >= until)) report(['spec', key], `Trainer ${version} does not know ${key} (${name}); it is dropped or rejected.`);
  };
  field('podSpecOverrides', 0, 201, 'Trainer v2.0 only');
  field('podTemplateOverrides', 201, 202, 'Trainer v2.1 only');
  field('runtimePatches', 202, Infinity, 'Trainer v2.2 and later');
  field('labels', 0, 202, 'before Trainer v2.2; use runtimePatches metadata');
  field('annotations', 0, 202, 'before Trainer v2.2; use runtimePatches metadata');
  if (typeof spec.trainer?.numProcPerNode === 'string' && v >= 202) {
    report(['spec', 'trainer', 'numProcPerNode'], `Trainer ${version} accepts only a whole number here; set numProcPerNode to a number.`);
  }
}
