/**
 * IOPub messages → each cell's nbformat outputs, the way VS Code's Jupyter extension handles
 * them: dispatch by message type; consecutive stream chunks of the same name merge (with `\r`
 * and backspace applied, so a progress bar is one line, not thousands); `clear_output(wait)`
 * clears just before the next output arrives; `update_display_data` rewrites every output that
 * carries its display_id, in whichever cell it is. Returns the changes as ops the UI applies. Pure.
 */
import type { NbOutput } from '../api/schemas/notebooks.js';

export type OutputOp =
  | { op: 'set'; cellId: string; index: number; output: NbOutput }
  | { op: 'appendText'; cellId: string; index: number; text: string }
  | { op: 'clear'; cellId: string };

type Content = Record<string, unknown>;
const asRecord = (v: unknown): Content => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Content) : {});

/** Terminal semantics for finished lines; an unfinished last line keeps a trailing `\r` so the next chunk overwrites it. */
export function applyControlChars(text: string): string {
  if (!/[\r\x08]/.test(text)) return text;
  const lines = text.replace(/\r+\n/g, '\n').split('\n');
  return lines
    .map((line, i) => {
      let out = '';
      for (const part of line.split('\r')) out = part + out.slice(part.length);
      while (/[^\x08]\x08/.test(out)) out = out.replace(/[^\x08]\x08/, '');
      out = out.replace(/\x08/g, '');
      return i === lines.length - 1 && line.endsWith('\r') ? out + '\r' : out;
    })
    .join('\n');
}

export class OutputReducer {
  private readonly outputs = new Map<string, NbOutput[]>();
  private readonly pendingClear = new Set<string>();
  /** display_id → where outputs with it are. */
  private readonly displays = new Map<string, { cellId: string; index: number }[]>();

  outputsOf(cellId: string): NbOutput[] {
    return this.outputs.get(cellId) ?? [];
  }

  /** A cell is about to run again: it starts empty. */
  reset(cellId: string): OutputOp[] {
    this.pendingClear.delete(cellId);
    return this.clear(cellId);
  }

  handle(cellId: string, msgType: string, rawContent: unknown): OutputOp[] {
    const content = asRecord(rawContent);
    switch (msgType) {
      case 'stream':
        return this.withPendingClear(cellId, () => this.stream(cellId, String(content.name ?? 'stdout'), String(content.text ?? '')));
      case 'display_data':
      case 'execute_result':
      case 'error':
        return this.withPendingClear(cellId, () => this.append(cellId, toOutput(msgType, content), displayIdOf(content)));
      case 'update_display_data':
        return this.updateDisplay(content);
      case 'clear_output':
        if (content.wait) {
          this.pendingClear.add(cellId);
          return [];
        }
        return this.clear(cellId);
      default:
        return []; // status, execute_input, comm_*: not outputs
    }
  }

  private withPendingClear(cellId: string, next: () => OutputOp[]): OutputOp[] {
    if (!this.pendingClear.delete(cellId)) return next();
    return [...this.clear(cellId), ...next()];
  }

  private clear(cellId: string): OutputOp[] {
    const had = this.outputs.get(cellId)?.length ?? 0;
    this.outputs.set(cellId, []);
    for (const [id, refs] of this.displays) {
      const kept = refs.filter((r) => r.cellId !== cellId);
      if (kept.length) this.displays.set(id, kept);
      else this.displays.delete(id);
    }
    return had > 0 ? [{ op: 'clear', cellId }] : [];
  }

  private list(cellId: string): NbOutput[] {
    let list = this.outputs.get(cellId);
    if (!list) this.outputs.set(cellId, (list = []));
    return list;
  }

  private stream(cellId: string, name: string, text: string): OutputOp[] {
    const list = this.list(cellId);
    const index = list.length - 1;
    const last = list[index];
    if (last && last.output_type === 'stream' && last.name === name) {
      const before = String(last.text ?? '');
      if (!/[\r\x08]/.test(text) && !before.endsWith('\r')) {
        last.text = before + text;
        return [{ op: 'appendText', cellId, index, text }];
      }
      last.text = applyControlChars(before + text);
      return [{ op: 'set', cellId, index, output: { ...last } }];
    }
    const output: NbOutput = { output_type: 'stream', name, text: applyControlChars(text) };
    list.push(output);
    return [{ op: 'set', cellId, index: list.length - 1, output: { ...output } }];
  }

  private append(cellId: string, output: NbOutput, displayId: string | null): OutputOp[] {
    const list = this.list(cellId);
    list.push(output);
    const index = list.length - 1;
    if (displayId) this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), { cellId, index }]);
    return [{ op: 'set', cellId, index, output }];
  }

  private updateDisplay(content: Content): OutputOp[] {
    const id = displayIdOf(content);
    const ops: OutputOp[] = [];
    for (const ref of (id && this.displays.get(id)) || []) {
      const list = this.outputs.get(ref.cellId);
      const old = list?.[ref.index];
      if (!list || !old) continue;
      const next: NbOutput = { ...old, data: asRecord(content.data), metadata: asRecord(content.metadata) };
      list[ref.index] = next;
      ops.push({ op: 'set', cellId: ref.cellId, index: ref.index, output: next });
    }
    return ops;
  }
}

function displayIdOf(content: Content): string | null {
  const id = asRecord(content.transient).display_id;
  return typeof id === 'string' && id ? id : null;
}

/** The nbformat shape of an IOPub output message (transient fields are not stored). */
export function toOutput(msgType: 'display_data' | 'execute_result' | 'error', content: Content): NbOutput {
  if (msgType === 'error') {
    return {
      output_type: 'error',
      ename: String(content.ename ?? ''),
      evalue: String(content.evalue ?? ''),
      traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
    };
  }
  const base = { data: asRecord(content.data), metadata: asRecord(content.metadata) };
  return msgType === 'execute_result'
    ? { output_type: 'execute_result', execution_count: typeof content.execution_count === 'number' ? content.execution_count : null, ...base }
    : { output_type: 'display_data', ...base };
}
