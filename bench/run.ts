/** `npm run bench`: every bench/*.bench.ts, each printing ratios against a baseline measured in the same run. */
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const only = process.argv[2];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only && !file.includes(only)) continue;
  const mod = (await import(path.join(dir, file))) as { run: () => Promise<string[]> };
  console.log(`\n## ${file}`);
  for (const line of await mod.run()) console.log(`  ${line}`);
}
