/**
 * Errors and warnings about a trainjob.yaml, each pinned to a line so the editor and CLI can
 * point at it, plus a side table from a parsed job back to its source positions (so code that
 * only holds the job, like backend-support, can still name lines).
 */
import type { PathSegment } from './schema-walk.js';
import { formatPath } from './schema-walk.js';

export interface TrainJobIssue {
  /** YAML path such as "spec.trainer.numNodes"; "" for the document as a whole. */
  path: string;
  /** 1-based; 0 when the position is unknown. */
  line: number;
  /** 1-based; 0 when the position is unknown. */
  column: number;
  /** Complete sentence: "trainjob.yaml:12:17 spec.trainer.numNodes: expected …, got …. What to do." */
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

export interface TrainJobSource {
  file: string;
  /** Position of the value at `path` (or of its key when `key`), falling back to the nearest parent. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): Position;
}

// Keyed by the job object so the parsed manifest stays a plain object (JSON-serialisable, no extra fields).
const sources = new WeakMap<object, TrainJobSource>();

export function rememberSource(job: object, source: TrainJobSource): void {
  sources.set(job, source);
}

/** Where `job` came from, when it was produced by parseTrainJob (copies of it are not tracked). */
export function sourceOf(job: object): TrainJobSource | undefined {
  return sources.get(job);
}

export function makeIssue(file: string, path: readonly PathSegment[], pos: Position, text: string): TrainJobIssue {
  const p = formatPath(path);
  const where = pos.line > 0 ? `${file}:${pos.line}:${pos.column}` : file;
  return { path: p, line: pos.line, column: pos.column, message: `${where} ${p ? `${p}: ` : ''}${text}` };
}

/** A short, readable rendering of a YAML value for "got …". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

export function byPosition(a: TrainJobIssue, b: TrainJobIssue): number {
  return a.line - b.line || a.column - b.column;
}
