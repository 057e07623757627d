/** KFP's retry policy: backoffDuration × backoffFactor^attempt, at most backoffMaxDuration. Pure. */
import type { TaskSpec } from '../spec/pipeline-spec.js';

/** Protobuf JSON durations: "1s", "0.5s", "3600s" (kfp also accepts "5m" in the DSL and converts). */
export function parseDuration(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return fallbackMs;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

export function retryDelayMs(policy: NonNullable<TaskSpec['retryPolicy']>, attempt: number): number {
  const base = parseDuration(policy.backoffDuration, 0);
  const factor = policy.backoffFactor && policy.backoffFactor > 0 ? policy.backoffFactor : 2;
  const max = parseDuration(policy.backoffMaxDuration, 3_600_000);
  return Math.min(base * factor ** attempt, max);
}
