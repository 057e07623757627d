/**
 * A stand-in app for the kill -9 tests: a real engine (createEngine) in its own process. Reads
 * `{dataDir, env, workspaces}` from the JSON file in argv[2], runs each workspace through
 * `jobs.run`, prints `started <id>` per job, `running <id>` once its ranks run, and `captured <n>`
 * after each jobs.log event (by then the capture has flushed its metrics and saved its tail
 * offsets), then waits to be killed.
 * With `killAtFirstMetricRow`, it SIGKILLs itself the moment the first metric row is committed.
 * Run with `node --import tsx`.
 */
import fs from 'node:fs';
import { createEngine } from '../../engine.js';

const config = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as { dataDir: string; env: NodeJS.ProcessEnv; workspaces: string[]; killAtFirstMetricRow?: boolean };
const engine = createEngine({ dataDir: config.dataDir, env: config.env });
let captured = 0;
const running = new Set<string>();
engine.events.subscribe((event, payload) => {
  const job = payload as { id: string; status: string };
  if (event === 'jobs.changed' && job.status === 'Running' && !running.has(job.id)) {
    running.add(job.id);
    process.stdout.write(`running ${job.id}\n`);
  }
  if (event !== 'jobs.log') return;
  captured += (payload as { lines: unknown[] }).lines.length;
  process.stdout.write(`captured ${captured}\n`);
});
for (const workspace of config.workspaces) {
  const answer = await engine.dispatch('jobs.run', { path: workspace });
  if ('error' in answer) {
    process.stdout.write(`error ${answer.error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`started ${(answer.result as { id: string }).id}\n`);
}
if (config.killAtFirstMetricRow) {
  // Checked between event-loop turns, i.e. right after whatever committed the first rows.
  const count = engine.store.db.prepare('SELECT COUNT(*) AS n FROM metrics');
  const check = () => ((count.get() as { n: number }).n > 0 ? process.kill(process.pid, 'SIGKILL') : setImmediate(check));
  check();
}
setInterval(() => {}, 60_000);
