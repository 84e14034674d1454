// Browse sub-store: the rebuilt database (or an ESE database exported to SQLite) in sql.js — tables, the current table
// view (sort, filter, rows fetched in blocks as the virtual table scrolls), the mail view, and the SQL console (which
// runs on a copy).
import { signal, type ReadonlySignal } from '@preact/signals';
import type { DbInfo, QueryResult, SqlCell, TableInfo } from '../../workers/hosts/sql-service';
import type { SqlClientLike, SqlView, AppError } from './clients';
import { appError } from './clients';

export const BLOCK = 200;
export const CONSOLE_MAX_ROWS = 100_000;

/** What is open: a rebuilt SQLite database or an ESE database exported to SQLite, and its download name. */
export interface BrowseSource {
  kind: 'rebuild' | 'ese';
  name: string;
}

export interface BrowseStore {
  info: ReadonlySignal<DbInfo | null>;
  source: ReadonlySignal<BrowseSource | null>;
  opening: ReadonlySignal<boolean>;
  error: ReadonlySignal<AppError | null>;
  table: ReadonlySignal<string | null>;
  sort: ReadonlySignal<{ column: string; desc: boolean } | null>;
  filter: ReadonlySignal<string>;
  view: ReadonlySignal<SqlView | null>;
  /** Bumped when rows arrive (rows live in a plain Map). */
  rowsVersion: ReadonlySignal<number>;
  mode: ReadonlySignal<'table' | 'mail'>;
  selectedRow: ReadonlySignal<number | null>;
  sql: ReadonlySignal<string>;
  result: ReadonlySignal<QueryResult | null>;
  consoleError: ReadonlySignal<AppError | null>;
  running: ReadonlySignal<boolean>;
  row(i: number): SqlCell[] | undefined;
  tableInfo(): TableInfo | null;
  open(blob: Blob, source?: BrowseSource): Promise<void>;
  /** A database the sql worker has already opened (an ESE export). */
  adopt(info: DbInfo, source: BrowseSource): Promise<void>;
  selectTable(name: string): Promise<void>;
  setSort(column: string): Promise<void>;
  setFilter(text: string): Promise<void>;
  need(from: number, to: number): Promise<void>;
  selectRow(i: number | null): void;
  setMode(m: 'table' | 'mail'): void;
  setSql(s: string): void;
  run(): Promise<void>;
  resetConsole(): Promise<void>;
  exportTable(name: string, format: 'csv' | 'json'): Promise<Blob>;
  exportQuery(format: 'csv' | 'json'): Promise<Blob>;
  reset(): void;
}

export function createBrowseStore(client: SqlClientLike, opts: { filterDelayMs?: number } = {}): BrowseStore {
  const info = signal<DbInfo | null>(null);
  const source = signal<BrowseSource | null>(null);
  const opening = signal(false);
  const error = signal<AppError | null>(null);
  const table = signal<string | null>(null);
  const sort = signal<{ column: string; desc: boolean } | null>(null);
  const filter = signal('');
  const view = signal<SqlView | null>(null);
  const rowsVersion = signal(0);
  const mode = signal<'table' | 'mail'>('table');
  const selectedRow = signal<number | null>(null);
  const sql = signal('');
  const result = signal<QueryResult | null>(null);
  const consoleError = signal<AppError | null>(null);
  const running = signal(false);
  const rows = new Map<number, SqlCell[]>();
  const loading = new Set<number>();
  let viewReq = 0;
  let filterTimer: ReturnType<typeof setTimeout> | null = null;

  const tableInfo = () => info.value?.tables.find((t) => t.name === table.value) ?? null;

  const remake = async () => {
    const my = ++viewReq;
    const old = view.value;
    rows.clear();
    loading.clear();
    selectedRow.value = null;
    if (old) void client.closeView(old).catch(() => undefined);
    view.value = null;
    if (!table.value) return;
    try {
      const v = await client.view({ table: table.value, sort: sort.value, filter: filter.value });
      if (my !== viewReq) {
        void client.closeView(v).catch(() => undefined);
        return;
      }
      view.value = v;
      rowsVersion.value++;
      await need(0, BLOCK);
    } catch (e) {
      if (my === viewReq) error.value = appError(e);
    }
  };

  const need = async (from: number, to: number) => {
    const v = view.value;
    if (!v) return;
    const first = Math.max(0, Math.floor(from / BLOCK));
    const last = Math.min(Math.ceil(v.total / BLOCK) - 1, Math.floor(Math.max(from, to - 1) / BLOCK));
    const jobs: Promise<void>[] = [];
    for (let b = first; b <= last; b++) {
      if (rows.has(b * BLOCK) || loading.has(b)) continue;
      loading.add(b);
      jobs.push(
        client.rows(v, b * BLOCK, BLOCK).then(
          (got) => {
            if (view.value !== v) return;
            got.forEach((r, i) => rows.set(b * BLOCK + i, r));
            loading.delete(b);
            rowsVersion.value++;
          },
          (e) => {
            loading.delete(b);
            if (view.value === v) error.value = appError(e);
          },
        ),
      );
    }
    await Promise.all(jobs);
  };

  const openWith = async (get: () => Promise<DbInfo>, src: BrowseSource | null) => {
    opening.value = true;
    error.value = null;
    info.value = null;
    table.value = null;
    result.value = null;
    consoleError.value = null;
    source.value = src;
    try {
      const i = await get();
      info.value = i;
      const mail = i.tables.find((t) => t.mail && (t.rows ?? 0) > 0);
      const first = mail ?? i.tables.find((t) => t.type === 'table' && !t.name.startsWith('_palimpsest_')) ?? i.tables.find((t) => t.type === 'table') ?? i.tables[0];
      if (!sql.value) sql.value = first ? `SELECT * FROM "${first.name.replace(/"/g, '""')}" LIMIT 100;` : 'SELECT name, type FROM sqlite_schema;';
      if (first) {
        table.value = first.name;
        mode.value = first.mail ? 'mail' : 'table';
        sort.value = null;
        filter.value = '';
        await remake();
        if (mode.value === 'mail' && view.value?.total) selectedRow.value = 0;
      }
    } catch (e) {
      error.value = appError(e);
    } finally {
      opening.value = false;
    }
  };

  return {
    info, source, opening, error, table, sort, filter, view, rowsVersion, mode, selectedRow, sql, result, consoleError, running,
    row: (i) => rows.get(i),
    tableInfo,
    async open(blob, src) {
      await openWith(() => client.open(blob), src ?? null);
    },
    async adopt(i, src) {
      await openWith(async () => i, src);
    },
    async selectTable(name) {
      table.value = name;
      sort.value = null;
      filter.value = '';
      const t = tableInfo();
      mode.value = t?.mail ? mode.value : 'table';
      await remake();
    },
    async setSort(column) {
      const s = sort.value;
      sort.value = !s || s.column !== column ? { column, desc: false } : !s.desc ? { column, desc: true } : null;
      await remake();
    },
    setFilter(text) {
      filter.value = text;
      if (filterTimer) clearTimeout(filterTimer);
      const delay = opts.filterDelayMs ?? 250;
      return new Promise<void>((resolve) => {
        filterTimer = setTimeout(() => {
          filterTimer = null;
          void remake().then(resolve);
        }, delay);
      });
    },
    need,
    selectRow(i) {
      selectedRow.value = i;
    },
    setMode(m) {
      mode.value = m;
      if (m === 'mail' && selectedRow.value === null && view.value?.total) selectedRow.value = 0;
    },
    setSql(s) {
      sql.value = s;
    },
    async run() {
      if (running.value) return;
      running.value = true;
      consoleError.value = null;
      try {
        result.value = await client.exec(sql.value, CONSOLE_MAX_ROWS);
      } catch (e) {
        result.value = null;
        consoleError.value = appError(e);
      } finally {
        running.value = false;
      }
    },
    async resetConsole() {
      await client.resetConsole();
      result.value = null;
      consoleError.value = null;
    },
    exportTable: (name, format) => client.exportData({ table: name }, format),
    exportQuery: (format) => client.exportData({ sql: sql.value, db: 'console' }, format),
    reset() {
      viewReq++;
      rows.clear();
      loading.clear();
      info.value = null;
      source.value = null;
      error.value = null;
      table.value = null;
      view.value = null;
      sort.value = null;
      filter.value = '';
      result.value = null;
      consoleError.value = null;
      sql.value = '';
      selectedRow.value = null;
      client.close();
    },
  };
}
