/**
 * Before a job that asks for GPUs starts: can this engine on this host give them, and if not,
 * exactly what is missing. The decision is pure (gpuPreflight); gatherGpuFacts asks the real
 * boundary — the engine's /info, `nvidia-smi`, the CDI spec directories — which tests replace
 * with fake-docker-info and fake-nvidia-smi (no GPU exists on the CI machines).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from '../../doctor/checks/nvidia-smi-parse.js';
import { describeFailure, probe } from '../../doctor/probe.js';
import { atLeast } from '../../doctor/version-compare.js';
import { NVIDIA_GPU, type GpuAttach } from './resources.js';

/** The Podman release whose Docker-compatible API honours CDI device requests (containers/podman#25171). */
export const PODMAN_CDI_MIN = '5.4.0';
/** Docker releases before this cannot inject CDI devices. */
export const DOCKER_CDI_MIN = '25.0.0';
export const CDI_SPEC_DIRS = ['/etc/cdi', '/var/run/cdi'];

export interface GpuHostFacts {
  engine: 'Docker' | 'Podman';
  version: string;
  /** Keys of /info's Runtimes (Docker lists "nvidia" once the NVIDIA Container Toolkit is configured). */
  runtimes: string[];
  /** /info's CDISpecDirs (Docker ≥ 25 with CDI enabled); empty otherwise. */
  cdiSpecDirs: string[];
  nvidiaSmi: { found: boolean; gpus: number; error: string };
  /** CDI spec files on this host that define nvidia.com/gpu devices. */
  cdiSpecs: string[];
}

export interface Missing {
  what: string;
  fix: string;
}

export type GpuPreflight = { ok: true; attach: GpuAttach; hostGpus: number } | { ok: false; missing: Missing[]; message: string };

const FIX_DRIVER = 'install the NVIDIA driver (sudo apt-get install nvidia-driver, then reboot)';
const FIX_TOOLKIT_DOCKER =
  'install the NVIDIA Container Toolkit, then `sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker`';
const FIX_CDI = 'install the NVIDIA Container Toolkit, then `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`';

export function gpuPreflight(facts: GpuHostFacts, requested: number, key = NVIDIA_GPU): GpuPreflight {
  const missing: Missing[] = [];
  if (key !== NVIDIA_GPU) missing.push({ what: `${key} is not a GPU this backend can attach (only ${NVIDIA_GPU})`, fix: `request ${NVIDIA_GPU} in resourcesPerNode` });
  const smi = facts.nvidiaSmi;
  if (!smi.found) missing.push({ what: 'nvidia-smi is not on PATH, so there is no NVIDIA driver on this machine', fix: FIX_DRIVER });
  else if (smi.error) missing.push({ what: `the NVIDIA driver does not answer: ${smi.error}`, fix: FIX_DRIVER });
  else if (smi.gpus < requested) {
    missing.push({ what: `${requested} GPU(s) per node requested but nvidia-smi lists ${smi.gpus}`, fix: `lower ${key} in resourcesPerNode to ${smi.gpus || 'nothing'}` });
  }

  let via: GpuAttach['via'] | null = null;
  if (facts.engine === 'Podman') {
    if (!atLeast(facts.version, PODMAN_CDI_MIN)) {
      missing.push({ what: `Podman ${facts.version} cannot attach GPUs through its Docker-compatible API (needs ${PODMAN_CDI_MIN} or later)`, fix: `upgrade Podman to ${PODMAN_CDI_MIN} or later` });
    } else if (facts.cdiSpecs.length === 0) {
      missing.push({ what: `no CDI spec defines ${NVIDIA_GPU} devices (looked in ${CDI_SPEC_DIRS.join(', ')})`, fix: FIX_CDI });
    } else via = 'cdi';
  } else if (facts.runtimes.includes('nvidia')) {
    via = 'nvidia';
  } else if (facts.cdiSpecDirs.length > 0 && atLeast(facts.version, DOCKER_CDI_MIN) && facts.cdiSpecs.length > 0) {
    via = 'cdi';
  } else {
    missing.push({ what: `Docker ${facts.version} has no NVIDIA hook (no "nvidia" runtime in docker info)`, fix: FIX_TOOLKIT_DOCKER });
  }

  if (missing.length || !via) {
    const list = missing.map((m, i) => `(${i + 1}) ${m.what}: ${m.fix}`).join('; ');
    return { ok: false, missing, message: `This job asks for ${requested} GPU(s) per node, but the ${facts.engine} engine here cannot give them: ${list}.` };
  }
  return { ok: true, attach: { via, count: requested >= smi.gpus ? 'all' : requested }, hostGpus: smi.gpus };
}

export interface EngineInfo {
  Runtimes?: Record<string, unknown>;
  CDISpecDirs?: string[];
}

/** The real boundary: nvidia-smi on the app's PATH, CDI spec files on this host, the engine's /info. */
export async function gatherGpuFacts(engine: { engine: 'Docker' | 'Podman'; version: string; info(): Promise<EngineInfo> }, env: NodeJS.ProcessEnv, specDirs = CDI_SPEC_DIRS): Promise<GpuHostFacts> {
  const [info, smi, cdiSpecs] = await Promise.all([engine.info(), probe('nvidia-smi', NVIDIA_SMI_ARGS, { env }), nvidiaCdiSpecs(specDirs)]);
  const gpus = smi.exitCode === 0 ? parseNvidiaSmi(smi.stdout).length : 0;
  return {
    engine: engine.engine,
    version: engine.version,
    runtimes: Object.keys(info.Runtimes ?? {}),
    cdiSpecDirs: info.CDISpecDirs ?? [],
    nvidiaSmi: { found: smi.found, gpus, error: smi.found && smi.exitCode !== 0 ? describeFailure('nvidia-smi', smi) : '' },
    cdiSpecs,
  };
}

async function nvidiaCdiSpecs(dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => /\.(ya?ml|json)$/.test(n))) {
      const file = path.join(dir, name);
      const text = await readFile(file, 'utf8').catch(() => '');
      // A spec declares `kind: nvidia.com/gpu` (YAML) or "kind": "nvidia.com/gpu" (JSON).
      if (/["']?kind["']?\s*:\s*["']?nvidia\.com\/gpu/.test(text)) found.push(file);
    }
  }
  return found;
}
