/**
 * `kfd`: the command line on the same engine as the app. Commands call the engine in-process
 * through the same dispatcher the UI uses, so they validate and fail the same way. bin/kfd.mjs
 * runs it compiled (scripts/cli-build.mjs); the engine is imported only by commands that use it,
 * and it loads each of its parts on first use, so `kfd version` or `kfd jobs` start at once.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { Engine } from '../engine/engine.js';
import { OWNER_COMMAND } from './background-owner.js';
import { registerClusterCommands } from './commands/cluster.js';
import { registerExperimentCommands } from './commands/experiments.js';
import { doctorCommand } from './commands/doctor.js';
import { registerImagesCommands } from './commands/images.js';
import { DEFAULT_TEMPLATE, initCommand } from './commands/init.js';
import { cancelCommand, jobsCommand, logsCommand, rerunCommand, runCommand, showCommand, type JobCommandDeps } from './commands/jobs.js';
import { promoteCommand, targetsCommand } from './commands/kubernetes.js';
import { registerModelCommands } from './commands/models.js';
import { registerNotebookCommands } from './commands/notebook.js';
import { registerPipelineCommands } from './commands/pipeline.js';
import { isManifestFile, promoteFile, type PromoteFileOptions } from './commands/promote-file.js';
import { versionCommand } from './commands/version.js';
import { parseCount, parsePort } from './parse-args.js';

/** The folder with package.json above this file (the source tree, or above dist/cli/<build>/). */
function appRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/**
 * Every command runs on a client engine: it reads, starts jobs and asks for cancels, but never
 * watches or captures running jobs — the data dir's owner does (the app, or a background owner
 * this starts when none is alive; see background-owner.ts).
 */
async function withEngine<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
  const [{ createEngine }, { ensureBackgroundOwner, wakeOwnerIfNeeded }] = await Promise.all([import('../engine/engine.js'), import('./background-owner.js')]);
  const engine: Engine = createEngine({ role: 'client', ensureOwner: () => ensureBackgroundOwner(engine.store.db, engine.dataDir) });
  wakeOwnerIfNeeded(engine.store.db, engine.dataDir);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('kfd')
    .description('Kubeflow Desktop: run a Kubeflow TrainJob locally, in containers, or on a cluster.')
    .showHelpAfterError('(run `kfd --help` for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('version')
    .description('print the version')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      process.exitCode = versionCommand(opts);
    });

  program
    .command(OWNER_COMMAND, { hidden: true })
    .description('own the data dir while jobs run (started by kfd itself)')
    .action(async () => {
      const { runBackgroundOwner } = await import('./background-owner.js');
      process.exitCode = await runBackgroundOwner();
    });

  program
    .command('serve')
    .description('serve the app in a browser (web mode) on 127.0.0.1; prints the URL with its access token')
    .option('-p, --port <port>', 'port (0 = a free port)', parsePort, 0)
    .option('--host <host>', 'address to listen on; 0.0.0.0 serves your network too (the token is still required)', '127.0.0.1')
    .action(async (opts: { port: number; host: string }) => {
      const { serveCommand } = await import('./commands/serve.js');
      process.exitCode = await serveCommand({ ...opts, staticDir: path.join(appRoot(), 'dist', 'renderer') });
    });

  program
    .command('doctor')
    .description('check this machine: Node, Python + Jupyter + torch, Docker/Podman, kind, kubectl, local cluster assets, GPUs, memory, disk')
    .option('--json', 'print a JSON array of {id, status, detail, fix}')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await withEngine((engine) => doctorCommand(opts, { dispatch: engine.dispatch }));
    });

  program
    .command('init')
    .description('create a workspace from a template (train.py + trainjob.yaml + README)')
    .argument('[dir]', 'the folder to create (must be empty or new)')
    .option('-t, --template <id>', 'python-basic | pytorch-ddp | sklearn | notebook-starter', DEFAULT_TEMPLATE)
    .option('--force', 'add the template to a non-empty folder, keeping every file already there')
    .option('--list', 'list the templates')
    .action(async (dir: string | undefined, opts: { template: string; force?: boolean; list?: boolean }) => {
      process.exitCode = await withEngine((engine) => initCommand(dir, opts, { dispatch: engine.dispatch }));
    });

  const jobDeps = (engine: Engine): JobCommandDeps => ({
    dispatch: engine.dispatch,
    subscribe: (listener) => engine.events.subscribe(listener),
  });

  program
    .command('run')
    .description('run a workspace\'s trainjob.yaml (or the given manifest); prints the job id')
    .argument('<workspace>', 'workspace folder with a trainjob.yaml, or the trainjob.yaml itself')
    .option('-b, --backend <backend>', 'local (= local-process) | container | kubernetes', 'local-process')
    .option('-f, --follow', 'stream the logs until the job ends; exit with the job\'s exit code (Ctrl+C cancels)')
    .option('--nodes <n>', 'override spec.trainer.numNodes', parseCount)
    .option('--procs <n>', 'override spec.trainer.numProcPerNode', parseCount)
    .option('--context <ctx>', 'backend kubernetes: kubeconfig context or local cluster (`kfd targets`); default: the current context')
    .option('-n, --namespace <ns>', 'backend kubernetes: namespace (default: the one remembered for the target)')
    .option('--json', 'print the job as JSON')
    .action(async (target: string, opts: { backend: string; follow?: boolean; json?: boolean; nodes?: number; procs?: number; context?: string; namespace?: string }) => {
      process.exitCode = await withEngine((engine) => runCommand(target, opts, jobDeps(engine)));
    });

  program
    .command('jobs')
    .description('list jobs, newest first')
    .option('--json', 'print JSON')
    .option('--status <status...>', 'only these statuses (Created, Running, Complete, Failed, Cancelled)')
    .option('-n, --limit <n>', 'how many', parseCount, 50)
    .action(async (opts: { json?: boolean; status?: string[]; limit: number }) => {
      process.exitCode = await withEngine((engine) => jobsCommand(opts, jobDeps(engine)));
    });

  program
    .command('show')
    .description('show one job: status, ranks, warnings, and why it failed')
    .argument('<id>', 'job id (a unique prefix is enough)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      process.exitCode = await withEngine((engine) => showCommand(id, opts, jobDeps(engine)));
    });

  program
    .command('logs')
    .description('print a job\'s logs, all ranks interleaved by time')
    .argument('<id>', 'job id (a unique prefix is enough)')
    .option('-f, --follow', 'keep streaming until the job ends')
    .option('-r, --rank <n>', 'only this rank', parseCount)
    .action(async (id: string, opts: { follow?: boolean; rank?: number }) => {
      process.exitCode = await withEngine((engine) => logsCommand(id, opts, jobDeps(engine)));
    });

  program
    .command('cancel')
    .description('cancel a running job (SIGTERM to every rank, SIGKILL after a grace period)')
    .argument('<id>', 'job id (a unique prefix is enough)')
    .action(async (id: string) => {
      process.exitCode = await withEngine((engine) => cancelCommand(id, jobDeps(engine)));
    });

  program
    .command('rerun')
    .description('run a job again with the manifest it ran with')
    .argument('<id>', 'job id (a unique prefix is enough)')
    .option('-f, --follow', 'stream the logs until the job ends')
    .action(async (id: string, opts: { follow?: boolean }) => {
      process.exitCode = await withEngine((engine) => rerunCommand(id, opts, jobDeps(engine)));
    });

  program
    .command('targets')
    .description('list Kubernetes targets: every kubeconfig context (KUBECONFIG honoured) and the local clusters')
    .option('--probe', 'ask each target: reachable, server version, Trainer API, runtimes, GPUs')
    .option('--namespaces <target>', "list one target's namespaces instead")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; probe?: boolean; namespaces?: string }) => {
      process.exitCode = await withEngine((engine) => targetsCommand(opts, jobDeps(engine)));
    });

  program
    .command('promote')
    .description('run a job from history (or a workspace) on a cluster: the same TrainJob, its workspace shipped; or apply a manifest file by its kind (Katib Experiment, InferenceService)')
    .argument('<job-id|workspace|file.yaml>', 'a job id (a unique prefix is enough), a workspace folder, or a manifest file (TrainJob, Experiment, InferenceService)')
    .requiredOption('--context <ctx>', 'kubeconfig context, local cluster or target id (`kfd targets`)')
    .option('-n, --namespace <ns>', 'namespace (default: the one remembered for the target)')
    .option('--runtime <name>', 'spec.runtimeRef.name on the cluster')
    .option('--image <image>', 'spec.trainer.image (the base image when shipping by image)')
    .option('--cpu <q>', 'CPU limit per node, e.g. 8')
    .option('--memory <q>', 'memory limit per node, e.g. 32Gi')
    .option('--gpus <n>', 'nvidia.com/gpu per node', parseCount)
    .option('--nodes <n>', 'spec.trainer.numNodes', parseCount)
    .option('--procs <n>', 'spec.trainer.numProcPerNode', parseCount)
    .option('--shipping <mode>', 'auto | hostPath | configMap | image')
    .option('--registry <registry>', 'where workspace images for this target are pushed (remembered)')
    .option('--storage-uri <uri>', 'InferenceService: where the cluster reads the model (s3://, gs://, pvc://, oci://), replacing a local file://')
    .option('--dry-run', 'print the final manifest(s) and the files that would be shipped; apply nothing')
    .option('-f, --follow', 'stream the logs until the job ends')
    .option('--json', 'print JSON')
    .action(async (source: string, opts: PromoteFileOptions) => {
      const fromFile = await isManifestFile(source);
      process.exitCode = await withEngine((engine) => (fromFile ? promoteFile(source, opts, jobDeps(engine)) : promoteCommand(source, opts, jobDeps(engine))));
    });

  registerModelCommands(program, async (fn) => {
    process.exitCode = await withEngine((engine) => fn(jobDeps(engine)));
  });

  registerImagesCommands(program, async (fn) => {
    process.exitCode = await withEngine((engine) => fn({ dispatch: engine.dispatch, subscribe: (listener) => engine.events.subscribe(listener) }));
  });

  registerNotebookCommands(program, async (fn) => {
    process.exitCode = await withEngine((engine) => fn({ dispatch: engine.dispatch, subscribe: (listener) => engine.events.subscribe(listener) }));
  });

  registerPipelineCommands(program, async (fn) => {
    process.exitCode = await withEngine((engine) => fn({ dispatch: engine.dispatch, subscribe: (listener) => engine.events.subscribe(listener) }));
  });

  registerClusterCommands(program, async (fn) => {
    process.exitCode = await withEngine((engine) => fn({ dispatch: engine.dispatch, subscribe: (listener) => engine.events.subscribe(listener) }));
  });

  registerExperimentCommands(program, async (fn) => {
    process.exitCode = await withEngine((engine) => fn({ dispatch: engine.dispatch, subscribe: (listener) => engine.events.subscribe(listener) }));
  });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`kfd: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
