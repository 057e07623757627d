/**
 * A stand-in engine for the kill -9 tests: starts the jobs described by the JSON files in
 * argv[2…], one after the other, prints "started <id>" for each and then only watches, until the
 * test kills this process with SIGKILL. KFD_TEST_WARM_SPARE=1 keeps a warm supervisor, as a
 * long-lived engine does (so every job but the first starts on a spare).
 * Run with `node --import tsx`.
 */
import fs from 'node:fs';
import type { JobLaunch } from '../backend.js';
import { createLocalProcessBackend } from './local-process-backend.js';

const backend = createLocalProcessBackend({ pollMs: 100, warmSpare: process.env.KFD_TEST_WARM_SPARE === '1' });
for (const file of process.argv.slice(2)) {
  const launch = JSON.parse(fs.readFileSync(file, 'utf8')) as JobLaunch;
  const job = await backend.start(launch, { onRankUpdate: () => {} });
  process.stdout.write(`started ${job.jobId}\n`);
}
setInterval(() => {}, 60_000);
