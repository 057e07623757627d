/** One metric as a uPlot line chart (x = step), themed from the CSS variables, sized to its box. */
import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartTheme } from '../theme/chart-theme';
import type { SeriesData } from './metrics-buffer';

const HEIGHT = 180;

function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return v.toExponential(3);
  return Number(v.toPrecision(5)).toString();
}

function options(name: string, width: number): uPlot.Options {
  const { accent: line, axis } = chartTheme();
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false } },
    axes: [{ ...axis }, { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatValue(v)) }],
    series: [{ label: 'step' }, { label: name, stroke: line, width: 1.5, points: { fill: line } }],
  };
}

export const MetricChart = memo(function MetricChart({
  name,
  series,
  version,
  theme,
}: {
  name: string;
  series: SeriesData;
  /** Goes up when the series changed (the data arrays are appended in place). */
  version: number;
  /** The chart is rebuilt when the theme changes (colours come from CSS variables). */
  theme: string;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const last = series.values[series.values.length - 1];

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const plot = new uPlot(options(name, Math.max(200, box.clientWidth)), [series.steps, series.values], box);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, box.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
    // Built once per name and theme; data updates go through setData below.
  }, [name, theme]);

  useEffect(() => {
    plotRef.current?.setData([series.steps, series.values]);
  }, [series, version]);

  return (
    <figure className="metric-chart" data-testid="metric-chart" data-metric={name}>
      <figcaption>
        <span className="metric-name">{name}</span>
        <span className="metric-last mono" title="Latest value">
          {formatValue(last)}
          <span className="muted"> @ step {series.steps[series.steps.length - 1] ?? '—'}</span>
        </span>
      </figcaption>
      <div ref={boxRef} className="metric-plot" role="img" aria-label={`${name} by step, ${series.steps.length} points, latest ${formatValue(last)}`} />
    </figure>
  );
});
