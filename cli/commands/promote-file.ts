/**
 * `kfd promote <file.yaml>`: a manifest file goes to the promote of its `kind`. One line per
 * kind in PROMOTE_BY_KIND (a tuning Experiment adds its own); a TrainJob file keeps the job
 * promote (its folder is the workspace shipped).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Deployment, IsvcPromotePreview } from '../../engine/api/contract.js';
import { CommandError } from './api-call.js';
import { call, guard, io, type JobCommandDeps } from './jobs.js';
import { experimentPromoteCommand } from './experiments.js';
import { promoteCommand, type PromoteOptions } from './kubernetes.js';

export interface PromoteFileOptions extends PromoteOptions {
  /** InferenceService: the storageUri the cluster reads the model from. */
  storageUri?: string;
}

export type PromoteFile = (file: string, text: string, opts: PromoteFileOptions, deps: JobCommandDeps) => Promise<number>;

/** kind → how a file of that kind is promoted. */
export const PROMOTE_BY_KIND: Record<string, PromoteFile> = {
  TrainJob: (file, _text, opts, deps) => promoteCommand(file, opts, deps),
  InferenceService: (file, text, opts, deps) => promoteInferenceService(file, text, opts, deps),
  Experiment: (file, _text, opts, deps) => experimentPromoteCommand(file, opts, deps),
};

/** True when `source` names a file (not a job id, not a workspace folder). */
export async function isManifestFile(source: string): Promise<boolean> {
  return stat(source).then((s) => s.isFile(), () => false);
}

/** "TrainJob, InferenceService or Experiment". */
function kindList(): string {
  const kinds = Object.keys(PROMOTE_BY_KIND);
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}` : (kinds[0] ?? '');
}

export async function promoteFile(source: string, opts: PromoteFileOptions, deps: JobCommandDeps): Promise<number> {
  const file = path.resolve(source);
  const text = await readFile(file, 'utf8');
  let kind: unknown;
  try {
    // The YAML parser only when a file is promoted: every other command starts without it.
    const { parseAllDocuments } = await import('yaml');
    const docs = parseAllDocuments(text);
    const first = Array.isArray(docs) ? docs[0] : docs;
    kind = (first?.toJS() as { kind?: unknown } | null)?.kind;
  } catch {
    kind = undefined;
  }
  const handler = typeof kind === 'string' ? PROMOTE_BY_KIND[kind] : undefined;
  if (!handler) {
    io(deps).stderr.write(`kfd: ${file}: kind ${JSON.stringify(kind ?? null)} cannot be promoted; promote a ${kindList()} file, a job id or a workspace folder.\n`);
    return 1;
  }
  return handler(file, text, opts, deps);
}

function conditionsText(d: Pick<Deployment, 'conditions'>): string {
  return d.conditions.map((c) => `  ${c.type.padEnd(22)} ${c.status.padEnd(6)}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`).join('\n');
}

export function promoteInferenceService(file: string, text: string, opts: PromoteFileOptions, deps: JobCommandDeps): Promise<number> {
  return guard(deps, async () => {
    const { stdout, stderr } = io(deps);
    const input = { manifest: text, target: opts.context, ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(opts.storageUri ? { storageUri: opts.storageUri } : {}) };
    const preview = await call<IsvcPromotePreview>(deps, 'models.promote.preview', input);
    for (const w of preview.warnings) stderr.write(`note: ${w}\n`);
    if (opts.dryRun) {
      stdout.write(opts.json ? JSON.stringify(preview, null, 2) + '\n' : preview.manifest);
      if (preview.dryRun) stderr.write(`Server-side dry run: ${preview.dryRun.ok ? 'accepted' : `refused: ${preview.dryRun.message}`}\n`);
      if (preview.blocked) {
        stderr.write(`kfd: promote would be refused: ${preview.blocked}\n`);
        return 1;
      }
      stderr.write(`Dry run: nothing was applied to ${preview.target} (namespace ${preview.namespace}).\n`);
      return 0;
    }
    if (preview.blocked) throw new CommandError(preview.blocked);
    const d = await call<Deployment>(deps, 'models.promote.apply', input);
    if (opts.json) stdout.write(JSON.stringify(d, null, 2) + '\n');
    else stdout.write(`${d.id}\n`);
    stderr.write(`Applied ${path.basename(file)} to ${preview.target} (namespace ${preview.namespace}) as InferenceService ${/name: (\S+)/.exec(preview.manifest)?.[1] ?? ''}: ${d.state}. ${d.message}\n`);
    if (d.conditions.length) stderr.write(`${conditionsText(d)}\n`);
    if (d.url) stderr.write(`URL: ${d.url}\n`);
    return 0;
  });
}
