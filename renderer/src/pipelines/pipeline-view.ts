/**
 * How pipeline runs and their artifacts are shown: status tones, classification metrics
 * (confusion matrix, ROC points) from kfp's metadata, metrics gathered for comparing runs,
 * parameter form values. Pure; tested in node.
 */
import type { PipelineArtifact, PipelineRunDetail, PipelineTaskStatus } from '../../../engine/api/contract';

export type Tone = 'created' | 'running' | 'complete' | 'failed' | 'cancelled' | 'skipped';

export function toneOf(status: PipelineTaskStatus): Tone {
  switch (status) {
    case 'Pending': return 'created';
    case 'Running': return 'running';
    case 'Succeeded': return 'complete';
    case 'Failed': return 'failed';
    case 'Cancelled': return 'cancelled';
    case 'Skipped': return 'skipped';
  }
}

export const isFinalRun = (s: string) => s === 'Succeeded' || s === 'Failed' || s === 'Cancelled';

export interface ConfusionMatrix {
  labels: string[];
  rows: number[][];
  max: number;
}

/** `cm.log_confusion_matrix(labels, matrix)` → {confusionMatrix: {annotationSpecs, rows: [{row}]}}. */
export function confusionMatrixOf(metadata: Record<string, unknown>): ConfusionMatrix | null {
  const cm = metadata.confusionMatrix as { annotationSpecs?: { displayName?: string }[]; rows?: { row?: number[] }[] } | undefined;
  if (!cm?.rows?.length) return null;
  const rows = cm.rows.map((r) => (r.row ?? []).map(Number));
  const labels = (cm.annotationSpecs ?? []).map((a, i) => a.displayName ?? String(i));
  return { labels, rows, max: Math.max(1, ...rows.flat()) };
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

/** `cm.log_roc_curve(fpr, tpr, threshold)` → {confidenceMetrics: [{falsePositiveRate, recall, confidenceThreshold}]}. */
export function rocOf(metadata: Record<string, unknown>): RocPoint[] {
  const list = metadata.confidenceMetrics as { falsePositiveRate?: number; recall?: number; confidenceThreshold?: number }[] | undefined;
  if (!Array.isArray(list)) return [];
  return list
    .map((p) => ({ fpr: Number(p.falsePositiveRate ?? 0), tpr: Number(p.recall ?? 0), threshold: Number(p.confidenceThreshold ?? 0) }))
    .sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
}

/** Scalar metrics of a Metrics artifact (`metrics.log_metric(name, value)`). */
export function scalarMetrics(metadata: Record<string, unknown>): [string, number][] {
  return Object.entries(metadata).filter((e): e is [string, number] => typeof e[1] === 'number');
}

/** Every scalar metric of a run, `task/metric` → value: what comparing two runs lines up. */
export function runMetrics(run: Pick<PipelineRunDetail, 'tasks'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of run.tasks) {
    for (const list of Object.values(t.outputs.artifacts)) {
      for (const a of list as PipelineArtifact[]) {
        if (a.type.schemaTitle !== 'system.Metrics') continue;
        for (const [k, v] of scalarMetrics(a.metadata)) out[`${t.path}/${k}`] = v;
      }
    }
  }
  return out;
}

export interface CompareRow {
  key: string;
  a: string;
  b: string;
  differs: boolean;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function compareRows(a: Record<string, unknown>, b: Record<string, unknown>): CompareRow[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.map((key) => ({ key, a: show(a[key]), b: show(b[key]), differs: show(a[key]) !== show(b[key]) }));
}

/** A form field's initial text for a parameter's default. */
export function defaultText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
