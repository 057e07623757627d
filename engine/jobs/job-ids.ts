import { randomBytes } from 'node:crypto';

/** Short, time-sortable, typeable ids: `m3x9k2ab-7f3` (base36 ms clock + 3 random hex chars). */
export function newJobId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(2).toString('hex').slice(0, 3)}`;
}
