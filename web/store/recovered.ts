// Recovered messages (Browse's mail view): rows of the browsed table that the case's deleted-record searches found —
// in the rebuilt database's free space, and in the page images of its family's WAL files (K9) — each compared with
// the browsed state by rowid: not in it (deleted, or written after it), or another version of a row it holds (which
// columns differ). Identical copies are left out. The searches are the deleted store's; this store runs the ones not
// run yet, collects their records for one table and asks the sql worker to compare them (sql-service Q7).
import { computed, effect, signal, untracked, type ReadonlySignal } from '@preact/signals';
import type { CarveReport, CarvedRecord, CarveSource } from '../../workers/engine/formats/sqlite/carve';
import type { SqlValue } from '../../workers/engine/formats/sqlite/btree';
import { cell, type CompareItem, type CompareResult, type SqlCell } from '../../workers/hosts/sql-values';
import type { TableInfo } from '../../workers/hosts/sql-service';
import type { RebuildOut, CaseView } from '../../workers/hosts/case-api';
import type { SqlClientLike, AppError } from './clients';
import { appError } from './clients';
import type { DeletedKey, DeletedStore } from './deleted';
import type { BrowseSource } from './browse';
import { toHex } from '../features/export/formats';

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
  /** The same as the record holds them (blobs whole; undefined where unknown), for the downloads. */
  values: Array<SqlValue | undefined>;
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

/** Rows compared per message to the sql worker. */
const COMPARE_BATCH = 4000;

/** Records handled between two yields to the event loop (collectRecords runs on the page's main thread). */
const SLICE = 2000;

/** A value as part of a merge key: the type and the exact value (blobs in hex). */
function keyPart(v: SqlValue | undefined): string {
  if (v === undefined) return '?';
  if (v === null) return 'z';
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'string') return `s${v.length}:${v}`;
  return `x${toHex(v)}`;
}

/**
 * The records of `table` in the given reports, aligned to its columns by name, one entry per distinct row (rowid and
 * values): the same row found in several places (a freeblock and a WAL frame, two frames) lists every place. Yields
 * to the event loop every SLICE records: a WAL search can find 100,000 rows or more.
 */
export async function collectRecords(table: TableInfo, reports: Array<{ search: RecoverySearch; report: CarveReport }>): Promise<Collected[]> {
  const names = table.columns.map((c) => c.name);
  const out = new Map<string, Collected>();
  let handled = 0;
  for (const { search, report } of reports) {
    // Where each column of the record's table sits among the browsed table's columns (by name).
    const rt = report.tables.find((x) => x.name === table.name);
    const at = (rt ? rt.columns : []).map((c) => names.indexOf(c));
    for (const rec of report.records) {
      if (++handled % SLICE === 0) await new Promise((r) => setTimeout(r, 0));
      if (rec.table !== table.name) continue;
      const values: Array<SqlValue | undefined> = new Array(names.length).fill(undefined);
      for (let i = 0; i < rec.values.length; i++) {
        const j = i < at.length ? at[i] : -1;
        if (j >= 0 && !rec.lost.includes(i) && !rec.uncertain.includes(i)) values[j] = rec.values[i];
      }
      const unknown: number[] = [];
      let key = `${rec.rowid}`;
      for (let j = 0; j < values.length; j++) {
        if (values[j] === undefined) unknown.push(j);
        key += `\u0001${keyPart(values[j])}`;
      }
      const place = foundAt(search, rec);
      const had = out.get(key);
      if (had) had.found.push(place);
      else out.set(key, { rowid: rec.rowid, values, unknown, found: [place] });
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
  // In batches: each is one message to the sql worker and one back, copied on the page's main thread.
  const res: CompareResult[] = [];
  if (table.rowid) {
    for (let i = 0; i < items.length; i += COMPARE_BATCH) res.push(...(await compare(table.name, items.slice(i, i + COMPARE_BATCH))));
  } else for (const _ of items) res.push({ present: false, live: null, changed: [] });
  const byItem = new Map(withId.map((g, i) => [g, res[i]]));
  const messages: RecoveredMessage[] = [];
  let same = 0;
  let n = 0;
  for (const g of got) {
    if (++n % SLICE === 0) await new Promise((r) => setTimeout(r, 0));
    const r = byItem.get(g);
    const cells = g.values.map((v) => (v === undefined ? null : cell(v)));
    if (!r) {
      messages.push({ rowid: g.rowid, cells, values: g.values, unknown: g.unknown, found: g.found, status: 'unknown', changed: [], live: null });
    } else if (!r.present) {
      messages.push({ rowid: g.rowid, cells, values: g.values, unknown: g.unknown, found: g.found, status: 'absent', changed: [], live: null });
    } else if (r.changed.length) {
      messages.push({ rowid: g.rowid, cells, values: g.values, unknown: g.unknown, found: g.found, status: 'changed', changed: r.changed, live: r.live });
    } else same++;
  }
  messages.sort((a, b) => (a.rowid ?? Infinity) - (b.rowid ?? Infinity));
  return { messages, same };
}

export type StatusFilter = 'all' | 'gone' | 'changed';

/** Does a message pass the status filter? 'gone': not in the browsed state, or not matched to a row (rowid lost). */
export function passes(m: RecoveredMessage, f: StatusFilter): boolean {
  return f === 'all' || (f === 'changed' ? m.status === 'changed' : m.status !== 'changed');
}

export interface RecoveredStore {
  /** The searches that apply to the database open in Browse (a rebuilt SQLite database); empty otherwise. */
  searches: ReadonlySignal<RecoverySearch[]>;
  /** How many of them have results. */
  searched: ReadonlySignal<number>;
  running: ReadonlySignal<boolean>;
  /** Records of finished searches are being merged and compared with the browsed state. */
  comparing: ReadonlySignal<boolean>;
  list: ReadonlySignal<RecoveredList | null>;
  error: ReadonlySignal<AppError | null>;
  selected: ReadonlySignal<number | null>;
  /** Which messages the list shows: all, those not in the browsed state (deleted, rowid lost), other versions. */
  statusFilter: ReadonlySignal<StatusFilter>;
  setStatusFilter(f: StatusFilter): void;
  /** Indexes into list.messages that pass the status filter and Browse's filter text, in list order. */
  visible: ReadonlySignal<number[]>;
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
  /** Browse's filter text: recovered messages are filtered by it as the browsed table's rows are. */
  filter: ReadonlySignal<string>;
  rebuilt: ReadonlySignal<RebuildOut | null>;
  caseView: ReadonlySignal<CaseView | null>;
}

export function createRecoveredStore(d: RecoveredDeps): RecoveredStore {
  const running = signal(false);
  const comparing = signal(false);
  const list = signal<RecoveredList | null>(null);
  const error = signal<AppError | null>(null);
  const selected = signal<number | null>(null);
  const showing = signal(false);
  const statusFilter = signal<StatusFilter>('all');
  /** Lower-cased text of a message's values, made once per message (filtering 100,000 messages as the user types). */
  const haystacks = new WeakMap<RecoveredMessage, string>();
  const haystack = (m: RecoveredMessage): string => {
    let h = haystacks.get(m);
    if (h === undefined) {
      h = m.cells.map((c) => (c === null ? '' : typeof c === 'object' ? c.hex : String(c))).join('\u0001').toLowerCase();
      haystacks.set(m, h);
    }
    return h;
  };
  const visible = computed<number[]>(() => {
    const l = list.value;
    if (!l) return [];
    const f = d.filter.value.trim().toLowerCase();
    const st = statusFilter.value;
    const out: number[] = [];
    l.messages.forEach((m, i) => {
      if (passes(m, st) && (!f || haystack(m).includes(f))) out.push(i);
    });
    return out;
  });
  /** Keeps the selection on a shown message (the first one when the shown ones change under it). */
  const keepSelection = () => {
    const v = visible.value;
    if (selected.value === null || !v.includes(selected.value)) selected.value = v.length ? v[0] : null;
  };
  // Browse's filter text changes what is shown: the selection follows.
  effect(() => {
    void visible.value;
    untracked(keepSelection);
  });
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
    searches, searched, running, comparing, list, error, selected, showing, statusFilter, visible,
    setStatusFilter(f) {
      statusFilter.value = f;
      keepSelection();
    },
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
      comparing.value = true;
      try {
        const { messages, same } = await classify(table, await collectRecords(table, reports), d.compare);
        if (my !== req) return;
        const prev = list.value;
        list.value = { table: table.name, messages, same, searched: reports.length };
        if (!prev || prev.table !== table.name) selected.value = null;
        keepSelection();
      } catch (e) {
        if (my === req) error.value = appError(e);
      } finally {
        if (my === req) comparing.value = false;
      }
    },
    select(i) {
      selected.value = i;
    },
    reset() {
      req++;
      cancelled = true;
      comparing.value = false;
      list.value = null;
      error.value = null;
      selected.value = null;
      showing.value = false;
      statusFilter.value = 'all';
    },
  };
}
