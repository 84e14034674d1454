// One Vite config, three builds:
//   vite build --mode cli   → dist/node/{cli,node-worker}.mjs  (the CLI host and its worker_threads entry)
//   vite build              → dist/web/ (static site) — see web/
//   vitest                  → unit and engine tests
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

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
  return {
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 300_000,
      pool: 'forks',
    },
  };
});
