/** Save (with the dirty marker), add cells, run all / above / cell, interrupt, restart, run as a job; and the kernel picker. */
import { useState } from 'react';
import type { KernelStatus } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { RerunIcon, Spinner, StopIcon } from '../components/Icons';
import type { KernelControl } from './use-kernel';

interface Props {
  dirty: boolean;
  saving: boolean;
  kernel: KernelControl;
  onSave(): void;
  onAdd(type: 'code' | 'markdown'): void;
  onRun(which: 'all' | 'above' | 'selected'): void;
  onToJob(): void;
}

interface PickerProps {
  kernel: KernelControl;
  /** The notebook's kernelspec (metadata) before a kernel runs. */
  kernelName: string | undefined;
  kernelLabel: string;
  onPickKernel(spec: { name: string; displayName: string; language: string }): void;
}

const STATUS_TEXT: Partial<Record<KernelStatus | 'none', string>> = {
  none: 'No kernel',
  idle: 'Idle',
  busy: 'Busy',
  starting: 'Starting',
  restarting: 'Restarting',
  autorestarting: 'Restarting (it crashed)',
  dead: 'Dead',
  connecting: 'Reconnecting',
};

export function NotebookToolbar(p: Props) {
  const k = p.kernel;
  return (
    <div className="nb-toolbar" role="toolbar" aria-label="Notebook">
      <button type="button" className="btn btn-small" onClick={p.onSave} aria-label={p.dirty ? 'Save (unsaved changes)' : 'Save'} title="Save (Ctrl+S)">
        {p.saving ? <Spinner size={12} /> : null}Save
        {p.dirty ? (
          <span className="nb-dirty" data-testid="dirty-marker" aria-hidden="true">
            ●
          </span>
        ) : null}
      </button>
      <span className="nb-sep" />
      <button type="button" className="btn btn-small" onClick={() => p.onAdd('code')}>
        + Code
      </button>
      <button type="button" className="btn btn-small" onClick={() => p.onAdd('markdown')}>
        + Markdown
      </button>
      <span className="nb-sep" />
      <button type="button" className="btn btn-small btn-primary" onClick={() => p.onRun('all')}>
        ▶▶ Run all
      </button>
      <button type="button" className="btn btn-small" onClick={() => p.onRun('above')}>
        Run above
      </button>
      <button type="button" className="btn btn-small" onClick={() => p.onRun('selected')}>
        ▶ Run cell
      </button>
      <button type="button" className="btn btn-small" onClick={() => void k.interrupt()} disabled={!k.session} aria-label="Interrupt the kernel">
        <StopIcon size={12} /> Interrupt
      </button>
      <button type="button" className="btn btn-small" onClick={() => void k.restart()} disabled={!k.session} aria-label="Restart the kernel">
        <RerunIcon size={12} /> Restart
      </button>
      <span className="nb-toolbar-gap" />
      <button type="button" className="btn btn-small" onClick={p.onToJob}>
        Run as job…
      </button>
    </div>
  );
}

/** The kernel spec picker (specs load on first use: listing them starts Jupyter) and the kernel's status. */
export function KernelPicker(p: PickerProps) {
  const api = useApi();
  const [specs, setSpecs] = useState<{ name: string; displayName: string; language: string }[] | null>(null);
  const k = p.kernel;
  const status = k.starting ? 'starting' : k.status;

  async function loadSpecs(): Promise<void> {
    if (specs) return;
    try {
      setSpecs((await api.call('notebooks.kernelspecs', {})).specs);
    } catch {
      setSpecs([]); // the Jupyter panel says why
    }
  }

  const current = k.session?.kernelName ?? p.kernelName ?? '';
  const options = specs?.length ? specs : current ? [{ name: current, displayName: k.session?.displayName ?? p.kernelLabel, language: '' }] : [];

  return (
    <div className="nb-kernel">
      <select
        className="input select nb-kernel-select"
        aria-label="Kernel"
        value={current}
        onFocus={() => void loadSpecs()}
        onMouseDown={() => void loadSpecs()}
        onChange={(e) => {
          const spec = options.find((s) => s.name === e.target.value);
          if (spec) p.onPickKernel(spec);
        }}
      >
        {current ? null : <option value="">Default kernel</option>}
        {options.map((s) => (
          <option key={s.name} value={s.name}>
            {s.displayName}
          </option>
        ))}
      </select>
      <span className={`nb-kernel-status nb-status-${status}`} data-testid="kernel-status" data-status={status} role="status">
        <span className="dot" aria-hidden="true" />
        {STATUS_TEXT[status] ?? status}
      </span>
    </div>
  );
}
