// Runs after `npm ci`. Electron's own install script is disabled in package.json
// (`allowScripts`) so a blocked binary download can never fail the install; here we try the
// download ourselves and, if it fails, say so: `npm start` then uses web mode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildCli } from './cli-build.mjs';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const skip = process.env.CI === 'true' || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1';
if (!electronBinary() && !skip) {
  let installer = null;
  try {
    installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    // electron not installed (e.g. --omit=dev): nothing to do.
  }
  if (installer) {
    console.log('kubeflow-desktop: downloading the Electron binary…');
    const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 180_000 });
    if (result.status !== 0) console.log('kubeflow-desktop: the Electron download did not succeed.');
  }
}

const binary = electronBinary();
console.log(
  binary
    ? `kubeflow-desktop: Electron binary at ${binary}`
    : 'kubeflow-desktop: no Electron binary; `npm start` will run web mode and print its URL.',
);

// `npx kfd` right after `npm ci` runs compiled JavaScript (bin/kfd.mjs rebuilds it when sources change).
try {
  const started = Date.now();
  await buildCli();
  console.log(`kubeflow-desktop: kfd command line compiled in ${Date.now() - started} ms`);
} catch (err) {
  console.log(`kubeflow-desktop: the kfd command line could not be compiled now (${err.message}); \`npx kfd\` will try again.`);
}
