/**
 * What each local process of a TrainJob runs: argv, environment and working directory for all
 * numNodes × numProcPerNode ranks on this host, with the env contract of Trainer's torch runtime.
 * A torchrun-style command is unwrapped and its ranks are started directly (torchrun may be
 * missing or broken, e.g. Debian's on Python 3.11). Pure.
 */
import { CONTRACT_ENV_NAMES, launcherDefaults, nodeEnv, processEnv } from '../../jobs/trainjob/env-contract.js';
import type { EnvContractInput } from '../../jobs/trainjob/env-contract.js';
import { userCodeEnv } from '../../jobs/user-code-env.js';
import type { Launcher } from '../../jobs/trainjob/torchrun-command.js';
import { parseTorchrunCommand, rankArgv } from '../../jobs/trainjob/torchrun-command.js';
import type { JobLaunch } from '../backend.js';

export const LOCAL_MASTER_ADDR = '127.0.0.1';
/** Set on every rank (and inherited by its children) so leftovers of a job can be found in /proc. */
export const JOB_ID_ENV = 'KFD_JOB_ID';

export interface PlannedRank {
  globalRank: number;
  nodeRank: number;
  localRank: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Shell lines before the launcher in the SDK's `bash -c` form: run once per node, before its ranks. */
export interface NodeSetup {
  nodeRank: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface RankPlan {
  numNodes: number;
  numProcPerNode: number;
  masterPort: number;
  /** The launcher the command used, or null when it runs as given on every rank. */
  launcher: Launcher | null;
  ranks: PlannedRank[];
  setups: NodeSetup[];
  /** Things the user should know: launcher options replaced, contract variables overridden. */
  notes: string[];
}

const BARE_PYTHON = /^python3?$/;

/** Throws (with a message for the user) when there is nothing to run or the launcher options are invalid. */
export function planRanks(launch: JobLaunch, masterPort: number): RankPlan {
  const trainer = launch.job.spec.trainer;
  const command = [...(trainer?.command ?? []), ...(trainer?.args ?? [])];
  if (command.length === 0) throw new Error('spec.trainer.command is empty, so there is nothing to run; set it, e.g. command: [python3, train.py]');
  const notes: string[] = [];
  const torch = parseTorchrunCommand(command, { python: launch.python });

  // The spec decides the shape when it sets it; torchrun's flags fill in what it leaves out.
  // (On a cluster torchrun's --nproc-per-node would win over the spec, so a conflict is reported.)
  let numNodes = launch.numNodes;
  let numProcPerNode = launch.numProcPerNode;
  if (torch) {
    const nnodes = torch.nnodes ?? torch.nnodesRange?.[0];
    if (nnodes !== undefined) {
      if (trainer?.numNodes === undefined) numNodes = nnodes;
      else if (nnodes !== trainer.numNodes) notes.push(`${torch.launcher} --nnodes=${nnodes} differs from spec.trainer.numNodes (${trainer.numNodes}); using the spec. Make them agree: a cluster would run ${trainer.numNodes} nodes each expecting ${nnodes}.`);
    }
    if (torch.nnodesRange) notes.push(`elastic --nnodes=${torch.nnodesRange.join(':')} runs with its minimum, ${torch.nnodesRange[0]} node(s), locally.`);
    const nproc = torch.nprocPerNode;
    if (typeof nproc === 'number') {
      if (trainer?.numProcPerNode === undefined) numProcPerNode = nproc;
      else if (nproc !== trainer.numProcPerNode) notes.push(`${torch.launcher} --nproc-per-node=${nproc} differs from spec.trainer.numProcPerNode (${trainer.numProcPerNode}); using the spec here, but on a cluster torchrun's flag would win. Make them agree.`);
    } else if (nproc !== undefined) {
      notes.push(`--nproc-per-node=${nproc} resolved to ${numProcPerNode} process(es) per node on this machine.`);
    }
    if (torch.masterAddr || torch.masterPort || torch.rdzvEndpoint || torch.standalone || torch.rdzvBackend) {
      notes.push(`ranks meet at ${LOCAL_MASTER_ADDR}:${masterPort} (a free local port); the launcher's rendezvous options are not used.`);
    }
    if (torch.maxRestarts) notes.push(`--max-restarts=${torch.maxRestarts} is not applied locally: a failed rank fails the job.`);
    if (torch.ignored.length) notes.push(`launcher options without a local effect: ${torch.ignored.join(' ')}`);
  }

  const specEnv: Record<string, string> = {};
  for (const e of trainer?.env ?? []) {
    if (e.valueFrom) continue; // needs Kubernetes; the caller reports it (backend-support.ts)
    if ((CONTRACT_ENV_NAMES as readonly string[]).includes(e.name)) {
      notes.push(`spec.trainer.env ${e.name} is set by the launcher for each rank; the spec's value is not used.`);
      continue;
    }
    specEnv[e.name] = e.value ?? ''; // Kubernetes: a missing value is the empty string
  }
  const common: Record<string, string> = {
    // torchrun's OMP_NUM_THREADS=1 for several workers on one machine (the user's own value wins).
    // Here every node shares this machine, so count all local processes, not one node's.
    ...launcherDefaults(numNodes * numProcPerNode),
    ...userCodeEnv(launch.baseEnv), // never the app's own secrets (KFD_TOKEN, JUPYTER_TOKEN)
    PYTHONUNBUFFERED: '1', // logs stream line by line, as torchrun's `python -u` does
    ...specEnv,
  };

  const ranks: PlannedRank[] = [];
  const setups: NodeSetup[] = [];
  for (let nodeRank = 0; nodeRank < numNodes; nodeRank++) {
    const input: EnvContractInput = {
      numNodes,
      numProcPerNode,
      nodeRank,
      masterAddr: LOCAL_MASTER_ADDR,
      masterPort,
      ...(torch?.rdzvId ? { runId: torch.rdzvId } : {}),
    };
    if (torch?.setup) {
      setups.push({ nodeRank, argv: torch.setup, env: { ...common, ...nodeEnv(input), [JOB_ID_ENV]: launch.jobId }, cwd: launch.workspace });
    }
    for (let localRank = 0; localRank < numProcPerNode; localRank++) {
      const argv = torch ? rankArgv(torch, localRank) : [...command];
      if (BARE_PYTHON.test(argv[0]!)) argv[0] = launch.python;
      ranks.push({
        globalRank: nodeRank * numProcPerNode + localRank,
        nodeRank,
        localRank,
        argv,
        env: { ...common, ...processEnv(input, localRank), [JOB_ID_ENV]: launch.jobId },
        cwd: launch.workspace,
      });
    }
  }
  return { numNodes, numProcPerNode, masterPort, launcher: torch?.launcher ?? null, ranks, setups, notes };
}
