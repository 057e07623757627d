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

const VERSION_TIMEOUT_MS = 3_000;

export const FIX_INSTALL =
  'sudo apt-get install docker.io && sudo systemctl start docker (or, for Podman: systemctl --user start podman.socket)';
export const FIX_PERMISSION = 'sudo usermod -aG docker $USER, then log out and back in';

export type Attempt = { endpoint: EngineEndpoint; answer?: EngineVersion; error?: string; code?: string };

function connect(e: EngineEndpoint): Docker {
  // host: undefined stops docker-modem from taking DOCKER_HOST out of the engine's own process.env.
  if (e.kind === 'unix') return new Docker({ socketPath: e.socketPath, host: undefined, timeout: VERSION_TIMEOUT_MS });
  if (e.kind === 'tcp') return new Docker({ protocol: 'http', host: e.host, port: e.port, timeout: VERSION_TIMEOUT_MS });
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

/** Asks one endpoint for /version; the container backend discovers its engine the same way. */
export async function ask(endpoint: EngineEndpoint): Promise<Attempt> {
  if (endpoint.kind === 'unsupported') {
    return { endpoint, error: 'only unix:// and tcp:// addresses are supported here' };
  }
  try {
    const answer = (await connect(endpoint).version()) as EngineVersion;
    return { endpoint, answer };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { endpoint, code: e.code, error: explain(e.code, e.message) };
  }
}

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const endpoints = engineEndpoints(ctx.env, ctx.settings);
  const attempts = await Promise.all(endpoints.map(ask));
  const winner = attempts.find((a) => a.answer);
  if (winner?.answer) {
    const { engine, version, apiVersion } = identifyEngine(winner.answer);
    const plain = winner.endpoint.kind === 'tcp' ? ', used as-is over plain HTTP' : '';
    const found = `${engine} ${version} (API ${apiVersion}) at ${describeEndpoint(winner.endpoint)}${plain}.`;
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
