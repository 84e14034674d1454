// Integrity sub-store: the selected file and its page map, the map cursor, the hex view, and the issue filters.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { HexUnit, HexUnitKind, PageMapData } from '../../workers/hosts/case-api';
import type { Severity } from '../../workers/engine/types';
import type { CaseClientLike, AppError } from './clients';
import { appError } from './clients';
import { ALL_SEVERITIES, type IssueFilter } from '../features/integrity/issues';

export interface IntegrityStore {
  selected: ReadonlySignal<number | null>;
  map: ReadonlySignal<PageMapData | null>;
  mapError: ReadonlySignal<AppError | null>;
  cursor: ReadonlySignal<number | null>;
  hex: ReadonlySignal<HexUnit | null>;
  hexError: ReadonlySignal<AppError | null>;
  hexByte: ReadonlySignal<number>;
  filter: ReadonlySignal<IssueFilter>;
  selectFile(file: number | null): Promise<void>;
  setCursor(cell: number | null): void;
  openHex(file: number, unit: HexUnitKind, index: number, byte?: number): Promise<void>;
  stepHex(delta: number): Promise<void>;
  setHexByte(i: number): void;
  closeHex(): void;
  toggleSeverity(s: Severity): void;
  setIssueFile(path: string): void;
  setIssueText(text: string): void;
  reset(): void;
}

export function createIntegrityStore(client: CaseClientLike): IntegrityStore {
  const selected = signal<number | null>(null);
  const map = signal<PageMapData | null>(null);
  const mapError = signal<AppError | null>(null);
  const cursor = signal<number | null>(null);
  const hex = signal<HexUnit | null>(null);
  const hexError = signal<AppError | null>(null);
  const hexByte = signal(0);
  const filter = signal<IssueFilter>({ severities: [...ALL_SEVERITIES], file: '', text: '' });
  let mapReq = 0;
  let hexReq = 0;
  const openHex = async (file: number, unit: HexUnitKind, index: number, byte = 0) => {
    const my = ++hexReq;
    hexError.value = null;
    try {
      const u = await client.unit(file, unit, index);
      if (my !== hexReq) return;
      hex.value = u;
      hexByte.value = Math.max(0, Math.min(u.bytes.length - 1, byte));
    } catch (e) {
      if (my === hexReq) hexError.value = appError(e);
    }
  };
  return {
    selected, map, mapError, cursor, hex, hexError, hexByte, filter,
    async selectFile(file) {
      const my = ++mapReq;
      selected.value = file;
      cursor.value = null;
      map.value = null;
      mapError.value = null;
      if (file === null) return;
      try {
        const m = await client.pageMap(file);
        if (my === mapReq) map.value = m;
      } catch (e) {
        if (my === mapReq) mapError.value = appError(e);
      }
    },
    setCursor(cell) {
      const m = map.value;
      cursor.value = cell === null || !m ? null : Math.max(0, Math.min(m.count - 1, cell));
    },
    openHex,
    async stepHex(delta) {
      const h = hex.value;
      if (!h) return;
      const next = h.index + delta;
      if (next < (h.first ?? 1) || next > h.count) return;
      await openHex(h.file, h.unit, next, hexByte.value);
    },
    setHexByte(i) {
      const h = hex.value;
      if (h) hexByte.value = Math.max(0, Math.min(h.bytes.length - 1, i));
    },
    closeHex() {
      hexReq++;
      hex.value = null;
      hexError.value = null;
    },
    toggleSeverity(s) {
      const cur = filter.value.severities;
      filter.value = { ...filter.value, severities: cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s] };
    },
    setIssueFile(path) {
      filter.value = { ...filter.value, file: path };
    },
    setIssueText(text) {
      filter.value = { ...filter.value, text };
    },
    reset() {
      mapReq++;
      hexReq++;
      selected.value = null;
      map.value = null;
      mapError.value = null;
      cursor.value = null;
      hex.value = null;
      hexError.value = null;
      filter.value = { severities: [...ALL_SEVERITIES], file: '', text: '' };
    },
  };
}
