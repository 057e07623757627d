/**
 * The one way local-cluster runs a CLI (kind, kubectl, docker): through execa, output streamed
 * line by line to a callback as it arrives, cancellable with an AbortSignal (the whole process
 * group is killed: kind runs docker, which runs more), and a failure rejects with a ToolError
 * that carries {exitCode, stdout, stderr, cancelled} and the command line that failed.
 * The environment is the caller's (never the engine's own), so tests control PATH.
 */
import { execa } from 'execa';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  /** Written to stdin (kind reads `--config -` there). */
  input?: string;
  cwd?: string;
  /** Each stdout/stderr line as it arrives, before the command ends. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Kill after this long (the error then says so). */
  timeoutMs?: number;
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class ToolError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly cancelled: boolean,
    readonly timedOut = false,
    readonly startError = '',
  ) {
    const why = cancelled
      ? 'was cancelled'
      : timedOut
        ? 'timed out and was stopped'
        : startError
          ? `could not start (${startError})`
          : `exited ${exitCode}`;
    const last = (stderr.trim() || stdout.trim()).split('\n').slice(-1)[0] ?? '';
    super(`${command} ${why}${last && !cancelled ? `: ${last}` : ''}`);
    this.name = 'ToolError';
  }
}

/** `kind create cluster --name x` with arguments quoted only where a shell would need it. */
export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function lineSplitter(stream: 'stdout' | 'stderr', onLine: RunOptions['onLine']) {
  let partial = '';
  return {
    data(chunk: Buffer | string) {
      const parts = (partial + chunk.toString()).split(/\r\n|\n|\r/);
      partial = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) onLine?.(p, stream);
    },
    end() {
      if (partial.trim()) onLine?.(partial, stream);
      partial = '';
    },
  };
}

export async function runTool(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const command = commandLine(file, args);
  if (opts.signal?.aborted) throw new ToolError(command, null, '', '', true);
  const child = execa(file, args, {
    env: opts.env,
    extendEnv: false,
    cwd: opts.cwd,
    reject: false,
    stripFinalNewline: false,
    detached: true, // its own process group, so a cancel reaches the children too
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  });
  const out = lineSplitter('stdout', opts.onLine);
  const err = lineSplitter('stderr', opts.onLine);
  child.stdout?.on('data', out.data);
  child.stderr?.on('data', err.data);
  let cancelled = false;
  const kill = () => {
    cancelled = true;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    // kind traps SIGTERM to clean up; give it a moment, then make sure.
    setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000).unref();
  };
  opts.signal?.addEventListener('abort', kill, { once: true });
  try {
    const r = await child;
    out.end();
    err.end();
    const stdout = String(r.stdout ?? '');
    const stderr = String(r.stderr ?? '');
    if (cancelled) throw new ToolError(command, r.exitCode ?? null, stdout, stderr, true);
    if (r.timedOut) throw new ToolError(command, null, stdout, stderr, false, true);
    const startError = r.failed && r.exitCode === undefined ? ((r as { code?: string }).code ?? r.shortMessage ?? 'unknown error') : '';
    if (startError) throw new ToolError(command, null, stdout, stderr, false, false, startError);
    if (r.exitCode !== 0) throw new ToolError(command, r.exitCode ?? null, stdout, stderr, false);
    return { command, exitCode: 0, stdout, stderr };
  } finally {
    opts.signal?.removeEventListener('abort', kill);
  }
}
