/**
 * A process as the lease records it: its pid plus when it started, so a pid the kernel has
 * handed to another program since is not taken for the owner. Linux reads /proc; elsewhere the
 * start is unknown ('') and a live pid is trusted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Clock ticks after boot at which the process started (/proc/<pid>/stat field 22); '' where unknown. */
  started: string;
}

const HAS_PROC = fs.existsSync('/proc/self/stat');

/** The start time of `pid`, or null if there is no such process (or it is a zombie). */
export function startTimeOf(pid: number): string | null {
  if (!HAS_PROC) return pidExists(pid) ? '' : null;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19] ?? '';
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let self: ProcessIdentity | null = null;

export function selfIdentity(): ProcessIdentity {
  self ??= { pid: process.pid, started: startTimeOf(process.pid) ?? '' };
  return self;
}

/** The very process `id` names is still running. */
export function isRunning(id: ProcessIdentity): boolean {
  const started = startTimeOf(id.pid);
  if (started === null) return false;
  return started === '' || id.started === '' || started === id.started;
}

/** One engine: its process (for liveness) and an id of its own (a process may run several engines, e.g. tests). */
export interface EngineIdentity extends ProcessIdentity {
  engine: string;
}

export function newEngineIdentity(): EngineIdentity {
  return { ...selfIdentity(), engine: randomBytes(8).toString('hex') };
}
