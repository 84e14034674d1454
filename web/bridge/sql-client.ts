// The page's side of the sql worker. If the worker dies, the next call starts a new one and reopens the last
// database before answering (views made before the crash are gone: callers make new ones).

import * as Comlink from 'comlink';
import type { SqlApi, DbInfo, ViewSpec, ViewInfo, SqlCell, QueryResult, ExportSource, EseExportOut, EseExportProgress, CompareItem, CompareResult } from '../../workers/hosts/sql-service';
import type { SpawnedWorker } from '../../workers/pool/pool';
import { PalimpsestError } from '../../workers/engine/errors';
import { WorkerHandle, unwire } from './worker-handle';

/** Grace period for a cooperative cancel of an ESE export before the worker is terminated. */
const HARD_CANCEL_MS = 3000;

export class SqlClient {
  private readonly h: WorkerHandle<SqlApi>;
  private blob: Blob | null = null;
  private openGen = -1;
  private cancelExport: (() => void) | null = null;

  constructor(spawn: () => SpawnedWorker) {
    this.h = new WorkerHandle<SqlApi>(spawn, 'SQL worker');
  }

  /** Generation of the open database; views from an older one are invalid. */
  get generation(): number {
    return this.openGen;
  }

  async open(blob: Blob): Promise<DbInfo> {
    this.blob = blob;
    const info = unwire(await this.h.call((api) => api.open(blob)));
    this.openGen = this.h.generation;
    return info;
  }

  private async ensure(): Promise<void> {
    if (this.openGen === this.h.generation && this.h.running) return;
    if (!this.blob) throw new PalimpsestError('usage', 'no database is open');
    await this.open(this.blob);
  }

  async view(spec: ViewSpec): Promise<ViewInfo & { gen: number }> {
    await this.ensure();
    const v = unwire(await this.h.call((api) => api.view(spec)));
    return { ...v, gen: this.openGen };
  }

  async rows(view: ViewInfo & { gen: number }, offset: number, limit: number): Promise<SqlCell[][]> {
    if (view.gen !== this.openGen || !this.h.running) throw new PalimpsestError('usage', 'the view was lost; make it again');
    return unwire(await this.h.call((api) => api.rows(view.id, offset, limit)));
  }

  async closeView(view: ViewInfo & { gen: number }): Promise<void> {
    if (view.gen !== this.openGen || !this.h.running) return;
    await this.h.call((api) => api.closeView(view.id));
  }

  async exec(sql: string, maxRows: number): Promise<QueryResult> {
    await this.ensure();
    return unwire(await this.h.call((api) => api.exec(sql, maxRows)));
  }

  async resetConsole(): Promise<void> {
    await this.ensure();
    unwire(await this.h.call((api) => api.resetConsole()));
  }

  async compareRows(table: string, items: CompareItem[]): Promise<CompareResult[]> {
    await this.ensure();
    return unwire(await this.h.call((api) => api.compareRows(table, items)));
  }

  async exportData(src: ExportSource, format: 'csv' | 'json'): Promise<Blob> {
    await this.ensure();
    return unwire(await this.h.call((api) => api.exportData(src, format)));
  }

  /** Exports an ESE database to SQLite in the worker and opens the result (the worker's Q6). */
  async exportEse(file: Blob, path: string, onProgress?: (p: EseExportProgress) => void, opts: { deleted?: boolean } = {}): Promise<EseExportOut> {
    let done = false;
    this.cancelExport = () => {
      if (done) return;
      void this.h.call((api) => api.cancel('ese-export')).catch(() => undefined);
      setTimeout(() => {
        if (!done) this.h.restart(new PalimpsestError('cancelled', 'The export was cancelled'));
      }, HARD_CANCEL_MS);
    };
    try {
      const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
      const out = unwire(await this.h.call((api) => api.exportEse('ese-export', file, path, progress, opts)));
      this.blob = out.blob;
      this.openGen = this.h.generation;
      return out;
    } finally {
      done = true;
      this.cancelExport = null;
    }
  }

  cancelEse(): void {
    this.cancelExport?.();
  }

  close(): void {
    this.blob = null;
    this.openGen = -1;
    this.h.restart(new PalimpsestError('cancelled', 'the database was closed'));
  }
}
