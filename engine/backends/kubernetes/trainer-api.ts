/**
 * Which Kubeflow Trainer API a cluster serves. Every release keeps `trainer.kubeflow.org/v1alpha1`,
 * so the version is read from the TrainJob CRD's schema instead: the field pods are patched
 * through changed in each generation (upstream pkg/apis/trainer/v1alpha1/trainjob_types.go):
 *   v2.0  spec.podSpecOverrides      [{ targetJobs, volumes, containers: [{ name, volumeMounts }] }]
 *   v2.1  spec.podTemplateOverrides  [{ targetJobs, metadata, spec: { volumes, containers } }]
 *   v2.2+ spec.runtimePatches        [{ manager, trainingRuntimeSpec: { template: { spec: { replicatedJobs } } } }]
 */
import type { TrainerApi } from '../../api/schemas/kubernetes.js';

export const TRAINJOB_CRD = 'trainjobs.trainer.kubeflow.org';
export const JOBSET_CRD = 'jobsets.jobset.x-k8s.io';

export type OverridesField = 'podSpecOverrides' | 'podTemplateOverrides' | 'runtimePatches';

export const OVERRIDES_FIELD: Record<TrainerApi, OverridesField> = {
  'v2.0': 'podSpecOverrides',
  'v2.1': 'podTemplateOverrides',
  'v2.2+': 'runtimePatches',
};

/** From the `spec.properties` of the TrainJob CRD's served version; null when none of the fields is there. */
export function trainerApiFromSpecProperties(properties: Record<string, unknown> | undefined): TrainerApi | null {
  if (!properties) return null;
  if ('runtimePatches' in properties) return 'v2.2+';
  if ('podTemplateOverrides' in properties) return 'v2.1';
  if ('podSpecOverrides' in properties) return 'v2.0';
  return null;
}

interface CrdLike {
  spec?: { versions?: { name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: { properties?: { spec?: { properties?: Record<string, unknown> } } } } }[] };
}

/** Served versions and the API generation of a TrainJob CRD object. */
export function describeTrainJobCrd(crd: CrdLike): { servedVersions: string[]; api: TrainerApi | null } {
  const versions = crd.spec?.versions ?? [];
  const served = versions.filter((v) => v.served !== false);
  const v1alpha1 = served.find((v) => v.name === 'v1alpha1') ?? served[0];
  return { servedVersions: served.map((v) => v.name), api: trainerApiFromSpecProperties(v1alpha1?.schema?.openAPIV3Schema?.properties?.spec?.properties) };
}

/** The same from the OpenAPI v3 document of trainer.kubeflow.org/v1alpha1 (readable without CRD access). */
export function trainerApiFromOpenApi(doc: { components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> } }): TrainerApi | null {
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    if (!name.endsWith('.TrainJob')) continue;
    const spec = schema.properties?.['spec'] as { properties?: Record<string, unknown>; allOf?: { $ref?: string }[] } | undefined;
    if (spec?.properties) return trainerApiFromSpecProperties(spec.properties);
    const ref = spec?.allOf?.[0]?.$ref?.split('/').pop();
    if (ref) return trainerApiFromSpecProperties(doc.components?.schemas?.[ref]?.properties);
  }
  return null;
}

/** The release whose rules unsupportedFields() applies for this generation. */
export function trainerVersionFor(api: TrainerApi): string {
  return api === 'v2.0' ? '2.0' : api === 'v2.1' ? '2.1' : '2.2';
}
