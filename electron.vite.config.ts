import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // Its own entry: worker_threads load it as a file beside index.js
          // (src/main/analysis/analysis-pool.ts resolves it there).
          'analysis.worker': resolve(import.meta.dirname, 'src/main/analysis/analysis.worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // CommonJS keeps `sandbox: true` possible: sandboxed preloads cannot load ESM.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      // Smaller and faster to parse in the window and in `serve --ui`.
      minify: true,
      // One local bundle, read from disk or loopback: no network to split for.
      chunkSizeWarningLimit: 1500,
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
