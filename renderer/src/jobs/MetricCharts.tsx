/**
 * A job's metrics: one chart per metric name from `jobs.metrics`, then live `jobs.metrics`
 * points appended as they come, redrawn at most four times a second.
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { useTheme } from '../theme/ThemeProvider';
import { MetricChart } from './MetricChart';
import { MetricsBuffer } from './metrics-buffer';

const REDRAW_MS = 250;

export function MetricCharts({ jobId }: { jobId: string }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const { resolved: theme } = useTheme();
  const [buffer, setBuffer] = useState(() => new MetricsBuffer());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const b = new MetricsBuffer();
    setBuffer(b);
    setLoaded(false);
    setError(null);
    let alive = true;
    // Coalesce bursts of points: at most one re-render per REDRAW_MS.
    const schedule = () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        if (alive) redraw();
      }, REDRAW_MS);
    };
    const off = api.on('jobs.metrics', (event) => {
      if (event.jobId !== jobId) return;
      b.append(event.points);
      schedule();
    });
    api
      .call('jobs.metrics', { id: jobId, maxPoints: 2000 })
      .then((answer) => {
        if (!alive) return;
        b.merge(answer.series);
        setLoaded(true);
        redraw();
      })
      .catch((err: unknown) => {
        if (!alive) return;
        setError(errorText(err));
        setLoaded(true);
      });
    return () => {
      alive = false;
      off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [api, jobId, generation]);

  const names = buffer.names().filter((n) => (buffer.get(n)?.steps.length ?? 0) > 0);

  if (error && names.length === 0) {
    return (
      <div data-testid="metrics-error">
        <InlineError prefix="Could not read metrics" message={error} />
      </div>
    );
  }
  if (!loaded && names.length === 0) {
    return (
      <p className="muted">
        <Spinner size={13} /> Reading metrics…
      </p>
    );
  }
  if (names.length === 0) {
    return (
      <p className="metrics-empty muted" data-testid="metrics-empty">
        No metrics yet — print <code>step=10 loss=0.31</code> lines and they are charted.
      </p>
    );
  }
  return (
    <div className="metric-grid">
      {names.map((name) => {
        const series = buffer.get(name)!;
        return <MetricChart key={`${name}:${theme}`} name={name} series={series} version={series.version} theme={theme} />;
      })}
    </div>
  );
}
