/**
 * Run a command, hand each output line to a callback as it arrives, and kill the whole process
 * group on abort (pip starts build backends and other children of its own).
 */
import { spawn } from 'node:child_process';

export interface StreamedResult {
  /** null when it was killed or could not start. */
  exitCode: number | null;
  aborted: boolean;
  /** Why it could not start (ENOENT, EACCES, ...), '' otherwise. */
  startError: string;
  /** The last lines of stdout and stderr, interleaved in arrival order. */
  tail: string[];
}

const TAIL_LINES = 200;

export function runStreamed(
  command: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined; onLine?: (line: string) => void },
): Promise<StreamedResult> {
  const result: StreamedResult = { exitCode: null, aborted: false, startError: '', tail: [] };
  if (opts.signal?.aborted) return Promise.resolve({ ...result, aborted: true });
  return new Promise((resolve) => {
    // detached: its own process group, so one kill reaches pip's children too.
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const emit = (line: string) => {
      result.tail.push(line);
      if (result.tail.length > TAIL_LINES) result.tail.shift();
      opts.onLine?.(line);
    };
    const reader = () => {
      let partial = '';
      return {
        data(chunk: Buffer) {
          const parts = (partial + chunk.toString('utf8')).split(/\r\n|\n|\r/);
          partial = parts.pop() ?? '';
          for (const p of parts) if (p.trim()) emit(p);
        },
        end() {
          if (partial.trim()) emit(partial);
          partial = '';
        },
      };
    };
    const out = reader();
    const err = reader();
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);

    const kill = () => {
      result.aborted = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is already gone; make sure the child is
      }
    };
    opts.signal?.addEventListener('abort', kill, { once: true });

    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return; // 'error' and 'close' can both fire
      done = true;
      opts.signal?.removeEventListener('abort', kill);
      out.end();
      err.end();
      result.exitCode = result.aborted ? null : exitCode;
      resolve(result);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      result.startError = e.code ?? e.message;
      finish(null);
    });
    // 'close' waits for the pipes, so every line has been handed over by then.
    child.on('close', (code) => finish(code));
  });
}
