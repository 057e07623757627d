/**
 * A run's DAG laid out with dagre (compound): executor tasks are boxes; sub-DAGs, conditions,
 * ParallelFor loops and their iterations are frames around their tasks. An edge to or from a frame
 * is drawn to the frame's first or from its last tasks (dagre lays out edges between leaves only).
 * A frame with nothing inside (a skipped condition, a loop not expanded yet) is a box itself.
 * Pure: no DOM; tested in node.
 */
import dagre from '@dagrejs/dagre';
import type { PipelineTask } from '../../../engine/api/contract';

export const NODE_W = 168;
export const NODE_H = 44;

export interface LaidNode {
  task: PipelineTask;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidFrame {
  task: PipelineTask;
  x: number;
  y: number;
  width: number;
  height: number;
  depth: number;
}

export interface LaidEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: LaidNode[];
  frames: LaidFrame[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

export function layoutRun(tasks: readonly PipelineTask[]): GraphLayout {
  const byPath = new Map(tasks.map((t) => [t.path, t]));
  const children = new Map<string | null, PipelineTask[]>();
  for (const t of tasks) {
    const list = children.get(t.parent) ?? [];
    list.push(t);
    children.set(t.parent, list);
  }
  const isFrame = (t: PipelineTask) => t.kind !== 'task' && t.kind !== 'importer' && (children.get(t.path)?.length ?? 0) > 0;

  // Leaves that an edge into / out of a node attaches to.
  const memo = new Map<string, { first: string[]; last: string[] }>();
  const ends = (t: PipelineTask): { first: string[]; last: string[] } => {
    const known = memo.get(t.path);
    if (known) return known;
    let result: { first: string[]; last: string[] };
    if (!isFrame(t)) result = { first: [t.path], last: [t.path] };
    else {
      const kids = children.get(t.path)!;
      if (t.kind === 'loop') {
        const parts = kids.map(ends);
        result = { first: parts.flatMap((p) => p.first), last: parts.flatMap((p) => p.last) };
      } else {
        const hasDownstream = new Set(kids.flatMap((k) => k.upstream));
        const heads = kids.filter((k) => !k.upstream.some((u) => byPath.get(u)?.parent === t.path));
        const tails = kids.filter((k) => !hasDownstream.has(k.path));
        result = { first: heads.flatMap((k) => ends(k).first), last: tails.flatMap((k) => ends(k).last) };
      }
    }
    memo.set(t.path, result);
    return result;
  };

  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const t of tasks) {
    if (isFrame(t)) g.setNode(t.path, { label: t.name, paddingTop: 26, paddingBottom: 12, paddingLeft: 12, paddingRight: 12 });
    else g.setNode(t.path, { label: t.name, width: NODE_W, height: NODE_H });
    if (t.parent && byPath.has(t.parent)) g.setParent(t.path, t.parent);
  }
  const edgeKeys = new Set<string>();
  for (const t of tasks) {
    for (const u of t.upstream) {
      const up = byPath.get(u);
      if (!up) continue;
      for (const from of ends(up).last) for (const to of ends(t).first) {
        if (from === to || edgeKeys.has(`${from}\n${to}`)) continue;
        edgeKeys.add(`${from}\n${to}`);
        g.setEdge(from, to);
      }
    }
  }
  dagre.layout(g);

  const depthOf = (t: PipelineTask): number => (t.parent && byPath.has(t.parent) ? 1 + depthOf(byPath.get(t.parent)!) : 0);
  const nodes: LaidNode[] = [];
  const frames: LaidFrame[] = [];
  for (const t of tasks) {
    const n = g.node(t.path) as { x: number; y: number; width: number; height: number } | undefined;
    if (!n) continue;
    const box = { task: t, x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
    if (isFrame(t)) frames.push({ ...box, depth: depthOf(t) });
    else nodes.push(box);
  }
  frames.sort((a, b) => a.depth - b.depth);
  const edges: LaidEdge[] = g.edges().map((e) => ({ from: e.v, to: e.w, points: (g.edge(e) as { points: { x: number; y: number }[] }).points }));
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes, frames, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
