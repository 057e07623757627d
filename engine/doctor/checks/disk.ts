/** Free disk where the app keeps its data (database, logs, images, the kind node). */
import type { StatsFs } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { appDataDir } from '../../paths.js';
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import { formatGiB, GiB } from '../bytes.js';

export const MIN_FREE_DISK = 10 * GiB;

export const id = 'disk';
export const title = 'Disk space';

/** The data dir may not exist yet (first start); its filesystem is that of its nearest ancestor. */
export async function nearestExistingDir(dir: string): Promise<{ dir: string; stats: StatsFs }> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      return { dir: current, stats: await statfs(current) };
    } catch (err) {
      const parent = path.dirname(current);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw err;
      current = parent;
    }
  }
}

export function assessDisk(dataDir: string, measuredAt: string, free: number, total: number): CheckOutcome {
  const where = measuredAt === dataDir ? dataDir : `${dataDir} (measured at ${measuredAt}; not created yet)`;
  const detail = `${formatGiB(free)} free of ${formatGiB(total)} for ${where}.`;
  if (free >= MIN_FREE_DISK) return ok(detail);
  return {
    status: 'warning',
    detail: `Only ${detail} Container images, logs and the local cluster want at least ${formatGiB(MIN_FREE_DISK)}.`,
    fix: `Free space on that filesystem (e.g. \`docker system prune\`), or start the app with KFD_DATA_DIR=<a folder on a larger disk>`,
  };
}

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const dataDir = appDataDir(ctx.env);
  const { dir, stats } = await nearestExistingDir(dataDir);
  // bavail: blocks an unprivileged user may use (bfree includes root's reserve).
  return assessDisk(dataDir, dir, stats.bavail * stats.bsize, stats.blocks * stats.bsize);
}
