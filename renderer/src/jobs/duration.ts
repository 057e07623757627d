/** Durations and timestamps as the jobs pages show them. Pure; local time; tested in node. */

/** `850ms`, `42s`, `3m 05s`, `2h 03m`, `4d 07h`; negative or NaN → `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0s';
  if (ms < 1000) return `${Math.floor(ms)}ms`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(totalSeconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** How long a job ran (or has been running at `now`); null before it started. */
export function jobDuration(
  job: { startedAt: number | null; finishedAt: number | null },
  now: number,
): number | null {
  if (job.startedAt === null) return null;
  return Math.max(0, (job.finishedAt ?? now) - job.startedAt);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

function clock(d: Date, seconds: boolean): string {
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return seconds ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

/**
 * A start time in a table: `14:03` today, `Mar 3 14:03` earlier this year, `Mar 3 2024` before.
 * `seconds` adds seconds to the clock (the status timeline).
 */
export function formatTimestamp(ts: number, now: number, seconds = false): string {
  const d = new Date(ts);
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return clock(d, seconds);
  const day = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  if (d.getFullYear() === today.getFullYear()) return `${day} ${clock(d, seconds)}`;
  return `${day} ${d.getFullYear()}`;
}

/** Full local date and time for tooltips: `2025-03-03 14:03:12`. */
export function formatFullTimestamp(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clock(d, true)}`;
}
