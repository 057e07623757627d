/** `npm run bench`: every bench/*.bench.ts, each printing ratios against a baseline measured in the same run. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ESM helper shared with `npm start`, no type declarations
import { isStale } from '../scripts/build-freshness.mjs';

const dir = import.meta.dirname;
const root = path.resolve(dir, '..');
// The UI benches drive the built renderer: measuring an old build would measure old code.
if (isStale(path.join(root, 'dist/renderer/index.html'), [path.join(root, 'renderer'), path.join(root, 'engine/api/contract.ts')])) {
  console.log('bench: the renderer build is older than its sources; npm run build:renderer');
  const built = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const only = process.argv[2];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only && !file.includes(only)) continue;
  const mod = (await import(path.join(dir, file))) as { run: () => Promise<string[]> };
  console.log(`\n## ${file}`);
  for (const line of await mod.run()) console.log(`  ${line}`);
}
