/**
 * The kind `Cluster` config for the local cluster, as a pure function of what the user chose.
 * Field names follow kind's v1alpha4 API (pkg/apis/config/v1alpha4/types.go); kind decodes
 * strictly, so a misspelt field fails `kind create cluster` before any node starts.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { defaultNodeImage, KIND_NODE_IMAGES, normaliseKindVersion } from './node-images.js';

export type GpuMode = 'none' | 'all' | 'per-gpu';
export interface GpuSpec {
  mode: GpuMode;
  /** Host GPU indexes (as `nvidia-smi` numbers them); required for 'per-gpu'. */
  gpuIndexes?: number[];
}
export type PortProtocol = 'TCP' | 'UDP' | 'SCTP';
export interface PortMappingInput {
  containerPort: number;
  hostPort: number;
  protocol?: PortProtocol;
  /** Defaults to 127.0.0.1: a laptop's cluster should not be reachable from the café Wi-Fi. */
  listenAddress?: string;
}
export interface RegistryMirror {
  /** The registry whose pulls are redirected, e.g. "localhost:5001" or a registry's host name. */
  host: string;
  /** Where to pull from instead, as seen from inside a node, e.g. "http://kfd-registry:5000". */
  endpoint: string;
}

export interface KindConfigInput {
  name: string;
  kindVersion: string;
  nodeImage?: string;
  workers: number;
  /** One spec for every GPU node, or one per worker (one for the control plane when workers = 0). */
  gpus?: GpuSpec | GpuSpec[];
  /** Host folder mounted read-write at the same path in every node (edit-and-run, no image build). */
  workspaceRoot?: string;
  portMappings?: PortMappingInput[];
  registryMirror?: RegistryMirror;
  /** Turns on containerd's CDI support (`enable_cdi`), which the GPU operator's CDI mode uses. */
  cdi?: boolean;
  /** The node image writes its own pod network config: kind must not install kindnetd. */
  nodePodNetwork?: boolean;
  /** The host (Docker) uses cgroup v1, which kubelet 1.35+ refuses unless told not to. */
  hostCgroupV1?: boolean;
}

// kind's v1alpha4 shapes (only the fields we write).
export interface KindMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
}
export interface KindPortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress: string;
  protocol: PortProtocol;
}
export interface KindNode {
  role: 'control-plane' | 'worker';
  image: string;
  labels?: Record<string, string>;
  extraMounts?: KindMount[];
  extraPortMappings?: KindPortMapping[];
}
export interface KindCluster {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  networking?: { disableDefaultCNI: true };
  nodes: KindNode[];
  kubeadmConfigPatches?: string[];
  containerdConfigPatches?: string[];
}

/** A file the create step must put into every node (kind documents `docker exec` for this). */
export interface NodeFile {
  nodePath: string;
  content: string;
}
export interface KindConfigResult {
  config: KindCluster;
  yaml: string;
  nodeFiles: NodeFile[];
}

export interface KindConfigIssue {
  field: string;
  message: string;
}
export class KindConfigError extends Error {
  constructor(readonly issues: KindConfigIssue[]) {
    super(`Invalid local cluster settings:\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'KindConfigError';
  }
}

export const GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';
/**
 * nvkind's trick: with `accept-nvidia-visible-devices-as-volume-mounts = true`, the NVIDIA runtime
 * reads the devices to inject from mounts under this directory instead of NVIDIA_VISIBLE_DEVICES.
 */
export const NVIDIA_DEVICES_DIR = '/var/run/nvidia-container-devices';
/** containerd looks for `<registry host>/hosts.toml` here once `config_path` points at it. */
export const CONTAINERD_CERTS_DIR = '/etc/containerd/certs.d';
const MAX_NAME = 32; // kind appends "-control-plane"/"-worker12"; hostnames stop at 64
const MAX_WORKERS = 16;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// A registry host as containerd names its hosts.toml folder: host[:port], no scheme, no path.
const REGISTRY_HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/;

function isInt(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
}

function gpuSpecs(input: KindConfigInput, issues: KindConfigIssue[]): GpuSpec[] {
  const gpuNodes = input.workers > 0 ? input.workers : 1;
  const given = input.gpus ?? { mode: 'none' };
  const specs = Array.isArray(given) ? given : Array.from({ length: gpuNodes }, () => given);
  if (Array.isArray(given) && given.length !== gpuNodes) {
    issues.push({
      field: 'gpus',
      message: `${given.length} GPU specs for ${gpuNodes} GPU node(s); give one per worker (or one for the control plane when there are no workers), or a single spec for all`,
    });
  }
  specs.forEach((s, i) => {
    const field = Array.isArray(given) ? `gpus[${i}]` : 'gpus';
    if (!['none', 'all', 'per-gpu'].includes(s.mode)) {
      issues.push({ field: `${field}.mode`, message: `must be 'none', 'all' or 'per-gpu', not ${JSON.stringify(s.mode)}` });
    } else if (s.mode === 'per-gpu') {
      const idx = s.gpuIndexes ?? [];
      if (idx.length === 0) issues.push({ field: `${field}.gpuIndexes`, message: "mode 'per-gpu' needs at least one GPU index (see `nvidia-smi -L`)" });
      if (idx.some((n) => !isInt(n, 0, 1023))) issues.push({ field: `${field}.gpuIndexes`, message: 'GPU indexes are whole numbers from 0' });
      if (new Set(idx).size !== idx.length) issues.push({ field: `${field}.gpuIndexes`, message: 'a GPU index is listed twice' });
    } else if (s.gpuIndexes?.length) {
      issues.push({ field: `${field}.gpuIndexes`, message: `only used with mode 'per-gpu' (mode is '${s.mode}')` });
    }
  });
  return specs;
}

function validate(input: KindConfigInput): { image: string; gpus: GpuSpec[] } {
  const issues: KindConfigIssue[] = [];
  if (!DNS_LABEL.test(input.name) || input.name.length > MAX_NAME) {
    issues.push({
      field: 'name',
      message: `${JSON.stringify(input.name)} must be 1-${MAX_NAME} lowercase letters, digits or '-', starting and ending with a letter or digit`,
    });
  }
  let image = input.nodeImage ?? '';
  if (input.nodeImage !== undefined) {
    if (!/^\S+$/.test(input.nodeImage)) issues.push({ field: 'nodeImage', message: 'must be an image reference without spaces' });
  } else if (!normaliseKindVersion(input.kindVersion)) {
    issues.push({ field: 'kindVersion', message: `${JSON.stringify(input.kindVersion)} is not a version like v0.30.0` });
  } else {
    image = defaultNodeImage(input.kindVersion) ?? '';
    if (!image) {
      issues.push({
        field: 'kindVersion',
        message: `no pinned node image for kind ${input.kindVersion} (known: ${Object.keys(KIND_NODE_IMAGES).join(', ')}); set nodeImage to one listed in that release's notes`,
      });
    }
  }
  if (!isInt(input.workers, 0, MAX_WORKERS)) {
    issues.push({ field: 'workers', message: `must be a whole number from 0 to ${MAX_WORKERS}` });
  }
  const gpus = isInt(input.workers, 0, MAX_WORKERS) ? gpuSpecs(input, issues) : [];
  if (input.workspaceRoot !== undefined && !path.isAbsolute(input.workspaceRoot)) {
    issues.push({ field: 'workspaceRoot', message: `${JSON.stringify(input.workspaceRoot)} must be an absolute path` });
  }
  const seen = new Set<string>();
  (input.portMappings ?? []).forEach((p, i) => {
    const field = `portMappings[${i}]`;
    if (!isInt(p.containerPort, 1, 65535)) issues.push({ field: `${field}.containerPort`, message: 'must be a port from 1 to 65535' });
    if (!isInt(p.hostPort, 1, 65535)) issues.push({ field: `${field}.hostPort`, message: 'must be a port from 1 to 65535' });
    if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) {
      issues.push({ field: `${field}.protocol`, message: "must be 'TCP', 'UDP' or 'SCTP'" });
    }
    const key = `${p.protocol ?? 'TCP'}/${p.hostPort}`;
    if (seen.has(key)) issues.push({ field: `${field}.hostPort`, message: `host port ${key} is mapped twice` });
    seen.add(key);
  });
  const mirror = input.registryMirror;
  if (mirror) {
    if (!REGISTRY_HOST.test(mirror.host)) {
      issues.push({ field: 'registryMirror.host', message: `${JSON.stringify(mirror.host)} must be host or host:port, without scheme or path` });
    }
    if (!/^https?:\/\/[^\s"]+$/.test(mirror.endpoint)) {
      issues.push({ field: 'registryMirror.endpoint', message: `${JSON.stringify(mirror.endpoint)} must be an http:// or https:// URL` });
    }
  }
  if (issues.length) throw new KindConfigError(issues);
  return { image, gpus };
}

/** nvkind's per-node GPU mounts: `/dev/null` mounted at a path that names the devices. */
export function gpuMounts(spec: GpuSpec): KindMount[] {
  if (spec.mode === 'all') return [{ hostPath: '/dev/null', containerPath: `${NVIDIA_DEVICES_DIR}/all` }];
  if (spec.mode === 'per-gpu') {
    return (spec.gpuIndexes ?? []).map((i) => ({ hostPath: '/dev/null', containerPath: `${NVIDIA_DEVICES_DIR}/${i}` }));
  }
  return [];
}

/**
 * Registry mirror: containerd's `config_path` + hosts.toml form, not the `registry.mirrors` table.
 * The table is deprecated since containerd 1.5 and ignored once `config_path` is set; kind
 * v0.30's node image runs containerd 2.1, and kind's local-registry guide uses config_path.
 * hosts.toml can also be rewritten later without restarting containerd.
 */
export function registryPatch(): string {
  return `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CONTAINERD_CERTS_DIR}"`;
}
export function hostsToml(mirror: RegistryMirror): NodeFile {
  // No `server` line: after the mirror, containerd falls back to the registry itself.
  return {
    nodePath: `${CONTAINERD_CERTS_DIR}/${mirror.host}/hosts.toml`,
    content: `[host."${mirror.endpoint}"]\n  capabilities = ["pull", "resolve"]\n`,
  };
}
export const CDI_PATCH = `[plugins."io.containerd.grpc.v1.cri"]\n  enable_cdi = true`;
/**
 * What every node's kubelet gets on top of kind's KubeletConfiguration (kind merges the patch
 * into the one it generates):
 *   - `syncFrequency: 10s` (default 1m): JobSet's and Trainer's webhooks serve certificates their
 *     cert-controller writes into a Secret, and a running pod sees a Secret's new content only at
 *     its kubelet's next sync of the pod — a minute of each create was waiting for that;
 *   - on a cgroup v1 host, `failCgroupV1: false`: kubelet 1.35+ stops on v1 otherwise (the field
 *     exists since 1.31, the oldest node image of the kind releases we pin).
 */
export function kubeletPatch(hostCgroupV1: boolean): string {
  return `kind: KubeletConfiguration\nsyncFrequency: 10s\n${hostCgroupV1 ? 'failCgroupV1: false\n' : ''}`;
}

function node(role: KindNode['role'], image: string, gpu: GpuSpec | undefined, workspace: KindMount[]): KindNode {
  const n: KindNode = { role, image };
  const gpuMnts = gpu ? gpuMounts(gpu) : [];
  if (gpuMnts.length) n.labels = { [GPU_PRESENT_LABEL]: 'true' };
  const mounts = [...workspace, ...gpuMnts];
  if (mounts.length) n.extraMounts = mounts;
  return n;
}

export function kindClusterConfig(input: KindConfigInput): KindConfigResult {
  const { image, gpus } = validate(input);
  const workspace: KindMount[] = input.workspaceRoot
    ? [{ hostPath: path.normalize(input.workspaceRoot), containerPath: path.normalize(input.workspaceRoot), readOnly: false }]
    : [];
  const controlPlane = node('control-plane', image, input.workers === 0 ? gpus[0] : undefined, workspace);
  const ports = (input.portMappings ?? []).map((p) => ({
    containerPort: p.containerPort,
    hostPort: p.hostPort,
    listenAddress: p.listenAddress ?? '127.0.0.1',
    protocol: p.protocol ?? 'TCP',
  }));
  // Ports go on the control plane: it always exists, and NodePorts answer on every node.
  if (ports.length) controlPlane.extraPortMappings = ports;
  const workers = Array.from({ length: input.workers }, (_, i) => node('worker', image, gpus[i], workspace));

  const config: KindCluster = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: input.name,
    ...(input.nodePodNetwork ? { networking: { disableDefaultCNI: true as const } } : {}),
    nodes: [controlPlane, ...workers],
  };
  config.kubeadmConfigPatches = [kubeletPatch(!!input.hostCgroupV1)];
  const patches = [...(input.registryMirror ? [registryPatch()] : []), ...(input.cdi ? [CDI_PATCH] : [])];
  if (patches.length) config.containerdConfigPatches = patches;
  const nodeFiles = input.registryMirror ? [hostsToml(input.registryMirror)] : [];
  return { config, yaml: stringify(config, { lineWidth: 0 }), nodeFiles };
}
