// Deleted-records sub-store: rows carved from a SQLite database or snapshot of the open case, per file, on demand
// (the case worker runs formats/sqlite/carve.ts). A new case forgets them; a search of another file may run meanwhile.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Progress } from '../../workers/hosts/case-api';
import type { CarveReport } from '../../workers/engine/formats/sqlite/carve';
import type { CaseClientLike, AppError } from './clients';
import { appError } from './clients';

export interface DeletedState {
  phase: 'running' | 'done' | 'error';
  progress: Progress | null;
  result: CarveReport | null;
  error: AppError | null;
}

/** A search's key: a report file index, or `rebuilt:<sha256>` for a rebuilt database. */
export type DeletedKey = number | string;

export interface DeletedStore {
  byFile: ReadonlySignal<ReadonlyMap<DeletedKey, DeletedState>>;
  search(file: number): Promise<CarveReport | null>;
  /** Searches a rebuilt database (the page holds it); its key is `rebuilt:<sha256>`. */
  searchRebuilt(db: Blob, name: string, sha256: string): Promise<CarveReport | null>;
  cancel(key: DeletedKey): void;
  reset(): void;
}

export function createDeletedStore(client: CaseClientLike): DeletedStore {
  const byFile = signal<ReadonlyMap<DeletedKey, DeletedState>>(new Map());
  let gen = 0;
  const set = (file: DeletedKey, s: DeletedState) => {
    const m = new Map(byFile.value);
    m.set(file, s);
    byFile.value = m;
  };
  const run = async (key: DeletedKey, start: (onProgress: (p: Progress) => void) => Promise<CarveReport>): Promise<CarveReport | null> => {
    const my = gen;
    set(key, { phase: 'running', progress: null, result: null, error: null });
    try {
      const r = await start((p) => {
        if (my === gen && byFile.value.get(key)?.phase === 'running') set(key, { ...byFile.value.get(key)!, progress: p });
      });
      if (my !== gen) return null;
      set(key, { phase: 'done', progress: null, result: r, error: null });
      return r;
    } catch (e) {
      if (my === gen) set(key, { phase: 'error', progress: null, result: null, error: appError(e) });
      return null;
    }
  };
  return {
    byFile,
    search(file) {
      return run(file, (p) => client.deleted(file, p));
    },
    searchRebuilt(db, name, sha256) {
      return run(`rebuilt:${sha256}`, (p) => client.deletedIn(db, name, p));
    },
    cancel(key) {
      client.cancel(typeof key === 'number' ? `deleted:${key}` : 'deleted:rebuilt');
    },
    reset() {
      gen++;
      byFile.value = new Map();
    },
  };
}
