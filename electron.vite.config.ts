// Builds the desktop app into out/: the main process (ESM), the preload script (CommonJS, as a
// sandboxed preload must be, with its imports bundled in) and the renderer.
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      // The mover program runs as its own process (engine/movers/launch.ts finds it beside index.js);
      // the command line is bundled too, for the installed app's `mpbackup` (assets/bin/).
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          mover: resolve(import.meta.dirname, 'engine/movers/process.ts'),
          cli: resolve(import.meta.dirname, 'cli/entry.ts'),
        },
        // Shared code sits beside the entries, so a module's own directory is out/main wherever
        // it ended up (the mover launcher looks for mover.js there).
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    // Icons and images shared by the app and the installers are served from assets/.
    publicDir: resolve(import.meta.dirname, 'assets'),
    plugins: [vue()],
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
