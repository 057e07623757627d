/**
 * Doctor page state as a pure reducer (tested in node): rows appear from `doctor.list`, fill in
 * from `doctor.checkFinished` events, and settle from the `doctor.run` result.
 */
import type { CheckResult, CheckStatus } from '../../../engine/api/contract';

export type RowStatus = CheckStatus | 'pending';

export interface DoctorRow {
  id: string;
  title: string;
  status: RowStatus;
  detail: string;
  fix: string;
}

export interface DoctorState {
  rows: DoctorRow[];
  running: boolean;
  /** The list or run failed: the engine's message. */
  error: string | null;
}

export type DoctorAction =
  | { type: 'listed'; checks: { id: string; title: string }[] }
  | { type: 'started' }
  | { type: 'checkFinished'; result: CheckResult }
  | { type: 'runFinished'; results: CheckResult[] }
  | { type: 'failed'; message: string };

export const initialDoctorState: DoctorState = { rows: [], running: false, error: null };

function pending(id: string, title: string): DoctorRow {
  return { id, title, status: 'pending', detail: '', fix: '' };
}

function upsert(rows: DoctorRow[], result: CheckResult): DoctorRow[] {
  const row: DoctorRow = { ...result };
  const i = rows.findIndex((r) => r.id === result.id);
  if (i === -1) return [...rows, row];
  const next = rows.slice();
  next[i] = row;
  return next;
}

export function doctorReducer(state: DoctorState, action: DoctorAction): DoctorState {
  switch (action.type) {
    case 'listed':
      return { ...state, error: null, rows: action.checks.map((c) => pending(c.id, c.title)) };
    case 'started':
      return {
        running: true,
        error: null,
        rows: state.rows.map((r) => pending(r.id, r.title)),
      };
    case 'checkFinished':
      // Events may also come from a run started elsewhere (another window, the CLI): same rows.
      return { ...state, rows: upsert(state.rows, action.result) };
    case 'runFinished': {
      let rows = state.rows;
      for (const result of action.results) rows = upsert(rows, result);
      return { running: false, error: null, rows };
    }
    case 'failed':
      return { ...state, running: false, error: action.message };
  }
}

export interface DoctorCounts {
  ok: number;
  warning: number;
  missing: number;
  pending: number;
}

export function countRows(rows: DoctorRow[]): DoctorCounts {
  const counts: DoctorCounts = { ok: 0, warning: 0, missing: 0, pending: 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

/**
 * "7 ok, 1 warning, 1 missing", plus ", 2 checking…" while a run is going, or ", 2 not checked"
 * when the run stopped (engine unreachable) before those checks reported.
 */
export function summarize(rows: DoctorRow[], running = true): string {
  const c = countRows(rows);
  const parts = [`${c.ok} ok`, `${c.warning} ${c.warning === 1 ? 'warning' : 'warnings'}`, `${c.missing} missing`];
  if (c.pending > 0) parts.push(running ? `${c.pending} checking…` : `${c.pending} not checked`);
  return parts.join(', ');
}
