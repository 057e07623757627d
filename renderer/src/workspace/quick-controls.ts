/**
 * The run toolbar's quick controls (nodes, processes per node, GPUs per node): read from the
 * trainjob.yaml buffer and written back into it with the `yaml` document API, so comments,
 * key order and quoting elsewhere in the file stay as the user wrote them. Pure.
 */
import { isMap, isScalar, parseDocument, type Document } from 'yaml';

export const GPU_KEY = 'nvidia.com/gpu';

export type QuickField = 'numNodes' | 'numProcPerNode' | 'gpus';

export const QUICK_PATHS: Record<QuickField, readonly string[]> = {
  numNodes: ['spec', 'trainer', 'numNodes'],
  numProcPerNode: ['spec', 'trainer', 'numProcPerNode'],
  gpus: ['spec', 'trainer', 'resourcesPerNode', 'limits', GPU_KEY],
};

export interface QuickValues {
  /** null = not set in the file (the backend's default applies) or not a whole number. */
  numNodes: number | null;
  numProcPerNode: number | null;
  gpus: number | null;
  /** Why the controls cannot edit the file now (a YAML syntax error), or null. */
  error: string | null;
}

function parse(text: string): Document.Parsed | null {
  const doc = parseDocument(text);
  return doc.errors.length > 0 || !isMap(doc.contents) ? null : doc;
}

function wholeNumber(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

export function readQuick(text: string): QuickValues {
  const doc = parse(text);
  if (!doc) return { numNodes: null, numProcPerNode: null, gpus: null, error: 'Fix the YAML syntax in trainjob.yaml to use these controls.' };
  const get = (field: QuickField) => wholeNumber(doc.getIn(QUICK_PATHS[field]));
  return { numNodes: get('numNodes'), numProcPerNode: get('numProcPerNode'), gpus: get('gpus'), error: null };
}

/** Removes `path`'s last key, then any mapping left empty above it (up to spec.trainer). */
function deletePruning(doc: Document.Parsed, path: readonly string[]): void {
  doc.deleteIn(path);
  for (let depth = path.length - 1; depth > 2; depth--) {
    const parent = doc.getIn(path.slice(0, depth));
    if (isMap(parent) && parent.items.length === 0) doc.deleteIn(path.slice(0, depth));
    else break;
  }
}

/**
 * `text` with one control's value written in; null clears it (GPUs: 0 clears too). Returns the
 * text unchanged when it cannot be parsed: the control is disabled then anyway.
 */
export function writeQuick(text: string, field: QuickField, value: number | null): string {
  const doc = parse(text);
  if (!doc) return text;
  const path = QUICK_PATHS[field];
  if (value === null || (field === 'gpus' && value === 0)) {
    if (!doc.hasIn(path)) return text;
    deletePruning(doc, path);
    return serialise(doc);
  }
  // An existing value is replaced in place: the rest of the file stays byte for byte.
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) return text.slice(0, node.range[0]) + String(value) + text.slice(node.range[1]);
  doc.setIn(path, value);
  return serialise(doc);
}

/** Re-serialised as close to hand-written YAML as the library allows (no padding in [a, b], no folding). */
function serialise(doc: Document.Parsed): string {
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
}
