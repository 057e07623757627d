/**
 * Which Docker or Podman engine the container backend talks to. Discovery is Doctor's
 * (container-endpoints.ts, container-engine.ts): the containerSocket setting when set (the user
 * picked one), else DOCKER_HOST, then the well-known sockets; the first that answers /version.
 * A running job remembers the address it started on, so a re-attach asks that engine again.
 */
import Docker from 'dockerode';
import type { Settings } from '../../api/contract.js';
import { ask, FIX_INSTALL, FIX_PERMISSION, reachable, type Attempt } from '../../doctor/checks/container-engine.js';
import { describeEndpoint, endpointAddress, engineEndpoints, identifyEngine, parseEngineAddress, type EngineEndpoint } from '../../doctor/checks/container-endpoints.js';

export interface EngineConnection {
  /** No client-wide timeout: log streams stay open for the whole job. */
  docker: Docker;
  engine: 'Docker' | 'Podman';
  version: string;
  apiVersion: string;
  /** Socket path or tcp:// URL, as stored in a job's record. */
  address: string;
  /** "Docker 20.10.24 at /var/run/docker.sock": the job's target. */
  describe: string;
  /** Rootless Docker or Podman: root in a container is the user outside (asked once per address). */
  rootless(): Promise<boolean>;
}

export class EngineUnavailableError extends Error {
  constructor(message: string, readonly fix: string) {
    super(`${message} ${fix ? `To fix: ${fix}.` : ''}`.trim());
  }
}

function client(e: EngineEndpoint): Docker {
  // host: undefined stops docker-modem from reading DOCKER_HOST out of the engine's own process.env.
  if (e.kind === 'unix') return new Docker({ socketPath: e.socketPath, host: undefined });
  if (e.kind === 'tcp') return new Docker({ protocol: 'http', host: e.host, port: e.port });
  throw new Error(`unsupported engine address ${e.url}`);
}

/**
 * What each address said it is. /version is slow on Podman (it gathers host facts, about 1 s),
 * so it is asked once per address; every job start after that costs one /_ping.
 */
const identities = new Map<string, ReturnType<typeof identifyEngine>>();
const rootlessness = new Map<string, Promise<boolean>>();

/** Podman's own API says whether it runs rootless; its Docker-compatible /info does not (4.x). */
function podmanRootless(docker: Docker, version: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    docker.modem.dial({ path: `/v${version}/libpod/info`, method: 'GET', statusCodes: { 200: true } }, (err: unknown, data: unknown) =>
      err ? reject(err as Error) : resolve((data as { host?: { security?: { rootless?: boolean } } })?.host?.security?.rootless === true),
    );
  });
}

function rootlessOf(address: string, docker: Docker, engine: 'Docker' | 'Podman', version: string): Promise<boolean> {
  let known = rootlessness.get(address);
  if (!known) {
    // Rootless Docker lists "name=rootless" among its security options.
    known =
      engine === 'Podman'
        ? podmanRootless(docker, version)
        : docker.info().then((info: { SecurityOptions?: string[] }) => (info.SecurityOptions ?? []).some((o) => o.includes('name=rootless')));
    known.catch(() => rootlessness.delete(address));
    rootlessness.set(address, known);
  }
  return known;
}

async function connectTo(endpoints: EngineEndpoint[]): Promise<EngineConnection> {
  // Every candidate is pinged at once; the first in order that answers wins, as in Doctor.
  const downs = await Promise.all(endpoints.map(reachable));
  // One that did not answer may come back upgraded: ask it again then.
  downs.forEach((d, i) => {
    if (!d) return;
    identities.delete(endpointAddress(endpoints[i]!));
    rootlessness.delete(endpointAddress(endpoints[i]!));
  });
  const index = downs.findIndex((d) => d === null);
  const attempts: Attempt[] = downs.filter((d): d is Attempt => d !== null);
  if (index >= 0) {
    const endpoint = endpoints[index]!;
    const address = endpointAddress(endpoint);
    let identity = identities.get(address);
    if (!identity) {
      const asked = await ask(endpoint);
      if (asked.answer) identities.set(address, (identity = identifyEngine(asked.answer)));
      else attempts.push(asked);
    }
    if (identity) {
      const { engine, version, apiVersion } = identity;
      const docker = client(endpoint);
      return { docker, engine, version, apiVersion, address, describe: `${engine} ${version} at ${address}`, rootless: () => rootlessOf(address, docker, engine, version) };
    }
  }
  const tried = attempts.map((a) => `${describeEndpoint(a.endpoint)}: ${a.error}`).join('; ');
  const denied = attempts.some((a) => a.code === 'EACCES');
  throw new EngineUnavailableError(`No Docker or Podman engine answered (tried ${tried || 'no addresses'}).`, denied ? FIX_PERMISSION : FIX_INSTALL);
}

/** The engine new jobs run on. */
export function connectEngine(env: NodeJS.ProcessEnv, settings: Settings): Promise<EngineConnection> {
  const all = engineEndpoints(env, settings);
  // A chosen engine is used or reported, never silently replaced by another one.
  const chosen = all.filter((e) => e.source === 'containerSocket setting');
  return connectTo(chosen.length ? chosen : all);
}

/** The engine a job started on (its recorded address). */
export function reconnectEngine(address: string): Promise<EngineConnection> {
  return connectTo([parseEngineAddress(address, 'job record')]);
}

const DOWN_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/** The engine itself went away (stopped, restarting), as opposed to an API error answer. */
export function isEngineDown(err: unknown): boolean {
  const e = err as { code?: string; statusCode?: number; message?: string } | null;
  if (!e) return false;
  if (e.code && DOWN_CODES.has(e.code)) return true;
  if (e.statusCode !== undefined) return false;
  return /socket hang up|aborted|premature close|ECONNRESET|ECONNREFUSED/i.test(e.message ?? '');
}

/** Pings until the engine answers (true) or `timeoutMs` passes / `signal` aborts (false). */
export async function waitForEngine(docker: Docker, timeoutMs: number, signal?: AbortSignal, everyMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) return false;
    const answered = await Promise.race([
      docker.ping().then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), Math.min(2000, Math.max(100, deadline - Date.now()))).unref()),
    ]);
    if (answered) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A client for a recorded address without asking it anything first (it may be down right now). */
export function clientFor(address: string): Docker {
  return client(parseEngineAddress(address, 'job record'));
}
