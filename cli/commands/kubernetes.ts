/**
 * `kfd targets` and `kfd promote`: Kubernetes targets and promoting a job (or a workspace) to
 * one, through the same API methods the app's promote dialog uses.
 */
import path from 'node:path';
import type { JobDetail, KubeTarget, PromotePreview } from '../../engine/api/contract.js';
import { CommandError } from './api-call.js';
import { call, exitCodeOf, follow, guard, io, type JobCommandDeps } from './jobs.js';

export function formatTargets(targets: KubeTarget[]): string {
  if (!targets.length) return 'No Kubernetes targets: no kubeconfig context (KUBECONFIG or ~/.kube/config) and no local cluster.\n';
  const rows = targets.map((t) => {
    const p = t.probe;
    const trainer = !p ? '' : !p.reachable ? `unreachable: ${p.error ?? ''}` : p.trainer.installed ? `Trainer ${p.trainer.api ?? '?'}` : 'no Trainer';
    return [t.current ? '*' : ' ', t.id, t.label, t.server, t.authDetail, p?.serverVersion ?? '', trainer];
  });
  const header = [' ', 'TARGET', 'CONTEXT/NAMESPACE', 'SERVER', 'AUTH', 'VERSION', 'TRAINER'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

export function targetsCommand(opts: { json?: boolean; probe?: boolean; namespaces?: string }, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    if (opts.namespaces) {
      const list = await call<{ namespaces: string[]; listed: boolean; problem: string | null }>(deps, 'targets.namespaces', { target: opts.namespaces });
      if (opts.json) stdout.write(JSON.stringify(list, null, 2) + '\n');
      else if (list.listed) stdout.write(list.namespaces.map((n) => `${n}\n`).join(''));
      if (list.problem) stderr.write(`kfd: ${list.problem}\n`);
      return list.listed ? 0 : 1;
    }
    const answer = await call<{ targets: KubeTarget[]; kubeconfigFiles: string[]; problems: string[] }>(deps, 'targets.list', { probe: Boolean(opts.probe) });
    if (opts.json) {
      stdout.write(JSON.stringify(answer, null, 2) + '\n');
      return 0;
    }
    stdout.write(formatTargets(answer.targets));
    for (const p of answer.problems) stderr.write(`warning: ${p}\n`);
    for (const t of answer.targets) for (const p of t.probe?.problems ?? []) stderr.write(`${t.context}: ${p}\n`);
    return 0;
  });
}

export interface PromoteOptions {
  context: string;
  namespace?: string;
  runtime?: string;
  image?: string;
  shipping?: string;
  cpu?: string;
  memory?: string;
  gpus?: number;
  nodes?: number;
  procs?: number;
  registry?: string;
  dryRun?: boolean;
  follow?: boolean;
  json?: boolean;
}

/** A job id stays as typed; a path (it exists, or looks like one) is made absolute for the engine. */
function sourceRef(source: string): string {
  return /[/\\.]/.test(source) || source === '~' ? path.resolve(source) : source;
}

export function promoteCommand(source: string, opts: PromoteOptions, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    if (opts.registry) await call(deps, 'targets.setImageRegistry', { target: opts.context, registry: opts.registry });
    const resources = { ...(opts.cpu ? { cpu: opts.cpu } : {}), ...(opts.memory ? { memory: opts.memory } : {}), ...(opts.gpus !== undefined ? { gpu: opts.gpus } : {}) };
    const input = {
      source: sourceRef(source),
      target: opts.context,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.runtime ? { runtime: opts.runtime } : {}),
      ...(opts.image ? { image: opts.image } : {}),
      ...(Object.keys(resources).length ? { resources } : {}),
      ...(opts.nodes ? { numNodes: opts.nodes } : {}),
      ...(opts.procs ? { numProcPerNode: opts.procs } : {}),
      ...(opts.shipping ? { shipping: opts.shipping } : {}),
    };
    const preview = await call<PromotePreview>(deps, 'promote.preview', input);
    for (const w of preview.specWarnings) stderr.write(`warning: ${w.message}\n`);
    for (const w of preview.warnings) stderr.write(`note: ${w}\n`);
    if (opts.dryRun) {
      if (opts.json) stdout.write(JSON.stringify(preview, null, 2) + '\n');
      else stdout.write(preview.manifest);
      stderr.write(`${preview.shipping.detail}\n`);
      stderr.write(`Files shipped (${preview.files.length}, ${preview.totalBytes.toLocaleString('en-US')} bytes):\n${preview.files.map((f) => `  ${f.bytes.toString().padStart(10)}  ${f.path}`).join('\n')}\n`);
      if (preview.blocked) {
        stderr.write(`kfd: promote would be refused: ${preview.blocked}\n`);
        return 1;
      }
      stderr.write(`Dry run: nothing was applied to ${preview.target.label}${preview.namespace !== preview.target.namespace ? ` (namespace ${preview.namespace})` : ''}.\n`);
      return 0;
    }
    if (preview.blocked) throw new CommandError(preview.blocked);
    const job = await call<JobDetail>(deps, 'promote.run', { ...input, jobId: preview.jobId });
    stderr.write(`Promoted${preview.source.jobId ? ` job ${preview.source.jobId}` : ` ${preview.source.workspace}`} to ${job.target} as ${job.id} (TrainJob ${preview.objects.at(-1)?.name}).\n`);
    if (!opts.follow) {
      stdout.write(opts.json ? JSON.stringify(job, null, 2) + '\n' : `${job.id}\n`);
      return 0;
    }
    const final = await follow(deps, job.id, undefined);
    stderr.write(`${final.name} ${final.status}${final.message ? `: ${final.message}` : ''}\n`);
    return exitCodeOf(final);
  });
}
