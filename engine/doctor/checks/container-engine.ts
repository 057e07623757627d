/**
 * A Docker or Podman engine that answers: the container backend and kind both need one.
 * Every candidate endpoint is asked for /version at once; the first in order that answers wins.
 */
import Docker from 'dockerode';
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import {
  describeEndpoint,
  endpointAddress,
  engineEndpoints,
  identifyEngine,
  type EngineEndpoint,
  type EngineVersion,
} from './container-endpoints.js';

export const id = 'container-engine';
export const title = 'Container engine';

/** Whether anything answers at all: a dead or hung socket is told apart quickly. */
const PING_TIMEOUT_MS = 3_000;
/** Podman gathers host facts (conmon and runtime versions) for /version: about 1 s idle, more when busy. */
const VERSION_TIMEOUT_MS = 20_000;

export const FIX_INSTALL =
  'sudo apt-get install docker.io && sudo systemctl start docker (or, for Podman: systemctl --user start podman.socket)';
export const FIX_PERMISSION = 'sudo usermod -aG docker $USER, then log out and back in';

export type Attempt = { endpoint: EngineEndpoint; answer?: EngineVersion; error?: string; code?: string };

function connect(e: EngineEndpoint, timeout: number): Docker {
  // host: undefined stops docker-modem from taking DOCKER_HOST out of the engine's own process.env.
  if (e.kind === 'unix') return new Docker({ socketPath: e.socketPath, host: undefined, timeout });
  if (e.kind === 'tcp') return new Docker({ protocol: 'http', host: e.host, port: e.port, timeout });
  throw new Error('unsupported');
}

function explain(code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no socket there';
    case 'EACCES':
      return 'permission denied (not in the docker group?)';
    case 'ECONNREFUSED':
      return 'nothing is listening (engine stopped?)';
    default:
      return message || 'no answer';
  }
}

function failed(endpoint: EngineEndpoint, err: unknown): Attempt {
  const e = err as NodeJS.ErrnoException;
  return { endpoint, code: e.code, error: explain(e.code, e.message) };
}

/** Whether the endpoint answers /_ping (fast on every engine); no answer is an Attempt with the error. */
export async function reachable(endpoint: EngineEndpoint): Promise<Attempt | null> {
  if (endpoint.kind === 'unsupported') return { endpoint, error: 'only unix:// and tcp:// addresses are supported here' };
  try {
    await connect(endpoint, PING_TIMEOUT_MS).ping();
    return null;
  } catch (err) {
    return failed(endpoint, err);
  }
}

/** Asks one endpoint for /version (after a quick ping); the container backend discovers its engine the same way. */
export async function ask(endpoint: EngineEndpoint): Promise<Attempt> {
  const down = await reachable(endpoint);
  if (down) return down;
  try {
    const answer = (await connect(endpoint, VERSION_TIMEOUT_MS).version()) as EngineVersion;
    return { endpoint, answer };
  } catch (err) {
    return failed(endpoint, err);
  }
}

/** "Podman 4.3.1" for an attempt that answered. */
export function describeAnswer(a: Attempt): string {
  if (!a.answer) return 'no answer';
  const { engine, version } = identifyEngine(a.answer);
  return `${engine} ${version}`;
}

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const endpoints = engineEndpoints(ctx.env, ctx.settings);
  const attempts = await Promise.all(endpoints.map(ask));
  const winner = attempts.find((a) => a.answer);
  if (winner?.answer) {
    const { engine, version, apiVersion } = identifyEngine(winner.answer);
    const plain = winner.endpoint.kind === 'tcp' ? ', used as-is over plain HTTP' : '';
    // Another engine that answers too (Docker and Podman side by side) can be picked in Settings.
    const others = attempts.filter((a) => a.answer && a !== winner).map((a) => `${describeAnswer(a)} at ${endpointAddress(a.endpoint)}`);
    const also = others.length ? ` Also answering: ${others.join('; ')} (pick one with the containerSocket setting).` : '';
    const found = `${engine} ${version} (API ${apiVersion}) at ${describeEndpoint(winner.endpoint)}${plain}.${also}`;
    // The setting is what the app connects to, so a broken one matters even if another answers.
    const setting = attempts.find((a) => a.endpoint.source === 'containerSocket setting');
    if (setting && setting !== winner) {
      return {
        status: 'warning',
        detail: `The containerSocket setting ${endpointAddress(setting.endpoint)} does not answer: ${setting.error}. ${found}`,
        fix: `Set the containerSocket setting to ${endpointAddress(winner.endpoint)}, or clear it to discover`,
      };
    }
    return ok(found);
  }
  const tried = attempts.map((a) => `  ${describeEndpoint(a.endpoint)}: ${a.error}`).join('\n');
  const denied = attempts.some((a) => a.code === 'EACCES');
  return {
    status: 'missing',
    detail: `No Docker or Podman engine answered. Tried:\n${tried || '  (no candidate addresses)'}`,
    fix: denied ? FIX_PERMISSION : FIX_INSTALL,
  };
}
