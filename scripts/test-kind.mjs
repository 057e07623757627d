// `npm run test:kind`: the local cluster on a real kind cluster. Builds the kind node image (or
// finds it up to date: it is cached by a tag that hashes every input, and the harness binaries
// by their stamps), then runs the real-cluster suite (local-cluster/real-cluster: one cluster,
// created, used and deleted) and the Playwright spec that presses "Create local Kubeflow".
// `npm test` runs the same suite as one of its steps (the node image is built beforehand by
// .ci/run). Ends with "kind tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './build-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kfd-test-kind-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failed = [];

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`--- ${title}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (r.status !== 0) failed.push(title);
  return r.status === 0;
}
const json = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

// Without the node image the suite reports it missing (a failure under CI=true), so a failed
// build still runs the suite to say so.
step('kind node image (e2e/kind-node/build.sh)', 'bash', [path.join(root, 'e2e/kind-node/build.sh')]);

const vitestJson = path.join(tmp, 'vitest.json');
step('real-cluster suite (vitest)', bin('vitest'), ['run', '-c', 'local-cluster/real-cluster/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = json(vitestJson);
if (v) {
  totals.passed += v.numPassedTests ?? 0;
  totals.failed += v.numFailedTests ?? 0;
  totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else failed.push('vitest wrote no results');

if (isStale(path.join(root, 'dist/renderer/index.html'), [path.join(root, 'renderer'), path.join(root, 'engine/api/contract.ts')])) {
  step('build the renderer', 'npm', ['run', '--silent', 'build:renderer']);
}
const pwJson = path.join(tmp, 'playwright.json');
step('create button on a real cluster (Playwright)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', 'e2e/web/cluster-kind.spec.ts', '--project=web', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
});
const p = json(pwJson);
if (p?.stats) {
  totals.passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  totals.failed += p.stats.unexpected ?? 0;
  totals.skipped += p.stats.skipped ?? 0;
} else failed.push('Playwright wrote no results');

rmSync(tmp, { recursive: true, force: true });
if (failed.length) console.log(`failed steps: ${failed.join(', ')}`);
if (existsSync(path.join(root, 'e2e/artifacts'))) console.log('screenshots: e2e/artifacts/');
console.log(`kind tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed.length || totals.failed ? 1 : 0);
