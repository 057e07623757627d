/** A data dir with `n` finished jobs, as years of use would leave it (for the history and CLI benches). */
import path from 'node:path';
import { openStore } from '../engine/store/store.js';

const STATUSES = ['Complete', 'Complete', 'Complete', 'Failed', 'Cancelled'] as const;
const NAMES = ['mnist-ddp', 'resnet-sweep', 'bert-finetune', 'digits-sklearn', 'llama-lora', 'ppo-cartpole', 'unet-seg', 'gpt2-small'];

/** Inserts `n` jobs one minute apart (newest last) and returns their ids in insertion order. */
export function seedHistory(dataDir: string, n: number): string[] {
  const store = openStore(dataDir);
  try {
    // One statement per job (what JobRepo.insert + markRunning + finish leave), so 100k take seconds.
    const insert = store.db.prepare(
      `INSERT INTO jobs (id, name, workspace, spec, backend, target, status, reason, message, exit_code, created_at, started_at,
                         finished_at, num_nodes, num_proc_per_node, job_dir)
       VALUES (?, ?, ?, 'kind: TrainJob\n', ?, 'localhost', ?, ?, '', ?, ?, ?, ?, 1, ?, ?)`,
    );
    const ids: string[] = [];
    const start = Date.now() - n * 60_000;
    store.db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const id = `j${i.toString(36).padStart(7, '0')}${((i * 2654435761) % 4294967296).toString(16).padStart(8, '0')}`;
        const createdAt = start + i * 60_000;
        const status = STATUSES[i % STATUSES.length]!;
        insert.run(
          id,
          `${NAMES[i % NAMES.length]}-${i % 97}`,
          `/home/user/projects/${NAMES[(i >> 3) % NAMES.length]}/run-${i % 13}`,
          i % 7 === 0 ? 'container' : 'local-process',
          status,
          status === 'Complete' ? 'Succeeded' : status,
          status === 'Complete' ? 0 : 1,
          createdAt,
          createdAt + 1000,
          createdAt + 30_000,
          1 + (i % 4),
          path.join(dataDir, 'jobs', id),
        );
        ids.push(id);
      }
    })();
    return ids;
  } finally {
    store.close();
  }
}
