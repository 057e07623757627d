/** The file tree from the engine's flat listing: nesting, sorting, what is visible. Pure. */
import type { FileEntry } from '../../../engine/api/contract';

export interface TreeNode {
  entry: FileEntry;
  name: string;
  children: TreeNode[];
}

export interface VisibleRow {
  node: TreeNode;
  depth: number;
  expanded: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function baseName(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/** "a/b/c.py" → "a/b"; top-level entries → "". */
export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Folders first, then natural order ignoring case (file2 before file10). */
export function compareNodes(a: TreeNode, b: TreeNode): number {
  const dirA = a.entry.kind === 'dir' ? 0 : 1;
  const dirB = b.entry.kind === 'dir' ? 0 : 1;
  return dirA - dirB || collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Nests entries under their folders; an entry whose folder is missing (a cut-off listing) goes to the top. */
export function buildTree(entries: readonly FileEntry[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const entry of entries) nodes.set(entry.path, { entry, name: baseName(entry.path), children: [] });
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = nodes.get(parentOf(node.entry.path));
    (parent && parent.entry.kind === 'dir' ? parent.children : roots).push(node);
  }
  const sort = (list: TreeNode[]) => {
    list.sort(compareNodes);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** The rows shown, depth first, descending only into expanded folders. */
export function visibleRows(roots: readonly TreeNode[], expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (list: readonly TreeNode[], depth: number) => {
    for (const node of list) {
      const open = node.entry.kind === 'dir' && expanded.has(node.entry.path);
      rows.push({ node, depth, expanded: open });
      if (open) walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return rows;
}

/** Every folder above `rel`, so revealing a file can expand them. */
export function ancestors(rel: string): string[] {
  const out: string[] = [];
  for (let p = parentOf(rel); p; p = parentOf(p)) out.unshift(p);
  return out;
}

/** A name for a new or renamed entry, or why it cannot be one. */
export function checkName(name: string, siblings: readonly string[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Give it a name.';
  if (trimmed === '.' || trimmed === '..') return 'That name is reserved.';
  if (/[/\\\0]/.test(trimmed)) return 'A name cannot contain "/" or "\\"; create folders one at a time.';
  if (siblings.some((s) => s === trimmed)) return `${trimmed} already exists here.`;
  return null;
}

/** A path after its folder (or itself) was renamed: "a/x.py" with a → b is "b/x.py". */
export function renamedPath(rel: string, from: string, to: string): string | null {
  if (rel === from) return to;
  if (rel.startsWith(`${from}/`)) return to + rel.slice(from.length);
  return null;
}

/** Whether `rel` is `dir` or inside it. */
export function isWithin(rel: string, dir: string): boolean {
  return rel === dir || rel.startsWith(`${dir}/`);
}
