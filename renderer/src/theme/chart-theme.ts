/** The colours and axis style every uPlot chart takes from the current theme's CSS variables (read when a chart is made). */
import type uPlot from 'uplot';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface ChartTheme {
  text: string;
  grid: string;
  accent: string;
  ok: string;
  font: string;
  axis: uPlot.Axis;
}

export function chartTheme(): ChartTheme {
  const text = cssVar('--text-muted', '#888');
  const grid = cssVar('--border', '#ddd');
  const font = '11px system-ui, sans-serif';
  return {
    text,
    grid,
    accent: cssVar('--accent', '#4279f4'),
    ok: cssVar('--ok', '#2a8'),
    font,
    axis: { stroke: text, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
  };
}
