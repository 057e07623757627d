/**
 * Metrics of running trials as they print them: each trial's log is read on from its own
 * cursor whenever its job reports new lines, through the experiment's metrics format. A
 * `jobs.log` event only says "there is more", so no line is missed or counted twice, also for
 * a trial first seen after a restart (its cursor starts at its first line).
 */
import type { LogLine } from '../api/schemas/jobs.js';
import { MetricsCollector, type MetricObservation } from './metrics-collector.js';
import type { ExperimentPlan } from './parse-experiment.js';

type ReadLogs = (jobId: string, cursor: string | undefined) => Promise<{ lines: LogLine[]; cursor: string; done: boolean }>;

interface Live {
  collector: MetricsCollector;
  cursor: string | undefined;
  reading: boolean;
  /** More lines arrived while reading. */
  again: boolean;
}

export class LiveTrialMetrics {
  private readonly live = new Map<string, Live>();
  private stopped = false;

  constructor(private readonly readLogs: ReadLogs) {}

  /** Reads the trial's new lines, then calls `caughtUp` with its collector (once per burst of events). */
  update(jobId: string, plan: ExperimentPlan, caughtUp: (collector: MetricsCollector) => void): void {
    let l = this.live.get(jobId);
    if (l?.reading) {
      l.again = true;
      return;
    }
    if (!l) {
      l = { collector: new MetricsCollector(plan.metricsFormat, [plan.objective.metric, ...plan.objective.additional]), cursor: undefined, reading: false, again: false };
      this.live.set(jobId, l);
    }
    const live = l;
    live.reading = true;
    void (async () => {
      try {
        do {
          live.again = false;
          for (let page = 0; page < 1000 && !this.stopped; page++) {
            const r = await this.readLogs(jobId, live.cursor);
            for (const line of r.lines) live.collector.add(line.text);
            live.cursor = r.cursor;
            if (r.done || r.lines.length === 0) break;
          }
          if (!this.stopped) caughtUp(live.collector);
        } while (live.again && !this.stopped);
      } catch {
        // the job went away; its final observation is read when its trial is reconciled
      } finally {
        live.reading = false;
      }
    })();
  }

  get(jobId: string): MetricsCollector | undefined {
    return this.live.get(jobId)?.collector;
  }

  forget(jobId: string): void {
    this.live.delete(jobId);
  }

  stop(): void {
    this.stopped = true;
  }
}

/** Every line of a finished trial through the metrics format: its observation per metric. */
export async function collectAll(read: (cursor: string | undefined) => ReturnType<ReadLogs>, plan: ExperimentPlan): Promise<Map<string, MetricObservation>> {
  const collector = new MetricsCollector(plan.metricsFormat, [plan.objective.metric, ...plan.objective.additional]);
  let cursor: string | undefined;
  for (let page = 0; page < 100_000; page++) {
    const r = await read(cursor);
    for (const l of r.lines) collector.add(l.text);
    cursor = r.cursor;
    if (r.done || r.lines.length === 0) break;
  }
  return collector.observations;
}
