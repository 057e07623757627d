/**
 * `docker info` as JSON, through the docker CLI: kind drives Docker through that same CLI (and
 * its DOCKER_HOST / context), so this sees the engine kind will use.
 */
import { describeFailure, probe } from '../../engine/doctor/probe.js';
import type { CheckContext } from '../../engine/doctor/check.js';

/** The fields we read; Docker's answer has many more. */
export interface DockerInfo {
  ServerVersion?: string;
  MemTotal?: number;
  NCPU?: number;
  DefaultRuntime?: string;
  Runtimes?: Record<string, unknown>;
  CDISpecDirs?: string[];
  /** "1" or "2": the cgroup version the engine's containers (kind's nodes) run on. */
  CgroupVersion?: string;
  ServerErrors?: string[];
}

export function parseDockerInfo(stdout: string): DockerInfo | null {
  try {
    const v: unknown = JSON.parse(stdout.trim());
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as DockerInfo) : null;
  } catch {
    return null;
  }
}

export type DockerInfoAnswer = { info: DockerInfo } | { failure: string };

export async function readDockerInfo(ctx: Pick<CheckContext, 'env' | 'signal'>): Promise<DockerInfoAnswer> {
  const r = await probe('docker', ['info', '--format', '{{json .}}'], { env: ctx.env, signal: ctx.signal, timeoutMs: 10_000 });
  if (!r.found) return { failure: 'the docker command is not on PATH' };
  const info = parseDockerInfo(r.stdout);
  // Without a daemon, docker still prints JSON (client part) with ServerErrors and exits 1.
  if (r.exitCode !== 0 || !info || info.ServerErrors?.length) {
    return { failure: info?.ServerErrors?.[0] ?? describeFailure('docker', r) };
  }
  return { info };
}
