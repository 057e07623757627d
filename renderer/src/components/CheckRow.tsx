import type { BadgeStatus } from './StatusBadge';
import { CopyButton } from './CopyButton';
import { StatusBadge } from './StatusBadge';

export interface CheckRowData {
  id: string;
  title: string;
  status: BadgeStatus;
  detail: string;
  fix: string;
}

/** One diagnostic: status badge, what was found, and the exact fix with a Copy button (Doctor and Cluster pages). */
export function CheckRow({ row, stalled = false }: { row: CheckRowData; stalled?: boolean }) {
  const showFix = (row.status === 'warning' || row.status === 'missing') && row.fix.trim() !== '';
  return (
    <li className="check-row" data-testid="doctor-row" data-check-id={row.id} data-status={row.status}>
      <div className="check-status">
        <StatusBadge status={row.status} stalled={stalled} />
      </div>
      <div className="check-main">
        <h2 className="check-title">{row.title}</h2>
        {row.detail ? <p className="check-detail">{row.detail}</p> : null}
        {showFix ? (
          <div className="command fix">
            <pre>
              <code>{row.fix}</code>
            </pre>
            <CopyButton text={row.fix} label="Copy" />
          </div>
        ) : null}
      </div>
    </li>
  );
}
