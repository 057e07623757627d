/**
 * The CLIs the local cluster drives, found the way a user expects: on PATH first, then in the
 * app's own bin dir (`<dataDir>/bin`, where a packaged app can ship kind and kubectl).
 */
import path from 'node:path';
import { findOnPath } from '../engine/doctor/probe.js';

export type ToolName = 'kind' | 'kubectl' | 'docker' | 'nvidia-smi' | 'apt-get';

export const TOOL_FIX: Record<ToolName, string> = {
  kind: 'go install sigs.k8s.io/kind@v0.30.0 (or put kind in the app\'s bin folder)',
  kubectl: 'Install kubectl (https://kubernetes.io/docs/tasks/tools/) or put it in the app\'s bin folder',
  docker: 'Install Docker (sudo apt-get install docker.io) and start it',
  'nvidia-smi': 'Install the NVIDIA driver',
  'apt-get': 'Copy the NVIDIA Container Toolkit .deb packages into <data dir>/cluster-assets/nvidia-toolkit by hand',
};

export function appBinDir(dataDir: string): string {
  return path.join(dataDir, 'bin');
}

/** Absolute path of the tool, or null. */
export async function findTool(name: ToolName, env: NodeJS.ProcessEnv, dataDir: string): Promise<string | null> {
  return (await findOnPath(name, env)) ?? (await findOnPath(path.join(appBinDir(dataDir), name), env));
}

export class ToolMissingError extends Error {
  constructor(
    readonly tool: ToolName,
    readonly dataDir: string,
  ) {
    super(`${tool} is not on PATH nor in ${appBinDir(dataDir)}. Fix: ${TOOL_FIX[tool]}`);
    this.name = 'ToolMissingError';
  }
}

export async function requireTool(name: ToolName, env: NodeJS.ProcessEnv, dataDir: string): Promise<string> {
  const found = await findTool(name, env, dataDir);
  if (!found) throw new ToolMissingError(name, dataDir);
  return found;
}
