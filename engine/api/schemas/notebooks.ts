/**
 * Notebooks as the API shows them (pure zod; the renderer imports the types). The engine runs
 * the Jupyter server and kernels; the renderer only ever sees these methods and events — never
 * a Jupyter URL or token.
 */
import { z } from 'zod';
import { backendChoice, backendId, jobDetail } from './jobs.js';

/** One nbformat 4 output (stream, display_data, execute_result, error); other fields kept as-is. */
export const nbOutput = z.looseObject({
  output_type: z.enum(['stream', 'display_data', 'execute_result', 'error']),
});
export type NbOutput = z.infer<typeof nbOutput>;

/** A whole .ipynb document as parsed JSON; the engine checks its structure itself (with field names). */
export const notebookContent = z.record(z.string(), z.unknown());
export type NotebookContent = z.infer<typeof notebookContent>;

export const serverState = z.enum(['stopped', 'starting', 'running', 'restarting', 'failed', 'missing', 'installing']);
export type ServerState = z.infer<typeof serverState>;

export const jupyterPython = z.object({
  /** Where it was found: "KFD_PYTHON", "/usr/bin/python3", "conda env ml", "managed env 3f2a…". */
  source: z.string(),
  command: z.string(),
  executable: z.string(),
  version: z.string(),
  /** Versions, or null when not importable. */
  jupyterServer: z.string().nullable(),
  ipykernel: z.string().nullable(),
  /** Why it did not run; '' when it ran. */
  problem: z.string(),
});
export type JupyterPython = z.infer<typeof jupyterPython>;

export const serverStatus = z.object({
  state: serverState,
  /** What is happening or went wrong, in a sentence a user can act on. */
  message: z.string(),
  /** The interpreter running (or chosen to run) the server. */
  python: z.string().nullable(),
  restarts: z.number().int(),
});
export type ServerStatus = z.infer<typeof serverStatus>;

export const installGuide = z.object({
  /** Commands to run, best first (apt, then pip into the interpreter found). */
  commands: z.array(z.string()),
  /** A managed venv can be built with one click (needs a python3 that runs and a package index). */
  canInstallManaged: z.boolean(),
});

export const kernelStatus = z.enum([
  'unknown', 'starting', 'idle', 'busy', 'terminating', 'restarting', 'autorestarting', 'dead', 'connecting',
]);
export type KernelStatus = z.infer<typeof kernelStatus>;

export const kernelSessionInfo = z.object({
  sessionId: z.string(),
  root: z.string(),
  /** Notebook path relative to root, '/'-separated. */
  path: z.string(),
  kernelName: z.string(),
  displayName: z.string(),
  language: z.string(),
  status: kernelStatus,
});
export type KernelSessionInfo = z.infer<typeof kernelSessionInfo>;

const fileRef = { root: z.string().min(1), path: z.string().min(1) };
const session = z.object({ sessionId: z.string().min(1) }).strict();

export const openedNotebook = z.object({
  root: z.string(),
  path: z.string(),
  content: notebookContent,
  /** sha256 of the bytes on disk: the base for external-edit detection and save conflicts. */
  hash: z.string(),
  mtimeMs: z.number(),
});
export type OpenedNotebook = z.infer<typeof openedNotebook>;

export const cellRunStatus = z.enum(['ok', 'error', 'aborted']);
export type CellRunStatus = z.infer<typeof cellRunStatus>;

export const notebookMethods = {
  'notebooks.servers': {
    input: z.object({ refresh: z.boolean().default(false) }).strict(),
    output: z.object({ status: serverStatus, candidates: z.array(jupyterPython), guide: installGuide.nullable() }),
  },
  'notebooks.startServer': {
    /** A specific interpreter (one of the candidates); absent = the discovered choice. */
    input: z.object({ python: z.string().min(1).optional() }).strict(),
    output: serverStatus,
  },
  'notebooks.installJupyter': { input: z.object({}).strict(), output: serverStatus },
  'notebooks.kernelspecs': {
    input: z.object({}).strict(),
    output: z.object({
      default: z.string(),
      specs: z.array(z.object({ name: z.string(), displayName: z.string(), language: z.string() })),
    }),
  },
  'notebooks.list': {
    input: z.object({ root: z.string().min(1) }).strict(),
    output: z.object({
      root: z.string(),
      files: z.array(z.object({ path: z.string(), size: z.number(), mtimeMs: z.number() })),
      truncated: z.boolean(),
    }),
  },
  'notebooks.open': { input: z.object(fileRef).strict(), output: openedNotebook },
  'notebooks.create': { input: z.object(fileRef).strict(), output: openedNotebook },
  'notebooks.save': {
    input: z
      .object({
        ...fileRef,
        content: notebookContent,
        /** The hash the editor last loaded or saved; a different file on disk is a conflict. */
        baseHash: z.string().nullable(),
        /** Overwrite even if the file changed on disk since baseHash. */
        force: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ hash: z.string(), mtimeMs: z.number(), written: z.boolean() }),
  },
  'notebooks.stat': {
    input: z.object(fileRef).strict(),
    output: z.object({ exists: z.boolean(), hash: z.string().nullable(), mtimeMs: z.number().nullable() }),
  },
  'notebooks.startKernel': {
    input: z.object({ ...fileRef, kernelName: z.string().min(1).optional() }).strict(),
    output: kernelSessionInfo,
  },
  'notebooks.sessions': { input: z.object({}).strict(), output: z.array(kernelSessionInfo) },
  'notebooks.execute': {
    input: z.object({ sessionId: z.string().min(1), cellId: z.string().min(1), code: z.string() }).strict(),
    /** Returns once the request is on its way; outputs and the end arrive as events. */
    output: z.object({ queued: z.literal(true) }),
  },
  'notebooks.interrupt': { input: session, output: z.object({}) },
  'notebooks.restart': { input: session, output: kernelSessionInfo },
  'notebooks.shutdown': { input: session, output: z.object({}) },
  'notebooks.runFile': {
    input: z
      .object({
        path: z.string().min(1),
        /** Where to write the executed notebook; absent = in place. */
        output: z.string().min(1).optional(),
        /** Per-cell time limit in seconds (the kernel is interrupted when it passes). */
        timeoutSec: z.number().positive().max(7 * 24 * 3600).optional(),
        kernelName: z.string().min(1).optional(),
      })
      .strict(),
    output: z.object({
      output: z.string(),
      codeCells: z.number().int(),
      executed: z.number().int(),
      durationMs: z.number(),
      /** The first failing cell, or null when every cell ran. */
      failed: z
        .object({ index: z.number().int(), cellId: z.string().nullable(), ename: z.string(), evalue: z.string(), timedOut: z.boolean() })
        .nullable(),
    }),
  },
  'notebooks.toJob': {
    input: z
      .object({
        ...fileRef,
        /** Indices into the notebook's cells; absent = every code cell. */
        cells: z.array(z.number().int().min(0)).optional(),
        backend: backendChoice.default('local-process'),
      })
      .strict(),
    output: z.object({ script: z.string(), jobFile: z.string(), job: jobDetail }),
  },
} as const;

const cellRef = { sessionId: z.string(), cellId: z.string() };

export const notebookEvents = {
  /**
   * A cell's outputs changed: `set` puts an output at index (index = length appends), `appendText`
   * adds text to the stream output at index, `clear` empties the cell (clear_output, re-run).
   */
  'notebooks.output': z.discriminatedUnion('op', [
    z.object({ op: z.literal('set'), ...cellRef, index: z.number().int().min(0), output: nbOutput }),
    z.object({ op: z.literal('appendText'), ...cellRef, index: z.number().int().min(0), text: z.string() }),
    z.object({ op: z.literal('clear'), ...cellRef }),
  ]),
  /** The kernel started a cell (execute_input). */
  'notebooks.cellStarted': z.object({ ...cellRef, executionCount: z.number().int().nullable() }),
  /** A cell finished: its reply and the kernel's idle status both arrived (or it was aborted). */
  'notebooks.cellDone': z.object({ ...cellRef, status: cellRunStatus, executionCount: z.number().int().nullable() }),
  'notebooks.kernelStatus': z.object({ sessionId: z.string(), status: kernelStatus }),
  'notebooks.serverStatus': serverStatus,
  /** Headless runs (`kfd notebook run`): one event per code cell finished. */
  'notebooks.runProgress': z.object({
    file: z.string(),
    index: z.number().int(),
    codeCell: z.number().int(),
    codeCells: z.number().int(),
    status: cellRunStatus,
  }),
} as const;

export type OutputEvent = z.infer<(typeof notebookEvents)['notebooks.output']>;
