// A pool of workers speaking comlink. Host-agnostic: the host supplies `spawn`, which starts one worker (a Web
// Worker in the browser, a worker_threads Worker in Node) and returns its comlink endpoint, a way to terminate it
// and a way to hear that it died. Workers start lazily, run one job at a time, and a job that is cancelled or whose
// worker crashes (or runs out of memory) fails alone: its worker is replaced and the queue goes on.

import * as Comlink from 'comlink';
import type { JobMap, JobName } from '../engine/jobs';
import type { JobRunner, LaneJobSizes, RunOptions } from '../engine/runner';
import { PalimpsestError, asPalimpsestError, type ErrorCode } from '../engine/errors';
import type { WireResult } from '../hosts/worker-api';

export interface WorkerApi {
  run(name: string, args: unknown, progress?: (n: number) => void): Promise<WireResult>;
  ping(): Promise<string>;
}

export interface SpawnedWorker {
  endpoint: Comlink.Endpoint;
  terminate(): void;
  /** Registers a callback for an unexpected death (error event, exit). */
  onDeath(cb: (reason: string) => void): void;
}

interface Slot {
  id: number;
  worker: SpawnedWorker;
  api: Comlink.Remote<WorkerApi>;
  busy: boolean;
  dead: boolean;
  /** Affinity of the last job this worker ran. */
  affinity?: string;
  fail?: (e: PalimpsestError) => void;
}

interface Pending {
  name: string;
  args: unknown;
  opts: RunOptions;
  transfer: Transferable[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface PoolOptions {
  size: number;
  spawn: () => SpawnedWorker;
  /** Job sizes for lanes (JobRunner.laneJobs). */
  laneJobs?: LaneJobSizes;
  /** Which parts of args to transfer instead of copy (e.g. in-memory evidence bytes). */
  transferArgs?: (name: string, args: unknown) => Transferable[];
}

export class WorkerPool implements JobRunner {
  readonly concurrency: number;
  readonly laneJobs?: LaneJobSizes;
  private readonly opts: PoolOptions;
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: PoolOptions) {
    this.opts = opts;
    this.concurrency = Math.max(1, opts.size);
    this.laneJobs = opts.laneJobs;
  }

  run<K extends JobName>(name: K, args: JobMap[K]['args'], opts: RunOptions = {}): Promise<JobMap[K]['result']> {
    if (this.closed) return Promise.reject(new PalimpsestError('usage', 'worker pool is closed'));
    if (opts.signal?.aborted) return Promise.reject(new PalimpsestError('cancelled', 'The operation was cancelled'));
    return new Promise((resolve, reject) => {
      this.queue.push({ name, args, opts, transfer: this.opts.transferArgs?.(name, args) ?? [], resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /**
   * Starts every worker now (instead of on first use) and has each load its kernels, so start-up overlaps with the
   * caller's own work. Resolves when all are ready; errors are left for the jobs to report.
   */
  warm(): Promise<void> {
    const starting: Promise<unknown>[] = [];
    while (this.slots.length < this.concurrency) {
      const slot = this.spawnSlot();
      starting.push(slot.api.ping().catch(() => undefined));
    }
    return Promise.all(starting).then(() => undefined);
  }

  /** Number of live workers (for tests and diagnostics). */
  get size(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue) p.reject(new PalimpsestError('cancelled', 'worker pool closed'));
    this.queue = [];
    for (const s of this.slots) this.kill(s);
    this.slots = [];
  }

  private spawnSlot(): Slot {
    const worker = this.opts.spawn();
    const api = Comlink.wrap<WorkerApi>(worker.endpoint);
    const slot: Slot = { id: this.nextId++, worker, api, busy: false, dead: false };
    worker.onDeath((reason) => {
      if (slot.dead) return;
      slot.dead = true;
      slot.fail?.(new PalimpsestError('worker-crashed', `worker ${slot.id} stopped: ${reason}`));
      this.slots = this.slots.filter((s) => s !== slot);
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  private kill(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    try {
      slot.api[Comlink.releaseProxy]();
    } catch {
      /* already gone */
    }
    slot.worker.terminate();
    this.slots = this.slots.filter((s) => s !== slot);
  }

  private pump(): void {
    while (this.queue.length) {
      // The worker that ran this job's affinity last, else one no affinity claims, else a new one, else any.
      const want = this.queue[0].opts.affinity;
      const free = this.slots.filter((s) => !s.busy && !s.dead);
      let slot = (want !== undefined ? free.find((s) => s.affinity === want) : undefined) ?? free.find((s) => s.affinity === undefined);
      if (!slot && this.slots.length < this.concurrency) slot = this.spawnSlot();
      slot ??= free[0];
      if (!slot) return;
      const job = this.queue.shift()!;
      if (job.opts.signal?.aborted) {
        job.reject(new PalimpsestError('cancelled', 'The operation was cancelled'));
        continue;
      }
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Pending): void {
    slot.busy = true;
    slot.affinity = job.opts.affinity;
    let settled = false;
    const finish = () => {
      settled = true;
      slot.fail = undefined;
      job.opts.signal?.removeEventListener('abort', onAbort);
      slot.busy = false;
      this.pump();
    };
    const onAbort = () => {
      if (settled) return;
      finish();
      this.kill(slot);
      job.reject(new PalimpsestError('cancelled', 'The operation was cancelled'));
      this.pump();
    };
    slot.fail = (e) => {
      if (settled) return;
      finish();
      job.reject(e);
    };
    job.opts.signal?.addEventListener('abort', onAbort, { once: true });
    const progress = job.opts.onProgress ? Comlink.proxy(job.opts.onProgress) : undefined;
    const args = job.transfer.length ? Comlink.transfer(job.args, job.transfer) : job.args;
    slot.api.run(job.name, args, progress).then(
      (w) => {
        if (settled) return;
        finish();
        if (w.ok) job.resolve(w.value);
        else job.reject(new PalimpsestError(w.error.code as ErrorCode, w.error.message, w.error.detail as Record<string, unknown>));
      },
      (e) => {
        if (settled) return;
        finish();
        job.reject(asPalimpsestError(e));
      },
    );
  }
}
