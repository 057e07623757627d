import type { CheckStatus, Settings } from '../api/contract.js';

/** What every check gets. Checks read `env` (never `process.env`) so tests control PATH. */
export interface DoctorContext {
  env: NodeJS.ProcessEnv;
  settings: Settings;
}

/** The doctor aborts `signal` when a check runs out of time, so probes kill their processes. */
export interface CheckContext extends DoctorContext {
  signal?: AbortSignal;
}

export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  /** The exact command or setting to change; '' when status is ok. */
  fix: string;
}

/** One diagnostic, one file in `checks/` (the Rancher Desktop pattern). */
export interface DoctorCheck {
  id: string;
  title: string;
  /** Overrides the doctor's default per-check time limit (python imports torch: slow). */
  timeoutMs?: number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export function ok(detail: string): CheckOutcome {
  return { status: 'ok', detail, fix: '' };
}
