import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// One build, two homes: Electron loads it from a file/app:// URL, web mode serves it at `/`.
// Hence relative asset URLs (`base: './'`) and nothing fetched from the network (works offline).
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    modulePreload: { polyfill: false },
  },
  server: {
    strictPort: true,
  },
});
