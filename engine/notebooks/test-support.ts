/**
 * For the notebook tests: the real Jupyter (Debian's jupyter_server + ipykernel + matplotlib in
 * /usr/bin/python3), a real engine, and a client that drives cells through the API and rebuilds
 * outputs from the events the way the UI does. Locally a missing Jupyter skips with a printed
 * reason; under CI=true it fails (DESIGN.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import type { CellRunStatus, EventName, NbOutput, OutputEvent } from '../api/contract.js';
import { createEngine, type Engine } from '../engine.js';
import { newNotebook, type NotebookDoc } from './notebook-format.js';
import { PYTHON, probePython } from '../jobs/test-support/python.js';

export { PYTHON };

export function requireJupyter(): boolean {
  const reason = probePython('import jupyter_server, ipykernel, matplotlib, nbformat');
  return reason ? reportMissingPart('Jupyter', `${reason} (sudo apt-get install python3-jupyter-server python3-ipykernel python3-matplotlib python3-nbformat)`) : true;
}

/** A fresh temp dir `kfd-nb-<prefix>-*`, removed when the test file ends. */
export const tempDir = (prefix: string): string => makeTempDir('nb', prefix);

/** What the UI does with a `notebooks.output` event. */
export function applyOutputEvent(outputs: NbOutput[], e: OutputEvent): NbOutput[] {
  if (e.op === 'clear') return [];
  const next = [...outputs];
  if (e.op === 'set') next[e.index] = e.output;
  else next[e.index] = { ...next[e.index]!, text: String(next[e.index]?.text ?? '') + e.text };
  return next;
}

export interface CellRun {
  status: CellRunStatus;
  executionCount: number | null;
  outputs: NbOutput[];
}

export class NotebookHarness {
  readonly engine: Engine;
  readonly seen: { event: EventName; payload: unknown }[] = [];
  private outputs = new Map<string, NbOutput[]>();
  private waiters: { test: (event: EventName, payload: any) => boolean; resolve: (p: any) => void }[] = [];
  private n = 0;

  constructor(
    readonly dataDir = tempDir('data'),
    extraEnv: NodeJS.ProcessEnv = {},
  ) {
    this.engine = createEngine({ dataDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), KFD_PYTHON: PYTHON, ...extraEnv } });
    this.engine.events.subscribe((event, payload: any) => {
      this.seen.push({ event, payload });
      if (event === 'notebooks.output') {
        const key = `${payload.sessionId}/${payload.cellId}`;
        this.outputs.set(key, applyOutputEvent(this.outputs.get(key) ?? [], payload));
      }
      for (const w of [...this.waiters]) {
        if (w.test(event, payload)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(payload);
        }
      }
    });
  }

  async call<T = any>(method: string, input: unknown): Promise<T> {
    const answer = await this.engine.dispatch(method, input);
    if ('error' in answer) throw Object.assign(new Error(`${method}: ${answer.error.message}`), { code: answer.error.code });
    return answer.result as T;
  }

  waitFor<T = any>(event: EventName, test: (payload: any) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ test: (e, p) => e === event && test(p), resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  /** Runs code as a new cell through the API; resolves with what the UI would show. */
  async run(sessionId: string, code: string, cellId = `cell-${++this.n}`): Promise<CellRun> {
    const done = this.waitFor('notebooks.cellDone', (p) => p.sessionId === sessionId && p.cellId === cellId, 60_000);
    await this.call('notebooks.execute', { sessionId, cellId, code });
    const d = await done;
    return { status: d.status, executionCount: d.executionCount, outputs: this.outputs.get(`${sessionId}/${cellId}`) ?? [] };
  }

  private closing: Promise<void> | null = null;

  close(): Promise<void> {
    this.closing ??= this.engine.close();
    return this.closing;
  }
}

/** A notebook of code cells (strings) and markdown cells, ids c0, c1, …, with metadata to keep. */
export function notebookWith(...sources: (string | { markdown: string })[]): NotebookDoc {
  const nb = newNotebook();
  nb.cells = sources.map((s, i) =>
    typeof s === 'string'
      ? { cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source: s }
      : { cell_type: 'markdown', id: `c${i}`, metadata: {}, source: s.markdown },
  );
  nb.metadata.custom = { keep: true };
  return nb;
}
