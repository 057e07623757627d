#!/usr/bin/env node
// `kfd`: runs the compiled command line (scripts/cli-build.mjs builds it at `npm ci` and again
// whenever a source file changed), so a command starts in a fraction of a second.
import { cliEntry } from '../scripts/cli-build.mjs';

const { main } = await import(await cliEntry());
await main(process.argv);
