/** Parameters → objective: one axis per parameter and the objective last, one line per trial, the best in bold. */
import { useState } from 'react';
import type { ExperimentDetail } from '../../../engine/api/contract';
import { parallelCoordinates } from './experiment-view';

const W = 560;
const H = 250;
const PAD = { top: 16, bottom: 30, left: 58, right: 58 };

export function ParallelCoordinates({ experiment }: { experiment: ExperimentDetail }) {
  const { axes, lines } = parallelCoordinates(experiment);
  const [hover, setHover] = useState<string | null>(null);
  const x = (i: number) => PAD.left + (axes.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (axes.length - 1));
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const path = (points: (number | null)[]) =>
    points.map((p, i) => (p === null ? null : `${x(i)},${y(p)}`)).filter(Boolean).join(' ');
  const ordered = [...lines].sort((a, b) => Number(a.best) - Number(b.best) || a.quality - b.quality);
  return (
    <figure className="metric-chart exp-pc" data-testid="parallel-coordinates">
      <figcaption>
        <span className="metric-name">Parameters → {experiment.objective.metric}</span>
        <span className="muted small"> · darker lines are better trials{hover ? ` · ${hover}` : ''}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Parallel coordinates of ${lines.length} trials`} className="pc-svg">
        {ordered.map((l) => (
          <polyline
            key={l.trial}
            points={path(l.points)}
            className={`pc-line${l.best ? ' pc-best' : ''}`}
            style={{ opacity: l.best ? 1 : 0.25 + 0.6 * l.quality }}
            onMouseEnter={() => setHover(l.trial)}
            onMouseLeave={() => setHover(null)}
            data-trial={l.trial}
          >
            <title>{l.trial}</title>
          </polyline>
        ))}
        {axes.map((a, i) => (
          <g key={a.name} className="pc-axis">
            <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} />
            <text x={x(i)} y={H - 8} textAnchor="middle" className="pc-name">{a.name}</text>
            {a.ticks.map((t) => (
              <text key={`${t.at}:${t.label}`} x={x(i) + (i === axes.length - 1 ? 6 : -6)} y={y(t.at) + 4} textAnchor={i === axes.length - 1 ? 'start' : 'end'} className="pc-tick">
                {t.label}
              </text>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}
