/**
 * Typed custom properties as the Kubeflow Model Registry has them (`MetadataStringValue`,
 * `MetadataDoubleValue`, `MetadataIntValue`, `MetadataBoolValue`, `MetadataStructValue`): build
 * them from plain values, read them back for display. Pure.
 */
import type { CustomProperties, MetadataValue } from '../api/schemas/models.js';

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

export const stringValue = (v: string): MetadataValue => ({ metadataType: 'MetadataStringValue', string_value: v });
export const doubleValue = (v: number): MetadataValue => ({ metadataType: 'MetadataDoubleValue', double_value: v });
export const boolValue = (v: boolean): MetadataValue => ({ metadataType: 'MetadataBoolValue', bool_value: v });
/** int32 only (the API's MetadataIntValue); larger integers become doubles. */
export function numberValue(v: number): MetadataValue {
  if (Number.isInteger(v) && v >= INT32.min && v <= INT32.max) return { metadataType: 'MetadataIntValue', int_value: String(v) };
  return doubleValue(v);
}
export const structValue = (v: Record<string, unknown>): MetadataValue => ({ metadataType: 'MetadataStructValue', struct_value: Buffer.from(JSON.stringify(v)).toString('base64') });

/** A plain JS value → its typed property (strings, finite numbers, booleans; objects as structs). Null for what cannot be stored. */
export function toMetadataValue(v: unknown): MetadataValue | null {
  if (typeof v === 'string') return stringValue(v);
  if (typeof v === 'boolean') return boolValue(v);
  if (typeof v === 'number') return Number.isFinite(v) ? numberValue(v) : null;
  if (v && typeof v === 'object' && !Array.isArray(v)) return structValue(v as Record<string, unknown>);
  return null;
}

/** The value for display: "0.95", "true", "digits", or the struct's JSON. */
export function formatMetadataValue(v: MetadataValue): string {
  switch (v.metadataType) {
    case 'MetadataStringValue':
      return v.string_value;
    case 'MetadataDoubleValue':
      return String(v.double_value);
    case 'MetadataIntValue':
      return v.int_value;
    case 'MetadataBoolValue':
      return String(v.bool_value);
    case 'MetadataStructValue':
      try {
        return Buffer.from(v.struct_value, 'base64').toString('utf8');
      } catch {
        return v.struct_value;
      }
  }
}

/** Property keys we write; a user's own properties keep their names. */
export const PROPERTY = {
  jobId: 'kfd.job.id',
  jobName: 'kfd.job.name',
  workspace: 'kfd.job.workspace',
  backend: 'kfd.job.backend',
  pipelineRun: 'kfd.pipeline.run_id',
  pipelineTask: 'kfd.pipeline.task_id',
  python: 'kfd.training.python',
  /** Prefix of one library version, e.g. `kfd.training.lib.scikit-learn`. */
  library: 'kfd.training.lib.',
  /** Prefix of a final metric, e.g. `metric.accuracy`. */
  metric: 'metric.',
} as const;

/** Merges property maps left to right (later keys win). */
export function mergeProperties(...maps: (CustomProperties | undefined)[]): CustomProperties {
  return Object.assign({}, ...maps.filter(Boolean)) as CustomProperties;
}
