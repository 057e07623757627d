/**
 * The Open Inference Protocol (KServe V2) from the client side: readiness, model metadata, an
 * example infer request built from that metadata, and latency statistics. HTTP through fetch on
 * 127.0.0.1; the pure parts (request building, percentiles) are tested without a server.
 */

export interface V2Tensor {
  name: string;
  datatype: string;
  shape: number[];
}
export interface V2Metadata {
  name: string;
  versions?: string[];
  platform?: string;
  inputs?: V2Tensor[];
  outputs?: V2Tensor[];
}

const NUMERIC = new Set(['FP16', 'FP32', 'FP64', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64']);

/**
 * An infer request for `metadata`: each input with the batch dimension (-1) set to `rows` and
 * other unknown dimensions to 1, filled with `fill(i)` (zeros by default); the outputs listed
 * in the metadata are requested by name.
 */
export function exampleRequest(metadata: V2Metadata, opts: { rows?: number; fill?: (i: number) => number } = {}): { inputs: (V2Tensor & { data: (number | boolean | string)[] })[]; outputs?: { name: string }[] } {
  const rows = opts.rows ?? 1;
  const fill = opts.fill ?? (() => 0);
  const inputs = (metadata.inputs ?? []).map((t) => {
    const shape = t.shape.map((d, i) => (d >= 0 ? d : i === 0 ? rows : 1));
    const count = shape.reduce((a, b) => a * b, 1);
    const data = Array.from({ length: count }, (_, i) => (NUMERIC.has(t.datatype) ? fill(i) : t.datatype === 'BOOL' ? false : ''));
    return { name: t.name, datatype: t.datatype, shape, data };
  });
  const outputs = (metadata.outputs ?? []).map((o) => ({ name: o.name }));
  return { inputs, ...(outputs.length ? { outputs } : {}) };
}

export async function v2Ready(baseUrl: string, model: string | null, timeoutMs = 2000): Promise<boolean> {
  const paths = ['/v2/health/ready', ...(model ? [`/v2/models/${encodeURIComponent(model)}/ready`] : [])];
  try {
    for (const p of paths) {
      const res = await fetch(baseUrl + p, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      if (res.status !== 200) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** A pooled keep-alive connection the server (or a port proxy) closed while idle: the request never reached it. */
export function staleConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED';
}

/**
 * fetch, once more on a fresh connection when the pooled one turned out closed before any answer
 * (a busy event loop can miss the server's keep-alive close). Predictions are idempotent.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (!staleConnection(err) || init.signal?.aborted) throw err;
    return fetch(url, init);
  }
}

export async function v2Metadata(baseUrl: string, model: string): Promise<V2Metadata> {
  const res = await fetchOnce(`${baseUrl}/v2/models/${encodeURIComponent(model)}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json().catch(() => null)) as V2Metadata | { error?: string } | null;
  if (res.status !== 200 || !body || !('name' in body)) throw new Error(`GET /v2/models/${model} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** One infer call: the server's answer (or error body), its HTTP status and the round trip in ms. */
export async function v2Infer(baseUrl: string, model: string, request: unknown, signal?: AbortSignal): Promise<{ status: number; response: unknown; latencyMs: number }> {
  const body = JSON.stringify(request);
  const started = performance.now();
  const res = await fetchOnce(`${baseUrl}/v2/models/${encodeURIComponent(model)}/infer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    signal: signal ?? AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  const latencyMs = performance.now() - started;
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    /* plain text error */
  }
  return { status: res.status, response, latencyMs };
}

/** The q-quantile (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function latencyStats(latencies: number[], durationMs: number): { p50: number; p95: number; p99: number; max: number; throughput: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    throughput: durationMs > 0 ? (latencies.length / durationMs) * 1000 : 0,
  };
}

/** N requests, C at a time; `onProgress` after each; stops early when `signal` aborts. */
export async function loadTest(
  send: (signal: AbortSignal) => Promise<{ ok: boolean; latencyMs: number; error?: string }>,
  opts: { requests: number; concurrency: number; signal?: AbortSignal; onProgress?: (done: number) => void },
): Promise<{ ok: number; failed: number; firstError: string | null; durationMs: number; samples: [number, number][] }> {
  const samples: [number, number][] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  const controller = new AbortController();
  opts.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const started = performance.now();
  const worker = async () => {
    while (next < opts.requests && !controller.signal.aborted) {
      next++;
      try {
        const r = await send(controller.signal);
        samples.push([performance.now() - started, r.latencyMs]);
        if (r.ok) ok++;
        else {
          failed++;
          firstError ??= r.error ?? 'failed';
        }
      } catch (err) {
        if (controller.signal.aborted) break;
        failed++;
        firstError ??= (err as Error).message;
      }
      opts.onProgress?.(ok + failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.requests) }, worker));
  return { ok, failed, firstError, durationMs: performance.now() - started, samples };
}
