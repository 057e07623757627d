/**
 * `kfd notebook run <file.ipynb>`: every code cell on a fresh kernel, outputs written into the
 * notebook (or --output). Progress goes to stderr, the written path (or --json) to stdout; the
 * exit code is 0 when every cell ran and 1 naming the cell that failed or timed out.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { EventName, MethodOutput } from '../../engine/api/contract.js';

type Envelope = { result: unknown } | { error: { code: string; message: string } };
type RunResult = MethodOutput<'notebooks.runFile'>;

export interface NotebookCommandDeps {
  dispatch: (method: string, input: unknown) => Promise<Envelope>;
  subscribe: (listener: (event: EventName, payload: unknown) => void) => () => void;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

export interface NotebookRunOptions {
  output?: string;
  timeout?: number;
  kernel?: string;
  json?: boolean;
}

/** `--timeout 30` / `--timeout 2.5`: seconds per cell. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a number of seconds greater than 0.`);
  return n;
}

/** "cell 3 (id c2): RuntimeError: boom" — the 1-based position a user sees in any notebook UI. */
export function describeFailure(failed: NonNullable<RunResult['failed']>, timeout?: number): string {
  const where = `cell ${failed.index + 1}${failed.cellId ? ` (id ${failed.cellId})` : ''}`;
  if (failed.timedOut) return `${where} ran longer than the ${timeout} s timeout and was interrupted`;
  return `${where} failed: ${failed.ename}${failed.evalue ? `: ${failed.evalue}` : ''}`;
}

export async function notebookRunCommand(file: string, opts: NotebookRunOptions, deps: NotebookCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const abs = path.resolve(file);
  const unsubscribe = deps.subscribe((event, payload) => {
    if (event !== 'notebooks.runProgress') return;
    const p = payload as { file: string; index: number; codeCell: number; codeCells: number; status: string };
    if (p.file === abs) stderr.write(`[${p.codeCell}/${p.codeCells}] cell ${p.index + 1}: ${p.status}\n`);
  });
  try {
    stderr.write(`Running ${abs} on a fresh kernel…\n`);
    const answer = await deps.dispatch('notebooks.runFile', {
      path: abs,
      ...(opts.output ? { output: path.resolve(opts.output) } : {}),
      ...(opts.timeout ? { timeoutSec: opts.timeout } : {}),
      ...(opts.kernel ? { kernelName: opts.kernel } : {}),
    });
    if ('error' in answer) {
      stderr.write(`kfd: ${answer.error.message}\n`);
      return answer.error.code === 'not_found' ? 2 : 1;
    }
    const r = answer.result as RunResult;
    if (opts.json) stdout.write(JSON.stringify(r, null, 2) + '\n');
    else stdout.write(`${r.output}\n`);
    if (r.failed) {
      stderr.write(`kfd: ${describeFailure(r.failed, opts.timeout)}. The notebook with the error was written to ${r.output}.\n`);
      return 1;
    }
    stderr.write(`Ran ${r.executed} of ${r.codeCells} code cells in ${(r.durationMs / 1000).toFixed(1)} s; wrote ${r.output}.\n`);
    return 0;
  } finally {
    unsubscribe();
  }
}

/** `kfd notebook run …`; `run` supplies the engine's dispatch and events (in-process). */
export function registerNotebookCommands(program: Command, run: (fn: (deps: NotebookCommandDeps) => Promise<number>) => Promise<void>): void {
  const notebook = program.command('notebook').description('Jupyter notebooks (.ipynb) on the app\'s Jupyter server');
  notebook
    .command('run')
    .description('run every code cell on a fresh kernel and write the outputs into the notebook; exit 1 naming the failing cell')
    .argument('<file>', 'the .ipynb file')
    .option('-o, --output <file>', 'write the executed notebook here instead of in place')
    .option('-t, --timeout <seconds>', 'per-cell time limit; the kernel is interrupted when a cell passes it', parseSeconds)
    .option('-k, --kernel <name>', 'kernel spec name (default: the notebook\'s, else the server default)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: NotebookRunOptions) => {
      // @jupyterlab/services narrates its WebSocket on console.debug; stdout is ours.
      console.debug = () => undefined;
      await run((deps) => notebookRunCommand(file, opts, deps));
    });
}
