// `npm test`: type-check, unit + integration tests (vitest), build, e2e (Playwright), and the
// Electron security lint. Ends with one summary line: "tests: N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kfd-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`--- ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${secs}s`);
  if (result.status !== 0) failedSteps.push(title);
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('typecheck renderer', bin('tsc'), ['-p', 'renderer/tsconfig.json', '--noEmit']);

const vitestJson = path.join(tmp, 'vitest.json');
step('unit + integration (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
if (v) {
  totals.passed += v.numPassedTests ?? 0;
  totals.failed += v.numFailedTests ?? 0;
  totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else {
  failedSteps.push('vitest wrote no results');
}

// The local cluster on a real kind cluster (local-cluster/real-cluster: one cluster, its files in
// order; the node image comes from e2e/kind-node/build.sh, which `npm run test:kind` and .ci/run
// run) goes beside the build and the e2e step: most of its time is waiting for kind, the kubelet
// and the controllers, not CPU (the unit + integration step, with its timing-sensitive engine
// tests, runs alone). Its output is printed when it ends.
const kindJson = path.join(tmp, 'vitest-kind.json');
const kindLog = path.join(tmp, 'vitest-kind.log');
const kindStarted = Date.now();
const kindOut = openSync(kindLog, 'w');
const kindChild = spawn(bin('vitest'), ['run', '-c', 'local-cluster/real-cluster/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${kindJson}`], {
  cwd: root,
  stdio: ['ignore', kindOut, kindOut],
  env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
});
let kindEnded = 0;
const kindDone = new Promise((resolve) => kindChild.on('close', (code, signal) => ((kindEnded = Date.now()), resolve(code ?? signal))));

const built = step('build', 'npm', ['run', '--silent', 'build']);
if (built) {
  const pwJson = path.join(tmp, 'playwright.json');
  step('e2e (Playwright)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  const p = readJson(pwJson);
  if (p?.stats) {
    totals.passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
    totals.failed += p.stats.unexpected ?? 0;
    totals.skipped += p.stats.skipped ?? 0;
  } else {
    failedSteps.push('Playwright wrote no results');
  }
}

step('electron security lint (electronegativity)', process.execPath, [path.join(root, 'scripts/electronegativity.mjs')]);

console.log('\n=== local cluster on real kind (vitest, beside the build and e2e) ===');
const kindCode = await kindDone;
process.stdout.write(readFileSync(kindLog, 'utf8'));
console.log(`--- local cluster on real kind: ${kindCode === 0 ? 'ok' : `FAILED (exit ${kindCode})`} in ${((kindEnded - kindStarted) / 1000).toFixed(1)}s`);
if (kindCode !== 0) failedSteps.push('local cluster on real kind (vitest)');
const k = readJson(kindJson);
if (k) {
  totals.passed += k.numPassedTests ?? 0;
  totals.failed += k.numFailedTests ?? 0;
  totals.skipped += (k.numPendingTests ?? 0) + (k.numTodoTests ?? 0);
} else {
  failedSteps.push('vitest (kind) wrote no results');
}

rmSync(tmp, { recursive: true, force: true });
console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
if (existsSync(path.join(root, 'e2e/artifacts'))) console.log('screenshots: e2e/artifacts/');
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
