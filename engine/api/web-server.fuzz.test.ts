/**
 * Web mode under malformed traffic: thousands of raw requests on 127.0.0.1 against the real
 * engine (real SQLite in a temp dir) — random methods, paths with broken %-escapes, headers,
 * bodies that are too big, truncated or lie about their length, WebSocket upgrades with bad keys
 * and subprotocols, bad WebSocket frames — while a served file keeps vanishing and coming back.
 * Afterwards the server still answers, the database passes `PRAGMA integrity_check`, and no
 * request without the token reached the engine. Bounded in count and time; KFD_FUZZ_SEED
 * replays a run (the seed is printed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../engine.js';
import { DATABASE_FILE } from '../store/store.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { badFrame, Fuzz, fuzzRequest, openRawWebSocket, prng, sendRaw, type Target } from './test-support/http-fuzz.js';
import { tokenSubprotocol } from './web-auth.js';
import { startWebServer, type WebServer } from './web-server.js';

const SEED = Number(process.env.KFD_FUZZ_SEED) || Date.now() % 1_000_000_007;
const REQUESTS_WITHOUT_TOKEN = 2500;
const REQUESTS_WITH_TOKEN = 1500;
const BAD_WEBSOCKETS = 200;
const CONCURRENCY = 16;
/** A safety bound: on a slow machine fewer requests run rather than the suite hanging. */
const BUDGET_MS = 120_000;

const TOKEN = 'fuzz-token-Zq8';
let dir: string;
let dataDir: string;
let staticDir: string;
let engine: Engine;
let server: WebServer;
let dispatched = 0;
let closed = false;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

beforeAll(async () => {
  console.log(`web-server fuzz seed: ${SEED} (replay with KFD_FUZZ_SEED=${SEED})`);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  dir = makeTempDir('api', 'fuzz');
  dataDir = path.join(dir, 'data');
  staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>kfd</title>');
  fs.writeFileSync(path.join(staticDir, 'output-frame.html'), '<!doctype html>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)\n'.repeat(5000));
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  engine = createEngine({ dataDir, env: { PATH: process.env.PATH, HOME: dir } });
  const dispatch: Engine['dispatch'] = (method, input) => {
    dispatched++;
    return engine.dispatch(method, input);
  };
  server = await startWebServer({ dispatch, events: engine.events, staticDir, token: TOKEN });
});

afterAll(async () => {
  if (!closed) {
    await server?.close();
    await engine?.close();
  }
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

/** A served file that keeps disappearing and coming back while requests for it are in flight. */
function churn(stop: { done: boolean }): Promise<void> {
  const file = path.join(staticDir, 'churn.js');
  return (async () => {
    while (!stop.done) {
      fs.writeFileSync(file, 'x'.repeat(200_000));
      await new Promise((r) => setImmediate(r));
      fs.rmSync(file, { force: true });
      await new Promise((r) => setImmediate(r));
    }
  })();
}

async function pool<T>(count: number, deadline: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count && Date.now() < deadline) out.push(await one(next++));
    }),
  );
  return out;
}

function histogram(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) out[l.slice(9, 12) || 'none'] = (out[l.slice(9, 12) || 'none'] ?? 0) + 1;
  return out;
}

/** Sockets this process holds open (server and client sides). */
function openSockets(): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}

async function stillServes(): Promise<void> {
  const res = await fetch(new URL('/api/version', server.url), { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ name: 'kubeflow-desktop' });
  expect((await fetch(server.url)).status).toBe(200);
}

describe('web mode under malformed traffic', () => {
  it('a malformed %-escape in an API path gets 400 naming the problem, and the server goes on', async () => {
    for (const bad of ['/api/%E0', '/api/%', '/api/jobs.%zzlist', '/api/%C0%AF']) {
      const line = await sendRaw(server.port, { bytes: Buffer.from(`GET ${bad} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`), halfClose: false });
      expect(line, bad).toBe('HTTP/1.1 400 Bad Request');
    }
    await stillServes();
  });

  it('survives thousands of fuzzed requests and bad WebSockets; nothing without the token reaches the engine', async () => {
    const target: Target = { port: server.port, token: TOKEN };
    const f = new Fuzz(prng(SEED));
    const deadline = Date.now() + BUDGET_MS;
    const socketsBefore = openSockets();
    const stop = { done: false };
    const churning = churn(stop);

    // 1. No valid token anywhere it counts (but tokens in wrong places, wrong values, cookies…).
    const before = dispatched;
    const anonymous = await pool(REQUESTS_WITHOUT_TOKEN, deadline, async () => {
      const req = fuzzRequest(f, target, false);
      return { req, line: await sendRaw(server.port, req) };
    });
    expect(dispatched - before, 'requests without the token reached the engine').toBe(0);
    const upgraded = anonymous.filter((r) => r.line.startsWith('HTTP/1.1 101'));
    expect(upgraded, 'WebSockets opened without the token').toEqual([]);
    const apiOk = anonymous.filter((r) => r.req.isApi && /^HTTP\/1\.[01] 2/.test(r.line));
    expect(apiOk.map((r) => r.req.bytes.toString('latin1').split('\r\n')[0]), 'API answers without the token').toEqual([]);
    expect(anonymous.some((r) => r.line.startsWith('HTTP/1.1 401'))).toBe(true);
    expect(anonymous.some((r) => r.line.startsWith('HTTP/1.1 403'))).toBe(true);
    expect(anonymous.some((r) => r.line.startsWith('HTTP/1.1 400'))).toBe(true);
    await stillServes();

    // 2. With the token: garbage bodies, lengths and encodings on real methods.
    const authorized = await pool(REQUESTS_WITH_TOKEN, deadline, async () => sendRaw(server.port, fuzzRequest(f, target, true)));
    expect(authorized.some((line) => line.startsWith('HTTP/1.1 200'))).toBe(true);
    console.log(`fuzz status lines: ${JSON.stringify(histogram([...anonymous.map((r) => r.line), ...authorized]))}`);
    await stillServes();

    // 3. Authorized event sockets that then send frames a server must refuse.
    await pool(BAD_WEBSOCKETS, deadline, async () => {
      const socket = await openRawWebSocket(target);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => socket.destroy(), 2000);
        socket.on('close', () => (clearTimeout(timer), resolve()));
        socket.on('error', () => undefined);
        socket.write(badFrame(f));
      });
    });
    stop.done = true;
    await churning;

    expect(crashes, 'uncaught errors in the server').toEqual([]);
    // Every fuzz client has gone: the server must have let go of its side too (a refused upgrade
    // once kept its socket forever). A few keep-alive connections of fetch may remain.
    const settle = Date.now() + 10_000;
    while (openSockets() > socketsBefore + 4 && Date.now() < settle) await new Promise((r) => setTimeout(r, 100));
    console.log(`sockets before ${socketsBefore}, after ${openSockets()}`);
    expect(openSockets(), 'sockets the server still holds for clients that left').toBeLessThanOrEqual(socketsBefore + 4);
    await stillServes();
    // The event socket still works for a real client.
    const ws = new WebSocket(server.url.replace('http', 'ws') + 'api/events', ['kfd.v1', tokenSubprotocol(TOKEN)]);
    const message = new Promise<string>((resolve, reject) => {
      ws.on('message', (d) => resolve(String(d)));
      ws.on('error', reject);
    });
    await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)));
    const update = await fetch(new URL('/api/settings.update', server.url), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{"theme":"light"}' });
    expect(update.status).toBe(200);
    expect(JSON.parse(await message)).toMatchObject({ event: 'settings.changed', payload: { theme: 'light' } });
    ws.close();

    closed = true;
    await server.close();
    await engine.close();
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, BUDGET_MS + 60_000);
});

describe('kfd serve', () => {
  const data = () => makeTempDir('api', 'serve-data');
  it('answers GET /api/%E0 with 400 and keeps serving (it used to exit)', async () => {
    const kfd = path.resolve(import.meta.dirname, '..', '..', 'bin', 'kfd.mjs');
    const child = spawn(process.execPath, [kfd, 'serve', '--port', '0'], {
      env: { ...process.env, KFD_DATA_DIR: data(), KFD_TOKEN: TOKEN, HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited: number | null = null;
    child.on('exit', (code) => (exited = code ?? -1));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /listening on (http:\/\/\S+?)\?token=/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`kfd serve exited: ${out}`)));
      });
      const bad = await fetch(new URL('/api/%E0', url));
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('percent-encoding') } });
      const ok = await fetch(new URL('/api/version', url), { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(exited).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (exited !== null ? r(null) : child.once('exit', r)));
    }
  }, 60_000);
});
