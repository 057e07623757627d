/**
 * A stand-in app for the kill -9 test: starts the container job described by the JSON file in
 * argv[2], prints "started", then only watches until the test kills it with SIGKILL.
 * Run with `node --import tsx`.
 */
import fs from 'node:fs';
import type { JobLaunch } from '../../backend.js';
import { createContainerBackend } from '../container-backend.js';

const launch = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as JobLaunch;
await createContainerBackend().start(launch, { onRankUpdate: () => {} });
process.stdout.write(`started ${launch.jobId}\n`);
setInterval(() => {}, 60_000);
