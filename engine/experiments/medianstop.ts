/**
 * Katib's medianstop early stopping, as its suggestion service computes the rule: once
 * `minTrialsRequired` trials have succeeded, the median of their mean objective values is the bar;
 * a running trial that has reported at least `startStep` objective values and then reports one
 * worse than the bar (below it when maximizing, above it when minimizing) is stopped.
 */
export interface MedianStopRule {
  median: number;
  startStep: number;
  type: 'minimize' | 'maximize';
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The rule, or null while fewer than `minTrialsRequired` trials have succeeded. */
export function medianStopRule(
  succeededObjectiveValues: readonly (readonly number[])[],
  settings: { minTrialsRequired: number; startStep: number },
  type: 'minimize' | 'maximize',
): MedianStopRule | null {
  const means = succeededObjectiveValues.filter((v) => v.length > 0).map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  if (means.length < settings.minTrialsRequired) return null;
  return { median: median(means), startStep: settings.startStep, type };
}

/** Whether a running trial whose objective values so far are `values` must stop now. */
export function shouldStop(rule: MedianStopRule, values: readonly number[]): boolean {
  if (values.length < rule.startStep) return false;
  const latest = values[values.length - 1]!;
  return rule.type === 'maximize' ? latest < rule.median : latest > rule.median;
}
