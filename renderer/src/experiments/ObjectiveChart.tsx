/** Each finished trial's objective against time (points), and the best so far (a step line), in uPlot. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ExperimentDetail } from '../../../engine/api/contract';
import { chartTheme } from '../theme/chart-theme';
import { useTheme } from '../theme/ThemeProvider';
import { formatObjective, objectiveOverTime } from './experiment-view';

const HEIGHT = 220;

export function ObjectiveChart({ experiment }: { experiment: ExperimentDetail }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { resolved: theme } = useTheme();
  const data = objectiveOverTime(experiment);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { accent, ok, font, axis } = chartTheme();
    const p = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'seconds since start', labelFont: font, labelSize: 14 }, { ...axis, size: 60, values: (_u, s) => s.map((v) => formatObjective(v)) }],
        series: [
          { label: 's' },
          { label: experiment.objective.metric, stroke: accent, width: 0, points: { show: true, size: 7, fill: accent, stroke: accent } },
          { label: 'best so far', stroke: ok, width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        ],
      },
      [[], [], []],
      el,
    );
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: Math.max(240, el.clientWidth), height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [theme, experiment.objective.metric]);

  useEffect(() => {
    plot.current?.setData([data.x, data.y, data.best]);
  });

  return (
    <figure className="metric-chart exp-chart" data-testid="objective-chart">
      <figcaption>
        <span className="metric-name">{experiment.objective.metric} per trial</span>
        <span className="muted small"> · points: trials as they finish · line: best so far</span>
      </figcaption>
      <div ref={box} />
      {data.x.length === 0 ? <p className="muted small exp-chart-empty">No trial has finished yet.</p> : null}
    </figure>
  );
}
