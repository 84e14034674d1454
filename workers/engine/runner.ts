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

/**
 * A runner that also uses the calling thread: jobs go to the local runner whenever it is idle, otherwise to the
 * pool. For the CLI, whose main thread would otherwise only wait (the browser keeps its main thread for the UI).
 */
export class HybridRunner implements JobRunner {
  readonly concurrency: number;
  private localBusy = false;
  constructor(private readonly pool: JobRunner, private readonly local: JobRunner) {
    this.concurrency = pool.concurrency + local.concurrency;
  }
  async run<K extends JobName>(name: K, args: JobMap[K]['args'], opts: RunOptions = {}): Promise<JobMap[K]['result']> {
    if (this.localBusy) return this.pool.run(name, args, opts);
    this.localBusy = true;
    try {
      // Yield first so that jobs queued in the same tick spread over the pool too.
      await Promise.resolve();
      return await this.local.run(name, args, opts);
    } finally {
      this.localBusy = false;
    }
  }
}
