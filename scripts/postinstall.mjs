// Runs after `npm ci`. Nothing here downloads: Electron's binary is optional
// (web mode is the fallback), better-sqlite3 is compiled by its own install step.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  const electronPath = require('electron');
  if (typeof electronPath === 'string' && existsSync(electronPath)) {
    console.log(`kubeflow-desktop: Electron binary found at ${electronPath}`);
  } else {
    console.log('kubeflow-desktop: Electron binary not installed; `npm start` will use web mode.');
  }
} catch {
  console.log('kubeflow-desktop: Electron binary not installed; `npm start` will use web mode.');
}
