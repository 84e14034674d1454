// A WorkerPool of worker_threads running dist/node/node-worker.mjs (the built worker; tests use it too).
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { WorkerPool } from '../pool/pool';
import { packageRoot } from './node-io';
import { PalimpsestError } from '../engine/errors';

export function nodeWorkerScript(): string {
  const p = path.join(packageRoot(), 'dist', 'node', 'node-worker.mjs');
  if (!existsSync(p)) throw new PalimpsestError('internal', `worker bundle missing: ${p} (run npm run build)`);
  return p;
}

/** Default worker count: one per core but one (the CLI's main thread works too), at least one, at most four. */
export function defaultWorkers(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}

export function createNodePool(size = defaultWorkers(), opts: { resourceLimitsMb?: number } = {}): WorkerPool {
  const script = nodeWorkerScript();
  return new WorkerPool({
    size,
    spawn: () => {
      const w = new Worker(script, {
        resourceLimits: opts.resourceLimitsMb ? { maxOldGenerationSizeMb: opts.resourceLimitsMb } : undefined,
        env: process.env,
      });
      const deathCbs: Array<(r: string) => void> = [];
      w.on('error', (e) => deathCbs.forEach((cb) => cb(e instanceof Error ? e.message : String(e))));
      w.on('exit', (code) => deathCbs.forEach((cb) => cb(`exit code ${code}`)));
      return {
        endpoint: nodeEndpoint(w),
        terminate: () => void w.terminate(),
        onDeath: (cb) => deathCbs.push(cb),
      };
    },
  });
}
