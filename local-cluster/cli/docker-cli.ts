/** The docker CLI calls the local cluster needs (the same CLI and context kind uses). */
import type { Runner } from './runner.js';
import { ToolError } from '../exec.js';

export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

/** The image's ID when it is in the local image store, else null. */
export async function imageId(r: Runner, ref: string): Promise<string | null> {
  try {
    const out = await r.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { quiet: true });
    return out.stdout.trim() || null;
  } catch (e) {
    if (e instanceof ToolError && !e.cancelled && /no such image|not found/i.test(e.stderr)) return null;
    throw e;
  }
}

/** The image's labels when it is in the local image store, else null. */
export async function imageLabels(r: Runner, ref: string): Promise<Record<string, string> | null> {
  try {
    const out = await r.run('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref], { quiet: true });
    const labels: unknown = JSON.parse(out.stdout.trim() || 'null');
    return labels && typeof labels === 'object' ? (labels as Record<string, string>) : {};
  } catch (e) {
    if (e instanceof ToolError && !e.cancelled && /no such image|not found/i.test(e.stderr)) return null;
    throw e;
  }
}

export async function pullImage(r: Runner, ref: string): Promise<void> {
  await r.run('docker', ['pull', ref]);
}

export async function saveImages(r: Runner, refs: string[], file: string): Promise<void> {
  await r.run('docker', ['save', '-o', file, ...refs]);
}

export async function loadImages(r: Runner, file: string): Promise<string[]> {
  const out = await r.run('docker', ['load', '-i', file]);
  return out.stdout
    .split('\n')
    .map((l) => /^Loaded image(?: ID)?: (.+)$/.exec(l.trim())?.[1])
    .filter((x): x is string => !!x);
}

export interface NodeContainer {
  name: string;
  state: string;
  role: string;
}

/** The node containers kind made for a cluster (kind labels them), e.g. kfd-control-plane. */
export async function nodeContainers(r: Runner, cluster: string): Promise<NodeContainer[]> {
  const out = await r.run(
    'docker',
    ['ps', '-a', '--filter', `label=${KIND_CLUSTER_LABEL}=${cluster}`, '--format', '{{.Names}}\t{{.State}}\t{{.Label "io.x-k8s.kind.role"}}'],
    { quiet: true },
  );
  return out.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [name = '', state = '', role = ''] = l.split('\t');
      return { name, state, role };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs a script inside a node container as kind's own actions do (`docker exec`). */
export async function execInNode(r: Runner, node: string, script: string): Promise<string> {
  return (await r.run('docker', ['exec', '--privileged', node, 'bash', '-c', script])).stdout;
}

export async function copyIntoNode(r: Runner, node: string, from: string, to: string): Promise<void> {
  await r.run('docker', ['cp', from, `${node}:${to}`]);
}

/** The Docker network kind puts every cluster's nodes on (kind makes it on the first create). */
export const KIND_NETWORK = 'kind';

/**
 * Removes kind's network once nothing can need it again: no container of any state is attached
 * to it and no kind node (running or stopped) exists. kind never removes it itself, so after the
 * last cluster it would stay. Returns whether it was removed.
 */
export async function removeKindNetworkIfUnused(r: Runner): Promise<boolean> {
  const names = async (args: string[]) => (await r.run('docker', ['ps', '-a', ...args, '--format', '{{.Names}}'], { quiet: true })).stdout.split('\n').filter((l) => l.trim());
  try {
    await r.run('docker', ['network', 'inspect', KIND_NETWORK, '--format', '{{.Name}}'], { quiet: true });
  } catch (e) {
    if (e instanceof ToolError && !e.cancelled) return false; // no such network
    throw e;
  }
  if ((await names(['--filter', `network=${KIND_NETWORK}`])).length || (await names(['--filter', `label=${KIND_CLUSTER_LABEL}`])).length) return false;
  await r.run('docker', ['network', 'rm', KIND_NETWORK]);
  return true;
}
