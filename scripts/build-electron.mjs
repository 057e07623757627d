// Bundles the Electron shell: main (with the engine) and the sandboxed preload, both CommonJS.
// Usage: node scripts/build-electron.mjs
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'electron');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

// Native or optional-native modules load from node_modules at run time (electron-builder
// rebuilds better-sqlite3 for Electron's ABI); bundling them would break their .node lookups.
const nativeExternals = ['electron', 'better-sqlite3', 'dockerode', 'ssh2', 'cpu-features'];

/**
 * `import.meta.url` in CommonJS: esbuild would leave `import.meta` as `{}` and
 * `new URL(rel, undefined)` would throw at start-up. We bake the version in (engine/version.ts
 * reads KFD_APP_VERSION first), because `../package.json` relative to the *bundle* is not the
 * app's package.json. Any other `import.meta.url` gets the bundle's own file URL (what it would
 * be for an unbundled file in dist/electron), which is correct for files shipped beside it.
 */
const importMetaShim = {
  define: {
    'process.env.KFD_APP_VERSION': JSON.stringify(pkg.version),
    'import.meta.url': '__kfd_import_meta_url',
  },
  banner: { js: 'const __kfd_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};

const common = {
  bundle: true,
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
  legalComments: 'none',
};

const targets = [
  {
    ...common,
    ...importMetaShim,
    entryPoints: ['electron/main.ts'],
    outfile: path.join(outDir, 'main.cjs'),
    platform: 'node',
    target: 'node20', // a floor every supported Electron's Node meets; no down-levelling needed
    external: nativeExternals,
  },
  {
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: path.join(outDir, 'preload.cjs'),
    // Sandboxed preloads run in a browser-like context whose `require` knows only 'electron'
    // (and a few polyfills): everything else must be bundled, Node built-ins must not appear.
    platform: 'browser',
    target: 'es2022',
    external: ['electron'],
  },
];

function assertPreloadImportsOnlyElectron(metafile, outfile) {
  const output = metafile.outputs[path.relative(root, outfile)];
  const imports = (output?.imports ?? []).filter((i) => i.external).map((i) => i.path);
  const bad = imports.filter((p) => p !== 'electron');
  if (bad.length) {
    throw new Error(`preload.cjs requires ${bad.join(', ')}: a sandboxed preload may only require 'electron'.`);
  }
}

const started = Date.now();
for (const options of targets) {
  const result = await build(options);
  if (options.outfile.endsWith('preload.cjs')) assertPreloadImportsOnlyElectron(result.metafile, options.outfile);
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules')).length;
  const size = (statSync(options.outfile).size / 1024).toFixed(1);
  console.log(
    `built ${path.relative(root, options.outfile)} (${size} KiB, ${inputs} source files; ${options.platform}/cjs; external: ${options.external.join(', ')})`,
  );
}
console.log(`electron shell for Electron ${electronVersion}, app version ${pkg.version}, in ${Date.now() - started} ms`);
