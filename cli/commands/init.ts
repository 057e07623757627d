/**
 * `kfd init [--template <id>] <dir>`: a new workspace from a template, through the same
 * `workspace.create` API the app's "New from template" uses (so it shows up in Recent too).
 */
import path from 'node:path';
import type { TemplateInfo, WorkspaceInfo } from '../../engine/api/contract.js';

type Envelope = { result: unknown } | { error: { code: string; message: string } };

export interface InitDeps {
  dispatch: (method: string, input: unknown) => Promise<Envelope>;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

export interface InitOptions {
  template: string;
  force?: boolean;
  list?: boolean;
}

export const DEFAULT_TEMPLATE = 'python-basic';

function formatTemplates(list: TemplateInfo[]): string {
  const width = Math.max(...list.map((t) => t.id.length), 8);
  return list.map((t) => `  ${t.id.padEnd(width)}  ${t.description.split(/(?<=\.)\s/)[0] ?? ''}`).join('\n') + '\n';
}

/** The folder as the user typed it, quoted only when the shell would split or expand it. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function initCommand(dir: string | undefined, opts: InitOptions, deps: InitDeps): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  if (opts.list || !dir) {
    const answer = await deps.dispatch('workspace.templates', {});
    if ('error' in answer) {
      stderr.write(`kfd: ${answer.error.message}\n`);
      return 1;
    }
    if (!opts.list) stderr.write('kfd init: give the folder to create, e.g. `kfd init --template pytorch-ddp my-experiment`. Templates:\n');
    (opts.list ? stdout : stderr).write(formatTemplates(answer.result as TemplateInfo[]));
    return opts.list ? 0 : 2;
  }
  const target = path.resolve(dir);
  const answer = await deps.dispatch('workspace.create', { template: opts.template, dir: target, force: Boolean(opts.force) });
  if ('error' in answer) {
    stderr.write(`kfd: ${answer.error.message}\n`);
    return answer.error.code === 'not_found' ? 2 : 1;
  }
  const result = answer.result as { workspace: WorkspaceInfo; copied: string[]; skipped: string[] };
  for (const f of result.copied) stdout.write(`  created ${path.join(target, f)}\n`);
  for (const f of result.skipped) stdout.write(`  kept    ${path.join(target, f)} (already there)\n`);
  stderr.write(`Created ${result.workspace.name} from ${opts.template}. Next: \`cd ${shellWord(dir)} && kfd run . --follow\`, or open it in the app.\n`);
  return 0;
}
