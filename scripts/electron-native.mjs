// Builds better-sqlite3 for Electron's ABI into .cache/ (a copy), so `npm start` can run the
// desktop app while node_modules keeps the Node build the CLI and the tests use.
// The packaged app does not need this: electron-builder rebuilds its own copy.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export async function ensureElectronSqlite(root) {
  const require = createRequire(path.join(root, 'package.json'));
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const sqliteVersion = JSON.parse(readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
  const buildPath = path.join(root, '.cache', 'electron-native', `electron-${electronVersion}-sqlite-${sqliteVersion}`);
  const addon = path.join(buildPath, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(addon)) return addon;

  console.log(`kubeflow-desktop: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`);
  mkdirSync(path.join(buildPath, 'node_modules'), { recursive: true });
  cpSync(sqliteDir, path.join(buildPath, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
  });
  writeFileSync(
    path.join(buildPath, 'package.json'),
    JSON.stringify({ name: 'kfd-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }),
  );
  const { rebuild } = await import(require.resolve('@electron/rebuild'));
  await rebuild({ buildPath, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  if (!existsSync(addon)) throw new Error(`the Electron build of better-sqlite3 did not produce ${addon}`);
  return addon;
}
