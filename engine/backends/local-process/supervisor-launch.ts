/**
 * Starting a job's supervisor (job-supervisor.ts). A long-lived engine keeps one warm spare: a
 * supervisor whose Node has already booted and that waits for a job dir on its stdin, so a job's
 * ranks start as fast as a plain `python3 train.py` would instead of after Node's own start-up.
 * Taking the spare starts the next one. Without a spare (a one-shot `kfd run`, the first job)
 * the supervisor is spawned for the job. Either way it is detached: it outlives the engine.
 *
 * A spare that is never used ends when its stdin closes: when the engine closes, exits or dies,
 * or after `idleMs` without a job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { startTimeOf } from '../../ownership/process-identity.js';

export interface SupervisorProcess {
  pid: number | null;
  /** Its start time (/proc): recorded so the backend recognises it after a restart. */
  started: string;
}

export interface SupervisorLaunchOptions {
  /** The bundled job-supervisor.mjs. */
  script(): Promise<string>;
  node: { file: string; env: Record<string, string> };
  /** Keep a warm spare (long-lived engines). */
  keepSpare: boolean;
  /** A spare unused for this long ends. Default 10 minutes. */
  idleMs?: number;
}

/** Room in the spare's command line for the title it takes when it gets a job (`ps` then shows the job dir). */
const TITLE_ROOM = ' '.repeat(1024);

interface Spare {
  child: ChildProcess;
  started: string;
  exited: boolean;
}

export class SupervisorLauncher {
  private spare: Spare | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: SupervisorLaunchOptions) {}

  /**
   * Starts the supervisor of the job in `jobDir` (its spec files and manifest written).
   * `onError`: the spawn failed after this returned (e.g. the Node binary vanished).
   */
  async start(jobDir: string, onError: (message: string) => void): Promise<SupervisorProcess> {
    const spare = this.takeSpare();
    let started: SupervisorProcess;
    if (spare) {
      spare.child.stdin!.end(`${jobDir}\n`);
      started = { pid: spare.child.pid ?? null, started: spare.started };
    } else {
      const script = await this.options.script();
      const child = spawn(this.options.node.file, [script, jobDir], { cwd: jobDir, env: this.options.node.env, detached: true, stdio: 'ignore' });
      child.on('error', (err) => onError(`its supervisor process could not start: ${err.message}`));
      child.unref();
      started = { pid: child.pid ?? null, started: child.pid ? (startTimeOf(child.pid) ?? '') : '' };
    }
    if (this.options.keepSpare) void this.refill();
    return started;
  }

  /** Ends the spare (it has no job: it just exits). */
  close(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.spare?.child.stdin?.end();
    this.spare = null;
  }

  private takeSpare(): Spare | null {
    const spare = this.spare;
    this.spare = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!spare || spare.exited || !spare.child.pid || startTimeOf(spare.child.pid) !== spare.started) return null;
    return spare;
  }

  private async refill(): Promise<void> {
    if (this.closed || this.spare) return;
    let script: string;
    try {
      script = await this.options.script();
    } catch {
      return; // the next job spawns its own supervisor and says why if it cannot
    }
    if (this.closed || this.spare) return;
    const child = spawn(this.options.node.file, [script, '--spare', TITLE_ROOM], { cwd: '/', env: this.options.node.env, detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    const spare: Spare = { child, started: child.pid ? (startTimeOf(child.pid) ?? '') : '', exited: false };
    child.on('error', () => (spare.exited = true));
    child.on('exit', () => (spare.exited = true));
    child.stdin!.on('error', () => (spare.exited = true));
    // Neither the spare nor its stdin keeps the engine's process alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    this.spare = spare;
    this.idleTimer = setTimeout(() => {
      if (this.spare === spare) this.spare = null;
      spare.child.stdin?.end();
    }, this.options.idleMs ?? 10 * 60_000);
    this.idleTimer.unref();
  }
}
