// The page's side of the case worker: inspect, page maps, hex units, previews and rebuilds, with progress and
// cancel. If the worker dies, the next call starts a new one and silently re-inspects the last inputs (without
// hashing) before answering, since the CaseModel lived in the dead worker.

import { unpackCarveReport } from '../../workers/engine/formats/sqlite/carve-pack';
import * as Comlink from 'comlink';
import { PalimpsestError } from '../../workers/engine/errors';
import type {
  CaseApi, CaseView, HexUnit, HexUnitKind, PageMapData, Progress, RebuildOut, TargetPreview, TargetRef, WireInput,
} from '../../workers/hosts/case-api';
import type { SpawnedWorker } from '../../workers/pool/pool';
import type { VerifyReport } from '../../workers/engine/report/report';
import type { CarveReport } from '../../workers/engine/formats/sqlite/carve';
import { WorkerHandle, unwire } from './worker-handle';
import type { CancelOp } from '../store/clients';

/** Grace period for a cooperative cancel before the worker is terminated. */
const HARD_CANCEL_MS = 3000;

export class CaseClient {
  private readonly h: WorkerHandle<CaseApi>;
  private inputs: WireInput[] | null = null;
  private modelGen = -1;
  private readonly running = new Map<string, () => void>();

  constructor(spawn: () => SpawnedWorker) {
    this.h = new WorkerHandle<CaseApi>(spawn, 'case worker');
  }

  private run<T>(op: string, fn: (api: CaseApi) => Promise<T>): Promise<T> {
    let done = false;
    const p = this.h.call(fn).finally(() => {
      done = true;
      this.running.delete(op);
    });
    this.running.set(op, () => {
      if (done) return;
      void this.h.call((api) => api.cancel(op)).catch(() => undefined);
      setTimeout(() => {
        if (!done) this.h.restart(new PalimpsestError('cancelled', 'The operation was cancelled'));
      }, HARD_CANCEL_MS);
    });
    return p;
  }

  /** Starts the case worker and its engine workers ahead of the first case. */
  async warm(): Promise<void> {
    await this.h.call((api) => api.warm());
  }

  async inspect(inputs: WireInput[], opts: { hash: boolean }, onProgress?: (e: Progress) => void): Promise<CaseView> {
    this.inputs = inputs;
    this.modelGen = -1;
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const view = unwire(await this.run('inspect', (api) => api.inspect('inspect', inputs, opts, progress)));
    this.modelGen = this.h.generation;
    return view;
  }

  /** SHA-256 of the case's files after its verdict: the report again, with the hashes. */
  async hash(onProgress?: (e: Progress) => void, onHashed?: (file: number, sha256: string) => void): Promise<VerifyReport> {
    await this.model();
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const hashed = onHashed ? Comlink.proxy(onHashed) : undefined;
    return unwire(await this.run('hash', (api) => api.hash('hash', progress, hashed)));
  }

  /** The worker holding the model may have been replaced: inspect again (no hashing) before asking it. */
  private async model(): Promise<void> {
    if (this.modelGen === this.h.generation && this.h.running) return;
    if (!this.inputs) throw new PalimpsestError('usage', 'no case is loaded');
    const inputs = this.inputs;
    unwire(await this.run('inspect', (api) => api.inspect('inspect', inputs, { hash: false })));
    this.modelGen = this.h.generation;
  }

  async pageMap(file: number): Promise<PageMapData> {
    await this.model();
    return unwire(await this.h.call((api) => api.pageMap(file)));
  }

  async unit(file: number, unit: HexUnitKind, index: number): Promise<HexUnit> {
    await this.model();
    return unwire(await this.h.call((api) => api.unit(file, unit, index)));
  }

  async preview(family: string, target: TargetRef | null): Promise<TargetPreview> {
    await this.model();
    return unwire(await this.h.call((api) => api.preview(family, target)));
  }

  async rebuild(family: string, target: TargetRef | null, onProgress?: (e: Progress) => void): Promise<RebuildOut> {
    await this.model();
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    return unwire(await this.run('rebuild', (api) => api.rebuild('rebuild', family, target, progress)));
  }

  /** Deleted rows carved from a SQLite database or snapshot of the case. */
  async deleted(file: number, onProgress?: (e: Progress) => void): Promise<CarveReport> {
    await this.model();
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    // One op per file: searching another file meanwhile does not cancel this one.
    const op = `deleted:${file}` as const;
    return unpackCarveReport(unwire(await this.run(op, (api) => api.deleted(op, file, progress))));
  }

  /** Deleted rows carved from a database the page holds (a rebuilt database). */
  async deletedIn(db: Blob, name: string, onProgress?: (e: Progress) => void): Promise<CarveReport> {
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    return unpackCarveReport(unwire(await this.run('deleted:rebuilt', (api) => api.deletedIn('deleted:rebuilt', db, name, progress))));
  }

  cancel(op: CancelOp): void {
    this.running.get(op)?.();
  }

  /** Forget the case (the worker keeps running for the next one). */
  forget(): void {
    this.inputs = null;
    this.modelGen = -1;
  }
}
