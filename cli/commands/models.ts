/**
 * `kfd models …`: register what a job trained (or any file/folder), list and show models,
 * serve a version behind the Open Inference Protocol until Ctrl+C or `kfd models stop`, and
 * push a version to a Kubeflow Model Registry. Same API methods as the Models page.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Deployment, ModelSummary, ModelVersionDetail, RegisteredModel } from '../../engine/api/contract.js';
import { formatMetadataValue } from '../../engine/models/custom-properties.js';
import { parsePort } from '../parse-args.js';
import { CommandError } from './api-call.js';
import { call, guard, io, type JobCommandDeps } from './jobs.js';

function table(rows: string[][]): string {
  if (!rows.length) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

const when = (ms: string | number) => new Date(Number(ms)).toLocaleString();

export function formatModels(models: ModelSummary[]): string {
  if (!models.length) return 'No models registered. Register one: kfd models register --name NAME --job <job-id> --path model.joblib\n';
  return table([['NAME', 'VERSIONS', 'LATEST', 'SERVING', 'UPDATED'], ...models.map((m) => [m.name, String(m.versions.length), m.latestVersion ?? '-', m.serving ? String(m.serving) : '-', when(m.lastUpdateTimeSinceEpoch)])]);
}

export function formatDeployment(d: Deployment): string {
  const where = d.kind === 'local' ? `${d.backend}${d.port ? ` :${d.port}` : ''}` : `${d.target}/${d.namespace}`;
  return `${d.id}  ${d.state.padEnd(9)} ${where}${d.url ? `  ${d.url}` : ''}${d.jobId ? `  job ${d.jobId}` : ''}${d.message && d.state !== 'Ready' ? `\n      ${d.message}` : ''}`;
}

export function formatVersion(v: ModelVersionDetail): string {
  const lines: string[] = [];
  const src = v.source.kind === 'job' ? `job ${v.source.jobId} (${v.source.path})` : v.source.kind === 'pipeline' ? `pipeline run ${v.source.runId ?? '?'} task ${v.source.taskId ?? '?'} (${v.source.path})` : v.source.path;
  lines.push(`${v.model.name}:${v.name}  ${v.state}  registered ${when(v.createTimeSinceEpoch)} by ${v.author || '?'}`);
  if (v.description) lines.push(`  ${v.description}`);
  lines.push(`  from      ${src}`);
  for (const a of v.artifacts) {
    lines.push(`  artifact  ${a.modelFormatName}${a.modelFormatVersion ? ` ${a.modelFormatVersion}` : ''}  ${a.modelFile}  ${a.sizeBytes.toLocaleString('en-US')} bytes  ${a.digest.slice(0, 19)}…`);
    lines.push(`            ${a.uri}`);
  }
  const env = v.trainingEnv;
  lines.push(`  trained   ${env.pythonVersion ? `Python ${env.pythonVersion}` : 'Python ?'}${Object.keys(env.packages).length ? `, ${Object.entries(env.packages).map(([k, x]) => `${k} ${x}`).join(', ')}` : ''}`);
  lines.push(`            (${env.source})`);
  if (v.signature.inputs.length) lines.push(`  inputs    ${v.signature.inputs.map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`).join(', ')}`);
  if (v.signature.outputs.length) lines.push(`  outputs   ${v.signature.outputs.map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`).join(', ')}`);
  const props = Object.entries(v.customProperties);
  if (props.length) {
    lines.push('  properties');
    const w = Math.max(...props.map(([k]) => k.length));
    for (const [k, val] of props) lines.push(`    ${k.padEnd(w)}  ${formatMetadataValue(val)}`);
  }
  if (v.deployments.length) {
    lines.push('  deployments');
    for (const d of v.deployments) lines.push(`    ${formatDeployment(d).replace(/\n/g, '\n    ')}`);
  }
  for (const p of v.pushes) lines.push(`  pushed    ${p.registry} (model ${p.registeredModelId}, version ${p.modelVersionId}) uri ${p.uri}`);
  return lines.join('\n') + '\n';
}

export interface RegisterOptions {
  name: string;
  version?: string;
  job?: string;
  path?: string;
  uri?: string;
  format: string;
  description?: string;
  pipelineRun?: string;
  pipelineTask?: string;
  json?: boolean;
}

export function registerCommand(opts: RegisterOptions, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    if (opts.job && opts.uri) throw new CommandError('Give either --job <id> --path <file-or-dir> or --uri <file-or-dir>, not both.');
    if (opts.job && !opts.path) throw new CommandError('--job needs --path: the model file or folder the job wrote (relative to its workspace).');
    if (!opts.job && !opts.uri) throw new CommandError('Say where the model is: --job <id> --path <file-or-dir>, or --uri <file-or-dir>.');
    const source = opts.job ? { jobId: opts.job, path: opts.path! } : { path: path.resolve(opts.uri!.replace(/^file:\/\//, '')) };
    const pipeline = opts.pipelineRun || opts.pipelineTask ? { pipeline: { ...(opts.pipelineRun ? { runId: opts.pipelineRun } : {}), ...(opts.pipelineTask ? { taskId: opts.pipelineTask } : {}) } } : {};
    const v = await call<ModelVersionDetail>(deps, 'models.register', {
      name: opts.name,
      ...(opts.version ? { version: opts.version } : {}),
      format: opts.format,
      ...(opts.description ? { description: opts.description } : {}),
      ...source,
      ...pipeline,
    });
    if (opts.json) stdout.write(JSON.stringify(v, null, 2) + '\n');
    else {
      stdout.write(`${v.model.name}:${v.name}\n`);
      stderr.write(`Registered ${v.model.name}:${v.name} (${v.artifacts[0]?.files.length ?? 0} file(s), ${v.artifacts[0]?.sizeBytes.toLocaleString('en-US')} bytes). Serve it: kfd models serve ${v.model.name}:${v.name}\n`);
    }
    return 0;
  });
}

export function listCommand(opts: { json?: boolean }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const models = await call<ModelSummary[]>(deps, 'models.list', {});
    io(deps).stdout.write(opts.json ? JSON.stringify(models, null, 2) + '\n' : formatModels(models));
    return 0;
  });
}

export function showModelCommand(ref: string, opts: { json?: boolean }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout } = io(deps);
    if (ref.includes(':')) {
      const v = await call<ModelVersionDetail>(deps, 'models.version', { model: ref });
      stdout.write(opts.json ? JSON.stringify(v, null, 2) + '\n' : formatVersion(v));
      return 0;
    }
    const m = await call<{ model: RegisteredModel; versions: ModelVersionDetail[] }>(deps, 'models.get', { model: ref });
    stdout.write(opts.json ? JSON.stringify(m, null, 2) + '\n' : m.versions.map(formatVersion).join('\n') || `${m.model.name} has no versions.\n`);
    return 0;
  });
}

const ACTIVE = new Set(['Preparing', 'Starting', 'Ready', 'Stopping']);

/** Starts the server, prints its V2 base URL once ready, and stays until Ctrl+C (stops it) or the server ends. */
export function serveModelCommand(ref: string, opts: { port?: number; backend: string; image?: string; json?: boolean }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    if (opts.backend !== 'local-process' && opts.backend !== 'container') throw new CommandError(`--backend ${opts.backend}: use local-process or container (a cluster: kfd promote <inferenceservice.yaml> --context …).`);
    let d = await call<Deployment>(deps, 'models.serve', { model: ref, backend: opts.backend, ...(opts.port ? { port: opts.port } : {}), ...(opts.image ? { image: opts.image } : {}) });
    stderr.write(`Serving ${d.modelName}:${d.versionName} as ${d.id} (${d.backend}); Ctrl+C stops it.\n`);
    let wake: (() => void) | null = null;
    const unsubscribe = deps.subscribe((event, payload) => {
      if (event === 'models.changed' && (payload as { deploymentId: string | null }).deploymentId === d.id) wake?.();
    });
    let interrupted = false;
    const onSigint = () => {
      interrupted = true;
      wake?.();
    };
    // Ctrl+C, a closed terminal or a kill: the server goes with the command that started it.
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const sig of signals) process.on(sig, onSigint);
    try {
      let shown = '';
      let announced = false;
      for (;;) {
        if (interrupted) {
          stderr.write(`Stopping ${d.id}…\n`);
          d = await call<Deployment>(deps, 'models.servers.stop', { id: d.id });
          stderr.write(`${d.modelName}:${d.versionName} ${d.state}.\n`);
          return 0;
        }
        d = await call<Deployment>(deps, 'models.servers.get', { id: d.id });
        if (!announced && d.state !== 'Ready' && d.message !== shown) {
          stderr.write(`… ${d.message}\n`);
          shown = d.message;
        }
        if (d.state === 'Ready' && !announced) {
          announced = true;
          stdout.write(opts.json ? JSON.stringify(d, null, 2) + '\n' : `${d.url}\n`);
          const model = /name: (\S+)/.exec(d.manifest)?.[1] ?? d.modelName;
          stderr.write(`Ready: ${d.url}/v2/models/${model} (metadata), POST ${d.url}/v2/models/${model}/infer. Logs: kfd logs ${d.jobId} --follow. Stop: Ctrl+C or kfd models stop ${d.id}\n`);
        }
        if (!ACTIVE.has(d.state)) {
          stderr.write(`${d.modelName}:${d.versionName} ${d.state}: ${d.message}\n`);
          return d.state === 'Stopped' ? 0 : 1;
        }
        // Events wake us at once; the timer covers a server stopped by another process. It keeps
        // the command alive: the server's job is watched by the owner engine, not by this process.
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1000);
        });
        wake = null;
      }
    } finally {
      for (const sig of signals) process.off(sig, onSigint);
      unsubscribe();
    }
  });
}

export function stopModelCommand(id: string, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    let target = id;
    // A model reference stops that version's running server.
    if (!/^[0-9a-z]{9}-[0-9a-f]{3}$/.test(id) && !(await call<Deployment[]>(deps, 'models.servers.list', {})).some((d) => d.id.startsWith(id))) {
      const v = await call<ModelVersionDetail>(deps, 'models.version', { model: id });
      const running = v.deployments.find((d) => d.kind === 'local' && ACTIVE.has(d.state));
      if (!running) throw new CommandError(`${v.model.name}:${v.name} has no running server.`);
      target = running.id;
    }
    const d = await call<Deployment>(deps, 'models.servers.stop', { id: target });
    io(deps).stderr.write(`${d.modelName}:${d.versionName} (${d.id}) ${d.state}.\n`);
    return 0;
  });
}

export function pushCommand(ref: string, opts: { registry?: string; uri?: string; oci?: string; ociBase?: string; json?: boolean }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    if (!ref.includes(':')) throw new CommandError(`Name the version to push: ${ref}:<version> (kfd models show ${ref} lists them).`);
    const off = deps.subscribe((event, payload) => {
      if (event === 'models.pushProgress') stderr.write(`… ${(payload as { message: string }).message}\n`);
    });
    const r = await call<{ registry: string; registeredModelId: string; modelVersionId: string; artifactId: string; uri: string; notes: string[] }>(deps, 'models.push', {
      model: ref,
      ...(opts.registry ? { registry: opts.registry } : {}),
      ...(opts.uri ? { uri: opts.uri } : {}),
      ...(opts.oci ? { oci: opts.oci } : {}),
      ...(opts.ociBase ? { ociBase: opts.ociBase } : {}),
    }).finally(off);
    if (opts.json) stdout.write(JSON.stringify(r, null, 2) + '\n');
    else stdout.write(`${r.registry}: registered model ${r.registeredModelId}, version ${r.modelVersionId}, artifact ${r.artifactId} (${r.uri})\n`);
    for (const n of r.notes) stderr.write(`note: ${n}\n`);
    return 0;
  });
}

function parseFormat(value: string): string {
  const formats = ['sklearn', 'xgboost', 'lightgbm', 'pytorch', 'onnx', 'tensorflow', 'custom'];
  if (!formats.includes(value)) throw new InvalidArgumentError(`"${value}" is not a model format; use one of ${formats.join(', ')}.`);
  return value;
}

export function registerModelCommands(program: Command, run: (fn: (deps: JobCommandDeps) => Promise<number>) => Promise<void>): void {
  // `--json` is the group's option too (kfd models --json): subcommands read theirs with optsWithGlobals.
  const models = program
    .command('models')
    .description('registered models: list (default), register, show, serve (Open Inference Protocol), stop, push')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => run((deps) => listCommand(opts, deps)));

  models
    .command('register')
    .description('register a model version: from a finished job (--job + --path) or any file/folder (--uri)')
    .requiredOption('--name <name>', 'the registered model (created when new)')
    .option('--version <version>', 'version name (default v1, v2, …)')
    .option('--job <id>', 'the job that trained it (lineage; its final metrics become properties)')
    .option('--path <file-or-dir>', 'with --job: the model file or folder, relative to the job\'s workspace')
    .option('--uri <file-or-dir>', 'without a job: the model file or folder (e.g. a pipeline\'s system.Model artifact)')
    .option('--format <format>', 'sklearn | xgboost | lightgbm | pytorch | onnx | tensorflow | custom', parseFormat, 'sklearn')
    .option('--description <text>', 'a description')
    .option('--pipeline-run <id>', 'with --uri: the pipeline run that made it')
    .option('--pipeline-task <id>', 'with --uri: the pipeline task that made it')
    .option('--json', 'print the version as JSON')
    .action(async (_opts: RegisterOptions, cmd: Command) => run((deps) => registerCommand(cmd.optsWithGlobals<RegisterOptions>(), deps)));

  models
    .command('show')
    .description('a model\'s versions (or one version): artifact, training environment, properties, lineage, deployments')
    .argument('<name[:version]>')
    .option('--json', 'print JSON')
    .action(async (ref: string, _opts: { json?: boolean }, cmd: Command) => run((deps) => showModelCommand(ref, cmd.optsWithGlobals<{ json?: boolean }>(), deps)));

  models
    .command('serve')
    .description('serve a version with MLServer (Open Inference Protocol V2) on 127.0.0.1; prints the base URL; stays up until Ctrl+C or `kfd models stop`')
    .argument('<name[:version]>')
    .option('-p, --port <port>', 'port on 127.0.0.1 (default: a free one)', parsePort)
    .option('-b, --backend <backend>', 'local-process | container', 'local-process')
    .option('--image <image>', 'backend container: an image with MLServer and the model\'s libraries')
    .option('--json', 'print the server as JSON once ready')
    .action(async (ref: string, _opts: unknown, cmd: Command) => run((deps) => serveModelCommand(ref, cmd.optsWithGlobals<{ port?: number; backend: string; image?: string; json?: boolean }>(), deps)));

  models
    .command('stop')
    .description('stop a model server (its id, or name:version)')
    .argument('<id|name:version>')
    .action(async (id: string) => run((deps) => stopModelCommand(id, deps)));

  models
    .command('push')
    .description('push a version to a Kubeflow Model Registry (REST API v1alpha3); the token comes from Settings or KFD_MODEL_REGISTRY_TOKEN')
    .argument('<name:version>')
    .option('--registry <url>', 'the registry\'s base URL (default: Settings → Models)')
    .option('--uri <uri>', 'where a cluster reads the model (s3://, gs://, pvc://, oci://, https://); replaces the local file://')
    .option('--oci <image>', 'instead of --uri: build the model into this image (files under /models, KServe modelcar) and push it with your Docker credentials')
    .option('--oci-base <image>', 'with --oci: the base image (a shell; default busybox)')
    .option('--json', 'print JSON')
    .action(async (ref: string, _opts: unknown, cmd: Command) => run((deps) => pushCommand(ref, cmd.optsWithGlobals<{ registry?: string; uri?: string; oci?: string; ociBase?: string; json?: boolean }>(), deps)));
}
