/**
 * Progress of a long cluster operation (create, delete, prepare, bundle), Rancher Desktop style:
 * a list of named steps, `{current, max, description}` for a progress bar, each step's log
 * lines, the failing step tagged on the error, and failure details (the last command and the
 * last log lines). Pure state; the service emits snapshots of it as events.
 */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
export type OperationKind = 'create' | 'delete' | 'prepare' | 'bundle-export' | 'bundle-import';
export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface StepSpec {
  id: string;
  title: string;
}
export interface StepState extends StepSpec {
  status: StepStatus;
  /** What the step is doing now, or why it was skipped. */
  detail: string;
  /** The step's own output, last lines only. */
  logs: string[];
  /** Progress inside the step (kind's own steps, images loaded), when known. */
  sub: { current: number; max: number } | null;
  startedAt: number | null;
  finishedAt: number | null;
}
export interface Progress {
  current: number;
  max: number;
  description: string;
}
export interface FailureDetails {
  lastCommand: string | null;
  lastLogLines: string[];
}
export interface OperationError {
  /** The step that failed (null: before any step ran). */
  step: string | null;
  stepTitle: string | null;
  message: string;
  /** What to do about it; '' when we do not know better than the message. */
  fix: string;
  details: FailureDetails;
}
export interface OperationState {
  id: string;
  kind: OperationKind;
  cluster: string | null;
  status: OperationStatus;
  steps: StepState[];
  progress: Progress;
  error: OperationError | null;
  /** Free-form result (the kubeconfig path, the bundle file). */
  result: Record<string, string> | null;
  startedAt: number;
  finishedAt: number | null;
}

const STEP_LOG_LINES = 300;
const FAILURE_LINES = 20;

export class StepTracker {
  private state: OperationState;
  private lastCommand: string | null = null;
  private recent: string[] = [];

  constructor(
    id: string,
    kind: OperationKind,
    cluster: string | null,
    steps: StepSpec[],
    private readonly now: () => number = Date.now,
  ) {
    this.state = {
      id,
      kind,
      cluster,
      status: 'running',
      steps: steps.map((s) => ({ ...s, status: 'pending', detail: '', logs: [], sub: null, startedAt: null, finishedAt: null })),
      progress: { current: 0, max: steps.length, description: 'Starting' },
      error: null,
      result: null,
      startedAt: now(),
      finishedAt: null,
    };
  }

  private step(id: string): StepState {
    const s = this.state.steps.find((x) => x.id === id);
    if (!s) throw new Error(`unknown step ${id}`);
    return s;
  }

  get running(): StepState | undefined {
    return this.state.steps.find((s) => s.status === 'running');
  }

  start(id: string, detail = ''): void {
    const s = this.step(id);
    s.status = 'running';
    s.detail = detail;
    s.startedAt = this.now();
  }

  /** Detail and/or in-step progress of the running step. */
  update(id: string, detail: string, sub?: { current: number; max: number }): void {
    const s = this.step(id);
    s.detail = detail;
    if (sub) s.sub = sub;
  }

  command(cmd: string): void {
    this.lastCommand = cmd;
    this.log(`$ ${cmd}`);
  }

  log(line: string): void {
    const s = this.running;
    this.recent.push(line);
    if (this.recent.length > FAILURE_LINES) this.recent.shift();
    if (!s) return;
    s.logs.push(line);
    if (s.logs.length > STEP_LOG_LINES) s.logs.splice(0, s.logs.length - STEP_LOG_LINES);
  }

  statusOf(id: string): StepStatus {
    return this.step(id).status;
  }

  done(id: string, detail?: string): void {
    const s = this.step(id);
    if (s.status === 'skipped') return; // the step decided it had nothing to do
    s.status = 'done';
    if (detail !== undefined) s.detail = detail;
    if (s.sub) s.sub = { ...s.sub, current: s.sub.max };
    s.finishedAt = this.now();
  }

  skip(id: string, why: string): void {
    const s = this.step(id);
    s.status = 'skipped';
    s.detail = why;
    s.finishedAt = this.now();
  }

  getFailureDetails(): FailureDetails {
    return { lastCommand: this.lastCommand, lastLogLines: [...this.recent] };
  }

  /** Ends the operation: the running step (if any) is tagged as the one that failed. */
  fail(message: string, fix = '', cancelled = false): void {
    const s = this.running;
    if (s) {
      s.status = cancelled ? 'cancelled' : 'failed';
      s.finishedAt = this.now();
    }
    this.state.status = cancelled ? 'cancelled' : 'failed';
    this.state.error = { step: s?.id ?? null, stepTitle: s?.title ?? null, message, fix, details: this.getFailureDetails() };
    this.state.finishedAt = this.now();
  }

  succeed(result: Record<string, string> | null = null): void {
    this.state.status = 'succeeded';
    this.state.result = result;
    this.state.finishedAt = this.now();
  }

  snapshot(): OperationState {
    const steps = this.state.steps.map((s) => ({ ...s, logs: [...s.logs] }));
    return { ...this.state, steps, progress: progressOf(this.state), error: this.state.error };
  }
}

/** Finished steps count whole, the running step by its own sub-progress; the running step describes. */
export function progressOf(state: Pick<OperationState, 'steps' | 'status'>): Progress {
  const max = state.steps.length;
  const finished = state.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  const running = state.steps.find((s) => s.status === 'running');
  const fraction = running?.sub && running.sub.max > 0 ? Math.min(running.sub.current / running.sub.max, 0.99) : 0;
  const current = Math.round((finished + fraction) * 100) / 100;
  if (running) return { current, max, description: running.detail ? `${running.title}: ${running.detail}` : running.title };
  const failed = state.steps.find((s) => s.status === 'failed' || s.status === 'cancelled');
  if (failed) return { current, max, description: `${failed.title} ${failed.status}` };
  return { current, max, description: state.status === 'succeeded' ? 'Done' : 'Starting' };
}
