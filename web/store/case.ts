// Case sub-store: the evidence the user gave, inspection progress, the case view from the worker, and errors.
import { signal, computed, type ReadonlySignal } from '@preact/signals';
import type { CaseView, Progress } from '../../workers/hosts/case-api';
import type { CaseClientLike, AppError } from './clients';
import { appError } from './clients';
import type { PickedFile } from '../features/start/files';
import { caseName } from '../features/start/files';

export type CasePhase = 'empty' | 'loading' | 'ready' | 'error';

/**
 * SHA-256 of the evidence, computed after the verdict (hashing a 1 GB file takes seconds longer than checking it):
 * off (not asked for), running (with progress), done, stopped by the user, or failed.
 */
export interface HashState {
  status: 'off' | 'running' | 'done' | 'stopped' | 'failed';
  progress: Progress | null;
  error: AppError | null;
}
const HASH_OFF: HashState = { status: 'off', progress: null, error: null };

export interface CaseStore {
  phase: ReadonlySignal<CasePhase>;
  name: ReadonlySignal<string>;
  files: ReadonlySignal<PickedFile[]>;
  progress: ReadonlySignal<Progress | null>;
  view: ReadonlySignal<CaseView | null>;
  error: ReadonlySignal<AppError | null>;
  demo: ReadonlySignal<boolean>;
  hashing: ReadonlySignal<HashState>;
  /** The case verdict once verification has finished (null before). */
  verdict: ReadonlySignal<string | null>;
  /**
   * Inspects the files; the view (and verdict) comes as soon as they are checked. With `hash`, their SHA-256 follow
   * (see hash()). `onHashed` gets the view each time this case's hashes come in (here or from hash()).
   */
  open(files: PickedFile[], opts: { hash: boolean; name?: string; demo?: boolean; onHashed?: (v: CaseView) => void }): Promise<CaseView | null>;
  /** Hashes the open case's files now (after a verdict without hashes, or after a stop); the view with the hashes. */
  hash(): Promise<CaseView | null>;
  stopHashing(): void;
  cancel(): void;
  close(): void;
}

export function createCaseStore(client: CaseClientLike): CaseStore {
  const phase = signal<CasePhase>('empty');
  const name = signal('');
  const files = signal<PickedFile[]>([]);
  const progress = signal<Progress | null>(null);
  const view = signal<CaseView | null>(null);
  const error = signal<AppError | null>(null);
  const demo = signal(false);
  const hashing = signal<HashState>(HASH_OFF);
  let run = 0;
  let onHashed: ((v: CaseView) => void) | undefined;
  const hash = async (): Promise<CaseView | null> => {
    const my = run;
    if (phase.value !== 'ready' || !view.value || hashing.value.status === 'running') return null;
    hashing.value = { status: 'running', progress: null, error: null };
    try {
      const report = await client.hash(
        (e) => {
          if (my === run && hashing.value.status === 'running') hashing.value = { ...hashing.value, progress: e };
        },
        // Each file's hash shows as soon as it is done (and stays if the rest is stopped).
        (i, sha256) => {
          const v = view.value;
          if (my !== run || !v || !v.report.files[i]) return;
          const files = v.report.files.slice();
          files[i] = { ...files[i], sha256 };
          view.value = { ...v, report: { ...v.report, files } };
        },
      );
      if (my !== run || !view.value) return null;
      const v: CaseView = { ...view.value, report };
      view.value = v;
      hashing.value = { status: 'done', progress: null, error: null };
      onHashed?.(v);
      return v;
    } catch (e) {
      if (my !== run) return null;
      const err = appError(e);
      hashing.value = { status: err.code === 'cancelled' ? 'stopped' : 'failed', progress: null, error: err.code === 'cancelled' ? null : err };
      return null;
    }
  };
  return {
    phase, name, files, progress, view, error, demo, hashing,
    hash,
    stopHashing() {
      if (hashing.value.status === 'running') client.cancel('hash');
    },
    verdict: computed(() => (phase.value === 'ready' && view.value ? view.value.report.verdict : null)),
    async open(picked, opts) {
      const my = ++run;
      phase.value = 'loading';
      name.value = opts.name ?? caseName(picked);
      files.value = picked;
      demo.value = !!opts.demo;
      onHashed = opts.onHashed;
      if (hashing.value.status === 'running') client.cancel('hash');
      hashing.value = HASH_OFF;
      view.value = null;
      error.value = null;
      progress.value = { phase: 'open', done: 0, total: picked.length };
      try {
        const v = await client.inspect(
          picked.map((p) => ({ ref: { type: 'blob', blob: p.file, name: p.path }, path: p.path })),
          // The verdict first: hashing runs after it (hash()), not beside the checks.
          { hash: false },
          (e) => {
            if (my === run) progress.value = e;
          },
        );
        if (my !== run) return null;
        view.value = v;
        phase.value = 'ready';
        if (opts.hash) void hash();
        return v;
      } catch (e) {
        if (my !== run) return null;
        error.value = appError(e);
        phase.value = 'error';
        return null;
      } finally {
        if (my === run) progress.value = null;
      }
    },
    cancel() {
      client.cancel('inspect');
    },
    close() {
      run++;
      onHashed = undefined;
      if (hashing.value.status === 'running') client.cancel('hash');
      hashing.value = HASH_OFF;
      client.forget();
      phase.value = 'empty';
      name.value = '';
      files.value = [];
      view.value = null;
      error.value = null;
      progress.value = null;
      demo.value = false;
    },
  };
}
