/**
 * "Try it" on a ready server: its V2 metadata and an example request built from it, one infer
 * call with its latency, and a small load test (N requests, C at a time) with p50/p95/p99 and
 * throughput. Calls go from the engine (the renderer cannot reach another local port).
 */
import { ApiError } from '../api/api-error.js';
import type { EventBus } from '../api/event-bus.js';
import type { Deployment, LoadTestResult } from '../api/schemas/models.js';
import { parseInferenceService } from './inference-service.js';
import { exampleRequest, latencyStats, loadTest, v2Infer, v2Metadata } from './v2-protocol.js';

/** At most this many samples come back for the chart (evenly thinned). */
const MAX_SAMPLES = 2000;

function target(d: Deployment): { base: string; model: string } {
  if (d.state !== 'Ready' || !d.url) throw new ApiError('unavailable', `Server ${d.id} is ${d.state}${d.message ? ` (${d.message})` : ''}; try it once it is Ready.`);
  return { base: d.url.replace(/\/$/, ''), model: parseInferenceService(d.manifest).metadata.name };
}

export class TryIt {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: { get(id: string): Deployment; events: EventBus }) {}

  async metadata(id: string): Promise<{ metadata: unknown; example: unknown }> {
    const { base, model } = target(this.deps.get(id));
    const metadata = await v2Metadata(base, model).catch((err: Error) => {
      throw new ApiError('unavailable', `The server did not give its metadata: ${err.message}`);
    });
    return { metadata, example: exampleRequest(metadata, { rows: 1 }) };
  }

  async infer(id: string, request: unknown) {
    const { base, model } = target(this.deps.get(id));
    try {
      return await v2Infer(base, model, request);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError('unavailable', `The infer call to ${base} failed: ${(err as Error).message}${cause ? ` (${cause.code ?? ''}${cause.message ? ` ${cause.message}` : ''})` : ''}`);
    }
  }

  async loadTest(id: string, input: { request: unknown; requests: number; concurrency: number }): Promise<LoadTestResult> {
    const d = this.deps.get(id);
    const { base, model } = target(d);
    if (this.running.has(d.id)) throw new ApiError('conflict', `A load test of ${d.id} is already running.`);
    const abort = new AbortController();
    this.running.set(d.id, abort);
    let lastEmit = 0;
    try {
      const run = await loadTest(
        async (signal) => {
          const r = await v2Infer(base, model, input.request, signal);
          return { ok: r.status === 200, latencyMs: r.latencyMs, ...(r.status === 200 ? {} : { error: `HTTP ${r.status}: ${JSON.stringify(r.response).slice(0, 300)}` }) };
        },
        {
          requests: input.requests,
          concurrency: input.concurrency,
          signal: abort.signal,
          onProgress: (done) => {
            if (done !== input.requests && Date.now() - lastEmit < 200) return;
            lastEmit = Date.now();
            this.deps.events.emit('models.loadTestProgress', { id: d.id, done, total: input.requests });
          },
        },
      );
      const ok = run.samples.map(([, l]) => l);
      const step = Math.max(1, Math.ceil(run.samples.length / MAX_SAMPLES));
      return {
        requests: run.ok + run.failed,
        concurrency: input.concurrency,
        ok: run.ok,
        failed: run.failed,
        firstError: run.firstError,
        durationMs: run.durationMs,
        ...latencyStats(ok, run.durationMs),
        samples: run.samples.filter((_, i) => i % step === 0),
      };
    } finally {
      this.running.delete(d.id);
    }
  }

  cancel(id: string): { cancelled: boolean } {
    const d = this.deps.get(id);
    const a = this.running.get(d.id);
    a?.abort();
    return { cancelled: Boolean(a) };
  }
}
