import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { exampleRequest, latencyStats, loadTest, quantile, v2Ready } from './v2-protocol.js';

describe('exampleRequest', () => {
  it('builds an infer request from metadata: batch dimension = rows, zeros of the right count, outputs by name', () => {
    const req = exampleRequest({ name: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [-1, 64] }], outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1, 1] }] }, { rows: 2 });
    expect(req.inputs[0]).toMatchObject({ name: 'input-0', datatype: 'FP64', shape: [2, 64] });
    expect(req.inputs[0]!.data).toHaveLength(128);
    expect(req.outputs).toEqual([{ name: 'predict' }]);
    const bytes = exampleRequest({ name: 'm', inputs: [{ name: 't', datatype: 'BYTES', shape: [-1, -1] }] });
    expect(bytes.inputs[0]).toMatchObject({ shape: [1, 1], data: [''] });
    expect(bytes.outputs).toBeUndefined();
  });
});

describe('latency statistics', () => {
  it('takes nearest-rank quantiles and requests per second', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.95)).toBe(95);
    expect(quantile([], 0.5)).toBe(0);
    expect(latencyStats([30, 10, 20, 40], 2000)).toEqual({ p50: 20, p95: 40, p99: 40, max: 40, throughput: 2 });
  });

  it('runs N requests with at most C in flight, counts failures, and stops on abort', async () => {
    let inFlight = 0;
    let most = 0;
    const send = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { ok: true, latencyMs: 5 };
    };
    const r = await loadTest(send, { requests: 20, concurrency: 3 });
    expect(r).toMatchObject({ ok: 20, failed: 0, firstError: null });
    expect(r.samples).toHaveLength(20);
    expect(most).toBe(3);
    let n = 0;
    const failing = await loadTest(async () => ({ ok: ++n % 2 === 0, latencyMs: 1, error: 'HTTP 400' }), { requests: 10, concurrency: 2 });
    expect(failing).toMatchObject({ ok: 5, failed: 5, firstError: 'HTTP 400' });
    const abort = new AbortController();
    const stopped = await loadTest(async () => (abort.abort(), { ok: true, latencyMs: 1 }), { requests: 1000, concurrency: 1, signal: abort.signal });
    expect(stopped.ok).toBe(1);
  });
});

describe('v2Ready', () => {
  it('is ready only when both the server and the model say 200', async () => {
    let modelReady = false;
    const srv = http.createServer((req, res) => {
      res.statusCode = req.url === '/v2/health/ready' || (req.url === '/v2/models/m/ready' && modelReady) ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    expect(await v2Ready(base, 'm')).toBe(false);
    modelReady = true;
    expect(await v2Ready(base, 'm')).toBe(true);
    srv.close();
    expect(await v2Ready(base, 'm', 500)).toBe(false);
  });
});

describe('v2Infer on a connection the server closed', () => {
  it('sends once more on a fresh connection when a pooled one was closed before answering', async () => {
    const { v2Infer } = await import('./v2-protocol.js');
    let requests = 0;
    // A server that closes the first request's socket without answering (what a keep-alive close
    // the client had not seen yet looks like), then answers normally.
    const srv = http.createServer((req, res) => {
      requests++;
      if (requests === 1) return req.socket.destroy();
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ outputs: [{ name: 'predict', shape: [1, 1], datatype: 'INT64', data: [3] }] })));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const r = await v2Infer(base, 'm', { inputs: [] });
    expect(r.status).toBe(200);
    expect(requests).toBe(2);
    srv.close();
  });
});
