/**
 * Remembers the window's size and position in `<dataDir>/window-state.json`. Parsing is
 * defensive (the file is user-editable and may be stale after a monitor was unplugged).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const MIN_SIZE = { width: 900, height: 600 } as const;
export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
/** How much of the window must overlap a display for the saved position to be reused. */
const MIN_VISIBLE = 64;

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 100_000;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? Math.min(w, h) : 0;
}

/**
 * The bounds to open with: the saved ones if still valid and visible on one of `workAreas`,
 * otherwise the default size centred by Electron (no x/y).
 */
export function restoreWindowState(saved: unknown, workAreas: Rect[]): { bounds: Partial<Rect>; maximized: boolean } {
  const fallback = { bounds: { ...DEFAULT_SIZE }, maximized: false };
  if (saved === null || typeof saved !== 'object') return fallback;
  const { bounds, maximized } = saved as { bounds?: Partial<Record<keyof Rect, unknown>>; maximized?: unknown };
  if (!bounds || ![bounds.x, bounds.y, bounds.width, bounds.height].every(isInt)) return fallback;
  const rect = {
    x: Math.round(bounds.x as number),
    y: Math.round(bounds.y as number),
    width: Math.max(MIN_SIZE.width, Math.round(bounds.width as number)),
    height: Math.max(MIN_SIZE.height, Math.round(bounds.height as number)),
  };
  const visible = workAreas.some((area) => overlap(rect, area) >= MIN_VISIBLE);
  return {
    bounds: visible ? rect : { width: rect.width, height: rect.height },
    maximized: maximized === true,
  };
}

export function loadWindowState(dataDir: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')) as unknown;
  } catch {
    return null; // first start or unreadable file: use defaults
  }
}

/** Written atomically (temp file + rename) so a crash mid-write cannot leave broken JSON. */
export function saveWindowState(dataDir: string, state: WindowState): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
