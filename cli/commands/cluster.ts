/**
 * `kfd cluster doctor|create|status|delete|logs|kubeconfig|prepare|bundle`: the local kind
 * cluster through the same API (cluster.*) the app uses. Long operations print a line per step
 * and end with the operation's outcome; Ctrl+C cancels them (a cancelled create leaves nothing).
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { CheckResult, ClusterInfo, ClusterOperation, EventName } from '../../engine/api/contract.js';
import { parseCount } from '../parse-args.js';
import { callApi, CommandError, guardCommand, type Dispatch } from './api-call.js';
import { failureText, formatClusters, progressLines } from './cluster-format.js';
import { formatDoctorTable, toJsonRows } from './doctor.js';

export interface ClusterCommandDeps {
  dispatch: Dispatch;
  subscribe: (listener: (event: EventName, payload: unknown) => void) => () => void;
  stdout?: { write(text: string): unknown; isTTY?: boolean };
  stderr?: { write(text: string): unknown; isTTY?: boolean };
  /** Tests send their own "Ctrl+C". */
  onInterrupt?: (handler: () => void) => () => void;
}

const call = <T>(deps: ClusterCommandDeps, method: string, input: unknown) => callApi<T>(deps.dispatch, method, input);
const guard = (deps: ClusterCommandDeps, fn: () => Promise<number>) => guardCommand(deps.stderr ?? process.stderr, fn);

const sigint = (handler: () => void) => {
  process.on('SIGINT', handler);
  return () => void process.off('SIGINT', handler);
};

/** Starts an operation, prints its steps as they change, and returns its exit code (0 ok, 1 failed, 130 cancelled). */
export async function followOperation(deps: ClusterCommandDeps, method: string, input: unknown, json = false): Promise<number> {
  const out = deps.stdout ?? process.stdout;
  const err = deps.stderr ?? process.stderr;
  let prev: ClusterOperation | null = null;
  let id: string | null = null;
  let resolveFinal!: (op: ClusterOperation) => void;
  const final = new Promise<ClusterOperation>((r) => (resolveFinal = r));
  const early: ClusterOperation[] = [];
  const onOp = (op: ClusterOperation) => {
    for (const line of progressLines(prev, op)) err.write(`${line}\n`);
    prev = op;
    if (op.status !== 'running') resolveFinal(op);
  };
  const off = deps.subscribe((event, payload) => {
    if (event !== 'cluster.operation') return;
    const op = payload as ClusterOperation;
    if (id === null) early.push(op);
    else if (op.id === id) onOp(op);
  });
  const stopInterrupt = (deps.onInterrupt ?? sigint)(() => {
    if (!id) return;
    err.write('\nCancelling…\n');
    void call(deps, 'cluster.cancel', { operationId: id }).catch(() => undefined);
  });
  try {
    id = (await call<{ operationId: string }>(deps, method, input)).operationId;
    for (const op of early.filter((o) => o.id === id)) onOp(op);
    // The operation may have ended before we subscribed to it.
    const now = await call<ClusterOperation | null>(deps, 'cluster.operation', { id });
    if (now && now.status !== 'running') onOp(now);
    const op = await final;
    if (json) out.write(JSON.stringify(op, null, 2) + '\n');
    if (op.status === 'succeeded') {
      if (!json) out.write(`${op.kind} done${op.result ? `: ${Object.entries(op.result).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}\n`);
      return 0;
    }
    err.write(failureText(op));
    return op.status === 'cancelled' ? 130 : 1;
  } finally {
    off();
    stopInterrupt();
  }
}

export interface CreateFlags {
  name?: string;
  gpus?: string;
  workers?: number;
  workspace?: string;
  offline?: boolean;
  nodeImage?: string;
  dryRun?: boolean;
  json?: boolean;
}

function createInput(opts: CreateFlags) {
  return {
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.gpus ? { gpus: opts.gpus } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.workspace ? { workspaceRoot: path.resolve(opts.workspace) } : {}),
    ...(opts.offline ? { offline: true } : {}),
    ...(opts.nodeImage ? { nodeImage: opts.nodeImage } : {}),
  };
}

export function clusterCreateCommand(opts: CreateFlags, deps: ClusterCommandDeps): Promise<number> {
  return guard(deps, async () => {
    if (opts.dryRun) {
      const plan = await call<{ text: string }>(deps, 'cluster.plan', createInput(opts));
      (deps.stdout ?? process.stdout).write(opts.json ? JSON.stringify(plan, null, 2) + '\n' : plan.text);
      return 0;
    }
    return followOperation(deps, 'cluster.create', createInput(opts), opts.json);
  });
}

export function clusterDoctorCommand(opts: CreateFlags, deps: ClusterCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const r = await call<{ checks: CheckResult[]; gpu: { enabled: boolean; reason: string } }>(deps, 'cluster.doctor', createInput(opts));
    const out = deps.stdout ?? process.stdout;
    if (opts.json) out.write(JSON.stringify(toJsonRows(r.checks), null, 2) + '\n');
    else out.write(`${formatDoctorTable(r.checks, !!out.isTTY)}GPU passthrough: ${r.gpu.enabled ? 'on' : 'off'} — ${r.gpu.reason}\n`);
    return r.checks.some((c) => c.status === 'missing') ? 1 : 0;
  });
}

export function clusterStatusCommand(opts: { json?: boolean }, deps: ClusterCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const s = await call<{ clusters: ClusterInfo[]; assets: { prepared: boolean; dir: string; images: { ref: string; present: boolean }[] }; operation: ClusterOperation | null }>(deps, 'cluster.status', {});
    const out = deps.stdout ?? process.stdout;
    if (opts.json) {
      out.write(JSON.stringify(s, null, 2) + '\n');
      return 0;
    }
    out.write(formatClusters(s.clusters));
    const present = s.assets.images.filter((i) => i.present).length;
    out.write(s.assets.prepared ? `Offline assets: prepared in ${s.assets.dir} (${present}/${s.assets.images.length} images here)\n` : 'Offline assets: not prepared (`kfd cluster prepare`)\n');
    if (s.operation) out.write(`Running: ${s.operation.kind} — ${s.operation.progress.description}\n`);
    return 0;
  });
}

export function registerClusterCommands(program: Command, run: (fn: (deps: ClusterCommandDeps) => Promise<number>) => Promise<void>): void {
  const cluster = program.command('cluster').description('the local Kubeflow cluster: kind + JobSet + Kubeflow Trainer, GPU passthrough, offline bundle');
  const gpuHelp = 'auto | all | none | GPU indexes like 0,1';
  cluster
    .command('doctor')
    .description('check this machine for a local cluster: Docker, kind, kubectl, ports, GPUs, offline assets; prints the fixes')
    .option('--json', 'print a JSON array of {id, status, detail, fix}')
    .option('--gpus <gpus>', gpuHelp)
    .option('--workers <n>', 'worker nodes', parseCount)
    .action((opts: CreateFlags) => run((deps) => clusterDoctorCommand(opts, deps)));
  cluster
    .command('create')
    .description('create the cluster and install JobSet, Kubeflow Trainer and its runtimes (Ctrl+C cancels)')
    .option('--name <name>', 'cluster name', 'kfd')
    .option('--gpus <gpus>', gpuHelp, 'auto')
    .option('--workers <n>', 'worker nodes (0: the control plane runs the jobs)', parseCount, 0)
    .option('--workspace <dir>', 'a folder mounted at the same path in every node (edit and run without building images)')
    .option('--offline', 'fail before kind starts when a prepared asset is missing')
    .option('--node-image <image>', 'the kind node image (default: the prepared one, else kind\'s pinned default)')
    .option('--dry-run', 'print the kind config and the steps it would run, then stop')
    .option('--json', 'print JSON')
    .action((opts: CreateFlags) => run((deps) => clusterCreateCommand(opts, deps)));
  cluster
    .command('status')
    .description('the local clusters, their nodes and the offline assets')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => run((deps) => clusterStatusCommand(opts, deps)));
  cluster
    .command('delete')
    .description('delete the cluster, its record and its kubeconfig')
    .option('--name <name>', 'cluster name', 'kfd')
    .action((opts: { name: string }) => run((deps) => guard(deps, () => followOperation(deps, 'cluster.delete', { name: opts.name }))));
  cluster
    .command('logs')
    .description('export the nodes\' logs (kind export logs) into a folder')
    .option('--name <name>', 'cluster name', 'kfd')
    .option('--dir <dir>', 'where to write them (default: beside the cluster\'s kubeconfig)')
    .action((opts: { name: string; dir?: string }) =>
      run((deps) =>
        guard(deps, async () => {
          const r = await call<{ dir: string }>(deps, 'cluster.logs', { name: opts.name, ...(opts.dir ? { dir: path.resolve(opts.dir) } : {}) });
          (deps.stdout ?? process.stdout).write(`Logs written to ${r.dir}\n`);
          return 0;
        }),
      ),
    );
  cluster
    .command('kubeconfig')
    .description('print the path of the cluster\'s private kubeconfig; --merge adds it to ~/.kube/config')
    .option('--name <name>', 'cluster name', 'kfd')
    .option('--merge', 'add the cluster to ~/.kube/config (or $KUBECONFIG\'s first file); your current context stays')
    .option('--use-context', 'with --merge: also make it the current context')
    .option('-o, --output <file>', 'also copy the kubeconfig to this file')
    .action((opts: { name: string; merge?: boolean; useContext?: boolean; output?: string }) =>
      run((deps) =>
        guard(deps, async () => {
          if (opts.useContext && !opts.merge) throw new CommandError('--use-context goes with --merge: `kfd cluster kubeconfig --merge --use-context`.', 2);
          const r = await call<{ path: string; context: string; mergeSummary: string | null; writtenTo: string | null }>(deps, 'cluster.kubeconfig', {
            name: opts.name,
            ...(opts.merge ? { merge: true } : {}),
            ...(opts.useContext ? { setCurrent: true } : {}),
            ...(opts.output ? { output: path.resolve(opts.output) } : {}),
          });
          const out = deps.stdout ?? process.stdout;
          out.write(`${r.writtenTo ?? r.path}\n`);
          if (r.mergeSummary) (deps.stderr ?? process.stderr).write(`${r.mergeSummary}\n`);
          return 0;
        }),
      ),
    );
  cluster
    .command('prepare')
    .description('online, once: render the pinned Trainer/JobSet manifests and pull the node and add-on images, for offline creates')
    .option('--node-image <image>', 'record this node image (one on this machine, or to pull) instead of kind\'s default; later creates use it')
    .action((opts: { nodeImage?: string }) => run((deps) => guard(deps, () => followOperation(deps, 'cluster.prepare', opts.nodeImage ? { nodeImage: opts.nodeImage } : {}))));
  const bundle = cluster.command('bundle').description('carry the prepared assets (manifests + images) to another machine');
  bundle
    .command('export')
    .argument('<file>', 'the bundle to write, e.g. kfd-cluster.tar.gz')
    .action((file: string) => run((deps) => guard(deps, () => followOperation(deps, 'cluster.bundleExport', { file: path.resolve(file) }))));
  bundle
    .command('import')
    .argument('<file>', 'a bundle written by `kfd cluster bundle export`')
    .action((file: string) => run((deps) => guard(deps, () => followOperation(deps, 'cluster.bundleImport', { file: path.resolve(file) }))));
}
