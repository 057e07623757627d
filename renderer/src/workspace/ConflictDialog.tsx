/** "This file changed on disk since you opened it": overwrite with mine, reload theirs, or cancel. */
import { useEffect, useRef } from 'react';
import { MessageText } from '../components/MessageText';
import { useFocusTrap } from '../components/use-focus-trap';
import type { WorkspaceSession } from './workspace-session';

export function ConflictDialog({ session, conflict }: { session: WorkspaceSession; conflict: { path: string; message: string } }) {
  const first = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useFocusTrap(box);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div
        ref={box}
        className="ws-modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="conflict-title"
        aria-describedby="conflict-text"
        data-testid="conflict-dialog"
        onKeyDown={(e) => e.key === 'Escape' && void session.resolveConflict('cancel')}
      >
        <h2 id="conflict-title">{conflict.path} changed on disk</h2>
        <p id="conflict-text">
          <MessageText text={conflict.message} />
        </p>
        <div className="ws-modal-actions">
          <button ref={first} type="button" className="btn" onClick={() => void session.resolveConflict('reload')}>
            Reload from disk (discard mine)
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void session.resolveConflict('overwrite')}>
            Overwrite with mine
          </button>
          <button type="button" className="btn" onClick={() => void session.resolveConflict('cancel')}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
