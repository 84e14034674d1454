// Rebuild sub-store (timeline and rebuild views): the family, the point to rebuild at (null = latest), its preview
// (what is applied, what would be lost), and the rebuild job with progress, cancel and its result.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Progress, RebuildOut, TargetPreview, TargetRef } from '../../workers/hosts/case-api';
import { parseCommitId } from '../../workers/engine/formats/sqlite/folder';
import type { CaseClientLike, AppError } from './clients';
import { appError } from './clients';

export type RebuildPhase = 'idle' | 'running' | 'done' | 'error';

export interface RebuildStore {
  family: ReadonlySignal<string | null>;
  target: ReadonlySignal<TargetRef | null>;
  preview: ReadonlySignal<TargetPreview | null>;
  previewError: ReadonlySignal<AppError | null>;
  phase: ReadonlySignal<RebuildPhase>;
  progress: ReadonlySignal<Progress | null>;
  result: ReadonlySignal<RebuildOut | null>;
  error: ReadonlySignal<AppError | null>;
  selectFamily(name: string | null): Promise<void>;
  /** `G:C`, a TargetRef, or null for the latest state. */
  setTarget(t: string | TargetRef | null): Promise<void>;
  rebuild(): Promise<RebuildOut | null>;
  cancel(): void;
  reset(): void;
}

export function createRebuildStore(client: CaseClientLike): RebuildStore {
  const family = signal<string | null>(null);
  const target = signal<TargetRef | null>(null);
  const preview = signal<TargetPreview | null>(null);
  const previewError = signal<AppError | null>(null);
  const phase = signal<RebuildPhase>('idle');
  const progress = signal<Progress | null>(null);
  const result = signal<RebuildOut | null>(null);
  const error = signal<AppError | null>(null);
  let req = 0;
  let job = 0;
  const refresh = async () => {
    const my = ++req;
    previewError.value = null;
    if (!family.value) {
      preview.value = null;
      return;
    }
    try {
      const p = await client.preview(family.value, target.value);
      if (my === req) preview.value = p;
    } catch (e) {
      if (my === req) {
        preview.value = null;
        previewError.value = appError(e);
      }
    }
  };
  return {
    family, target, preview, previewError, phase, progress, result, error,
    async selectFamily(name) {
      family.value = name;
      target.value = null;
      await refresh();
    },
    async setTarget(t) {
      if (typeof t === 'string') {
        const p = parseCommitId(t);
        if (!p) {
          previewError.value = { code: 'usage', message: `not a commit id (G:C): ${t}` };
          return;
        }
        target.value = p;
      } else target.value = t;
      await refresh();
    },
    async rebuild() {
      if (!family.value || phase.value === 'running') return null;
      const my = ++job;
      phase.value = 'running';
      error.value = null;
      result.value = null;
      progress.value = { phase: 'rebuild', done: 0, total: 1 };
      try {
        const r = await client.rebuild(family.value, target.value, (e) => {
          if (my === job) progress.value = e;
        });
        if (my !== job) return null;
        result.value = r;
        phase.value = 'done';
        return r;
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
      client.cancel('rebuild');
    },
    reset() {
      req++;
      job++;
      family.value = null;
      target.value = null;
      preview.value = null;
      previewError.value = null;
      phase.value = 'idle';
      progress.value = null;
      result.value = null;
      error.value = null;
    },
  };
}
