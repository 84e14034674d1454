// Case sub-store: the evidence the user gave, inspection progress, the case view from the worker, and errors.
import { signal, computed, type ReadonlySignal } from '@preact/signals';
import type { CaseView, Progress } from '../../workers/hosts/case-api';
import type { CaseClientLike, AppError } from './clients';
import { appError } from './clients';
import type { PickedFile } from '../features/start/files';
import { caseName } from '../features/start/files';

export type CasePhase = 'empty' | 'loading' | 'ready' | 'error';

export interface CaseStore {
  phase: ReadonlySignal<CasePhase>;
  name: ReadonlySignal<string>;
  files: ReadonlySignal<PickedFile[]>;
  progress: ReadonlySignal<Progress | null>;
  view: ReadonlySignal<CaseView | null>;
  error: ReadonlySignal<AppError | null>;
  demo: ReadonlySignal<boolean>;
  hashed: ReadonlySignal<boolean>;
  /** The case verdict once verification has finished (null before). */
  verdict: ReadonlySignal<string | null>;
  open(files: PickedFile[], opts: { hash: boolean; name?: string; demo?: boolean }): Promise<CaseView | null>;
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
  const hashed = signal(false);
  let run = 0;
  return {
    phase, name, files, progress, view, error, demo, hashed,
    verdict: computed(() => (phase.value === 'ready' && view.value ? view.value.report.verdict : null)),
    async open(picked, opts) {
      const my = ++run;
      phase.value = 'loading';
      name.value = opts.name ?? caseName(picked);
      files.value = picked;
      demo.value = !!opts.demo;
      hashed.value = opts.hash;
      view.value = null;
      error.value = null;
      progress.value = { phase: 'open', done: 0, total: picked.length };
      try {
        const v = await client.inspect(
          picked.map((p) => ({ ref: { type: 'blob', blob: p.file, name: p.path }, path: p.path })),
          { hash: opts.hash },
          (e) => {
            if (my === run) progress.value = e;
          },
        );
        if (my !== run) return null;
        view.value = v;
        phase.value = 'ready';
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
