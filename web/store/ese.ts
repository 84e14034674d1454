// ESE sub-store: the restore-plan checklist the admin ticks, and "Open as SQLite" — an ESE database exported by the
// engine in the sql worker (progress, cancel), whose result the browse store then shows.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { EseExportOut, EseExportProgress } from '../../workers/hosts/sql-service';
import type { SqlClientLike, AppError } from './clients';
import { appError } from './clients';

export type EseExportPhase = 'idle' | 'running' | 'done' | 'error';

export interface EseStore {
  /** Ticked plan steps, keyed by stepKey(). */
  ticks: ReadonlySignal<Record<string, boolean>>;
  toggle(key: string): void;
  /** The report file index being (or last) exported. */
  file: ReadonlySignal<number | null>;
  phase: ReadonlySignal<EseExportPhase>;
  progress: ReadonlySignal<EseExportProgress | null>;
  result: ReadonlySignal<EseExportOut | null>;
  error: ReadonlySignal<AppError | null>;
  /** Also recover records flagged deleted (FORMAT.md E8) on the next export. */
  recoverDeleted: ReadonlySignal<boolean>;
  setRecoverDeleted(on: boolean): void;
  exportDb(index: number, file: Blob, path: string): Promise<EseExportOut | null>;
  cancel(): void;
  reset(): void;
}

/** A plan step's checkbox key: the database and the step's position and text (a new case starts unticked). */
export const stepKey = (database: string, i: number, text: string): string => `${database}\u0000${i}\u0000${text}`;

export function createEseStore(client: SqlClientLike): EseStore {
  const ticks = signal<Record<string, boolean>>({});
  const file = signal<number | null>(null);
  const phase = signal<EseExportPhase>('idle');
  const progress = signal<EseExportProgress | null>(null);
  const result = signal<EseExportOut | null>(null);
  const error = signal<AppError | null>(null);
  const recoverDeleted = signal(false);
  let job = 0;
  return {
    ticks, file, phase, progress, result, error, recoverDeleted,
    setRecoverDeleted(on) {
      recoverDeleted.value = on;
    },
    toggle(key) {
      ticks.value = { ...ticks.value, [key]: !ticks.value[key] };
    },
    async exportDb(index, blob, path) {
      if (phase.value === 'running') return null;
      const my = ++job;
      file.value = index;
      phase.value = 'running';
      error.value = null;
      result.value = null;
      progress.value = { phase: 'catalog', done: 0, total: 1 };
      try {
        const out = await client.exportEse(blob, path, (p) => {
          if (my === job) progress.value = p;
        }, { deleted: recoverDeleted.value });
        if (my !== job) return null;
        result.value = out;
        phase.value = 'done';
        return out;
      } catch (e) {
        if (my === job) {
          error.value = appError(e);
          phase.value = 'error';
        }
        return null;
      } finally {
        if (my === job) progress.value = null;
      }
    },
    cancel() {
      client.cancelEse();
    },
    reset() {
      job++;
      ticks.value = {};
      file.value = null;
      phase.value = 'idle';
      progress.value = null;
      result.value = null;
      error.value = null;
    },
  };
}
