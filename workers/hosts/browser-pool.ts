// Web Worker plumbing shared by the page and the case worker: a SpawnedWorker over a DOM Worker (death = an
// `error` event, e.g. an uncaught exception or a failed start), and a WorkerPool of engine workers.

import { WorkerPool, type SpawnedWorker } from '../pool/pool';
import { LocalRunner, type JobRunner } from '../engine/runner';
import type { JobContext } from '../engine/jobs';

export function spawned(w: Worker): SpawnedWorker {
  const deathCbs: Array<(r: string) => void> = [];
  let dead = false;
  const die = (reason: string) => {
    if (dead) return;
    dead = true;
    for (const cb of deathCbs) cb(reason);
  };
  w.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault?.();
    die(e.message || 'the worker failed (it may have run out of memory)');
  });
  w.addEventListener('messageerror', () => die('a message could not be read'));
  return {
    endpoint: w,
    terminate: () => {
      dead = true;
      w.terminate();
    },
    onDeath: (cb) => deathCbs.push(cb),
  };
}

/**
 * Engine jobs run in a pool of Web Workers when this scope can start workers (pages, and dedicated workers in
 * Chromium and Firefox); otherwise in-process, one at a time.
 */
export function createJobRunner(make: () => Worker, size: number, local: JobContext): JobRunner & { warm?: () => Promise<void> } {
  if (typeof Worker === 'undefined') return new LocalRunner(local);
  // Few large jobs: each one restarts a Blob stream unless it continues its lane's (browser-io.ts).
  return new WorkerPool({ size, spawn: () => spawned(make()), laneJobs: { maxBytes: 256 << 20, minBytes: 4 << 20 } });
}
