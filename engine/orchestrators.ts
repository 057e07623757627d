/**
 * Who resumes the orchestrators over jobs (experiments, pipeline runs, model servers) after an
 * engine ended while they had work: the data dir's owner engine (engine/ownership), once it has
 * re-attached to the running jobs, and only for an area with unfinished rows — so a `kfd`
 * command, or an owner with nothing to resume, never loads those areas' code.
 */
import type Database from 'better-sqlite3';
import type { Settings } from './api/contract.js';
import type { EventBus } from './api/event-bus.js';
import type { JobService } from './jobs/job-service.js';
import type { Ownership } from './ownership/owner-keeper.js';

export type OrchestratorName = 'pipelines' | 'experiments' | 'models';

/** Where each area keeps its work, and the SQL condition of a row that is not finished. */
export const UNFINISHED_WORK: Record<OrchestratorName, { table: string; unfinished: string }> = {
  pipelines: { table: 'pipeline_runs', unfinished: "status NOT IN ('Succeeded', 'Failed', 'Cancelled')" },
  experiments: { table: 'experiments', unfinished: "status NOT IN ('Succeeded', 'Failed')" },
  models: { table: 'model_deployments', unfinished: "kind = 'local' AND state NOT IN ('Stopped', 'Failed')" },
};

/** What every orchestrator over the job system is built from (engine.ts gives the same to each). */
export interface OrchestratorDeps {
  db: Database.Database;
  events: EventBus;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings(): Settings;
  jobs: JobService;
}

export interface OrchestratorArea {
  name: OrchestratorName;
  resume(): Promise<void>;
}

/** True when `area` has unfinished work in the database (a missing table counts as none). */
export function hasUnfinished(db: Database.Database, name: OrchestratorName): boolean {
  const { table, unfinished } = UNFINISHED_WORK[name];
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  return Boolean(exists && db.prepare(`SELECT 1 FROM ${table} WHERE ${unfinished} LIMIT 1`).get());
}

export function resumeOrchestrators(deps: { db: Database.Database; ownership: Ownership; ready: Promise<void>; areas: OrchestratorArea[] }): void {
  deps.ownership.subscribe(async (owner) => {
    if (!owner) return;
    await deps.ready.catch(() => undefined);
    for (const area of deps.areas) {
      try {
        if (hasUnfinished(deps.db, area.name)) await area.resume();
      } catch (err) {
        console.warn(`${area.name}: resuming after the last engine failed: ${(err as Error).message}`);
      }
    }
  });
}
