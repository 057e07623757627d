/**
 * What the create plan needs to know about this machine: kind's version, the NVIDIA GPUs
 * nvidia-smi lists, and whether Docker can hand them to kind nodes (from the diagnostics).
 */
import { probe } from '../../engine/doctor/probe.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi, type NvidiaGpu } from '../../engine/doctor/checks/nvidia-smi-parse.js';
import type { Settings } from '../../engine/api/contract.js';
import { kindVersion } from '../cli/kind-cli.js';
import type { Runner } from '../cli/runner.js';
import { readDockerInfo } from '../diagnostics/docker-info.js';
import { nvidiaRuntime } from '../diagnostics/nvidia-runtime.js';
import { nvidiaToolkitConfig } from '../diagnostics/nvidia-toolkit-config.js';
import type { HostGpuReadiness } from '../gpu/gpu-selection.js';
import type { KindConfigInput } from '../kind-config.js';

export async function detectGpus(env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<NvidiaGpu[]> {
  const r = await probe('nvidia-smi', NVIDIA_SMI_ARGS, { env, ...(signal ? { signal } : {}), timeoutMs: 10_000 });
  return r.exitCode === 0 ? parseNvidiaSmi(r.stdout) : [];
}

export async function hostGpuReadiness(env: NodeJS.ProcessEnv, settings: Settings, signal?: AbortSignal): Promise<HostGpuReadiness> {
  const cluster: KindConfigInput = { name: 'kfd', kindVersion: 'v0.30.0', workers: 0, gpus: { mode: 'all' } };
  const ctx = { env, settings, cluster, ...(signal ? { signal } : {}) };
  const outcomes = await Promise.all([nvidiaRuntime.run(ctx), nvidiaToolkitConfig.run(ctx)]);
  const problems = outcomes.filter((o) => o.status !== 'ok').map((o) => ({ detail: o.detail, fix: o.fix }));
  return { ready: problems.length === 0, problems };
}

/** Docker runs containers on cgroup v1 (false when Docker does not answer: the create's preflight says so). */
export async function dockerCgroupV1(env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<boolean> {
  const answer = await readDockerInfo({ env, ...(signal ? { signal } : {}) });
  return 'info' in answer && answer.info.CgroupVersion === '1';
}

export async function machineFacts(r: Runner, settings: Settings): Promise<{ kindVersion: string; gpus: NvidiaGpu[]; hostGpu: HostGpuReadiness; cgroupV1: boolean }> {
  const [version, gpus, cgroupV1] = await Promise.all([kindVersion(r), detectGpus(r.env, r.signal), dockerCgroupV1(r.env, r.signal)]);
  const hostGpu = gpus.length ? await hostGpuReadiness(r.env, settings, r.signal) : { ready: false, problems: [] };
  return { kindVersion: version, gpus, hostGpu, cgroupV1 };
}
