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
//   Q5 INTEGER values are read exactly (BigInt); one beyond ±2^53 reaches the page, CSV and JSON as its decimal digits
//      (a string), never rounded
//   Q6 an ESE database opens through the engine's export (exportEseToSqlite, formats/ese/edb/FORMAT.md §8) into a new
//      sql.js database; its bytes become the browse database (Q1) and the download; its tables' CSV is the export's
//      own (rule E7, byte for byte what `palimpsest export --csv` writes)

import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import { PalimpsestError, asPalimpsestError, throwIfAborted } from '../engine/errors';
import { BlobSource } from '../engine/io';
import type { Issue } from '../engine/types';
import type { Sha256Factory } from '../engine/jobs';
import { exportEseToSqlite, type ExportProgress, type SqlDb } from '../engine/formats/ese/edb/export';
import { tableCsv } from '../engine/formats/ese/edb/csv';
import type { PageStats } from '../engine/formats/ese/edb/file';
import { detectMail, type MailColumns } from '../../web/features/browse/mail';
import { csvLine, jsonRow, toHex } from '../../web/features/export/formats';
import type { Wire } from './case-api';
import { cell, exact, sameValue, type CompareItem, type CompareResult, type SqlCell } from './sql-values';

export { cell, exact, sameValue, type CompareItem, type CompareResult, type SqlCell };


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

/** An ESE database exported to SQLite in the sql worker (Q6), now the browse database. */
export interface EseExportOut {
  /** The evidence file's path. */
  source: string;
  /** Download name: the source's name with .sqlite (SRUDB.dat -> SRUDB.sqlite). */
  name: string;
  blob: Blob;
  bytes: number;
  sha256: string | null;
  /** E6: 0 clean, 1 issues raised (the output is still written). */
  exitCode: 0 | 1 | 2;
  tables: Array<{
    name: string; sqlName: string; rows: number; failedRecords: number; partialRecords: number;
    /** Leaf nodes flagged deleted; with the deleted option, how many were recovered and into which table (E8). */
    deletedNodes: number; deletedRows: number | null; deletedTable: string | null;
  }>;
  pages: PageStats;
  issueCounts: { error: number; warning: number; info: number; omitted: number };
  /** The first issues (all of them are in _palimpsest_issues). */
  issues: Issue[];
  dbState: string | null;
  pageSize: number | null;
  elapsedMs: number;
  info: DbInfo;
}

export type EseExportProgress = ExportProgress;

/** SRUDB.dat -> SRUDB.sqlite; Windows.edb -> Windows.sqlite; characters a file name cannot hold become '_'. */
export function sqliteNameFor(source: string): string {
  const file = source.slice(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
  const stem = file.replace(/\.[^.]*$/, '') || file;
  return `${stem.replace(/[\\/:*?"<>|]/g, '_') || 'database'}.sqlite`;
}

export interface SqlApi {
  open(blob: Blob): Promise<Wire<DbInfo>>;
  view(spec: ViewSpec): Promise<Wire<ViewInfo>>;
  rows(view: number, offset: number, limit: number): Promise<Wire<SqlCell[][]>>;
  closeView(view: number): Promise<void>;
  exec(sql: string, maxRows: number): Promise<Wire<QueryResult>>;
  resetConsole(): Promise<Wire<true>>;
  exportData(src: ExportSource, format: 'csv' | 'json'): Promise<Wire<Blob>>;
  /**
   * Q7: recovered rows (deleted records, older page versions) against the open database: for each item the row of
   * `table` with its rowid (null when there is none) and the columns whose value differs. `values` follow the table's
   * columns; an undefined value is unknown (overwritten, or not in the record) and is not compared.
   */
  compareRows(table: string, items: CompareItem[]): Promise<Wire<CompareResult[]>>;
  /** Q6: exports an ESE database with the engine, then opens the result for browsing. */
  /** `opts.deleted`: also recover records flagged deleted into `<table>__deleted` (FORMAT.md E8). */
  exportEse(op: string, file: Blob, path: string, progress?: (p: EseExportProgress) => void, opts?: { deleted?: boolean }): Promise<Wire<EseExportOut>>;
  cancel(op: string): Promise<void>;
}

export interface SqlServiceDeps {
  /** SHA-256 of the ESE export's output (optional: without it the hash is null). */
  sha256?: Sha256Factory;
  /** Milliseconds between progress messages (default 100). */
  progressEveryMs?: number;
}

export const q = (id: string): string => `"${id.replace(/"/g, '""')}"`;

const exactRow = (st: Statement): SqlValue[] => st.get(null, { useBigInt: true }).map(exact);

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

export function createSqlService(SQL: SqlJsStatic, deps: SqlServiceDeps = {}): SqlApi {
  let blob: Blob | null = null;
  /** Q6: where the open database came from (an ESE export's tables get the export's CSV). */
  let origin: 'sqlite' | 'ese' = 'sqlite';
  const ops = new Map<string, AbortController>();
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
  const allExact = (d: Database, sql: string, params: SqlValue[] = []): SqlValue[][] => {
    const st = d.prepare(sql, params);
    try {
      const out: SqlValue[][] = [];
      while (st.step()) out.push(exactRow(st));
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

  const openBlob = async (b: Blob): Promise<DbInfo> => {
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
  };

  return {
    open: (b) =>
      wire(async () => {
        const info = await openBlob(b);
        origin = 'sqlite';
        return info;
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
          const rows = allExact(d, `SELECT rowid, ${cols} FROM ${q(v.spec.table)} WHERE rowid IN (${ids.join(',')})`);
          const byId = new Map<number, SqlValue[]>();
          for (const r of rows) byId.set(Number(r[0]), r.slice(1));
          return ids.map((x) => (byId.get(x) ?? v.columns.map(() => null)).map(cell));
        }
        return allExact(d, `SELECT ${cols} FROM ${q(v.spec.table)} ${v.where} ${v.order} LIMIT ${hi - lo} OFFSET ${lo}`, v.params).map((r) => r.map(cell));
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
              if (got.length < maxRows) got.push(exactRow(st).map(cell));
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

    compareRows: (name, items) =>
      wire(() => {
        const d = need();
        const t = table(name);
        if (!t.rowid) throw new PalimpsestError('usage', `${name} has no rowid to compare by`);
        const cols = t.columns.map((c) => q(c.name)).join(', ') || 'NULL';
        const live = new Map<number, Array<SqlValue | bigint>>();
        const ids = [...new Set(items.map((x) => x.rowid).filter((x) => Number.isSafeInteger(x)))];
        for (let i = 0; i < ids.length; i += 500) {
          const part = ids.slice(i, i + 500);
          const st = d.prepare(`SELECT rowid, ${cols} FROM ${q(t.name)} WHERE rowid IN (${part.map(() => '?').join(',')})`, part);
          try {
            while (st.step()) {
              const r = st.get(null, { useBigInt: true }) as Array<SqlValue | bigint>;
              live.set(Number(r[0]), r.slice(1));
            }
          } finally {
            st.free();
          }
        }
        return items.map((x) => {
          const row = live.get(x.rowid);
          if (!row) return { live: null, changed: [], present: false };
          const changed: number[] = [];
          row.forEach((v, i) => {
            if (!sameValue(x.values[i], v)) changed.push(i);
          });
          // The live row goes back only where it differs (a WAL search can compare 100,000 rows).
          return { live: changed.length ? row.map(cell) : null, changed, present: true };
        });
      }),

    exportData: (src, format) =>
      wire(async () => {
        let d = need();
        let sql: string;
        if ('table' in src && format === 'csv' && origin === 'ese') {
          // Q6: the export's own CSV (E7).
          const t = table(src.table);
          return new Blob([...tableCsv(d, t.name)], { type: 'text/csv;charset=utf-8' });
        }
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
            const row = exactRow(st);
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

    exportEse: (op, file, path, progress, opts) =>
      wire(async () => {
        const ac = new AbortController();
        ops.get(op)?.abort();
        ops.set(op, ac);
        const t0 = Date.now();
        const out = new SQL.Database();
        try {
          let last = 0;
          const every = deps.progressEveryMs ?? 100;
          const onProgress = progress
            ? (p: ExportProgress) => {
                const now = Date.now();
                if (now - last < every && p.done < p.total) return;
                last = now;
                progress({ phase: p.phase, table: p.table, done: p.done, total: p.total });
              }
            : undefined;
          // Q6: the engine writes through the SqlDb subset of sql.js' Database.
          const r = await exportEseToSqlite(new BlobSource(file, path), out as unknown as SqlDb, { signal: ac.signal, onProgress, deleted: opts?.deleted === true });
          throwIfAborted(ac.signal);
          if (!r.usable) {
            const why = r.issues.find((i) => i.severity === 'error')?.message ?? 'no catalog could be read';
            throw new PalimpsestError('unsupported', `${path} cannot be exported: ${why}`);
          }
          const bytes = out.export();
          let sha256: string | null = null;
          if (deps.sha256) {
            const h = await deps.sha256();
            h.update(bytes);
            sha256 = await h.digestHex();
          }
          const name = sqliteNameFor(path);
          const result = new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' });
          const info = await openBlob(result);
          origin = 'ese';
          return {
            source: path, name, blob: result, bytes: bytes.length, sha256, exitCode: r.exitCode,
            tables: r.tables.map((t) => ({
              name: t.name, sqlName: t.sqlName, rows: t.rows, failedRecords: t.failedRecords, partialRecords: t.partialRecords,
              deletedNodes: t.tree.deletedNodes, deletedRows: t.deletedRows ?? null, deletedTable: t.deletedTable ?? null,
            })),
            pages: r.pages, issueCounts: r.issueCounts, issues: r.issues.slice(0, 200), dbState: r.file.dbState, pageSize: r.file.pageSize,
            elapsedMs: Date.now() - t0, info,
          };
        } finally {
          out.close();
          if (ops.get(op) === ac) ops.delete(op);
        }
      }),

    cancel: async (op) => {
      ops.get(op)?.abort();
    },
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
