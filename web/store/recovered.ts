// Recovered messages (Browse's mail view): rows of the browsed table that the case's deleted-record searches found —
// in the rebuilt database's free space, and in the page images of its family's WAL files (K9) — each compared with
// the browsed state by rowid: not in it (deleted, or written after it), or another version of a row it holds (which
// columns differ). Identical copies are left out. The searches are the deleted store's; this store runs the ones not
// run yet, collects their records for one table and asks the sql worker to compare them (sql-service Q7).
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { CarveReport, CarvedRecord, CarveSource } from '../../workers/engine/formats/sqlite/carve';
import { jsonValue, recordColumns } from '../../workers/engine/formats/sqlite/carve-report';
import type { SqlValue } from '../../workers/engine/formats/sqlite/btree';
import { cell, type CompareItem, type SqlCell } from '../../workers/hosts/sql-values';
import type { TableInfo } from '../../workers/hosts/sql-service';
import type { RebuildOut, CaseView } from '../../workers/hosts/case-api';
import type { SqlClientLike, AppError } from './clients';
import { appError } from './clients';
import type { DeletedKey, DeletedStore } from './deleted';
import type { BrowseSource } from './browse';

/** A search whose records can belong to the browsed database. */
export interface RecoverySearch {
  key: DeletedKey;
  /** A file of the case (its records open in the hex view); absent for the rebuilt database. */
  file?: number;
  name: string;
  kind: 'rebuilt' | 'wal';
  start(): Promise<unknown>;
}

export interface FoundAt {
  search: string;
  file?: number;
  frame?: number;
  page: number;
  offset: number;
  where: CarveSource;
}

/** 'absent': no row of the browsed state has its rowid; 'changed': one has, with other values; 'unknown': no rowid. */
export type RecoveredStatus = 'absent' | 'changed' | 'unknown';

export interface RecoveredMessage {
  rowid: number | null;
  /** Values in the table's column order (NULL where the record has none). */
  cells: SqlCell[];
  /** Table columns whose value the record does not tell (overwritten, not in the record, or NULL | 0 | 1). */
  unknown: number[];
  found: FoundAt[];
  status: RecoveredStatus;
  /** For 'changed': the columns that differ, and the row as the browsed state has it. */
  changed: number[];
  live: SqlCell[] | null;
}

export interface RecoveredList {
  table: string;
  messages: RecoveredMessage[];
  /** Records equal to the browsed state's row with their rowid: left out. */
  same: number;
  /** Searches whose results are in the list. */
  searched: number;
}

/** A record of one table, in that table's column order (before the comparison). */
export interface Collected {
  rowid: number | null;
  values: Array<SqlValue | undefined>;
  unknown: number[];
  found: FoundAt[];
}

/**
 * The records of `table` in the given reports, aligned to its columns by name, one entry per distinct row (rowid and
 * values): the same row found in several places (a freeblock and a WAL frame, two frames) lists every place.
 */
export function collectRecords(table: TableInfo, reports: Array<{ search: RecoverySearch; report: CarveReport }>): Collected[] {
  const names = table.columns.map((c) => c.name);
  const out = new Map<string, Collected>();
  for (const { search, report } of reports) {
    for (const rec of report.records) {
      if (rec.table !== table.name) continue;
      const cols = recordColumns(report, rec);
      const values: Array<SqlValue | undefined> = names.map(() => undefined);
      const unknown = new Set<number>();
      cols.forEach((c, i) => {
        const j = names.indexOf(c);
        if (j < 0) return;
        if (rec.lost.includes(i) || rec.uncertain.includes(i)) unknown.add(j);
        else values[j] = rec.values[i];
      });
      values.forEach((v, j) => {
        if (v === undefined) unknown.add(j);
      });
      const key = JSON.stringify([rec.rowid, values.map((v) => (v === undefined ? ['?'] : jsonValue(v)))]);
      const at = foundAt(search, rec);
      const had = out.get(key);
      if (had) had.found.push(at);
      else out.set(key, { rowid: rec.rowid, values, unknown: [...unknown].sort((a, b) => a - b), found: [at] });
    }
  }
  return [...out.values()];
}

function foundAt(s: RecoverySearch, rec: CarvedRecord): FoundAt {
  const f: FoundAt = { search: s.name, page: rec.page, offset: rec.offset, where: rec.source };
  if (s.file !== undefined) f.file = s.file;
  if (rec.frame !== undefined) f.frame = rec.frame;
  return f;
}

/** Compares collected records with the browsed state: leaves out exact copies, orders the rest by rowid. */
export async function classify(
  table: TableInfo, got: Collected[], compare: SqlClientLike['compareRows'],
): Promise<{ messages: RecoveredMessage[]; same: number }> {
  const withId = got.filter((g) => g.rowid !== null);
  const items: CompareItem[] = withId.map((g) => ({ rowid: g.rowid!, values: g.values }));
  const res = table.rowid && items.length ? await compare(table.name, items) : items.map(() => ({ live: null, changed: [] }));
  const byItem = new Map(withId.map((g, i) => [g, res[i]]));
  const messages: RecoveredMessage[] = [];
  let same = 0;
  for (const g of got) {
    const r = byItem.get(g);
    const cells = g.values.map((v) => (v === undefined ? null : cell(v)));
    if (!r) {
      messages.push({ rowid: g.rowid, cells, unknown: g.unknown, found: g.found, status: 'unknown', changed: [], live: null });
    } else if (!r.live) {
      messages.push({ rowid: g.rowid, cells, unknown: g.unknown, found: g.found, status: 'absent', changed: [], live: null });
    } else if (r.changed.length) {
      messages.push({ rowid: g.rowid, cells, unknown: g.unknown, found: g.found, status: 'changed', changed: r.changed, live: r.live });
    } else same++;
  }
  messages.sort((a, b) => (a.rowid ?? Infinity) - (b.rowid ?? Infinity));
  return { messages, same };
}

export interface RecoveredStore {
  /** The searches that apply to the database open in Browse (a rebuilt SQLite database); empty otherwise. */
  searches: ReadonlySignal<RecoverySearch[]>;
  /** How many of them have results. */
  searched: ReadonlySignal<number>;
  running: ReadonlySignal<boolean>;
  list: ReadonlySignal<RecoveredList | null>;
  error: ReadonlySignal<AppError | null>;
  selected: ReadonlySignal<number | null>;
  /** The mail view shows the recovered messages (else the browsed state's). */
  showing: ReadonlySignal<boolean>;
  show(on: boolean): void;
  /** Runs every search not run yet, one after another (each with the deleted store's progress and cancel). */
  searchAll(): Promise<void>;
  cancel(): void;
  /** Collects and compares the records of `table` from the searches that are done. */
  refresh(table: TableInfo): Promise<void>;
  select(i: number | null): void;
  reset(): void;
}

export interface RecoveredDeps {
  deleted: DeletedStore;
  compare: SqlClientLike['compareRows'];
  browseSource: ReadonlySignal<BrowseSource | null>;
  rebuilt: ReadonlySignal<RebuildOut | null>;
  caseView: ReadonlySignal<CaseView | null>;
}

export function createRecoveredStore(d: RecoveredDeps): RecoveredStore {
  const running = signal(false);
  const list = signal<RecoveredList | null>(null);
  const error = signal<AppError | null>(null);
  const selected = signal<number | null>(null);
  const showing = signal(false);
  let cancelled = false;
  let req = 0;
  const searches = computed<RecoverySearch[]>(() => {
    const src = d.browseSource.value;
    const rb = d.rebuilt.value;
    if (!src || src.kind !== 'rebuild' || !rb || rb.name !== src.name) return [];
    const out: RecoverySearch[] = [{
      key: `rebuilt:${rb.sha256}`, name: `rebuilt-${rb.name}`, kind: 'rebuilt',
      start: () => d.deleted.searchRebuilt(rb.blob, `rebuilt-${rb.name}`, rb.sha256),
    }];
    d.caseView.value?.report.files.forEach((f, i) => {
      if (f.kind === 'sqlite-wal' && f.family === rb.family) out.push({ key: i, file: i, name: f.path, kind: 'wal', start: () => d.deleted.search(i) });
    });
    return out;
  });
  const done = (s: RecoverySearch) => d.deleted.byFile.value.get(s.key)?.phase === 'done';
  const searched = computed(() => searches.value.filter(done).length);
  return {
    searches, searched, running, list, error, selected, showing,
    show(on) {
      showing.value = on;
    },
    async searchAll() {
      if (running.value) return;
      running.value = true;
      cancelled = false;
      error.value = null;
      try {
        for (const s of searches.value) {
          if (cancelled) break;
          if (done(s)) continue;
          await s.start();
          const st = d.deleted.byFile.value.get(s.key);
          if (st?.phase === 'error') {
            if (st.error?.code === 'cancelled') break;
            // One search that fails (a damaged WAL) leaves the others' results; the error shows.
            error.value = st.error;
          }
        }
      } finally {
        running.value = false;
      }
    },
    cancel() {
      cancelled = true;
      for (const s of searches.value) if (d.deleted.byFile.value.get(s.key)?.phase === 'running') d.deleted.cancel(s.key);
    },
    async refresh(table) {
      const my = ++req;
      const reports = searches.value.filter(done).map((s) => ({ search: s, report: d.deleted.byFile.value.get(s.key)!.result! }));
      if (!reports.length) {
        list.value = null;
        return;
      }
      try {
        const { messages, same } = await classify(table, collectRecords(table, reports), d.compare);
        if (my !== req) return;
        const prev = list.value;
        list.value = { table: table.name, messages, same, searched: reports.length };
        if (!prev || prev.table !== table.name || selected.value === null || selected.value >= messages.length) selected.value = messages.length ? 0 : null;
      } catch (e) {
        if (my === req) error.value = appError(e);
      }
    },
    select(i) {
      selected.value = i;
    },
    reset() {
      req++;
      cancelled = true;
      list.value = null;
      error.value = null;
      selected.value = null;
      showing.value = false;
    },
  };
}
