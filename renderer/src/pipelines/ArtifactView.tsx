/** One artifact's preview: metrics table, confusion matrix and ROC curve, Markdown, HTML (sandboxed), image, text or files. */
import { useEffect, useState } from 'react';
import type { ArtifactPreview } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { MarkdownView } from '../notebooks/MarkdownView';
import { SandboxedFrame } from '../notebooks/SandboxedFrame';
import { formatBytes } from '../components/format-bytes';
import { confusionMatrixOf, rocOf, scalarMetrics } from './pipeline-view';

export function ArtifactView({ runId, task, name, index = 0, side = 'outputs' }: { runId: string; task: string; name: string; index?: number; side?: 'inputs' | 'outputs' }) {
  const api = useApi();
  const [preview, setPreview] = useState<ArtifactPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    setPreview(null);
    setError(null);
    api.call('pipelines.artifact', { id: runId, task, name, index, side }).then(
      (p) => alive && setPreview(p),
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [api, runId, task, name, index, side]);
  if (error) return <InlineError prefix={`Could not read ${name}`} message={error} />;
  if (!preview) return <p className="muted"><Spinner size={12} /> Reading {name}…</p>;
  return (
    <div className="pl-artifact" data-testid="artifact-preview" data-kind={preview.kind}>
      <p className="muted pl-uri">
        <span className="mono">{preview.uri}</span> · {preview.schemaTitle}
        {preview.size ? ` · ${formatBytes(preview.size)}` : ''}
        {preview.truncated ? ' (first part shown)' : ''}
      </p>
      <PreviewBody preview={preview} />
    </div>
  );
}

function PreviewBody({ preview }: { preview: ArtifactPreview }) {
  switch (preview.kind) {
    case 'metrics': {
      const rows = scalarMetrics(preview.metadata);
      return rows.length ? (
        <table className="pl-table" data-testid="metrics-table">
          <thead><tr><th>Metric</th><th>Value</th></tr></thead>
          <tbody>{rows.map(([k, v]) => <tr key={k}><td>{k}</td><td className="mono">{Number.isInteger(v) ? v : v.toFixed(4)}</td></tr>)}</tbody>
        </table>
      ) : <p className="muted">No metrics were logged.</p>;
    }
    case 'classification':
      return <ClassificationView metadata={preview.metadata} />;
    case 'markdown':
      return <MarkdownView text={preview.text ?? ''} className="pl-markdown" />;
    case 'html':
      return <SandboxedFrame mime="text/html" text={preview.text ?? ''} />;
    case 'image':
      return <img className="pl-image" src={preview.dataUrl} alt={`artifact ${preview.uri}`} />;
    case 'text':
      return <pre className="pl-text">{preview.text}</pre>;
    case 'directory':
      return <ul className="pl-files">{(preview.files ?? []).map((f) => <li key={f.name}><span className="mono">{f.name}</span> <span className="muted">{formatBytes(f.size)}</span></li>)}</ul>;
    case 'binary':
      return <p className="muted">A binary file; open it from its path.</p>;
    case 'missing':
      return <p className="muted">Nothing was written at this path.</p>;
  }
}

function ClassificationView({ metadata }: { metadata: Record<string, unknown> }) {
  const cm = confusionMatrixOf(metadata);
  const roc = rocOf(metadata);
  if (!cm && !roc.length) return <p className="muted">No confusion matrix or ROC curve was logged.</p>;
  return (
    <div className="pl-classification">
      {cm ? (
        <figure>
          <figcaption>Confusion matrix (rows: actual, columns: predicted)</figcaption>
          <table className="pl-cm" data-testid="confusion-matrix">
            <thead><tr><th />{cm.labels.map((l) => <th key={l} scope="col">{l}</th>)}</tr></thead>
            <tbody>
              {cm.rows.map((row, i) => (
                <tr key={cm.labels[i] ?? i}>
                  <th scope="row">{cm.labels[i] ?? i}</th>
                  {row.map((v, j) => (
                    <td key={j} style={{ ['--cm' as string]: String(v / cm.max) }} className={i === j ? 'pl-cm-diag' : ''}>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      ) : null}
      {roc.length ? <RocChart points={roc} /> : null}
    </div>
  );
}

function RocChart({ points }: { points: { fpr: number; tpr: number }[] }) {
  const S = 200;
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${(p.fpr * S).toFixed(1)},${(S - p.tpr * S).toFixed(1)}`).join(' ');
  return (
    <figure>
      <figcaption>ROC curve</figcaption>
      <svg className="pl-roc" width={S + 40} height={S + 36} viewBox={`-30 -6 ${S + 40} ${S + 36}`} data-testid="roc-curve" role="img" aria-label={`ROC curve with ${points.length} points`}>
        <rect x={0} y={0} width={S} height={S} className="pl-roc-frame" />
        <path d={`M0,${S} L${S},0`} className="pl-roc-chance" />
        <path d={d} className="pl-roc-line" />
        <text x={S / 2} y={S + 24} textAnchor="middle">false positive rate</text>
        <text x={-S / 2} y={-16} transform="rotate(-90)" textAnchor="middle">true positive rate</text>
      </svg>
    </figure>
  );
}
