import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/** `npm run package` sets POSTE_DMP_PACKAGE=1: the card simulator is then left out of the bundle. */
export const simulatorInBuild = process.env.POSTE_DMP_PACKAGE !== '1';

export default defineConfig({
  main: {
    define: { 'process.env.POSTE_DMP_BUILD_SIMULATOR': JSON.stringify(simulatorInBuild ? '1' : '0') },
    build: {
      // Native addon and wasm stay in node_modules (loaded at run time, never bundled).
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          'web-host': resolve(__dirname, 'src/main/web-host.ts'),
          'store-worker': resolve(__dirname, 'src/main/store/store-worker.ts'),
          'cda-parser-worker': resolve(__dirname, 'src/main/dmp/cda-parser-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require npm packages: bundle everything it uses.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
