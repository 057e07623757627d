import { useState } from 'react';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { CopyButton } from '../components/CopyButton';
import { EmptyState } from '../components/EmptyState';
import { FolderOpenIcon, WorkspaceIcon } from '../components/Icons';

const INIT_COMMAND = 'kfd init --template pytorch-ddp <folder>';

export function WorkspacePage() {
  const { desktop } = useApi();
  const pickFolder = desktop?.pickFolder;
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function openFolder(): Promise<void> {
    if (!pickFolder) return;
    setError(null);
    try {
      const folder = await pickFolder();
      if (folder) setPicked(folder);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div className="page" data-testid="page-workspace">
      <EmptyState
        icon={<WorkspaceIcon size={32} />}
        title="No workspace open"
        actions={
          pickFolder ? (
            <button type="button" className="btn btn-primary" onClick={openFolder}>
              <FolderOpenIcon size={14} />
              Open folder…
            </button>
          ) : null
        }
      >
        <p>
          Open a folder that has a <code>trainjob.yaml</code>, or start from a template:
        </p>
        <div className="command">
          <code>{INIT_COMMAND}</code>
          <CopyButton text={INIT_COMMAND} />
        </div>
        {!pickFolder ? (
          <p className="muted">In web mode, open a workspace from a terminal: <code>kfd run &lt;folder&gt;</code>.</p>
        ) : null}
        {picked ? (
          <p className="note" role="status">
            Picked <code>{picked}</code>. Opening workspaces needs the workspace API, which this build does not have yet.
          </p>
        ) : null}
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </EmptyState>
    </div>
  );
}
