/**
 * A stand-in engine for the kill -9 test: starts the job described by the JSON file in argv[2],
 * prints "started" and then only watches, until the test kills this process with SIGKILL.
 * Run with `node --import tsx`.
 */
import fs from 'node:fs';
import type { JobLaunch } from '../backend.js';
import { createLocalProcessBackend } from './local-process-backend.js';

const launch = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as JobLaunch;
const job = await createLocalProcessBackend({ pollMs: 100 }).start(launch, { onRankUpdate: () => {} });
process.stdout.write(`started ${job.jobId}\n`);
setInterval(() => {}, 60_000);
