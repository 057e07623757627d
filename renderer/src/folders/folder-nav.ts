/** The folder browser's pure parts: the breadcrumb from home, type-ahead, and what "Choose" picks. */

export interface Crumb {
  label: string;
  path: string;
}

/** Home, then each folder below it down to `path` ("Home / experiments / mnist"). */
export function crumbs(home: string, path: string): Crumb[] {
  const out: Crumb[] = [{ label: 'Home', path: home }];
  if (path === home || !path.startsWith(home)) return out;
  let at = home.replace(/\/+$/, '');
  for (const part of path.slice(home.length).split('/').filter(Boolean)) {
    at = `${at}/${part}`;
    out.push({ label: part, path: at });
  }
  return out;
}

/**
 * Type-ahead: the first name after `from` (wrapping) that starts with `typed`, case-insensitive.
 * A single repeated letter cycles through the names with that letter, as in file managers.
 */
export function typeAhead(names: readonly string[], typed: string, from: number): number {
  if (!typed || names.length === 0) return from;
  const t = typed.toLowerCase();
  const repeated = [...t].every((c) => c === t[0]);
  const wanted = repeated ? t[0]! : t;
  // One letter moves on from the current name; a longer prefix may still match it.
  const start = repeated ? from + 1 : Math.max(from, 0);
  for (let k = 0; k < names.length; k++) {
    const i = (start + k) % names.length;
    if (names[i]!.toLowerCase().startsWith(wanted)) return i;
  }
  return from;
}

/** What Choose takes: the highlighted folder, else the folder being shown. */
export function chosenPath(current: string, folders: readonly { path: string }[], active: number): string {
  return folders[active]?.path ?? current;
}

/** "/home/u/exp/mnist" → "~/exp/mnist" (short enough to read in the dialog's footer). */
export function homeRelative(path: string, home: string): string {
  const h = home.replace(/\/+$/, '');
  if (path === h) return '~';
  return h && path.startsWith(`${h}/`) ? `~${path.slice(h.length)}` : path;
}

/**
 * The desktop app's folder dialog when there is one; the in-app browser when there is none (web
 * mode) or it fails. Cancelling the native dialog is an answer (null), not a failure.
 */
export async function pickFolderWith(native: (() => Promise<string | null>) | undefined, browse: () => Promise<string | null>): Promise<string | null> {
  if (native) {
    try {
      return await native();
    } catch {
      // no portal, a sandbox, a broken dialog: fall through to the browser
    }
  }
  return browse();
}
