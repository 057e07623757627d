/**
 * Runs checks concurrently. Each gets its own time limit and AbortSignal, so one hung binary
 * becomes a warning instead of hanging the doctor; a check that throws becomes a result that
 * carries the error text. Results come back in the order the checks were given.
 */
import type { CheckResult } from '../api/contract.js';
import type { CheckOutcome, DoctorCheck, DoctorContext } from './check.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

export interface RunChecksOptions {
  onResult?: (result: CheckResult) => void;
  /** Overrides every check's time limit (tests use a short one). */
  timeoutMs?: number;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

async function runOne(check: DoctorCheck, ctx: DoctorContext, timeoutMs: number): Promise<CheckOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        status: 'warning',
        detail: `The ${check.title} check timed out after ${seconds(timeoutMs)} (a program it runs did not answer).`,
        fix: `Run \`kfd doctor\` again; if it times out again, check that the program behind "${check.title}" runs from a terminal.`,
      });
    }, timeoutMs);
  });
  try {
    return await Promise.race([check.run({ ...ctx, signal: controller.signal }), timedOut]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      status: 'warning',
      detail: `The ${check.title} check failed to run: ${message}`,
      fix: 'Report this error with the output of `kfd doctor --json`.',
    };
  } finally {
    clearTimeout(timer);
    controller.abort(); // stop anything the check left running once we have its answer
  }
}

export async function runChecks(
  checks: readonly DoctorCheck[],
  ctx: DoctorContext,
  opts: RunChecksOptions = {},
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check) => {
      const timeoutMs = opts.timeoutMs ?? check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
      const outcome = await runOne(check, ctx, timeoutMs);
      const result: CheckResult = { id: check.id, title: check.title, ...outcome };
      try {
        opts.onResult?.(result);
      } catch {
        // a listener's bug must not lose the doctor's answer
      }
      return result;
    }),
  );
}
