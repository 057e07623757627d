/** A small load test of a ready server: N requests, C at a time; p50/p95/p99, throughput, and latency over time (uPlot). */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LoadTestResult } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner, StopIcon } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { chartTheme } from '../theme/chart-theme';
import { useTheme } from '../theme/ThemeProvider';
import { latencySeries, ms } from './model-view';

export function LoadTest({ id }: { id: string }) {
  const api = useApi();
  const [requests, setRequests] = useState(200);
  const [concurrency, setConcurrency] = useState(4);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<LoadTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => api.on('models.loadTestProgress', (p) => p.id === id && setProgress({ done: p.done, total: p.total })), [api, id]);

  async function run() {
    setRunning(true);
    setError(null);
    setProgress({ done: 0, total: requests });
    try {
      const { example } = await api.call('models.servers.metadata', { id });
      setResult(await api.call('models.servers.loadTest', { id, request: example, requests, concurrency }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRunning(false);
    }
  }

  const valid = Number.isInteger(requests) && requests >= 1 && requests <= 20000 && Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64;
  return (
    <section className="job-section load-test" aria-labelledby="load-heading" data-testid="load-test">
      <h3 id="load-heading">Load test</h3>
      <div className="load-form">
        <label>
          Requests
          <input className="input" type="number" min={1} max={20000} value={requests} onChange={(e) => setRequests(Number(e.target.value))} aria-label="Requests" />
        </label>
        <label>
          Concurrent
          <input className="input" type="number" min={1} max={64} value={concurrency} onChange={(e) => setConcurrency(Number(e.target.value))} aria-label="Concurrent requests" />
        </label>
        {running ? (
          <button type="button" className="btn" onClick={() => void api.call('models.loadTest.cancel', { id })}>
            <StopIcon size={13} /> Cancel
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={!valid} data-testid="load-run">
            Run
          </button>
        )}
        {running && progress ? (
          <span className="muted" aria-live="polite">
            <Spinner size={13} /> {progress.done} of {progress.total}
          </span>
        ) : null}
        <span className="muted small">The request is the example built from the model's metadata.</span>
      </div>
      {error ? <InlineError prefix="The load test failed" message={error} /> : null}
      {result ? (
        <>
          <dl className="load-stats" data-testid="load-stats">
            <Stat k="p50" v={ms(result.p50)} />
            <Stat k="p95" v={ms(result.p95)} />
            <Stat k="p99" v={ms(result.p99)} />
            <Stat k="Throughput" v={`${result.throughput.toFixed(1)} req/s`} />
            <Stat k="OK / failed" v={`${result.ok} / ${result.failed}`} />
            <Stat k="Duration" v={ms(result.durationMs)} />
          </dl>
          {result.firstError ? <p className="field-error">First error: {result.firstError}</p> : null}
          <LatencyChart result={result} />
        </>
      ) : null}
    </section>
  );
}

function Stat({ k, v }: { k: string; v: string }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}

function LatencyChart({ result }: { result: LoadTestResult }) {
  const box = useRef<HTMLDivElement>(null);
  const { resolved: theme } = useTheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { text, accent, font, axis } = chartTheme();
    const [xs, ys] = latencySeries(result.samples);
    const p95 = ys.map(() => result.p95);
    const plot = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height: 200,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'seconds', labelFont: font }, { ...axis, size: 60, label: 'ms', labelFont: font }],
        series: [{ label: 's' }, { label: 'latency', stroke: accent, width: 0, points: { show: true, size: 3, fill: accent } }, { label: 'p95', stroke: text, dash: [4, 4], width: 1, points: { show: false } }],
      },
      [xs, ys, p95],
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(300, el.clientWidth), height: 200 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [result, theme]);
  return <div ref={box} className="load-chart" data-testid="load-chart" aria-label={`Latency of ${result.requests} requests over time`} role="img" />;
}
