/**
 * Who resumes the orchestrators over jobs (experiments, pipeline runs, model servers) after an
 * engine ended while they had work: the data dir's owner engine (engine/ownership), once it has
 * re-attached to the running jobs, and only for an area with unfinished rows — so a `kfd`
 * command, or an owner with nothing to resume, never loads those areas' code.
 */
import type Database from 'better-sqlite3';
import type { Ownership } from './ownership/owner-keeper.js';

export interface OrchestratorArea {
  name: string;
  /** Its table and the SQL condition of an unfinished row. */
  table: string;
  unfinished: string;
  resume(): Promise<void>;
}

/** True when `area` has unfinished work in the database (a missing table counts as none). */
export function hasUnfinished(db: Database.Database, area: Pick<OrchestratorArea, 'table' | 'unfinished'>): boolean {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(area.table);
  return Boolean(exists && db.prepare(`SELECT 1 FROM ${area.table} WHERE ${area.unfinished} LIMIT 1`).get());
}

export function resumeOrchestrators(deps: { db: Database.Database; ownership: Ownership; ready: Promise<void>; areas: OrchestratorArea[] }): void {
  deps.ownership.subscribe(async (owner) => {
    if (!owner) return;
    await deps.ready.catch(() => undefined);
    for (const area of deps.areas) {
      try {
        if (hasUnfinished(deps.db, area)) await area.resume();
      } catch (err) {
        console.warn(`${area.name}: resuming after the last engine failed: ${(err as Error).message}`);
      }
    }
  });
}
