/**
 * From the Experiment's trial template and one assignment to the trial's TrainJob: every
 * `${trialParameters.X}` anywhere in trialSpec (command, args, env, …) becomes the value of the
 * parameter X refers to, `${trialSpec.Name}`-style references become the trial's own metadata,
 * and metadata.name becomes the trial name (as Katib names the trial's job after the trial).
 */
import { stringify } from 'yaml';
import { isPlainObject } from '../jobs/trainjob/schema-walk.js';
import { TRAINJOB_API_VERSION, TRAINJOB_KIND } from '../jobs/trainjob/trainjob-schema.js';
import type { ExperimentPlan } from './parse-experiment.js';
import type { Assignment } from './search-space.js';

export const TRIAL_PARAMETER_REF = /\$\{trialParameters\.([^}]+)\}/;
/** Katib's metadata references usable as a trial parameter's `reference`. */
export const TRIAL_SPEC_REFS = /^\$\{trialSpec\.(Name|Namespace|Kind|APIVersion|Labels\[[^\]]+\]|Annotations\[[^\]]+\])\}$/;

/** Trial names: `<experiment>-<n>`, a valid TrainJob name (RFC 1035 label, ≤ 63 characters). */
export function trialName(experimentName: string, seq: number): string {
  const suffix = `-${seq}`;
  let base = experimentName.slice(0, 63 - suffix.length).replace(/-+$/, '');
  if (!/^[a-z]/.test(base)) base = `t${base}`.slice(0, 63 - suffix.length);
  return `${base}${suffix}`;
}

function metaValue(ref: string, meta: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> }): string {
  const m = TRIAL_SPEC_REFS.exec(ref)!;
  const what = m[1]!;
  if (what === 'Name') return meta.name;
  if (what === 'Namespace') return meta.namespace;
  if (what === 'Kind') return TRAINJOB_KIND;
  if (what === 'APIVersion') return TRAINJOB_API_VERSION;
  const key = what.slice(what.indexOf('[') + 1, -1);
  return (what.startsWith('Labels') ? meta.labels[key] : meta.annotations[key]) ?? '';
}

/** trialParameter name → the text it stands for in this trial. */
export function trialValues(plan: ExperimentPlan, assignment: Assignment, name: string): Record<string, string> {
  const spec = plan.trialSpec;
  const metadata = isPlainObject(spec.metadata) ? spec.metadata : {};
  const meta = {
    name,
    namespace: plan.namespace ?? 'default',
    labels: (isPlainObject(metadata.labels) ? metadata.labels : {}) as Record<string, string>,
    annotations: (isPlainObject(metadata.annotations) ? metadata.annotations : {}) as Record<string, string>,
  };
  const out: Record<string, string> = {};
  for (const tp of plan.trialParameters) {
    out[tp.name] = TRIAL_SPEC_REFS.test(tp.reference) ? metaValue(tp.reference, meta) : (assignment[tp.reference] ?? '');
  }
  return out;
}

export function substitute(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(new RegExp(TRIAL_PARAMETER_REF.source, 'g'), (whole, n: string) => values[n] ?? whole);
  if (Array.isArray(value)) return value.map((v) => substitute(v, values));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, values) as string, substitute(v, values)]));
  return value;
}

/** The trial's TrainJob manifest (YAML) for `assignment`. */
export function buildTrialJob(plan: ExperimentPlan, assignment: Assignment, name: string): string {
  const job = substitute(plan.trialSpec, trialValues(plan, assignment, name)) as Record<string, unknown>;
  const metadata = isPlainObject(job.metadata) ? { ...job.metadata } : {};
  metadata.name = name;
  return stringify({ apiVersion: job.apiVersion, kind: job.kind, metadata, ...Object.fromEntries(Object.entries(job).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k))) }, { lineWidth: 0 });
}
