/**
 * The one way checks run a binary: found on `env.PATH` (not the engine's own PATH), no shell,
 * a hard time limit, killed (with its children) when the doctor gives up on the check.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ProbeOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ProbeResult {
  /** False when the binary is not on PATH (or the given path is not an executable file). */
  found: boolean;
  /** Absolute path that ran, '' when not found. */
  path: string;
  /** null when killed (timeout/abort) or when it could not start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not start (EACCES, ...), '' otherwise. */
  error: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_OUTPUT = 1024 * 1024;

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` with a slash is taken as a path; otherwise searched on `env.PATH` like a shell would. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (name.includes('/')) return (await isExecutableFile(name)) ? path.resolve(name) : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue; // an empty entry means cwd to a shell; we don't run things from cwd
    const candidate = path.join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

export async function probe(command: string, args: string[], opts: ProbeOptions): Promise<ProbeResult> {
  const resolved = await findOnPath(command, opts.env);
  const result: ProbeResult = { found: false, path: '', exitCode: null, stdout: '', stderr: '', timedOut: false, error: '' };
  if (!resolved) return result;
  result.found = true;
  result.path = resolved;
  if (opts.signal?.aborted) return { ...result, timedOut: true };

  return new Promise((resolve) => {
    // detached: its own process group, so a wrapper script's children die with it.
    const child = spawn(resolved, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (size < MAX_OUTPUT) into.push(chunk);
      size += chunk.length;
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));

    const kill = () => {
      result.timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // group already gone; make sure the child is
      }
    };
    const timer = setTimeout(kill, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    opts.signal?.addEventListener('abort', kill, { once: true });

    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return; // 'error' and 'close' can both fire
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      result.exitCode = result.timedOut ? null : exitCode;
      result.stdout = Buffer.concat(out).toString('utf8');
      result.stderr = Buffer.concat(err).toString('utf8');
      resolve(result);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      result.error = e.code ?? e.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** "kubectl timed out after 5 s" / "kind exited 1: <first stderr line>" — for check details. */
export function describeFailure(name: string, r: ProbeResult): string {
  if (r.timedOut) return `${name} (${r.path}) did not answer in time and was stopped`;
  if (r.error) return `${name} (${r.path}) could not start: ${r.error}`;
  const why = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return `${name} (${r.path}) exited ${r.exitCode}${why ? `: ${why}` : ''}`;
}
