import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasUnfinished, UNFINISHED_WORK, type OrchestratorName } from './orchestrators.js';
import { openStore, type Store } from './store/store.js';
import { makeTempDir } from './test-support/real-parts.js';

let store: Store | null = null;
afterEach(() => store?.close());

describe('which orchestrators the owner resumes', () => {
  it("reads each area's unfinished work from the real schema (an area with none is not loaded)", () => {
    store = openStore(path.join(makeTempDir('orchestrators', 'db'), 'kfd'));
    const db = store.db;
    for (const name of Object.keys(UNFINISHED_WORK) as OrchestratorName[]) expect(hasUnfinished(db, name)).toBe(false);

    db.prepare(`INSERT INTO experiments (id, name, workspace, file, spec, backend, seed, status, created_at) VALUES ('e1', 'e', '/w', '/w/experiment.yaml', '', 'local-process', 1, 'Running', 0)`).run();
    expect(hasUnfinished(db, 'experiments')).toBe(true);
    db.prepare(`UPDATE experiments SET status = 'Succeeded'`).run();
    expect(hasUnfinished(db, 'experiments')).toBe(false);

    db.prepare(`INSERT INTO pipeline_runs (id, name, pipeline_name, file, spec, parameters, status, backend, pipeline_root, created_at) VALUES ('r1', 'r', 'p', '/p.yaml', '', '{}', 'Running', 'local-process', '/root', 0)`).run();
    expect(hasUnfinished(db, 'pipelines')).toBe(true);
    db.prepare(`UPDATE pipeline_runs SET status = 'Cancelled'`).run();
    expect(hasUnfinished(db, 'pipelines')).toBe(false);
  });
});
