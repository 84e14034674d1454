// The sql worker's service (sql.js): opens the rebuilt database, answers the browse views, runs the console on a
// separate copy, and renders tables or queries as CSV/JSON Blobs. Host-agnostic: sql.worker.ts exposes it over
// comlink; tests call it with sql.js in Node.
//
// Rules:
//   Q1 the browse database is opened from the rebuilt bytes and only read (SELECT and PRAGMA integrity_check); the
//      console works on its own copy, so nothing the user types changes what is browsed or downloaded
//   Q2 a browse view is an ordered list of rowids fixed when the view is made (sort + filter); windows of rows are
//      fetched by rowid, so scrolling to row 90,000 costs the same as row 0. Tables without rowid and views page
//      with LIMIT/OFFSET instead
//   Q3 identifiers are always quoted ("…" with quotes doubled); user text only reaches SQL as a bound parameter
//   Q4 the console keeps at most `maxRows` rows of a result (it still runs every statement to the end)

import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import { PalimpsestError, asPalimpsestError } from '../engine/errors';
import { detectMail, type MailColumns } from '../../web/features/browse/mail';
import { csvLine, jsonRow, toHex } from '../../web/features/export/formats';
import type { Wire } from './case-api';

export type SqlCell = number | string | null | { blob: number; hex: string };

export interface ColumnInfo {
  name: string;
  type: string;
  pk: boolean;
}

export interface TableInfo {
  name: string;
  type: 'table' | 'view';
  columns: ColumnInfo[];
  rows: number | null;
  rowid: boolean;
  mail: MailColumns | null;
}

export interface DbInfo {
  tables: TableInfo[];
  integrity: string;
  bytes: number;
  pageSize: number;
  pages: number;
}

export interface ViewSpec {
  table: string;
  sort: { column: string; desc: boolean } | null;
  filter: string;
}

export interface ViewInfo {
  id: number;
  total: number;
  columns: string[];
}

export interface QueryResult {
  columns: string[];
  rows: SqlCell[][];
  truncated: boolean;
  changes: number;
  statements: number;
  ms: number;
}

export type ExportSource = { table: string } | { sql: string; db: 'browse' | 'console' };

export interface SqlApi {
  open(blob: Blob): Promise<Wire<DbInfo>>;
  view(spec: ViewSpec): Promise<Wire<ViewInfo>>;
  rows(view: number, offset: number, limit: number): Promise<Wire<SqlCell[][]>>;
  closeView(view: number): Promise<void>;
  exec(sql: string, maxRows: number): Promise<Wire<QueryResult>>;
  resetConsole(): Promise<Wire<true>>;
  exportData(src: ExportSource, format: 'csv' | 'json'): Promise<Wire<Blob>>;
}

export const q = (id: string): string => `"${id.replace(/"/g, '""')}"`;

const BLOB_PREVIEW = 32;

export function cell(v: SqlValue): SqlCell {
  if (v instanceof Uint8Array) return { blob: v.length, hex: toHex(v.subarray(0, BLOB_PREVIEW)) };
  return v;
}

async function wire<T>(fn: () => Promise<T> | T): Promise<Wire<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const err = asPalimpsestError(e);
    return { ok: false, error: { code: err.code === 'internal' ? 'sql' : err.code, message: err.message } };
  }
}

/** Unique names for JSON keys (a join may return two `id` columns: id, id_2). */
export function uniqueNames(cols: string[]): string[] {
  const seen = new Map<string, number>();
  return cols.map((c) => {
    const n = (seen.get(c) ?? 0) + 1;
    seen.set(c, n);
    return n === 1 ? c : `${c}_${n}`;
  });
}

interface View {
  spec: ViewSpec;
  columns: string[];
  /** Q2: ordered rowids, or null when the table pages by OFFSET. */
  rowids: Float64Array | null;
  total: number;
  where: string;
  order: string;
  params: SqlValue[];
}

export function createSqlService(SQL: SqlJsStatic): SqlApi {
  let blob: Blob | null = null;
  let db: Database | null = null;
  let consoleDb: Database | null = null;
  let tables: TableInfo[] = [];
  const views = new Map<number, View>();
  let nextView = 1;

  const need = (): Database => {
    if (!db) throw new PalimpsestError('usage', 'no database is open');
    return db;
  };
  const all = (d: Database, sql: string, params: SqlValue[] = []): SqlValue[][] => {
    const st = d.prepare(sql, params);
    try {
      const out: SqlValue[][] = [];
      while (st.step()) out.push(st.get());
      return out;
    } finally {
      st.free();
    }
  };
  const table = (name: string): TableInfo => {
    const t = tables.find((x) => x.name === name);
    if (!t) throw new PalimpsestError('usage', `no table named ${name}`);
    return t;
  };
  const bytesOf = async (): Promise<Uint8Array> => {
    if (!blob) throw new PalimpsestError('usage', 'no database is open');
    return new Uint8Array(await blob.arrayBuffer());
  };

  return {
    open: (b) =>
      wire(async () => {
        for (const d of [db, consoleDb]) d?.close();
        db = consoleDb = null;
        views.clear();
        blob = b;
        const bytes = await bytesOf();
        let d: Database;
        try {
          d = new SQL.Database(bytes);
        } catch (e) {
          throw new PalimpsestError('unsupported', `SQLite cannot open the rebuilt database: ${(e as Error).message}`);
        }
        db = d;
        let integrity: string;
        try {
          integrity = all(d, 'PRAGMA integrity_check').map((r) => String(r[0])).join('; ');
        } catch (e) {
          integrity = `error: ${(e as Error).message}`;
        }
        const pageSize = Number(all(d, 'PRAGMA page_size')[0]?.[0] ?? 0);
        const pages = Number(all(d, 'PRAGMA page_count')[0]?.[0] ?? 0);
        const objs = all(d, "SELECT type, name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY type, name");
        tables = objs.map(([type, name]) => {
          const n = String(name);
          const columns = all(d, `PRAGMA table_info(${q(n)})`).map((r) => ({ name: String(r[1]), type: String(r[2] ?? ''), pk: Number(r[5]) > 0 }));
          let rowid = false;
          if (type === 'table') {
            try {
              d.prepare(`SELECT rowid FROM ${q(n)} LIMIT 0`).free();
              rowid = !columns.some((c) => c.name.toLowerCase() === 'rowid') || columns.some((c) => c.pk && /^integer$/i.test(c.type));
            } catch {
              rowid = false;
            }
          }
          let rows: number | null = null;
          try {
            rows = Number(all(d, `SELECT count(*) FROM ${q(n)}`)[0][0]);
          } catch {
            rows = null;
          }
          return { name: n, type: type === 'view' ? 'view' : 'table', columns, rows, rowid, mail: detectMail(columns.map((c) => c.name)) } as TableInfo;
        });
        return { tables, integrity, bytes: bytes.length, pageSize, pages };
      }),

    view: (spec) =>
      wire(() => {
        const d = need();
        const t = table(spec.table);
        const columns = t.columns.map((c) => c.name);
        const params: SqlValue[] = [];
        let where = '';
        if (spec.filter.trim()) {
          params.push(`%${spec.filter.trim().replace(/[\\%_]/g, (m) => '\\' + m)}%`);
          // Q3: the filter text is a parameter.
          where = `WHERE ${columns.map((c) => `CAST(${q(c)} AS TEXT) LIKE ?1 ESCAPE '\\'`).join(' OR ') || '0'}`;
        }
        if (spec.sort && !columns.includes(spec.sort.column)) throw new PalimpsestError('usage', `no column ${spec.sort.column}`);
        const order = spec.sort ? `ORDER BY ${q(spec.sort.column)} ${spec.sort.desc ? 'DESC' : 'ASC'}${t.rowid ? ', rowid' : ''}` : t.rowid ? 'ORDER BY rowid' : '';
        const id = nextView++;
        let rowids: Float64Array | null = null;
        let total: number;
        if (t.rowid) {
          const st = d.prepare(`SELECT rowid FROM ${q(t.name)} ${where} ${order}`, params);
          let buf = new Float64Array(1024);
          let n = 0;
          try {
            while (st.step()) {
              if (n === buf.length) {
                const nb = new Float64Array(buf.length * 2);
                nb.set(buf);
                buf = nb;
              }
              buf[n++] = st.get()[0] as number;
            }
          } finally {
            st.free();
          }
          rowids = buf.slice(0, n);
          total = n;
        } else {
          total = Number(all(d, `SELECT count(*) FROM ${q(t.name)} ${where}`, params)[0][0]);
        }
        views.set(id, { spec, columns, rowids, total, where, order, params });
        return { id, total, columns };
      }),

    rows: (id, offset, limit) =>
      wire(() => {
        const d = need();
        const v = views.get(id);
        if (!v) throw new PalimpsestError('usage', `view ${id} is closed`);
        const lo = Math.max(0, Math.floor(offset));
        const hi = Math.min(v.total, lo + Math.max(0, Math.min(5000, Math.floor(limit))));
        if (hi <= lo) return [];
        const cols = v.columns.map(q).join(', ') || 'NULL';
        if (v.rowids) {
          const ids = Array.from(v.rowids.subarray(lo, hi));
          const rows = all(d, `SELECT rowid, ${cols} FROM ${q(v.spec.table)} WHERE rowid IN (${ids.join(',')})`);
          const byId = new Map<number, SqlValue[]>();
          for (const r of rows) byId.set(r[0] as number, r.slice(1));
          return ids.map((x) => (byId.get(x) ?? v.columns.map(() => null)).map(cell));
        }
        return all(d, `SELECT ${cols} FROM ${q(v.spec.table)} ${v.where} ${v.order} LIMIT ${hi - lo} OFFSET ${lo}`, v.params).map((r) => r.map(cell));
      }),

    closeView: async (id) => {
      views.delete(id);
    },

    exec: (sql, maxRows) =>
      wire(async () => {
        need();
        // Q1: the console's own copy.
        if (!consoleDb) consoleDb = new SQL.Database(await bytesOf());
        const t0 = performance.now();
        let columns: string[] = [];
        let rows: SqlCell[][] = [];
        let truncated = false;
        let statements = 0;
        const before = totalChanges(consoleDb);
        for (const st of consoleDb.iterateStatements(sql)) {
          statements++;
          try {
            const cols = st.getColumnNames();
            const got: SqlCell[][] = [];
            let more = false;
            while (st.step()) {
              // Q4
              if (got.length < maxRows) got.push(st.get().map(cell));
              else more = true;
            }
            if (cols.length) {
              columns = cols;
              rows = got;
              truncated = more;
            }
          } finally {
            st.free();
          }
        }
        return { columns, rows, truncated, changes: totalChanges(consoleDb) - before, statements, ms: performance.now() - t0 };
      }),

    resetConsole: () =>
      wire(() => {
        consoleDb?.close();
        consoleDb = null;
        return true as const;
      }),

    exportData: (src, format) =>
      wire(async () => {
        let d = need();
        let sql: string;
        if ('table' in src) {
          const t = table(src.table);
          sql = `SELECT ${t.columns.map((c) => q(c.name)).join(', ') || '*'} FROM ${q(t.name)}${t.rowid ? ' ORDER BY rowid' : ''}`;
        } else {
          sql = src.sql;
          if (src.db === 'console') {
            if (!consoleDb) consoleDb = new SQL.Database(await bytesOf());
            d = consoleDb;
          }
        }
        const parts: string[] = [];
        // The last statement that returns columns is exported; statements before it are run (a query may be
        // preceded by others). The iterator is driven by hand: leaving a for-of early would free the statement.
        const it = d.iterateStatements(sql);
        let st: Statement | null = null;
        try {
          for (let r = it.next(); !r.done; r = it.next()) {
            if (r.value.getColumnNames().length) {
              st = r.value;
              break;
            }
            while (r.value.step());
          }
          if (!st) throw new PalimpsestError('usage', 'the query returns no columns');
          const cols = st.getColumnNames();
          const keys = uniqueNames(cols);
          if (format === 'csv') parts.push(csvLine(cols));
          else parts.push('[\n');
          let n = 0;
          let chunk = '';
          while (st.step()) {
            const row = st.get();
            chunk += format === 'csv' ? csvLine(row) : `${n ? ',\n' : ''}${jsonRow(keys, row)}`;
            n++;
            if (chunk.length > 1 << 20) {
              parts.push(chunk);
              chunk = '';
            }
          }
          parts.push(chunk);
          if (format === 'json') parts.push('\n]\n');
        } finally {
          it.return?.();
        }
        return new Blob(parts, { type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' });
      }),
  };
}

function totalChanges(d: Database): number {
  const st = d.prepare('SELECT total_changes()');
  try {
    st.step();
    return Number(st.get()[0]);
  } finally {
    st.free();
  }
}
