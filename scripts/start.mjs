// `npm start`: build what is stale, then run the desktop app; where Electron cannot start
// (no binary, no display) run web mode and print the URL instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './build-freshness.mjs';
import { cliEntry } from './cli-build.mjs';
import { ensureElectronSqlite } from './electron-native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script) {
  console.log(`kubeflow-desktop: npm run ${script}`);
  const result = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`kubeflow-desktop: \`npm run ${script}\` failed (exit ${result.status}); fix the error above and run \`npm start\` again.`);
    process.exit(result.status ?? 1);
  }
}

const r = (...p) => path.join(root, ...p);
if (isStale(r('dist/renderer/index.html'), [r('renderer'), r('engine/api/contract.ts')])) run('build:renderer');
await cliEntry(); // web mode runs `kfd serve`: compile the command line if a source changed

function electronUnavailableReason() {
  if (process.env.KFD_WEB === '1') return 'KFD_WEB=1 asks for web mode';
  let binary;
  try {
    require.resolve('electron/package.json');
  } catch {
    return 'the electron package is not installed';
  }
  try {
    binary = require('electron');
  } catch {
    binary = null; // its index.js throws when the binary download never happened
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return `the Electron binary is not installed (its download failed or was blocked; try \`node node_modules/electron/install.js\`)`;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY / WAYLAND_DISPLAY unset)';
  }
  return null;
}

function startWeb(reason) {
  console.log(`kubeflow-desktop: starting web mode because ${reason}.`);
  const args = [r('bin/kfd.mjs'), 'serve', '--port', process.env.KFD_PORT ?? '0'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

const reason = electronUnavailableReason();
if (reason) {
  startWeb(reason);
} else {
  const sources = [r('electron'), r('engine'), r('local-cluster')];
  if (isStale(r('dist/electron/main.cjs'), sources)) run('build:electron');
  let sqliteBinding;
  try {
    sqliteBinding = await ensureElectronSqlite(root);
  } catch (err) {
    startWeb(`better-sqlite3 could not be built for Electron (${err.message})`);
  }
  if (sqliteBinding) launchElectron(sqliteBinding);
}

function launchElectron(sqliteBinding) {
  const started = Date.now();
  const env = { ...process.env, KFD_SQLITE_BINDING: sqliteBinding };
  const child = spawn(require('electron'), [r('dist/electron/main.cjs')], { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code) => {
    // Electron that dies at once (missing libraries, sandbox setup) is an environment problem:
    // the user still gets the app, in the browser.
    if (code !== 0 && Date.now() - started < 5000) startWeb(`Electron exited at start with code ${code}`);
    else process.exit(code ?? 0);
  });
}
