// Case history sub-store: recent cases with names, sizes, hashes and verdicts — never evidence bytes unless the
// user opted in (then the File objects are kept in IndexedDB under `evidence:<id>` so the case can be reopened).
// Keys: `history` (the list, newest first, at most MAX_ENTRIES), `evidence:<id>`.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { KV } from './kv';
import type { PickedFile } from '../features/start/files';

export const MAX_ENTRIES = 30;

export interface HistoryFile {
  path: string;
  size: number;
  kind: string;
  sha256: string | null;
}

export interface HistoryEntry {
  id: string;
  name: string;
  openedAt: number;
  verdict: string;
  counts: { errors: number; warnings: number; infos: number };
  files: HistoryFile[];
  families: Array<{ name: string; verdict: string; reached: string | null }>;
  evidenceKept: boolean;
  demo: boolean;
}

export interface HistoryStore {
  entries: ReadonlySignal<HistoryEntry[]>;
  load(): Promise<void>;
  /**
   * Adds the case, or updates the entry of the same files. `replaces`: the id of this case's earlier entry (recorded
   * at the verdict, before its hashes were known), which this one takes over (its kept evidence included); if the
   * user has removed that entry meanwhile, nothing is recorded (null).
   */
  record(e: Omit<HistoryEntry, 'id' | 'evidenceKept'>, evidence: PickedFile[] | null, opts?: { replaces?: string }): Promise<HistoryEntry | null>;
  evidence(id: string): Promise<PickedFile[] | null>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
}

/** Same files (paths, sizes and hashes) = same case: reopening updates the entry instead of adding one. */
export function caseKey(files: HistoryFile[]): string {
  return files.map((f) => `${f.path}\u0000${f.size}\u0000${f.sha256 ?? ''}`).sort().join('\u0001');
}

export function createHistory(kv: KV): HistoryStore {
  const entries = signal<HistoryEntry[]>([]);
  const save = () => kv.set('history', entries.value);
  return {
    entries,
    async load() {
      const list = await kv.get<HistoryEntry[]>('history').catch(() => undefined);
      if (Array.isArray(list)) entries.value = list.filter((e) => e && typeof e.id === 'string').slice(0, MAX_ENTRIES);
    },
    async record(e, evidence, opts = {}) {
      const key = caseKey(e.files);
      const prev = opts.replaces ? entries.value.find((x) => x.id === opts.replaces) : undefined;
      if (opts.replaces && !prev) return null;
      const old = entries.value.find((x) => x !== prev && caseKey(x.files) === key);
      const id = old?.id ?? prev?.id ?? `${e.openedAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      let evidenceKept = old?.evidenceKept ?? prev?.evidenceKept ?? false;
      if (evidence) {
        await kv.set(`evidence:${id}`, evidence.map((p) => ({ path: p.path, file: p.file })));
        evidenceKept = true;
      }
      if (prev && prev.id !== id && prev.evidenceKept) {
        // The earlier entry's kept evidence moves to the entry that takes it over.
        const kept = await kv.get(`evidence:${prev.id}`);
        if (kept && !evidence) {
          await kv.set(`evidence:${id}`, kept);
          evidenceKept = true;
        }
        await kv.del(`evidence:${prev.id}`);
      }
      const entry: HistoryEntry = { ...e, id, evidenceKept };
      const rest = entries.value.filter((x) => x.id !== id && x !== prev);
      const next = [entry, ...rest];
      for (const dropped of next.slice(MAX_ENTRIES)) if (dropped.evidenceKept) await kv.del(`evidence:${dropped.id}`);
      entries.value = next.slice(0, MAX_ENTRIES);
      await save();
      return entry;
    },
    async evidence(id) {
      const v = await kv.get<Array<{ path: string; file: File }>>(`evidence:${id}`);
      return v ? v.map((x) => ({ path: x.path, file: x.file })) : null;
    },
    async remove(id) {
      const e = entries.value.find((x) => x.id === id);
      if (e?.evidenceKept) await kv.del(`evidence:${id}`);
      entries.value = entries.value.filter((x) => x.id !== id);
      await save();
    },
    async clear() {
      for (const e of entries.value) if (e.evidenceKept) await kv.del(`evidence:${e.id}`);
      entries.value = [];
      await kv.del('history');
    },
  };
}
