/**
 * `kfd notebook run`: every code cell, in order, on a fresh kernel started in the notebook's
 * folder; outputs and execution counts written back into the notebook (or --output). The first
 * failing (or timed-out) cell stops the run, as nbconvert does; the notebook is still written so
 * the error is in it. Empty cells are skipped.
 */
import path from 'node:path';
import type { NbOutput } from '../api/schemas/notebooks.js';
import type { CellResult, KernelSession } from './kernel-session.js';
import { joinSource, serializeNotebook } from './notebook-format.js';
import { readNotebookFile, writeAtomic } from './notebook-files.js';

export interface HeadlessInput {
  path: string;
  output?: string | undefined;
  timeoutSec?: number | undefined;
  kernelName?: string | undefined;
}

export interface HeadlessDeps {
  /** A kernel for the notebook at `abs` (cwd = its folder). */
  startSession(abs: string, kernelName: string | undefined): Promise<KernelSession>;
  progress(p: { file: string; index: number; codeCell: number; codeCells: number; status: CellResult['status'] }): void;
}

const INTERRUPT_GRACE_MS = 10_000;

async function runWithTimeout(session: KernelSession, cellId: string, code: string, timeoutSec?: number): Promise<CellResult & { timedOut: boolean }> {
  const run = session.execute(cellId, code);
  if (!timeoutSec) return { ...(await run), timedOut: false };
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutSec * 1000)));
  const first = await Promise.race([run, expired]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...first, timedOut: false };
  await session.interrupt().catch(() => undefined);
  const after = await Promise.race([run, new Promise<null>((r) => setTimeout(() => r(null), INTERRUPT_GRACE_MS))]);
  return { ...(after ?? { status: 'error', executionCount: null, outputs: session.reducer.outputsOf(cellId) }), status: 'error', timedOut: true };
}

function firstError(outputs: NbOutput[]): { ename: string; evalue: string } {
  const err = outputs.find((o) => o.output_type === 'error');
  return err ? { ename: String(err.ename ?? ''), evalue: String(err.evalue ?? '') } : { ename: 'Aborted', evalue: 'the kernel stopped before the cell finished' };
}

export async function runNotebookHeadless(input: HeadlessInput, deps: HeadlessDeps) {
  const t0 = Date.now();
  const abs = path.resolve(input.path);
  const loaded = await readNotebookFile(abs);
  const doc = loaded.doc;
  const out = path.resolve(input.output ?? abs);
  const metaKernel = (doc.metadata.kernelspec as { name?: unknown } | undefined)?.name;
  const session = await deps.startSession(abs, input.kernelName ?? (typeof metaKernel === 'string' ? metaKernel : undefined));
  const code = doc.cells.map((c, i) => ({ cell: c, index: i })).filter(({ cell }) => cell.cell_type === 'code');
  let executed = 0;
  let failed: { index: number; cellId: string | null; ename: string; evalue: string; timedOut: boolean } | null = null;
  try {
    for (const [n, { cell, index }] of code.entries()) {
      const source = joinSource(cell.source);
      if (!source.trim()) continue;
      const cellId = typeof cell.id === 'string' ? cell.id : `cell-${index}`;
      const result = await runWithTimeout(session, cellId, source, input.timeoutSec);
      executed++;
      cell.outputs = structuredClone(result.outputs);
      cell.execution_count = result.executionCount;
      deps.progress({ file: abs, index, codeCell: n + 1, codeCells: code.length, status: result.status });
      if (result.status !== 'ok') {
        const why = result.timedOut
          ? { ename: 'Timeout', evalue: `the cell ran longer than ${input.timeoutSec} s and was interrupted` }
          : firstError(result.outputs);
        failed = { index, cellId: typeof cell.id === 'string' ? cell.id : null, ...why, timedOut: result.timedOut };
        break;
      }
    }
    const info = await session.kernelInfo();
    if (info?.language_info) doc.metadata.language_info = structuredClone(info.language_info);
    await writeAtomic(out, serializeNotebook(doc));
  } finally {
    await session.shutdown();
  }
  return { output: out, codeCells: code.length, executed, durationMs: Date.now() - t0, failed };
}
