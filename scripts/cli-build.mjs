// The `kfd` command line as compiled JavaScript, so a command does not wait for TypeScript to be
// compiled on every call (tsx took seconds). esbuild follows the imports from cli/kfd.ts — new
// commands and engine folders need no list here — and splits at every `import()`, so a command
// loads only the modules it uses. node_modules stay outside the bundle (native addons, and each
// package is loaded only when something imports it).
//
// dist/cli/current.json names the current build and its inputs with their sizes and mtimes;
// `cliEntry()` checks them (a few ms) and rebuilds when a source changed, so `npx kfd` is always
// the code in the tree. Builds go to their own folder and current.json is replaced atomically,
// so a `kfd serve` started from an older build keeps loading its own chunks.
// Run by `npm ci` (postinstall) and `npm start`; `node scripts/cli-build.mjs` builds by hand.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = path.join(root, 'dist', 'cli');
const currentFile = path.join(outRoot, 'current.json');
const ENTRY = 'cli/kfd.ts';
/** Builds kept besides the current one (a running `kfd serve` may still load chunks from one). */
const KEEP_OLD = 3;

function readCurrent() {
  try {
    return JSON.parse(readFileSync(currentFile, 'utf8'));
  } catch {
    return null;
  }
}

/** The current build's entry file if every input is as it was when it was built, else null. */
export function freshEntry() {
  const current = readCurrent();
  if (!current?.dir || !current.inputs) return null;
  for (const [rel, [size, mtimeMs]] of Object.entries(current.inputs)) {
    let st;
    try {
      st = statSync(path.join(root, rel));
    } catch {
      return null;
    }
    if (st.size !== size || st.mtimeMs !== mtimeMs) return null;
  }
  const entry = path.join(outRoot, current.dir, 'kfd.mjs');
  return existsSync(entry) ? entry : null;
}

/** Compiles the command line into a new folder and makes it current; returns its entry file. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = path.join(outRoot, dir);
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { kfd: ENTRY },
    absWorkingDir: root,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // engine/version.ts reads this first: ../package.json is not beside the bundle.
    define: { 'process.env.KFD_APP_VERSION': JSON.stringify(pkg.version) },
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const inputs = {};
  for (const rel of [...Object.keys(result.metafile.inputs), 'package.json'].sort()) {
    const st = statSync(path.join(root, rel));
    inputs[rel] = [st.size, st.mtimeMs];
  }
  const tmp = `${currentFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ dir, builtAt: new Date().toISOString(), inputs })}\n`);
  renameSync(tmp, currentFile);
  removeOldBuilds(dir);
  return path.join(outdir, 'kfd.mjs');
}

function removeOldBuilds(keep) {
  const old = readdirSync(outRoot)
    .filter((d) => d.startsWith('build-') && d !== keep)
    .map((d) => ({ d, t: statSync(path.join(outRoot, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(KEEP_OLD);
  for (const { d } of old) rmSync(path.join(outRoot, d), { recursive: true, force: true });
}

/** The entry of an up-to-date build, building one first if the sources changed. */
export async function cliEntry() {
  return freshEntry() ?? (await buildCli());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const entry = await buildCli();
  console.log(`built ${path.relative(root, entry)} in ${Date.now() - started} ms`);
}
