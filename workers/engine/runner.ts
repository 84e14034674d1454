// How the engine asks for parallel work. The engine core only knows this interface; hosts provide a WorkerPool
// (Web Workers or worker_threads over comlink) or, in unit tests, a LocalRunner running jobs in-process.

import { jobs, type JobContext, type JobMap, type JobName } from './jobs';

export interface RunOptions {
  signal?: AbortSignal;
  /** Byte progress of a single long job (hashing). */
  onProgress?: (doneBytes: number) => void;
}

export interface JobRunner {
  readonly concurrency: number;
  run<K extends JobName>(name: K, args: JobMap[K]['args'], opts?: RunOptions): Promise<JobMap[K]['result']>;
}

/** Runs jobs on the calling thread, one at a time. */
export class LocalRunner implements JobRunner {
  readonly concurrency = 1;
  private readonly ctx: JobContext;
  /** Jobs share one kernel instance (and its scratch memory), so they must not interleave at their awaits. */
  private tail: Promise<unknown> = Promise.resolve();
  constructor(ctx: JobContext) {
    this.ctx = ctx;
  }
  run<K extends JobName>(name: K, args: JobMap[K]['args'], opts: RunOptions = {}): Promise<JobMap[K]['result']> {
    const fn = jobs[name] as (c: JobContext, a: JobMap[K]['args']) => Promise<JobMap[K]['result']>;
    const next = this.tail.then(() => fn({ ...this.ctx, signal: opts.signal, progress: opts.onProgress }, args));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
