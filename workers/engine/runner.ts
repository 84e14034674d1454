// How the engine asks for parallel work. The engine core only knows this interface; hosts provide a WorkerPool
// (Web Workers or worker_threads over comlink) or, in unit tests, a LocalRunner running jobs in-process.

import { jobs, type JobContext, type JobMap, type JobName } from './jobs';

export interface RunOptions {
  signal?: AbortSignal;
  /** Byte progress of a single long job (hashing). */
  onProgress?: (doneBytes: number) => void;
  /**
   * Jobs with the same affinity go to the worker that ran the last of them when it is free: a worker may keep that
   * job's source open, and a job that starts where the last one ended then reads on without reopening it.
   */
  affinity?: string;
}

/** Sizes of the jobs of a lane (inspect.ts runLanes). */
export interface LaneJobSizes {
  maxBytes: number;
  minBytes: number;
}

/** Node file sources: reopening costs nothing, so modest jobs keep the executors evenly loaded. */
export const DEFAULT_LANE_JOBS: LaneJobSizes = { maxBytes: 64 << 20, minBytes: 1 << 20 };

export interface JobRunner {
  readonly concurrency: number;
  /**
   * Job sizes the host wants for lanes (default DEFAULT_LANE_JOBS). Browser Blob streams cost several ms to restart
   * and each job is a round trip through the case worker: the browser asks for few large jobs.
   */
  readonly laneJobs?: LaneJobSizes;
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
 * A runner that also uses the calling thread. It keeps its own queue and hands each job to whichever is free — the
 * local runner or one of the pool's workers — so the work spreads evenly (the pool never gets more jobs than it has
 * workers). For the CLI, whose main thread would otherwise only wait; the browser keeps its main thread for the UI.
 */
export class HybridRunner implements JobRunner {
  readonly concurrency: number;
  private localBusy = false;
  private poolInFlight = 0;
  private queue: Array<{ start: (via: JobRunner) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  constructor(private readonly pool: JobRunner, private readonly local: JobRunner) {
    this.concurrency = pool.concurrency + 1;
  }
  run<K extends JobName>(name: K, args: JobMap[K]['args'], opts: RunOptions = {}): Promise<JobMap[K]['result']> {
    return new Promise((resolve, reject) => {
      this.queue.push({ start: (via) => via.run(name, args, opts), resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }
  private pump(): void {
    while (this.queue.length) {
      let via: JobRunner;
      let done: () => void;
      if (this.poolInFlight < this.pool.concurrency) {
        this.poolInFlight++;
        via = this.pool;
        done = () => void this.poolInFlight--;
      } else if (!this.localBusy) {
        this.localBusy = true;
        via = this.local;
        done = () => void (this.localBusy = false);
      } else return;
      const job = this.queue.shift()!;
      // A local job runs on this thread in microtasks; yielding to the event loop first lets worker results (and
      // the pool's dispatch of the next job) through, so the workers are not starved while this thread works.
      const started = via === this.local ? macrotask().then(() => job.start(via)) : job.start(via);
      started.then(
        (v) => { done(); job.resolve(v); this.pump(); },
        (e) => { done(); job.reject(e); this.pump(); },
      );
    }
  }
}

/** Resolves on a later turn of the event loop (after pending I/O and messages). Works in Node and browsers. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
