/** Docker answers and has room for a cluster: kind nodes share the engine's memory (the VM's on macOS). */
import { formatGiB, GiB } from '../../engine/doctor/bytes.js';
import { ok, type CheckOutcome, type ClusterDiagnostic } from './diagnostic.js';
import { readDockerInfo } from './docker-info.js';

export const MIN_DOCKER_MEMORY = 6 * GiB;
export const FIX_START = 'sudo systemctl start docker (or start Docker Desktop), then check `docker info`';
export const FIX_MEMORY = 'Give Docker more memory (Docker Desktop: Settings → Resources → Memory, at least 6 GiB), or use fewer workers';

export function assessDockerMemory(memTotal: number | undefined, serverVersion = '?'): CheckOutcome {
  if (!memTotal || memTotal <= 0) {
    return { status: 'warning', detail: `Docker ${serverVersion} did not report its memory (MemTotal).`, fix: FIX_MEMORY };
  }
  const detail = `Docker ${serverVersion} has ${formatGiB(memTotal)} of memory`;
  if (memTotal < MIN_DOCKER_MEMORY) {
    return { status: 'warning', detail: `${detail}; a cluster with Kubeflow Trainer needs at least ${formatGiB(MIN_DOCKER_MEMORY)}.`, fix: FIX_MEMORY };
  }
  return ok(`${detail}.`);
}

export const dockerMemory: ClusterDiagnostic = {
  id: 'docker-memory',
  title: 'Docker memory',
  applicable: () => true,
  async run(ctx) {
    const answer = await readDockerInfo(ctx);
    if ('failure' in answer) return { status: 'missing', detail: `Docker is not reachable: ${answer.failure}`, fix: FIX_START };
    return assessDockerMemory(answer.info.MemTotal, answer.info.ServerVersion);
  },
};
