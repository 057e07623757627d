/** NVIDIA GPUs via nvidia-smi. No GPU is a warning, not a failure: jobs then run on CPU. */
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import { describeFailure, probe } from '../probe.js';
import { describeGpu, NVIDIA_SMI_ARGS, parseNvidiaSmi } from './nvidia-smi-parse.js';

export const FIX =
  'Install the NVIDIA driver (`sudo apt-get install nvidia-driver`, then reboot) and the NVIDIA Container Toolkit ' +
  '(https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html), ' +
  'then `sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker`';

export const id = 'nvidia-gpu';
export const title = 'NVIDIA GPU';

const NO_GPU = 'no NVIDIA GPU: jobs run on CPU';

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const r = await probe('nvidia-smi', NVIDIA_SMI_ARGS, { env: ctx.env, signal: ctx.signal });
  if (!r.found) return { status: 'warning', detail: `${NO_GPU} (nvidia-smi is not on PATH).`, fix: FIX };
  // nvidia-smi exits 9 when the kernel driver is not loaded, 6 when there is no GPU.
  if (r.exitCode !== 0) return { status: 'warning', detail: `${NO_GPU} (${describeFailure('nvidia-smi', r)}).`, fix: FIX };
  const gpus = parseNvidiaSmi(r.stdout);
  if (gpus.length === 0) return { status: 'warning', detail: `${NO_GPU} (nvidia-smi at ${r.path} lists no GPU).`, fix: FIX };
  const drivers = [...new Set(gpus.map((g) => g.driverVersion))].join(', ');
  const count = gpus.length === 1 ? '1 NVIDIA GPU' : `${gpus.length} NVIDIA GPUs`;
  return ok(`${count}, driver ${drivers}: ${gpus.map(describeGpu).join('; ')}.`);
}
