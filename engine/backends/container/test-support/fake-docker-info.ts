/**
 * fake-docker-info: stand-ins for the engine's `GET /info` answer on hosts with an NVIDIA GPU,
 * which cannot exist on these machines. Only the fields the GPU preflight reads are kept, with
 * the shapes real engines return (Docker 24 after `nvidia-ctk runtime configure`, Docker 28 with
 * CDI, a plain Docker without the toolkit).
 */
import type { EngineInfo } from '../gpu-preflight.js';

/** Docker after `sudo nvidia-ctk runtime configure --runtime=docker`. */
export const FAKE_DOCKER_INFO_NVIDIA_RUNTIME: EngineInfo = {
  Runtimes: { 'io.containerd.runc.v2': { path: 'runc' }, nvidia: { path: 'nvidia-container-runtime' }, runc: { path: 'runc' } },
};

/** Docker 28: CDI on by default, no nvidia runtime registered. */
export const FAKE_DOCKER_INFO_CDI: EngineInfo = {
  Runtimes: { 'io.containerd.runc.v2': { path: 'runc' }, runc: { path: 'runc' } },
  CDISpecDirs: ['/etc/cdi', '/var/run/cdi'],
};

/** A Docker engine without the NVIDIA Container Toolkit (what these machines have). */
export const FAKE_DOCKER_INFO_PLAIN: EngineInfo = {
  Runtimes: { 'io.containerd.runc.v2': { path: 'runc' }, runc: { path: 'runc' } },
};

/** The engine side of gatherGpuFacts with a fixed /info answer. */
export function fakeEngine(info: EngineInfo, engine: 'Docker' | 'Podman' = 'Docker', version = '24.0.7') {
  return { engine, version, info: async () => info };
}

/** A CDI spec as `nvidia-ctk cdi generate` writes it (abridged). */
export const FAKE_NVIDIA_CDI_SPEC = [
  'cdiVersion: 0.5.0',
  'kind: nvidia.com/gpu',
  'devices:',
  '- name: "0"',
  '  containerEdits:',
  '    deviceNodes:',
  '    - path: /dev/nvidia0',
  '- name: all',
  '  containerEdits:',
  '    deviceNodes:',
  '    - path: /dev/nvidia0',
  '',
].join('\n');
