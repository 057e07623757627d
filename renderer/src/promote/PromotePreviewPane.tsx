/**
 * Exactly what Submit would apply: the job's trainjob.yaml against the final TrainJob (Monaco
 * diff), every object applied, the files shipped with their sizes, the shipping mode, and
 * anything that blocks or deserves a look first.
 */
import { useState } from 'react';
import type { PromotePreview } from '../../../engine/api/contract';
import { formatBytes } from '../components/format-bytes';
import { WarningIcon } from '../components/Icons';
import { MessageText } from '../components/MessageText';
import { DiffView } from '../editor/DiffView';
import { EditorView } from '../editor/EditorView';
import { SpecWarnings } from '../jobs/JobDetailParts';
import { filesHeading, shippingSummary, sortFiles } from './shipping-view';

type Tab = 'diff' | 'manifest' | 'files';

/** `stale`: a newer preview is being prepared (the form changed); this one is dimmed until then. */
export function PromotePreviewPane({ preview, stale }: { preview: PromotePreview; stale: boolean }) {
  const [tab, setTab] = useState<Tab>('diff');
  const ship = shippingSummary(preview);
  const files = sortFiles(preview.files);
  const tabs: { id: Tab; label: string }[] = [
    { id: 'diff', label: 'TrainJob diff' },
    { id: 'manifest', label: `Everything applied (${preview.objects.length})` },
    { id: 'files', label: `Files (${preview.files.length})` },
  ];

  return (
    <div className={`promote-preview${stale ? ' stale' : ''}`} data-testid="promote-preview" data-stale={stale ? 'true' : 'false'} data-job-id={preview.jobId} data-blocked={preview.blocked ? 'true' : 'false'}>
      {preview.blocked ? (
        <p className="promote-blocked" role="alert" data-testid="promote-blocked">
          <WarningIcon size={14} /> <strong>Cannot submit:</strong> <MessageText text={preview.blocked} />
        </p>
      ) : null}

      <div className="promote-ship" data-testid="promote-shipping" data-mode={preview.shipping.mode}>
        <span className="promote-ship-mode">{ship.mode}</span>
        <span className="muted">
          <MessageText text={ship.detail} />
        </span>
        <button type="button" className="link-button" onClick={() => setTab('files')}>
          {filesHeading(preview)}
        </button>
        {ship.size ? <span className={ship.overLimit ? 'field-error' : 'muted'}>{ship.size}</span> : null}
        {preview.shipping.image ? <span className="mono muted">image {preview.shipping.image}</span> : null}
        <span className="muted">
          → <span className="mono">{preview.target.context}/{preview.namespace}</span>
          {preview.trainerApi ? ` · Trainer ${preview.trainerApi}` : ''}
        </span>
      </div>

      <div className="promote-tabs" role="tablist" aria-label="Preview">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" className={`promote-tab${tab === t.id ? ' active' : ''}`} aria-selected={tab === t.id} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
        <span className="promote-tab-note muted">{tab === 'diff' ? 'left: trainjob.yaml as it ran · right: the TrainJob to apply' : ''}</span>
      </div>
      <div className="promote-view" role="tabpanel">
        {tab === 'diff' ? (
          <DiffView original={preview.original} modified={preview.trainJob} language="yaml" ariaLabel="trainjob.yaml against the TrainJob to apply" />
        ) : tab === 'manifest' ? (
          <EditorView value={preview.manifest} language="yaml" readOnly path={`promote-manifest-${preview.jobId}`} ariaLabel="Every object that will be applied" />
        ) : (
          <FileList files={files} />
        )}
      </div>

      {preview.specWarnings.length > 0 ? <SpecWarnings warnings={preview.specWarnings} /> : null}
      {preview.warnings.length > 0 ? (
        <ul className="promote-warnings" aria-label="Before you submit" data-testid="promote-warnings">
          {preview.warnings.map((w) => (
            <li key={w}>
              <WarningIcon size={12} /> <MessageText text={w} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function FileList({ files }: { files: { path: string; bytes: number }[] }) {
  return (
    <div className="promote-files" data-testid="promote-files">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.path} data-testid="promote-file">
              <td className="mono selectable">{f.path}</td>
              <td className="mono num">{formatBytes(f.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
