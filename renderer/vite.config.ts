import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const monacoEsm = fileURLToPath(new URL('../node_modules/monaco-editor/esm/vs/', import.meta.url));
const prettierOff = fileURLToPath(new URL('./src/editor/workers/prettier-off.ts', import.meta.url));

// One build, two homes: Electron loads it from a file/app:// URL, web mode serves it at `/`.
// Hence relative asset URLs (`base: './'`) and nothing fetched from the network (works offline).
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  resolve: {
    // monaco-yaml's worker imports `monaco-editor/esm/vs/…`, which Monaco ≥ 0.56's exports map
    // turns into esm/vs/esm/vs/…: point that old spelling at the real files.
    alias: [
      { find: /^monaco-editor\/esm\/vs\//, replacement: monacoEsm },
      // Only the YAML worker imports prettier, for formatting, which the editor leaves off.
      { find: /^prettier\/(standalone|plugins\/yaml|plugins\/estree)$/, replacement: prettierOff },
    ],
  },
  // Monaco's language workers are ES modules that share chunks (the editor is lazy-loaded).
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    modulePreload: { polyfill: false },
    // The lazily loaded Monaco chunk and its workers are large by nature.
    chunkSizeWarningLimit: 4096,
  },
  server: {
    strictPort: true,
  },
});
