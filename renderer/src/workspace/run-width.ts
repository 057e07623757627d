/**
 * How wide the run panel beside the editor is: dragged or keyed by the user, kept per browser,
 * always leaving the file tree and a usable editor. Pure apart from the localStorage helpers.
 */
export const TREE_WIDTH = 180;
/** The file tree folded away to a strip with its "show" button. */
export const FOLDED_TREE_WIDTH = 30;
export const MIN_EDITOR = 320;
export const MIN_RUN = 340;
/** One arrow-key step on the splitter. */
export const STEP = 40;
const KEY = 'kfd.workspace.runWidth';

/** The width to use for `wanted` (null = half of what the tree leaves) inside a body `bodyWidth` wide. */
export function clampRunWidth(wanted: number | null, bodyWidth: number, treeWidth = TREE_WIDTH): number {
  const max = Math.max(MIN_RUN, bodyWidth - treeWidth - MIN_EDITOR);
  const value = wanted ?? Math.round((bodyWidth - treeWidth) / 2);
  return Math.min(max, Math.max(MIN_RUN, Math.round(value)));
}

export function loadRunWidth(): number | null {
  const raw = Number(globalThis.localStorage?.getItem(KEY));
  return Number.isFinite(raw) && raw > 0 ? raw : null;
}

export function saveRunWidth(width: number | null): void {
  if (width === null) globalThis.localStorage?.removeItem(KEY);
  else globalThis.localStorage?.setItem(KEY, String(Math.round(width)));
}
