/** Live processes of a job, found the way the backend finds them: KFD_JOB_ID in /proc/<pid>/environ. */
import fs from 'node:fs';

function read(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Non-zombie processes (other than this one) whose environment has KFD_JOB_ID=<jobId>. */
export function processesOfJob(jobId: string): { pid: number; cmdline: string }[] {
  const needle = Buffer.from(`KFD_JOB_ID=${jobId}\0`);
  const out: { pid: number; cmdline: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const stat = read(`/proc/${pid}/stat`)?.toString('latin1');
    if (!stat || /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (!environ || !(environ.subarray(0, needle.length).equals(needle) || environ.includes(Buffer.concat([Buffer.from('\0'), needle])))) continue;
    out.push({ pid, cmdline: (read(`/proc/${pid}/cmdline`)?.toString('utf8') ?? '').replace(/\0/g, ' ').trim() });
  }
  return out;
}
