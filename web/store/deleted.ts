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

export interface DeletedStore {
  /** By report file index. */
  byFile: ReadonlySignal<ReadonlyMap<number, DeletedState>>;
  search(file: number): Promise<CarveReport | null>;
  cancel(): void;
  reset(): void;
}

export function createDeletedStore(client: CaseClientLike): DeletedStore {
  const byFile = signal<ReadonlyMap<number, DeletedState>>(new Map());
  let gen = 0;
  const set = (file: number, s: DeletedState) => {
    const m = new Map(byFile.value);
    m.set(file, s);
    byFile.value = m;
  };
  return {
    byFile,
    async search(file) {
      const my = gen;
      set(file, { phase: 'running', progress: null, result: null, error: null });
      try {
        const r = await client.deleted(file, (p) => {
          if (my === gen && byFile.value.get(file)?.phase === 'running') set(file, { ...byFile.value.get(file)!, progress: p });
        });
        if (my !== gen) return null;
        set(file, { phase: 'done', progress: null, result: r, error: null });
        return r;
      } catch (e) {
        if (my === gen) set(file, { phase: 'error', progress: null, result: null, error: appError(e) });
        return null;
      }
    },
    cancel() {
      client.cancel('deleted');
    },
    reset() {
      gen++;
      byFile.value = new Map();
    },
  };
}
