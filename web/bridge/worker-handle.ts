// One restartable worker behind comlink. A call races the worker's death: when the worker crashes (an uncaught
// error, a failed start, running out of memory) every pending call fails with `worker-crashed` (or
// `out-of-memory`) and the next call starts a fresh worker, so only that job fails and the page stays usable.
// restart() is the hard cancel: pending calls fail with the given error and the worker is terminated.

import * as Comlink from 'comlink';
import type { SpawnedWorker } from '../../workers/pool/pool';
import { PalimpsestError, type ErrorCode } from '../../workers/engine/errors';
import type { Wire } from '../../workers/hosts/case-api';

interface Live<Api> {
  w: SpawnedWorker;
  remote: Comlink.Remote<Api>;
  /** Every method of Api already returns a promise, so the remote has Api's own shape. */
  api: Api;
  pending: Set<(e: PalimpsestError) => void>;
}

export class WorkerHandle<Api> {
  /** Bumped whenever a worker is replaced (whatever state it held is gone). */
  generation = 0;
  private cur: Live<Api> | null = null;
  private readonly spawn: () => SpawnedWorker;
  private readonly what: string;

  constructor(spawn: () => SpawnedWorker, what: string) {
    this.spawn = spawn;
    this.what = what;
  }

  private ensure(): Live<Api> {
    if (this.cur) return this.cur;
    const w = this.spawn();
    const remote = Comlink.wrap<Api>(w.endpoint);
    const live: Live<Api> = { w, remote, api: remote as unknown as Api, pending: new Set() };
    w.onDeath((reason) => {
      const oom = /memory|allocation/i.test(reason);
      this.stop(live, new PalimpsestError(oom ? 'out-of-memory' : 'worker-crashed', `the ${this.what} stopped: ${reason}`));
    });
    this.cur = live;
    return live;
  }

  private stop(live: Live<Api>, e: PalimpsestError): void {
    for (const fail of [...live.pending]) fail(e);
    live.pending.clear();
    if (this.cur !== live) return;
    this.cur = null;
    this.generation++;
    try {
      live.remote[Comlink.releaseProxy]();
    } catch {
      /* already gone */
    }
    live.w.terminate();
  }

  async call<R>(fn: (api: Api) => Promise<R>): Promise<R> {
    const live = this.ensure();
    let fail!: (e: PalimpsestError) => void;
    const failed = new Promise<never>((_, rej) => (fail = rej));
    failed.catch(() => undefined);
    live.pending.add(fail);
    try {
      return await Promise.race([fn(live.api), failed]);
    } finally {
      live.pending.delete(fail);
    }
  }

  /** Terminates the worker now; pending calls fail with `reason`; the next call starts a new worker. */
  restart(reason: PalimpsestError): void {
    if (this.cur) this.stop(this.cur, reason);
  }

  get running(): boolean {
    return this.cur !== null;
  }
}

export function unwire<T>(w: Wire<T>): T {
  if (w.ok) return w.value;
  throw new PalimpsestError(w.error.code as ErrorCode, w.error.message);
}
