/**
 * One notebook's kernel: runs cells, turns IOPub messages into output ops (OutputReducer), and
 * reports each cell's start and end. A cell is done when its execute_reply and the kernel's idle
 * status have both arrived — @jupyterlab/services' `future.done` waits for exactly that. IOPub is
 * read from the kernel-wide signal and routed by parent msg_id, so output a thread prints after
 * its cell finished still lands in that cell.
 */
import type { KernelMessage, Session } from '@jupyterlab/services';
import type { CellRunStatus, KernelSessionInfo, KernelStatus, NbOutput } from '../api/schemas/notebooks.js';
import { nudgeAfterReconnect } from './kernel-nudge.js';
import { OutputReducer, type OutputOp } from './output-reducer.js';

export interface CellResult {
  status: CellRunStatus;
  executionCount: number | null;
  outputs: NbOutput[];
}

export interface KernelSessionEvents {
  output(op: OutputOp): void;
  started(cellId: string, executionCount: number | null): void;
  done(cellId: string, result: CellResult): void;
  status(status: KernelStatus): void;
}

const MAX_ROUTES = 5000;

export class KernelSession {
  readonly reducer = new OutputReducer();
  private readonly cellOfMsg = new Map<string, string>();
  private readonly pending = new Map<string, Promise<CellResult>>();
  private disposed = false;
  private readonly stopNudge: () => void;

  constructor(
    readonly id: string,
    readonly info: Omit<KernelSessionInfo, 'sessionId' | 'status'>,
    readonly generation: number,
    private readonly connection: Session.ISessionConnection,
    private readonly events: KernelSessionEvents,
  ) {
    const kernel = connection.kernel;
    if (!kernel) throw new Error('the session has no kernel');
    kernel.iopubMessage.connect((_, msg) => this.onIOPub(msg));
    kernel.statusChanged.connect((_, status) => events.status(status as KernelStatus));
    kernel.connectionStatusChanged.connect((_, state) => {
      if (state === 'connecting') events.status('connecting');
    });
    // After an autorestart the kernel may otherwise never report idle again (see kernel-nudge).
    this.stopNudge = nudgeAfterReconnect(kernel);
  }

  get status(): KernelStatus {
    return (this.connection.kernel?.status ?? 'dead') as KernelStatus;
  }

  get busyCells(): string[] {
    return [...this.pending.keys()];
  }

  private onIOPub(msg: KernelMessage.IIOPubMessage): void {
    const parent = (msg.parent_header as Partial<KernelMessage.IHeader>)?.msg_id;
    const cellId = parent ? this.cellOfMsg.get(parent) : undefined;
    if (!cellId) return;
    const type = msg.header.msg_type;
    if (type === 'execute_input') {
      const count = (msg.content as { execution_count?: number }).execution_count;
      this.events.started(cellId, typeof count === 'number' ? count : null);
      return;
    }
    for (const op of this.reducer.handle(cellId, type, msg.content)) this.events.output(op);
  }

  /** Queues a cell on the kernel; resolves when it is done (never rejects). */
  execute(cellId: string, code: string): Promise<CellResult> {
    const kernel = this.connection.kernel;
    if (this.disposed || !kernel || kernel.isDisposed) {
      const result: CellResult = { status: 'aborted', executionCount: null, outputs: [] };
      this.events.done(cellId, result);
      return Promise.resolve(result);
    }
    for (const op of this.reducer.reset(cellId)) this.events.output(op);
    const future = kernel.requestExecute({ code, silent: false, store_history: true, allow_stdin: false, stop_on_error: true });
    this.route(future.msg.header.msg_id, cellId);
    const run = future.done.then(
      (reply): CellResult => {
        const content = reply.content as { status: string; execution_count?: number };
        const status: CellRunStatus = content.status === 'ok' ? 'ok' : content.status === 'aborted' ? 'aborted' : 'error';
        return { status, executionCount: content.execution_count ?? null, outputs: this.reducer.outputsOf(cellId) };
      },
      // Disposed future: the kernel restarted, died, or was shut down before the cell ended.
      (): CellResult => ({ status: 'aborted', executionCount: null, outputs: this.reducer.outputsOf(cellId) }),
    );
    const tracked = run.then((result) => {
      if (this.pending.get(cellId) === tracked) this.pending.delete(cellId);
      this.events.done(cellId, result);
      return result;
    });
    this.pending.set(cellId, tracked);
    return tracked;
  }

  private route(msgId: string, cellId: string): void {
    this.cellOfMsg.set(msgId, cellId);
    if (this.cellOfMsg.size > MAX_ROUTES) this.cellOfMsg.delete(this.cellOfMsg.keys().next().value!);
  }

  async interrupt(): Promise<void> {
    await this.connection.kernel?.interrupt();
  }

  async restart(): Promise<void> {
    await this.connection.kernel?.restart();
  }

  async kernelInfo(): Promise<KernelMessage.IInfoReply | null> {
    try {
      return (await this.connection.kernel?.info) ?? null;
    } catch {
      return null;
    }
  }

  /** Shuts the kernel down (unless the server is already gone) and forgets it. */
  async shutdown(serverAlive = true): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stopNudge();
    try {
      if (serverAlive) await this.connection.shutdown();
    } catch {
      // already gone
    } finally {
      this.connection.dispose();
      this.events.status('dead');
    }
  }
}
