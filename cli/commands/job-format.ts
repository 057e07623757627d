/** Pure formatting for the job commands (tested without an engine). */
import type { JobDetail, JobSummary, LogLine } from '../../engine/api/contract.js';

const RANK_COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[91m'];
const STATUS_COLORS: Record<string, string> = { Complete: '\x1b[32m', Failed: '\x1b[31m', Cancelled: '\x1b[33m', Running: '\x1b[36m', Created: '\x1b[2m' };
const RESET = '\x1b[0m';

export function formatDuration(ms: number | null): string {
  if (ms === null || ms < 0) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function jobDuration(job: JobSummary, now = Date.now()): number | null {
  if (job.startedAt === null) return null;
  return (job.finishedAt ?? now) - job.startedAt;
}

/** `[r1] text` with a colour per rank (ANSI from the program itself is passed through). */
export function formatLogLine(line: LogLine, color: boolean, multiRank: boolean): string {
  if (!multiRank) return line.text;
  const tag = `[r${line.rank}]`;
  return color ? `${RANK_COLORS[line.rank % RANK_COLORS.length]}${tag}${RESET} ${line.text}` : `${tag} ${line.text}`;
}

export function formatJobTable(jobs: JobSummary[], color: boolean, now = Date.now()): string {
  if (jobs.length === 0) return 'No jobs yet. Run one with `kfd run <workspace>`.\n';
  const rows = jobs.map((j) => [
    j.id,
    j.name,
    j.status,
    j.backend,
    `${j.numNodes}x${j.numProcPerNode}`,
    new Date(j.createdAt).toLocaleString(),
    formatDuration(jobDuration(j, now)),
    j.exitCode === null ? '' : String(j.exitCode),
  ]);
  const header = ['ID', 'NAME', 'STATUS', 'BACKEND', 'NODESxPROCS', 'CREATED', 'DURATION', 'EXIT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], paintStatus: boolean) =>
    cells
      .map((c, i) => {
        const padded = c.padEnd(widths[i]!);
        return paintStatus && color && i === 2 ? `${STATUS_COLORS[c] ?? ''}${padded}${RESET}` : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(header, false), ...rows.map((r) => line(r, true))].join('\n') + '\n';
}

export function formatJobDetail(job: JobDetail, now = Date.now()): string {
  const out = [
    `Job ${job.id}  ${job.name}`,
    `  status:    ${job.status}${job.reason ? ` (${job.reason})` : ''}`,
    `  backend:   ${job.backend}${job.target ? ` on ${job.target}` : ''}`,
    `  workspace: ${job.workspace}`,
    `  shape:     ${job.numNodes} node(s) x ${job.numProcPerNode} process(es)`,
    `  created:   ${new Date(job.createdAt).toLocaleString()}`,
    `  duration:  ${formatDuration(jobDuration(job, now))}`,
  ];
  if (job.exitCode !== null) out.push(`  exit code: ${job.exitCode}`);
  if (job.message) out.push(`  message:   ${job.message}`);
  if (job.parentId) out.push(`  parent:    ${job.parentId}`);
  if (job.ranks.length) {
    out.push('  ranks:');
    for (const r of job.ranks) {
      out.push(`    rank ${r.globalRank} (node ${r.nodeRank}, local ${r.localRank}): ${r.status}${r.exitCode !== null ? ` exit ${r.exitCode}` : ''}${r.signal ? ` ${r.signal}` : ''}${r.pid ? ` pid ${r.pid}` : ''}${r.container ? ` container ${r.container}` : ''}`);
    }
  }
  if (job.warnings.length) {
    out.push('  warnings:');
    for (const w of job.warnings) out.push(`    ${w.message}`);
  }
  if (job.failureLog.length) {
    out.push('  last lines of the failing rank:');
    for (const l of job.failureLog) out.push(`    | ${l}`);
  }
  return out.join('\n') + '\n';
}
