/**
 * Messages from a sandboxed output frame. They come from an opaque origin running notebook
 * code, so nothing is trusted: only two shapes are accepted, and a height is clamped. Pure.
 */
export type FrameMessage = { type: 'ready' } | { type: 'height'; height: number };

export const MAX_FRAME_HEIGHT = 2000;

export function readFrameMessage(data: unknown): FrameMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const msg = data as { type?: unknown; height?: unknown };
  if (msg.type === 'kfd-frame-ready') return { type: 'ready' };
  if (msg.type === 'kfd-frame-height' && typeof msg.height === 'number' && Number.isFinite(msg.height)) {
    return { type: 'height', height: Math.max(16, Math.min(MAX_FRAME_HEIGHT, Math.ceil(msg.height))) };
  }
  return null;
}

/** What the frame is told to render: HTML (scripts in it run) or a JavaScript output. */
export function renderMessage(mime: 'text/html' | 'application/javascript', text: string, theme: { dark: boolean; color: string }) {
  return mime === 'text/html' ? { type: 'kfd-render', html: text, ...theme } : { type: 'kfd-render', js: text, ...theme };
}

/** The app's theme changed: the frame recolours without running the output again. */
export function themeMessage(theme: { dark: boolean; color: string }) {
  return { type: 'kfd-theme', ...theme };
}

/** A short fingerprint of an output's text: a new one remounts the frame (update_display_data). */
export function textKey(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return `${text.length}:${(h >>> 0).toString(36)}`;
}
