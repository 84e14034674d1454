// One Vite config, four builds:
//   vite build --mode cli      → dist/node/{cli,node-worker}.mjs  (the CLI host and its worker_threads entry)
//   vite build --mode web      → dist/web/ (static site; web/)
//   vite build --mode single   → dist/web/palimpsest.html (the same app in one self-contained file for file://)
//   vitest                     → unit, engine and web tests
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { bytesPlugin, cspPlugin, inlineWorkers, singleFilePlugin } from './web/build/vite-plugins.ts';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig(({ mode }) => {
  if (mode === 'cli') {
    return {
      build: {
        ssr: true,
        target: 'node20',
        outDir: 'dist/node',
        emptyOutDir: true,
        minify: false,
        sourcemap: true,
        rollupOptions: {
          input: { cli: r('./workers/hosts/cli-main.ts'), 'node-worker': r('./workers/hosts/node-worker.ts') },
          output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
        },
      },
      ssr: { noExternal: ['comlink'] },
    };
  }
  const jsx = { oxc: { jsx: { runtime: 'automatic' as const, importSource: 'preact' } } };
  if (process.env.VITEST) {
    return {
      ...jsx,
      plugins: [bytesPlugin()],
      test: {
        include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        pool: 'forks',
      },
    };
  }
  // The web app (dev server, `vite preview`, and both static builds).
  const single = mode === 'single';
  const workerPlugins = (): Plugin[] => (single ? [inlineWorkers(), bytesPlugin()] : [bytesPlugin()]);
  return {
    ...jsx,
    root: r('./web'),
    base: './',
    publicDir: false,
    plugins: [...workerPlugins(), cspPlugin(), ...(single ? [singleFilePlugin('palimpsest.html')] : [])],
    worker: { format: 'iife', plugins: workerPlugins },
    build: {
      outDir: r('./dist/web'),
      emptyOutDir: !single,
      target: 'es2022',
      sourcemap: false,
      assetsInlineLimit: single ? Number.MAX_SAFE_INTEGER : 4096,
      cssCodeSplit: false,
      modulePreload: { polyfill: false },
      rollupOptions: single ? { output: { codeSplitting: false } } : {},
      // The sql.js worker and the demo case are large on purpose (both embed binaries).
      chunkSizeWarningLimit: 4096,
    },
    preview: { host: '127.0.0.1', port: 4173, strictPort: false },
    server: { host: '127.0.0.1' },
  };
});
