/**
 * Which representation of a MIME bundle to show: the richest one we can render, in VS Code's
 * ipynb order (HTML and JavaScript, then images, then markdown, JSON, plain text last). Pure.
 */
import { joinText } from './notebook-doc';

export const MIME_ORDER = [
  'text/html',
  'application/javascript',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'text/markdown',
  'application/json',
  'text/plain',
] as const;
export type RenderableMime = (typeof MIME_ORDER)[number];

export function pickMime(data: Record<string, unknown> | undefined): RenderableMime | null {
  if (!data) return null;
  return MIME_ORDER.find((m) => data[m] !== undefined && data[m] !== null) ?? null;
}

/** Text-like values may be a string or nbformat's list of lines. */
export function mimeText(value: unknown): string {
  return joinText(value);
}

/** base64 payloads from files can be split into lines: drop the whitespace. */
export function imageSrc(mime: string, value: unknown): string {
  return `data:${mime};base64,${joinText(value).replace(/\s+/g, '')}`;
}

/** Width/height an output's metadata asks for (`{"image/png": {"width": 320}}`), if any. */
export function imageSize(metadata: unknown, mime: string): { width?: number; height?: number } {
  const entry = (metadata as Record<string, unknown> | undefined)?.[mime] as { width?: unknown; height?: unknown } | undefined;
  const size: { width?: number; height?: number } = {};
  if (typeof entry?.width === 'number' && entry.width > 0) size.width = entry.width;
  if (typeof entry?.height === 'number' && entry.height > 0) size.height = entry.height;
  return size;
}
