/**
 * A TrainJob as containers: one user-defined network per job, one container per node named
 * `kfd-<jobId>-node-<i>`, node 0's name as PET_MASTER_ADDR, the workspace bind-mounted at
 * /workspace. Ranks are planned exactly as the local backend plans them (rank-plan.ts: torchrun
 * unwrapped, the same env contract) and started inside each container by launcher-script.ts. Pure.
 */
import type Docker from 'dockerode';
import { DEFAULT_MASTER_PORT } from '../../jobs/trainjob/env-contract.js';
import type { JobLaunch } from '../backend.js';
import { planRanks } from '../local-process/rank-plan.js';
import type { ContainerUser } from './container-user.js';
import { launcherScript } from './launcher-script.js';
import { portBindings, publishedPorts, type PublishedPort } from './published-ports.js';
import { containerResources, type ContainerResources, type GpuAttach } from './resources.js';

/** The image Trainer's torch-distributed runtime uses when the TrainJob names none. */
export const DEFAULT_IMAGE = 'pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime';
export const WORKSPACE_MOUNT = '/workspace';

/** Labels on every container and network of a job: how a restarted engine finds them. */
export const LABEL = {
  managed: 'org.kubeflow.desktop.managed',
  jobId: 'org.kubeflow.desktop.job-id',
  jobName: 'org.kubeflow.desktop.job-name',
  nodeRank: 'org.kubeflow.desktop.node-rank',
  /** `<dataDir>/jobs`: an orphan sweep only touches its own data dir's jobs. */
  jobsDir: 'org.kubeflow.desktop.jobs-dir',
  /** Who the ranks run as, and why (container-user.ts). */
  runAs: 'org.kubeflow.desktop.run-as',
} as const;

const MASTER_ADDR_NAMES = new Set(['MASTER_ADDR', 'PET_MASTER_ADDR']);

export interface NodePlan {
  nodeRank: number;
  name: string;
  /** The container's Env: everything the node's ranks share. */
  env: Record<string, string>;
  script: string;
  /** Every command line the node runs (setup first), to see what they need. */
  commands: string[][];
}

export interface ContainerJobPlan {
  image: string;
  /** True when spec.trainer.image was not set. */
  imageDefaulted: boolean;
  network: string;
  numNodes: number;
  numProcPerNode: number;
  nodes: NodePlan[];
  resources: ContainerResources;
  labels: Record<string, string>;
  /** Node 0's ports published on 127.0.0.1 (annotation kubeflow-desktop/publish-ports). */
  ports: PublishedPort[];
}

export const networkName = (jobId: string) => `kfd-${jobId}`;
export const nodeName = (jobId: string, nodeRank: number) => `kfd-${jobId}-node-${nodeRank}`;

/** Throws with a message for the user when the job cannot be planned (nothing to run, bad quantities). */
export function planContainerJob(launch: JobLaunch, opts: { gpu: GpuAttach | null; graceMs: number; jobsDir: string }): ContainerJobPlan {
  // The image's own environment and interpreter apply, not this machine's.
  const ranks = planRanks({ ...launch, baseEnv: {}, python: 'python3' }, DEFAULT_MASTER_PORT);
  const master = nodeName(launch.jobId, 0);
  const trainer = launch.job.spec.trainer;
  const labels = { [LABEL.managed]: 'true', [LABEL.jobId]: launch.jobId, [LABEL.jobName]: launch.job.metadata.name, [LABEL.jobsDir]: opts.jobsDir };

  const nodes: NodePlan[] = [];
  for (let nodeRank = 0; nodeRank < ranks.numNodes; nodeRank++) {
    const mine = ranks.ranks.filter((r) => r.nodeRank === nodeRank);
    const envs = mine.map((r) => Object.fromEntries(Object.entries(r.env).map(([k, v]) => [k, MASTER_ADDR_NAMES.has(k) ? master : v])));
    // What all ranks of the node share goes into the container's Env; the rest (RANK, LOCAL_RANK…) into the launcher.
    const shared = Object.fromEntries(Object.entries(envs[0] ?? {}).filter(([k, v]) => envs.every((e) => e[k] === v)));
    const setup = ranks.setups.find((s) => s.nodeRank === nodeRank);
    const script = launcherScript({
      ranks: mine.map((r, i) => ({ localRank: r.localRank, argv: r.argv, env: Object.fromEntries(Object.entries(envs[i]!).filter(([k]) => !(k in shared))) })),
      ...(setup ? { setup: { argv: setup.argv, unset: Object.keys(shared).filter((k) => !(k in setup.env)) } } : {}),
      graceSeconds: opts.graceMs / 1000,
    });
    const commands = [...(setup ? [setup.argv] : []), ...mine.map((r) => r.argv)];
    nodes.push({ nodeRank, name: nodeName(launch.jobId, nodeRank), env: shared, script, commands });
  }
  return {
    image: trainer?.image ?? DEFAULT_IMAGE,
    imageDefaulted: !trainer?.image,
    network: networkName(launch.jobId),
    numNodes: ranks.numNodes,
    numProcPerNode: ranks.numProcPerNode,
    nodes,
    resources: containerResources(trainer, launch.job.metadata.annotations, opts.gpu),
    labels,
    ports: publishedPorts(launch.job.metadata.annotations),
  };
}

/** The create request for one node's container. */
export function containerCreateOptions(plan: ContainerJobPlan, node: NodePlan, workspace: string, opts: { engine: 'Docker' | 'Podman'; graceMs: number; user?: ContainerUser }): Docker.ContainerCreateOptions {
  const user = opts.user ?? { user: null, home: null, why: 'the image\'s user' };
  const env = { ...node.env, ...(user.home ? { HOME: user.home } : {}) };
  const { ExposedPorts, PortBindings } = node.nodeRank === 0 ? portBindings(plan.ports ?? []) : {};
  return {
    name: node.name,
    Hostname: node.name,
    Image: plan.image,
    // TrainJob's command replaces the image's entrypoint, as `command` does in a pod.
    Entrypoint: ['/bin/sh', '-c', node.script, 'kfd-launcher'],
    Cmd: [],
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ...(user.user ? { User: user.user } : {}),
    WorkingDir: WORKSPACE_MOUNT,
    Labels: { ...plan.labels, [LABEL.nodeRank]: String(node.nodeRank), [LABEL.runAs]: `${user.user ?? 'image user'} (${user.why})` },
    Tty: false,
    ...(ExposedPorts ? { ExposedPorts } : {}),
    StopSignal: 'SIGTERM',
    StopTimeout: Math.ceil(opts.graceMs / 1000) + 2,
    HostConfig: {
      NetworkMode: plan.network,
      Mounts: [{ Type: 'bind', Source: workspace, Target: WORKSPACE_MOUNT }],
      ...plan.resources,
      RestartPolicy: { Name: 'no' },
      ...(PortBindings ? { PortBindings } : {}),
      // The job's logs are read back from the engine: Docker's json-file can be, whatever the daemon's default.
      ...(opts.engine === 'Docker' ? { LogConfig: { Type: 'json-file', Config: {} } } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [plan.network]: { Aliases: [node.name] } } },
  };
}
