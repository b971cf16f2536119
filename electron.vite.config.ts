import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Our folders are not electron-vite's defaults (src/main, ...), so every input is listed.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Bundle everything but better-sqlite3 (a native addon, loaded with its Electron
      // build through `nativeBinding`), so the packaged app needs no other node_modules.
      externalizeDeps: { include: ['better-sqlite3'], exclude: ['zod'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads can require only 'electron': each entry is one self-contained file.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-preload/index.ts'),
          ring: resolve(__dirname, 'src-preload/ring.ts'),
          picker: resolve(__dirname, 'src-preload/picker.ts'),
        },
        external: ['electron'],
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    // simple-peer 9 is CommonJS written for browserify: it reads `global` (randombytes)
    // and `process.nextTick` (readable-stream). `global` is rewritten here; `process`
    // comes from src-renderer/shims/node-globals.ts, imported first by main.tsx.
    define: { global: 'globalThis' },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
