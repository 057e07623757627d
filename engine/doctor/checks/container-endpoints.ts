/**
 * Where a Docker or Podman engine may be listening, in the order we try them, and what its
 * /version answer says. Pure: the check does the connecting.
 */
import path from 'node:path';
import type { Settings } from '../../api/contract.js';

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; source: string }
  | { kind: 'tcp'; url: string; host: string; port: number; source: string }
  | { kind: 'unsupported'; url: string; source: string };

/**
 * The well-known sockets. `KFD_CONTAINER_SOCKETS` (colon-separated paths) replaces this list,
 * so tests and unusual installs can say exactly where to look.
 */
export function wellKnownSockets(env: NodeJS.ProcessEnv): string[] {
  if (env.KFD_CONTAINER_SOCKETS !== undefined) return env.KFD_CONTAINER_SOCKETS.split(':').filter(Boolean);
  const list = ['/var/run/docker.sock'];
  if (env.HOME) list.push(path.join(env.HOME, '.docker', 'run', 'docker.sock')); // Docker Desktop
  if (env.XDG_RUNTIME_DIR) list.push(path.join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')); // rootless Podman
  list.push('/run/podman/podman.sock');
  return list;
}

/** "unix:///x", "/x" or "tcp://h:p" → an endpoint; other schemes (ssh://, npipe://) are reported. */
export function parseEngineAddress(address: string, source: string): EngineEndpoint {
  if (address.startsWith('unix://')) return { kind: 'unix', socketPath: address.slice('unix://'.length), source };
  if (address.startsWith('/')) return { kind: 'unix', socketPath: address, source };
  if (address.startsWith('tcp://')) {
    try {
      const url = new URL(address);
      return { kind: 'tcp', url: address, host: url.hostname, port: Number(url.port || 2375), source };
    } catch {
      return { kind: 'unsupported', url: address, source };
    }
  }
  return { kind: 'unsupported', url: address, source };
}

export function engineEndpoints(env: NodeJS.ProcessEnv, settings: Settings): EngineEndpoint[] {
  const list: EngineEndpoint[] = [];
  if (settings.containerSocket) list.push(parseEngineAddress(settings.containerSocket, 'containerSocket setting'));
  if (env.DOCKER_HOST) list.push(parseEngineAddress(env.DOCKER_HOST, 'DOCKER_HOST'));
  for (const socketPath of wellKnownSockets(env)) list.push({ kind: 'unix', socketPath, source: 'default' });
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = e.kind === 'unix' ? path.resolve(e.socketPath) : e.url;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function endpointAddress(e: EngineEndpoint): string {
  return e.kind === 'unix' ? e.socketPath : e.url;
}

/** "/var/run/docker.sock", or "tcp://h:2375 (DOCKER_HOST)" when it came from configuration. */
export function describeEndpoint(e: EngineEndpoint): string {
  return e.source === 'default' ? endpointAddress(e) : `${endpointAddress(e)} (${e.source})`;
}

export interface EngineVersion {
  Version?: string;
  ApiVersion?: string;
  Components?: { Name?: string; Version?: string }[];
}

/** Podman's Docker-compatible /version lists a component named "Podman Engine". */
export function identifyEngine(v: EngineVersion): { engine: 'Docker' | 'Podman'; version: string; apiVersion: string } {
  const podman = v.Components?.find((c) => c.Name === 'Podman Engine');
  if (podman) return { engine: 'Podman', version: podman.Version ?? v.Version ?? 'unknown', apiVersion: v.ApiVersion ?? 'unknown' };
  return { engine: 'Docker', version: v.Version ?? 'unknown', apiVersion: v.ApiVersion ?? 'unknown' };
}
