/**
 * nbformat 4 documents: structural checks with field names, a new empty notebook, and a writer
 * that produces exactly what Python's `nbformat.write` does (sorted keys, indent 1, multi-line
 * strings split into lists of lines, transient fields dropped, trailing newline). Whatever the
 * editor did not touch therefore comes out byte-for-byte as Jupyter wrote it. Pure.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type NotebookDoc = { [key: string]: unknown; cells: Cell[]; metadata: Record<string, unknown>; nbformat: number; nbformat_minor: number };
export type Cell = { [key: string]: unknown; cell_type: 'code' | 'markdown' | 'raw'; source: string | string[]; metadata: Record<string, unknown> };

export class NotebookFormatError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSource = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

/** Throws NotebookFormatError naming the first bad field, e.g. `cells[2].source: …`. */
export function checkNotebook(value: unknown, file = 'notebook'): NotebookDoc {
  const fail = (where: string, what: string): never => {
    throw new NotebookFormatError(`${file}: ${where}: ${what}`);
  };
  if (!isObject(value)) return fail('top level', 'expected a JSON object (is this an .ipynb file?)');
  if (value.nbformat !== 4) {
    return fail(
      'nbformat',
      `version ${JSON.stringify(value.nbformat)} is not supported; only nbformat 4 is. Convert it with \`jupyter nbconvert --to notebook --nbformat 4\`.`,
    );
  }
  if (typeof value.nbformat_minor !== 'number') fail('nbformat_minor', 'expected a number');
  if (!isObject(value.metadata)) fail('metadata', 'expected an object');
  if (!Array.isArray(value.cells)) return fail('cells', 'expected a list');
  value.cells.forEach((cell: unknown, i: number) => {
    const at = `cells[${i}]`;
    if (!isObject(cell)) return fail(at, 'expected an object');
    if (cell.cell_type !== 'code' && cell.cell_type !== 'markdown' && cell.cell_type !== 'raw') {
      fail(`${at}.cell_type`, `expected "code", "markdown" or "raw", got ${JSON.stringify(cell.cell_type)}`);
    }
    if (!isSource(cell.source)) fail(`${at}.source`, 'expected a string or a list of strings');
    if (!isObject(cell.metadata)) fail(`${at}.metadata`, 'expected an object');
    if (cell.cell_type === 'code' && !Array.isArray(cell.outputs)) fail(`${at}.outputs`, 'expected a list');
  });
  return value as NotebookDoc;
}

export function parseNotebook(text: string, file = 'notebook'): NotebookDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(`${file}: not valid JSON (${(err as Error).message}). Is it an .ipynb file?`);
  }
  return checkNotebook(value, file);
}

/** Python's str.splitlines(keepends=True): the same line boundaries, so lists match nbformat's. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  const re = /[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])?/g;
  for (const m of text.matchAll(re)) if (m[0] !== '') out.push(m[0]);
  return out;
}

export function joinSource(source: unknown): string {
  return Array.isArray(source) ? source.join('') : typeof source === 'string' ? source : '';
}

const NON_TEXT_SPLIT = new Set(['image/svg+xml', 'application/javascript']);

function splitBundle(data: unknown): void {
  if (!isObject(data)) return;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' && (key.startsWith('text/') || NON_TEXT_SPLIT.has(key))) data[key] = splitLines(value);
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byCodePoint)) out[key] = sortKeys(value[key]);
  return out;
}

// Python sorts str keys by code point; JS's default sort compares UTF-16 units (differs above U+FFFF).
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** nbformat.writes(nb) + the newline nbformat.write adds. */
export function serializeNotebook(nb: NotebookDoc): string {
  const copy = structuredClone(nb) as NotebookDoc;
  for (const key of ['orig_nbformat', 'orig_nbformat_minor', 'signature']) delete copy.metadata[key];
  for (const cell of copy.cells) {
    if (typeof cell.source === 'string') cell.source = splitLines(cell.source);
    if (isObject(cell.metadata)) delete cell.metadata.trusted;
    if (isObject(cell.attachments)) for (const a of Object.values(cell.attachments)) splitBundle(a);
    if (cell.cell_type !== 'code' || !Array.isArray(cell.outputs)) continue;
    for (const output of cell.outputs as Record<string, unknown>[]) {
      if (output.output_type === 'execute_result' || output.output_type === 'display_data') splitBundle(output.data);
      else if (output.output_type === 'stream' && typeof output.text === 'string') output.text = splitLines(output.text);
    }
  }
  return JSON.stringify(sortKeys(copy), null, 1) + '\n';
}

/** Same document, ignoring how strings are split into lines (what an editor round trip changes). */
export function sameNotebook(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) || isDeepStrictEqual(normalize(a), normalize(b));
}

function normalize(nb: unknown): unknown {
  try {
    return JSON.parse(serializeNotebook(checkNotebook(structuredClone(nb))));
  } catch {
    return nb;
  }
}

/** nbformat 4.5 cell ids: 1-64 of [a-zA-Z0-9-_]. */
export function newCellId(): string {
  return randomBytes(6).toString('hex');
}

export function newNotebook(kernel = { name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python' }): NotebookDoc {
  return {
    cells: [{ cell_type: 'code', execution_count: null, id: newCellId(), metadata: {}, outputs: [], source: [] }],
    metadata: {
      kernelspec: { display_name: kernel.displayName, language: kernel.language, name: kernel.name },
      language_info: { name: kernel.language },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
