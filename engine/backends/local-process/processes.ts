/**
 * Process checks for the local-process backend. Pids are reused, so a pid read from a file is
 * only signalled after /proc shows it is still what we think: our wrapper (by its command line)
 * or a process of the job (by the KFD_JOB_ID in its environment). Linux reads /proc; elsewhere
 * the checks fall back to "the pid exists".
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { startTimeOf } from '../../ownership/process-identity.js';
import { LEGACY_WRAPPER_FILE, SUPERVISOR_FILE } from './job-files.js';

const HAS_PROC = fs.existsSync('/proc/self/cmdline');

function readProc(pid: number, what: string): Buffer | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${what}`);
  } catch {
    return null;
  }
}

/** Exists and is not a zombie (a zombie has finished; it only waits for its parent to reap it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!HAS_PROC) return true;
  const stat = readProc(pid, 'stat')?.toString('utf8');
  if (!stat) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

export function cmdlineOf(pid: number): string[] | null {
  const raw = readProc(pid, 'cmdline');
  if (!raw || raw.length === 0) return null;
  return raw.toString('utf8').replace(/\0$/, '').split('\0');
}

/**
 * `pid` is alive and still the process supervising `rank` of the job in `jobDir` (survives pid
 * reuse): by the start time it recorded, or — records of earlier versions — by its command line.
 */
export function isWrapperOf(pid: number, jobDir: string, rank: number, started?: string): boolean {
  if (!isAlive(pid)) return false;
  if (!HAS_PROC) return true;
  if (started) return startTimeOf(pid) === started;
  const argv = cmdlineOf(pid);
  if (!argv || argv.length < 2) return false;
  const [script, dir] = argv.slice(-2);
  if (script!.endsWith(SUPERVISOR_FILE)) return dir === jobDir;
  const [legacy, legacyDir, n] = argv.slice(-3);
  return legacy!.endsWith(LEGACY_WRAPPER_FILE) && legacyDir === jobDir && n === String(rank);
}

function environHas(pid: number, entry: string): boolean {
  const raw = readProc(pid, 'environ');
  if (!raw) return false;
  const needle = Buffer.from(`${entry}\0`);
  return raw.subarray(0, needle.length).equals(needle) || raw.includes(Buffer.concat([Buffer.from('\0'), needle]));
}

/** Does `pid` carry `name=value` in its environment (set at exec, inherited by its children)? */
export function hasEnv(pid: number, name: string, value: string): boolean {
  return HAS_PROC ? isAlive(pid) && environHas(pid, `${name}=${value}`) : isAlive(pid);
}

/** Every live process (other than us) whose environment has `name=value`; [] without /proc. */
export function processesWithEnv(name: string, value: string): number[] {
  if (!HAS_PROC) return [];
  const entry = `${name}=${value}`;
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (environHas(pid, entry) && isAlive(pid)) out.push(pid);
  }
  return out;
}

/**
 * `processesWithEnv` without blocking: reading every process's environment takes tens of ms on
 * a busy machine, which would hold up everything else the engine does (e.g. publishing logs).
 */
export async function processesWithEnvAsync(name: string, value: string): Promise<number[]> {
  if (!HAS_PROC) return [];
  const needle = Buffer.from(`${name}=${value}\0`);
  const pids = (await fsp.readdir('/proc')).map(Number).filter((pid) => Number.isInteger(pid) && pid !== process.pid);
  const out: number[] = [];
  for (let i = 0; i < pids.length; i += 32) {
    const batch = pids.slice(i, i + 32);
    const environs = await Promise.all(batch.map((pid) => fsp.readFile(`/proc/${pid}/environ`).catch(() => null)));
    environs.forEach((raw, k) => {
      if (raw && (raw.subarray(0, needle.length).equals(needle) || raw.includes(Buffer.concat([Buffer.from('\0'), needle]))) && isAlive(batch[k]!)) out.push(batch[k]!);
    });
  }
  return out;
}

/** kill(2) that ignores "no such process"; a negative target is a process group. */
export function signal(target: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}
