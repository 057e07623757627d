// Bundles the programs the engine starts as separate processes (today: the local-process job
// supervisor) into single plain .mjs files, because a packaged app cannot run .ts. Beside each it
// writes a meta file with its inputs' hashes, so the engine can tell whether the bundle still
// matches the sources (engine/backends/local-process/supervisor-runtime.ts).
// Usage: node scripts/build-runtime.mjs
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'runtime');

// Must match BUILD_OPTIONS in engine/backends/local-process/supervisor-runtime.ts.
const options = { bundle: true, platform: 'node', format: 'esm', target: 'node20', legalComments: 'none', logLevel: 'warning' };

const programs = [{ entry: 'engine/backends/local-process/job-supervisor.ts', out: 'job-supervisor.mjs', meta: 'job-supervisor.meta.json' }];

mkdirSync(outDir, { recursive: true });
const started = Date.now();
for (const p of programs) {
  const outfile = path.join(outDir, p.out);
  const result = await build({ ...options, entryPoints: [p.entry], absWorkingDir: root, outfile, metafile: true });
  const inputs = {};
  for (const rel of Object.keys(result.metafile.inputs).sort()) {
    inputs[rel] = createHash('sha256').update(readFileSync(path.join(root, rel))).digest('hex');
  }
  writeFileSync(path.join(outDir, p.meta), `${JSON.stringify({ inputs }, null, 2)}\n`);
  const size = (statSync(outfile).size / 1024).toFixed(1);
  console.log(`built ${path.relative(root, outfile)} (${size} KiB, ${Object.keys(inputs).length} source files)`);
}
console.log(`runtime programs in ${Date.now() - started} ms`);
