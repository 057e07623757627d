/**
 * Docker's default runtime is nvidia. kind starts its node containers itself, with no
 * `--runtime` or `--gpus` flag, so the nvkind approach only works when nvidia is the default.
 */
import { ok, wantsGpus, type CheckOutcome, type ClusterDiagnostic } from './diagnostic.js';
import { readDockerInfo, type DockerInfo } from './docker-info.js';

export const FIX_DEFAULT = 'sudo nvidia-ctk runtime configure --runtime=docker --set-as-default && sudo systemctl restart docker';
export const FIX_INSTALL = 'Install the NVIDIA Container Toolkit (apt-get install nvidia-container-toolkit), then: ' + FIX_DEFAULT;

/** Pure: what one `docker info` answer says about the nvidia runtime. */
export function assessNvidiaRuntime(info: DockerInfo): CheckOutcome {
  const runtimes = Object.keys(info.Runtimes ?? {});
  const nvidia = runtimes.filter((r) => r.startsWith('nvidia'));
  const def = info.DefaultRuntime ?? '(unknown)';
  if (nvidia.includes(def)) return ok(`Docker's default runtime is ${def}.`);
  if (nvidia.length) {
    return {
      status: 'warning',
      detail: `Docker has the ${nvidia.join(', ')} runtime, but its default is ${def}; kind's nodes would start without GPUs.`,
      fix: FIX_DEFAULT,
    };
  }
  return {
    status: 'missing',
    detail: `Docker has no nvidia runtime (runtimes: ${runtimes.join(', ') || 'none reported'}).`,
    fix: FIX_INSTALL,
  };
}

export const nvidiaRuntime: ClusterDiagnostic = {
  id: 'nvidia-runtime',
  title: 'NVIDIA runtime in Docker',
  applicable: (ctx) => wantsGpus(ctx.cluster),
  async run(ctx) {
    const answer = await readDockerInfo(ctx);
    if ('failure' in answer) return { status: 'missing', detail: `Docker is not reachable: ${answer.failure}`, fix: 'Start Docker first' };
    return assessNvidiaRuntime(answer.info);
  },
};
