/** The run's DAG (graph-layout.ts): task boxes by state, frames for sub-DAGs and loops; a task opens on click or Enter. */
import { useMemo, type KeyboardEvent } from 'react';
import type { PipelineTask } from '../../../engine/api/contract';
import { layoutRun } from './graph-layout';
import { toneOf } from './pipeline-view';

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

export function RunGraph({ tasks, selected, onSelect }: { tasks: PipelineTask[]; selected: string | null; onSelect(path: string): void }) {
  const layout = useMemo(() => layoutRun(tasks), [tasks]);
  const key = (e: KeyboardEvent, p: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(p);
    }
  };
  return (
    <div className="pl-graph" data-testid="run-graph">
      <svg width={layout.width} height={layout.height} role="group" aria-label="Pipeline graph">
        <defs>
          <marker id="pl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="pl-arrow" />
          </marker>
        </defs>
        {layout.frames.map((f) => (
          <g key={f.task.path} className={`pl-frame pl-frame-${f.task.kind} pl-tone-${toneOf(f.task.status)}`} data-testid="graph-frame" data-path={f.task.path}>
            <rect x={f.x} y={f.y} width={f.width} height={f.height} rx={8} />
            <text x={f.x + 10} y={f.y + 17}>
              {f.task.kind === 'iteration' ? `iteration ${f.task.name}` : f.task.name} · {f.task.status}
            </text>
          </g>
        ))}
        {layout.edges.map((e) => (
          <path key={`${e.from}>${e.to}`} d={path(e.points)} className="pl-edge" markerEnd="url(#pl-arrow)" />
        ))}
        {layout.nodes.map((n) => {
          const t = n.task;
          const label = t.kind === 'task' || t.kind === 'importer' ? t.name : `${t.name} (${t.kind})`;
          return (
            <g
              key={t.path}
              className={`pl-node pl-tone-${toneOf(t.status)}${selected === t.path ? ' pl-selected' : ''}`}
              transform={`translate(${n.x},${n.y})`}
              tabIndex={0}
              role="button"
              aria-label={`${label}: ${t.status}${t.cached ? ', cached' : ''}`}
              aria-pressed={selected === t.path}
              data-testid="graph-node"
              data-path={t.path}
              data-status={t.status}
              onClick={() => onSelect(t.path)}
              onKeyDown={(e) => key(e, t.path)}
            >
              <title>{`${t.path}\n${t.status}${t.cached ? ' (cached)' : ''}${t.message ? `\n${t.message}` : ''}`}</title>
              <rect width={n.width} height={n.height} rx={7} />
              <circle cx={14} cy={n.height / 2} r={5} className="pl-dot" />
              <text x={26} y={18} className="pl-node-name">{label.length > 20 ? `${label.slice(0, 19)}…` : label}</text>
              <text x={26} y={34} className="pl-node-state">{t.status}{t.cached ? ' · cached' : ''}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
