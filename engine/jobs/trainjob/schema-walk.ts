/**
 * Walks the TrainJob zod schema alongside parsed data: finds the `{ expected, hint }` meta for a
 * path (for error messages) and lists fields the schema does not know (loose objects let them
 * through, so they have to be found separately to be reported).
 */
import { z } from 'zod';
import type { FieldMeta } from './trainjob-schema.js';

export type PathSegment = string | number;

function metaOf(schema: z.ZodType): FieldMeta | undefined {
  const meta = schema.meta() as Partial<FieldMeta> | undefined;
  return typeof meta?.expected === 'string' ? (meta as FieldMeta) : undefined;
}

/** Strips optional/nullable/default/refine wrappers, keeping the outermost meta seen. */
function unwrap(schema: z.ZodType): { schema: z.ZodType; meta: FieldMeta | undefined } {
  let current = schema;
  let meta = metaOf(current);
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else break;
    meta ??= metaOf(current);
  }
  return { schema: current, meta };
}

function child(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return typeof segment === 'string' ? (schema.shape as Record<string, z.ZodType>)[segment] : undefined;
  if (schema instanceof z.ZodArray) return typeof segment === 'number' ? (schema.element as z.ZodType) : undefined;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return undefined;
}

/** The meta of the deepest schema node on `path` that has one. */
export function metaAt(root: z.ZodType, path: readonly PathSegment[]): FieldMeta | undefined {
  let { schema, meta } = unwrap(root);
  for (const segment of path) {
    const next = child(schema, segment);
    if (!next) break;
    const u = unwrap(next);
    schema = u.schema;
    meta = u.meta ?? meta;
  }
  return meta;
}

export interface UnknownField {
  path: PathSegment[];
  /** Field names the schema knows at that level, for "did you mean" hints. */
  known: string[];
}

/** Every key present in `data` that the schema's objects do not declare. */
export function findUnknownFields(root: z.ZodType, data: unknown, path: PathSegment[] = []): UnknownField[] {
  const { schema } = unwrap(root);
  const found: UnknownField[] = [];
  if (schema instanceof z.ZodObject && isPlainObject(data)) {
    const shape = schema.shape as Record<string, z.ZodType>;
    for (const [key, value] of Object.entries(data)) {
      const sub = shape[key];
      if (sub) found.push(...findUnknownFields(sub, value, [...path, key]));
      else found.push({ path: [...path, key], known: Object.keys(shape) });
    }
  } else if (schema instanceof z.ZodArray && Array.isArray(data)) {
    data.forEach((item, i) => found.push(...findUnknownFields(schema.element as z.ZodType, item, [...path, i])));
  }
  return found;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "spec.trainer.env[0].name"; keys that are not identifiers are quoted: limits["nvidia.com/gpu"]. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The closest known name when it is near enough to be a likely typo. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
