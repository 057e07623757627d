import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KindConfigError, kindClusterConfig, type KindConfigInput } from './kind-config.js';
import { bringsOwnPodNetwork, defaultNodeImage, KIND_NODE_IMAGES, NODE_POD_NETWORK_LABEL, normaliseKindVersion } from './node-images.js';

const V030_IMAGE = 'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a';
const base: KindConfigInput = { name: 'kfd', kindVersion: 'v0.30.0', workers: 0 };

function issuesOf(input: KindConfigInput): string[] {
  try {
    kindClusterConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(KindConfigError);
    return (e as KindConfigError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected a KindConfigError');
}

describe('node images', () => {
  it('pins every known release by digest, without a registry host', () => {
    for (const ref of Object.values(KIND_NODE_IMAGES)) expect(ref).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });
  it('finds the v0.30.0 default from any spelling of the version', () => {
    expect(defaultNodeImage('v0.30.0')).toBe(V030_IMAGE);
    expect(defaultNodeImage('0.30.0')).toBe(V030_IMAGE);
    expect(defaultNodeImage('kind v0.30.0 go1.26.8 linux/amd64')).toBe(V030_IMAGE);
    expect(defaultNodeImage('v0.1.0')).toBeNull();
    expect(normaliseKindVersion('nonsense')).toBeNull();
  });
});

describe('kindClusterConfig', () => {
  it('makes a single control-plane cluster on the pinned image', () => {
    const { config, yaml, nodeFiles } = kindClusterConfig(base);
    expect(config).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'kfd',
      nodes: [{ role: 'control-plane', image: V030_IMAGE }],
      kubeadmConfigPatches: ['kind: KubeletConfiguration\nsyncFrequency: 10s\n'],
    });
    expect(parse(yaml)).toEqual(config);
    expect(yaml.startsWith('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: kfd\n')).toBe(true);
    expect(nodeFiles).toEqual([]);
  });

  it('uses an explicit node image on every node', () => {
    const { config } = kindClusterConfig({ ...base, workers: 2, nodeImage: 'kfd/node:dev', kindVersion: 'v9.9.9' });
    expect(config.nodes.map((n) => [n.role, n.image])).toEqual([
      ['control-plane', 'kfd/node:dev'],
      ['worker', 'kfd/node:dev'],
      ['worker', 'kfd/node:dev'],
    ]);
  });

  it('passes all GPUs to every worker the nvkind way, not to the control plane', () => {
    const { config } = kindClusterConfig({ ...base, workers: 2, gpus: { mode: 'all' } });
    expect(config.nodes[0]).toEqual({ role: 'control-plane', image: V030_IMAGE });
    for (const w of config.nodes.slice(1)) {
      expect(w.labels).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(w.extraMounts).toEqual([{ hostPath: '/dev/null', containerPath: '/var/run/nvidia-container-devices/all' }]);
    }
  });

  it('gives the control plane the GPUs when there are no workers', () => {
    const { config } = kindClusterConfig({ ...base, gpus: { mode: 'per-gpu', gpuIndexes: [0, 2] } });
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0]?.labels).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(config.nodes[0]?.extraMounts).toEqual([
      { hostPath: '/dev/null', containerPath: '/var/run/nvidia-container-devices/0' },
      { hostPath: '/dev/null', containerPath: '/var/run/nvidia-container-devices/2' },
    ]);
  });

  it('splits GPUs across workers with one spec per worker; a GPU-less worker gets no label', () => {
    const { config } = kindClusterConfig({
      ...base,
      workers: 3,
      gpus: [{ mode: 'per-gpu', gpuIndexes: [0] }, { mode: 'per-gpu', gpuIndexes: [1, 3] }, { mode: 'none' }],
    });
    const [, w1, w2, w3] = config.nodes;
    expect(w1?.extraMounts?.map((m) => m.containerPath)).toEqual(['/var/run/nvidia-container-devices/0']);
    expect(w2?.extraMounts?.map((m) => m.containerPath)).toEqual([
      '/var/run/nvidia-container-devices/1',
      '/var/run/nvidia-container-devices/3',
    ]);
    expect(w3).toEqual({ role: 'worker', image: V030_IMAGE });
  });

  it('mounts the workspace read-write at the same path on every node, before GPU mounts', () => {
    const { config } = kindClusterConfig({ ...base, workers: 1, workspaceRoot: '/home/ada/work//proj/', gpus: { mode: 'all' } });
    const ws = { hostPath: '/home/ada/work/proj/', containerPath: '/home/ada/work/proj/', readOnly: false };
    expect(config.nodes[0]?.extraMounts).toEqual([ws]);
    expect(config.nodes[1]?.extraMounts?.[0]).toEqual(ws);
    expect(config.nodes[1]?.extraMounts).toHaveLength(2);
  });

  it('maps ports on the control plane, on localhost unless told otherwise', () => {
    const { config } = kindClusterConfig({
      ...base,
      workers: 1,
      portMappings: [
        { containerPort: 30080, hostPort: 8080 },
        { containerPort: 30053, hostPort: 8080, protocol: 'UDP', listenAddress: '0.0.0.0' },
      ],
    });
    expect(config.nodes[0]?.extraPortMappings).toEqual([
      { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 30053, hostPort: 8080, listenAddress: '0.0.0.0', protocol: 'UDP' },
    ]);
    expect(config.nodes[1]?.extraPortMappings).toBeUndefined();
  });

  it('points containerd at certs.d and returns the hosts.toml for the mirror', () => {
    const { config, yaml, nodeFiles } = kindClusterConfig({
      ...base,
      registryMirror: { host: 'localhost:5001', endpoint: 'http://kfd-registry:5000' },
      cdi: true,
    });
    expect(config.containerdConfigPatches).toEqual([
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"',
      '[plugins."io.containerd.grpc.v1.cri"]\n  enable_cdi = true',
    ]);
    expect(nodeFiles).toEqual([
      {
        nodePath: '/etc/containerd/certs.d/localhost:5001/hosts.toml',
        content: '[host."http://kfd-registry:5000"]\n  capabilities = ["pull", "resolve"]\n',
      },
    ]);
    // The TOML survives the YAML round trip as a block scalar.
    expect(parse(yaml).containerdConfigPatches).toEqual(config.containerdConfigPatches);
  });

  it('adds only the CDI patch when asked for CDI alone', () => {
    expect(kindClusterConfig({ ...base, cdi: true }).config.containerdConfigPatches).toEqual([
      '[plugins."io.containerd.grpc.v1.cri"]\n  enable_cdi = true',
    ]);
  });
});

describe('node images with their own pod network, and cgroup v1 hosts', () => {
  it('turns off kind\'s kindnetd for a node image that brings its own pod network', () => {
    const { config, yaml } = kindClusterConfig({ ...base, nodeImage: 'kfd-test/kind-node:v1.36.2-abc', nodePodNetwork: true });
    expect(config.networking).toEqual({ disableDefaultCNI: true });
    expect(parse(yaml).networking).toEqual({ disableDefaultCNI: true });
    expect(kindClusterConfig(base).config.networking).toBeUndefined();
  });

  it('tells the kubelet to accept cgroup v1 on a cgroup v1 host, and only there; it syncs pods every 10 s', () => {
    const { config, yaml } = kindClusterConfig({ ...base, hostCgroupV1: true });
    expect(config.kubeadmConfigPatches).toEqual(['kind: KubeletConfiguration\nsyncFrequency: 10s\nfailCgroupV1: false\n']);
    expect(parse(parse(yaml).kubeadmConfigPatches[0])).toEqual({ kind: 'KubeletConfiguration', syncFrequency: '10s', failCgroupV1: false });
    expect(kindClusterConfig(base).config.kubeadmConfigPatches).toEqual(['kind: KubeletConfiguration\nsyncFrequency: 10s\n']);
  });

  it('reads the pod-network label of a node image', () => {
    expect(bringsOwnPodNetwork({ [NODE_POD_NETWORK_LABEL]: 'built-in' })).toBe(true);
    expect(bringsOwnPodNetwork({ [NODE_POD_NETWORK_LABEL]: 'kindnet' })).toBe(false);
    expect(bringsOwnPodNetwork({})).toBe(false);
    expect(bringsOwnPodNetwork(null)).toBe(false);
  });
});

describe('kindClusterConfig validation', () => {
  it.each([
    ['Kfd', 'uppercase'],
    ['-kfd', 'leading dash'],
    ['kfd-', 'trailing dash'],
    ['kf_d', 'underscore'],
    ['kfd.local', 'dot'],
    ['', 'empty'],
    ['a'.repeat(33), 'too long'],
  ])('rejects the name %j (%s)', (name) => {
    expect(issuesOf({ ...base, name })[0]).toMatch(/^name: .* must be 1-32 lowercase letters/);
  });

  it('accepts a 32-character name', () => {
    expect(kindClusterConfig({ ...base, name: 'a'.repeat(32) }).config.name).toHaveLength(32);
  });

  it('names the kind version it has no image for, and the way out', () => {
    expect(issuesOf({ ...base, kindVersion: 'v0.1.0' })).toEqual([
      'kindVersion: no pinned node image for kind v0.1.0 (known: v0.30.0, v0.29.0, v0.26.0, v0.25.0); set nodeImage to one listed in that release\'s notes',
    ]);
    expect(issuesOf({ ...base, kindVersion: 'latest' })[0]).toMatch(/^kindVersion: "latest" is not a version/);
  });

  it('checks workers and GPU specs', () => {
    expect(issuesOf({ ...base, workers: -1 })).toEqual(['workers: must be a whole number from 0 to 16']);
    expect(issuesOf({ ...base, workers: 1.5 })).toEqual(['workers: must be a whole number from 0 to 16']);
    expect(issuesOf({ ...base, gpus: { mode: 'per-gpu' } })[0]).toMatch(/^gpus\.gpuIndexes: mode 'per-gpu' needs at least one GPU index/);
    expect(issuesOf({ ...base, gpus: { mode: 'per-gpu', gpuIndexes: [1, 1] } })).toEqual(['gpus.gpuIndexes: a GPU index is listed twice']);
    expect(issuesOf({ ...base, gpus: { mode: 'per-gpu', gpuIndexes: [-1] } })).toEqual(['gpus.gpuIndexes: GPU indexes are whole numbers from 0']);
    expect(issuesOf({ ...base, gpus: { mode: 'all', gpuIndexes: [0] } })).toEqual(["gpus.gpuIndexes: only used with mode 'per-gpu' (mode is 'all')"]);
    expect(issuesOf({ ...base, gpus: { mode: 'some' as 'all' } })).toEqual([`gpus.mode: must be 'none', 'all' or 'per-gpu', not "some"`]);
    expect(issuesOf({ ...base, workers: 2, gpus: [{ mode: 'all' }] })[0]).toMatch(/^gpus: 1 GPU specs for 2 GPU node\(s\)/);
    expect(issuesOf({ ...base, workers: 2, gpus: [{ mode: 'all' }, { mode: 'per-gpu' }] })[0]).toMatch(/^gpus\[1\]\.gpuIndexes:/);
  });

  it('checks the workspace path and ports', () => {
    expect(issuesOf({ ...base, workspaceRoot: 'work/proj' })).toEqual(['workspaceRoot: "work/proj" must be an absolute path']);
    expect(
      issuesOf({
        ...base,
        portMappings: [
          { containerPort: 0, hostPort: 8080 },
          { containerPort: 80, hostPort: 65536 },
          { containerPort: 81, hostPort: 8080 },
          { containerPort: 82, hostPort: 9000, protocol: 'tcp' as 'TCP' },
        ],
      }),
    ).toEqual([
      'portMappings[0].containerPort: must be a port from 1 to 65535',
      'portMappings[1].hostPort: must be a port from 1 to 65535',
      'portMappings[2].hostPort: host port TCP/8080 is mapped twice',
      "portMappings[3].protocol: must be 'TCP', 'UDP' or 'SCTP'",
    ]);
  });

  it('checks the registry mirror', () => {
    expect(issuesOf({ ...base, registryMirror: { host: 'http://localhost:5001', endpoint: 'kfd-registry:5000' } })).toEqual([
      'registryMirror.host: "http://localhost:5001" must be host or host:port, without scheme or path',
      'registryMirror.endpoint: "kfd-registry:5000" must be an http:// or https:// URL',
    ]);
  });

  it('reports every problem at once, in one readable message', () => {
    try {
      kindClusterConfig({ name: 'Bad Name', kindVersion: 'v0.30.0', workers: 1, workspaceRoot: 'rel', portMappings: [{ containerPort: 1, hostPort: 0 }] });
      throw new Error('unreachable');
    } catch (e) {
      const err = e as KindConfigError;
      expect(err.issues.map((i) => i.field)).toEqual(['name', 'workspaceRoot', 'portMappings[0].hostPort']);
      expect(err.message.split('\n')[0]).toBe('Invalid local cluster settings:');
    }
  });
});
