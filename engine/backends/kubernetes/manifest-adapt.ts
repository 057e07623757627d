/**
 * The TrainJob as it is applied to a cluster: the workspace's manifest, unchanged where it can
 * be, plus what running it there needs — a name unique per run, the namespace, our labels, and
 * the workspace shipped into the trainer's pods. Pods are patched through the field the target's
 * Trainer API has (trainer-api.ts); Trainer only lets that patch add volumes and volume mounts to
 * the runtime's `node` container (no new init containers), so the "init step" that unpacks a
 * shipped archive runs in the node container itself, before the user's command.
 */
import type { ShippingMode, TrainerApi } from '../../api/schemas/kubernetes.js';
import type { TrainJob } from '../../jobs/trainjob/trainjob-schema.js';
import { parseTorchrunCommand } from '../../jobs/trainjob/torchrun-command.js';
import { OVERRIDES_FIELD } from './trainer-api.js';

export const FIELD_MANAGER = 'kubeflow-desktop';
/** The owner of our runtimePatches entry; Trainer's webhook wants a domain-prefixed path here. */
export const PATCH_MANAGER = 'kubeflow.org/kubeflow-desktop';
export const JOB_ID_LABEL = 'kubeflow-desktop/job-id';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const SOURCE_NAME_ANNOTATION = 'kubeflow-desktop/source-name';
/** Trainer's replicated job and container that run the training code (constants.Node upstream). */
export const NODE = 'node';
export const WORKSPACE_MOUNT = '/workspace';
export const ARCHIVE_MOUNT = '/kfd/workspace-archive';
export const ARCHIVE_KEY = 'workspace.tar.gz';
const WORKSPACE_VOLUME = 'kfd-workspace';
const ARCHIVE_VOLUME = 'kfd-workspace-archive';
/** Trainer's torch plugin treats this command specially (torchtune recipes): never wrap it. */
const TORCHTUNE_ENTRYPOINT = ['tune', 'run'];

export type ShipPlan =
  | { mode: 'hostPath'; hostPath: string }
  | { mode: 'configMap'; configMap: string }
  | { mode: 'image'; image: string };

export interface AdaptInput {
  job: TrainJob;
  jobId: string;
  namespace: string;
  api: TrainerApi;
  ship: ShipPlan;
}

export interface AdaptedTrainJob {
  manifest: Record<string, unknown>;
  name: string;
  /** What changed beyond name/labels, one sentence each (shown in the promote preview). */
  notes: string[];
}

export class AdaptError extends Error {}

/** `<name>-<job id>`, short enough that JobSet's Job and Pod names stay within 63 characters. */
export function clusterName(name: string, jobId: string): string {
  const base = name.slice(0, 27).replace(/-+$/, '');
  return `${base}-${jobId}`;
}

/**
 * The node's ranks, started by the pod itself when Trainer's torch runtime asks for more than
 * one process in all (PET_NNODES × PET_NPROC_PER_NODE) and the command does not start them
 * itself (torchrun reads the same PET_* variables; adaptTrainJob leaves such commands alone).
 * Each rank gets the env contract local runs give it — RANK, WORLD_SIZE, LOCAL_RANK,
 * LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT — so a script that runs as local processes runs the
 * same way in the pod. A rank that fails stops the others, SIGTERM (cancel) reaches every rank,
 * and the pod ends with the first failure's code. A count that is not a number ("auto" with
 * GPUs), or RANK already set, runs the command once, unchanged. POSIX sh; a rank has ended when
 * its /proc entry is gone or a zombie.
 */
export const RANK_LAUNCHER = [
  // A count that is not a number ("auto"): the command runs once.
  'n=${PET_NPROC_PER_NODE:-1}; case $n${PET_NNODES:-1} in *[!0-9]*) exec "$@";; esac; w=$((n * ${PET_NNODES:-1}))',
  '[ -z "${RANK:-}" ] && [ "$w" -gt 1 ] || exec "$@"',
  'export WORLD_SIZE=$w LOCAL_WORLD_SIZE=$n MASTER_ADDR=${PET_MASTER_ADDR:-127.0.0.1} MASTER_PORT=${PET_MASTER_PORT:-29500}',
  "P=; i=0; trap 'kill $P 2>/dev/null' TERM INT",
  'while [ $i -lt $n ]; do RANK=$((${PET_NODE_RANK:-0} * n + i)) LOCAL_RANK=$i "$@" & P="$P $!"; i=$((i + 1)); done',
  // A rank has ended when its /proc entry is gone or a zombie; the first failure stops the rest.
  'rc=0; L=$P; while [ -n "$L" ]; do M=; for p in $L; do if [ -e /proc/$p/stat ] && ! grep -q \') Z \' /proc/$p/stat 2>/dev/null; then M="$M $p"; else wait $p || { c=$?; [ $rc != 0 ] || rc=$c; kill $P 2>/dev/null || :; }; fi; done; L=$M; [ -z "$L" ] || sleep 1; done; exit $rc',
].join('; ');

/**
 * sh that makes /workspace the working directory (unpacking the shipped archive first) and then
 * runs the user's command unchanged ("$@"): once (exec), or once per rank (RANK_LAUNCHER). tar
 * when the image has it, else Python's tarfile.
 */
export function workspaceScript(mode: ShippingMode, paths = { workspace: WORKSPACE_MOUNT, archive: `${ARCHIVE_MOUNT}/${ARCHIVE_KEY}` }, launchRanks = false): string {
  const { workspace, archive } = paths;
  const unpack = [
    `if command -v tar >/dev/null 2>&1; then tar -xzf ${archive} -C ${workspace};`,
    `else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' ${archive} ${workspace}; fi`,
  ].join(' ');
  const prefix = ['set -e', ...(mode === 'configMap' ? [unpack] : []), `cd ${workspace}`].join('; ');
  // One line: the applied manifest (and the promote preview's diff) keeps it as one YAML string.
  return launchRanks ? `${prefix}; ${RANK_LAUNCHER}` : `${prefix}; exec "$@"`;
}

function podParts(ship: ShipPlan): { volumes: Record<string, unknown>[]; mounts: Record<string, unknown>[] } {
  switch (ship.mode) {
    case 'hostPath':
      return {
        volumes: [{ name: WORKSPACE_VOLUME, hostPath: { path: ship.hostPath, type: 'Directory' } }],
        mounts: [{ name: WORKSPACE_VOLUME, mountPath: WORKSPACE_MOUNT }],
      };
    case 'configMap':
      return {
        volumes: [
          { name: WORKSPACE_VOLUME, emptyDir: {} },
          { name: ARCHIVE_VOLUME, configMap: { name: ship.configMap } },
        ],
        mounts: [
          { name: WORKSPACE_VOLUME, mountPath: WORKSPACE_MOUNT },
          { name: ARCHIVE_VOLUME, mountPath: ARCHIVE_MOUNT, readOnly: true },
        ],
      };
    case 'image':
      return { volumes: [], mounts: [] };
  }
}

/** Our pod patch in the shape of the target's Trainer API generation. */
export function podPatch(api: TrainerApi, ship: ShipPlan, podLabels: Record<string, string>): { field: string; entry: Record<string, unknown> } | null {
  const { volumes, mounts } = podParts(ship);
  const containers = mounts.length ? [{ name: NODE, volumeMounts: mounts }] : [];
  const field = OVERRIDES_FIELD[api];
  if (api === 'v2.0') {
    // v2.0 cannot patch pod metadata; pods are found by JobSet's own labels instead.
    if (!volumes.length) return null;
    return { field, entry: { targetJobs: [{ name: NODE }], volumes, containers } };
  }
  const podSpec = volumes.length ? { volumes, containers } : undefined;
  if (api === 'v2.1') {
    return { field, entry: { targetJobs: [{ name: NODE }], metadata: { labels: podLabels }, ...(podSpec ? { spec: podSpec } : {}) } };
  }
  const podTemplate = { metadata: { labels: podLabels }, ...(podSpec ? { spec: podSpec } : {}) };
  return {
    field,
    entry: { manager: PATCH_MANAGER, trainingRuntimeSpec: { template: { spec: { replicatedJobs: [{ name: NODE, template: { spec: { template: podTemplate } } }] } } } },
  };
}

export function adaptTrainJob(input: AdaptInput): AdaptedTrainJob {
  const { job, jobId, namespace, api, ship } = input;
  const notes: string[] = [];
  const source = structuredClone(job) as TrainJob & Record<string, unknown>;
  const name = clusterName(source.metadata.name, jobId);
  const labels = { ...(source.metadata.labels ?? {}), [JOB_ID_LABEL]: jobId, [MANAGED_BY_LABEL]: FIELD_MANAGER };
  const annotations = { ...(source.metadata.annotations ?? {}), [SOURCE_NAME_ANNOTATION]: source.metadata.name };
  const spec = { ...source.spec } as Record<string, unknown> & TrainJob['spec'];
  const trainer = { ...(spec.trainer ?? {}) } as NonNullable<TrainJob['spec']['trainer']>;

  if (ship.mode === 'image') {
    if (trainer.image !== ship.image) notes.push(`spec.trainer.image becomes ${ship.image}: the base image with the workspace copied into ${WORKSPACE_MOUNT}.`);
    trainer.image = ship.image;
  }
  const command = trainer.command;
  if (!command?.length) {
    if (ship.mode === 'configMap') {
      throw new AdaptError(
        'spec.trainer.command is not set, so the runtime\'s own command would run before the shipped workspace could be unpacked; set spec.trainer.command (e.g. [python3, train.py]) or ship the workspace in an image.',
      );
    }
    notes.push(`spec.trainer.command is not set: the runtime's command runs in the image's working directory; the workspace is at ${WORKSPACE_MOUNT}.`);
  } else if (command.length === TORCHTUNE_ENTRYPOINT.length && command.every((c, i) => c === TORCHTUNE_ENTRYPOINT[i])) {
    if (ship.mode === 'configMap') throw new AdaptError('spec.trainer.command is the torchtune entrypoint (tune run), which Trainer rewrites; it cannot unpack a shipped workspace first. Ship the workspace in an image instead.');
    notes.push('spec.trainer.command is the torchtune entrypoint, kept as it is (Trainer rewrites it).');
  } else {
    // torchrun (and python -m torch.distributed.run) starts the ranks from the PET_* variables itself.
    const launchRanks = parseTorchrunCommand([...command, ...(trainer.args ?? [])]) === null;
    trainer.command = ['sh', '-c', workspaceScript(ship.mode, undefined, launchRanks), 'kfd-workspace', ...command];
    const processes = Number(trainer.numNodes ?? 1) * Number(trainer.numProcPerNode ?? 1);
    const perRank = launchRanks && processes > 1 ? ', once per process with RANK, WORLD_SIZE and LOCAL_RANK set as in local runs' : '';
    notes.push(
      ship.mode === 'configMap'
        ? `spec.trainer.command runs after the workspace archive is unpacked into ${WORKSPACE_MOUNT}${perRank} (sh -c …; your command and args are unchanged).`
        : `spec.trainer.command runs in ${WORKSPACE_MOUNT}${perRank} (sh -c …; your command and args are unchanged).`,
    );
  }
  spec.trainer = trainer;

  const patch = podPatch(api, ship, { [JOB_ID_LABEL]: jobId });
  if (patch) {
    const existing = (spec[patch.field] as Record<string, unknown>[] | undefined) ?? [];
    const kept = patch.field === 'runtimePatches' ? existing.filter((p) => p['manager'] !== PATCH_MANAGER) : existing;
    spec[patch.field] = [...kept, patch.entry];
  }

  const manifest: Record<string, unknown> = {
    apiVersion: source.apiVersion,
    kind: source.kind,
    metadata: { name, namespace, labels, annotations },
    spec,
  };
  return { manifest, name, notes };
}
