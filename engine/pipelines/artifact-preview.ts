/**
 * What the run page shows for an artifact: Metrics and ClassificationMetrics from their metadata
 * (as kfp's executor writes it), Markdown, HTML (rendered by the page in its sandboxed frame),
 * images as data URLs, text, or a directory's files. Reads at most `limit` bytes.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactPreview } from '../api/schemas/pipelines.js';
import type { ArtifactRecord } from './run/executor-input.js';

const LIMIT = 512 * 1024;
const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml' };

async function readHead(file: string, limit: number): Promise<{ data: Buffer; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const data = Buffer.alloc(Math.min(size, limit));
    await handle.read(data, 0, data.length, 0);
    return { data, size };
  } finally {
    await handle.close();
  }
}

export function looksBinary(data: Buffer): boolean {
  return data.subarray(0, 4096).includes(0);
}

export async function previewArtifact(a: ArtifactRecord, limit = LIMIT): Promise<ArtifactPreview> {
  const schemaTitle = a.type.schemaTitle ?? 'system.Artifact';
  const base = { uri: a.uri, schemaTitle, metadata: a.metadata, size: 0, truncated: false };
  if (schemaTitle === 'system.Metrics') return { ...base, kind: 'metrics' };
  if (schemaTitle === 'system.ClassificationMetrics' || schemaTitle === 'system.SlicedClassificationMetrics') return { ...base, kind: 'classification' };
  const info = await stat(a.uri).catch(() => null);
  if (!info) return { ...base, kind: 'missing' };
  if (info.isDirectory()) {
    const names = (await readdir(a.uri)).slice(0, 200);
    const files = await Promise.all(names.map(async (name) => ({ name, size: (await stat(path.join(a.uri, name)).catch(() => null))?.size ?? 0 })));
    return { ...base, kind: 'directory', files, size: files.reduce((n, f) => n + f.size, 0) };
  }
  const ext = path.extname(a.uri).toLowerCase();
  if (IMAGE_TYPES[ext] && info.size <= limit) {
    const { data, size } = await readHead(a.uri, limit);
    return { ...base, kind: 'image', dataUrl: `data:${IMAGE_TYPES[ext]};base64,${data.toString('base64')}`, size };
  }
  const { data, size } = await readHead(a.uri, limit);
  const truncated = size > data.length;
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && !truncated) {
    return { ...base, kind: 'image', dataUrl: `data:image/png;base64,${data.toString('base64')}`, size };
  }
  if (looksBinary(data)) return { ...base, kind: 'binary', size, truncated };
  const text = data.toString('utf8');
  if (schemaTitle === 'system.Markdown' || ext === '.md') return { ...base, kind: 'markdown', text, size, truncated };
  if (schemaTitle === 'system.HTML' || ext === '.html' || ext === '.htm') return { ...base, kind: 'html', text, size, truncated };
  return { ...base, kind: 'text', text, size, truncated };
}
