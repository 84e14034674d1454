// Whole-database comparison of our export with esedbexport's: same tables in the same order, same row counts, every
// cell equal after normalising formats, or explained by a named libesedb defect (oracle.ts) that is verified where it
// can be (a NULL fixed column is checked against the record's null bitmap and the bytes in its slot).
import { readFileSync } from 'node:fs';
import { exportEseToSqlite, type ExportResult } from '../../workers/engine/formats/ese/edb/export';
import { convertValue, jsonArray } from '../../workers/engine/formats/ese/edb/values';
import { fixedSize } from '../../workers/engine/formats/ese/edb/record';
import { PageNodes } from '../../workers/engine/formats/ese/edb/page';
import { MemorySource } from '../../workers/engine/io';
import { runEsedbexport, compareCell, renderLikeEsedbexport, escapeText, type OurColumn, type Defect } from './oracle';

const latin1 = new TextDecoder('windows-1252');
import type { SqlJs, SqlJsDatabase } from './sqljs';

export interface Mismatch {
  table: string;
  column: string;
  row: number;
  ours: string;
  theirs: string;
}

export interface Comparison {
  result: ExportResult;
  db: SqlJsDatabase;
  oracleFailed: boolean;
  oursTables: string[];
  theirTables: string[];
  rowCounts: Array<{ table: string; ours: number; theirs: number }>;
  headerDiffs: string[];
  cells: number;
  defects: Partial<Record<Defect, number>>;
  /** Up to 3 examples per defect. */
  examples: Partial<Record<Defect, Mismatch[]>>;
  mismatches: Mismatch[];
  oracleMs: number;
}

const norm = (x: unknown) =>
  typeof x === 'bigint' && x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;

function show(v: unknown): string {
  if (v instanceof Uint8Array) return 'x' + Buffer.from(v).toString('hex').slice(0, 200);
  return String(v).slice(0, 200);
}

export function ourColumns(db: SqlJsDatabase, table: string): OurColumn[] {
  const r = db.exec(
    'SELECT column_name, coltyp, multi_valued, sqlite_column, sqlite_raw_column, column_id, codepage, space_usage, default_value, filetime_hint FROM _palimpsest_columns WHERE table_name = ? ORDER BY rowid',
    [table],
  );
  return (r[0]?.values ?? []).map((v) => ({
    name: v[0] as string, coltyp: v[1] as number, multi: !!v[2], sqliteColumn: v[3] as string, rawColumn: v[4] as string | null,
    id: v[5] as number, codepage: v[6] as number,
    fixedSize: (v[5] as number) <= 127 ? fixedSize({ coltyp: v[1] as number, spaceUsage: v[7] as number } as never) : 0,
    defaultValue: v[8] as Uint8Array | null, filetime: v[9] as 'le' | 'be' | null,
  }));
}

function renderBytes(c: OurColumn, b: Uint8Array): string {
  const x = convertValue(c.coltyp, c.codepage, b, c.filetime);
  return renderLikeEsedbexport(c, (c.multi ? jsonArray([x]) : x.value) as never, (x.raw ?? null) as never);
}

/** Exports `file` with our engine (into a fresh sql.js database) and compares it with esedbexport's output. */
export async function compareWithEsedbexport(SQL: SqlJs, file: string): Promise<Comparison> {
  const bytes = new Uint8Array(readFileSync(file));
  const db = new SQL.Database();
  const result = await exportEseToSqlite(new MemorySource(file, bytes), db, {});
  const o = runEsedbexport(file);
  const cmp: Comparison = {
    result, db, oracleFailed: !o, oursTables: result.tables.map((t) => t.name), theirTables: [], rowCounts: [], headerDiffs: [],
    cells: 0, defects: {}, examples: {}, mismatches: [], oracleMs: o?.ms ?? 0,
  };
  if (!o) return cmp;
  cmp.theirTables = [...o.tables.entries()].sort((a, b) => a[1].index - b[1].index).map((e) => e[0]);
  const cbPage = result.file.pageSize ?? 4096;
  for (const t of result.tables) {
    const ot = o.tables.get(t.name);
    if (!ot) continue;
    const cols = ourColumns(db, t.name);
    if (JSON.stringify(cols.map((c) => c.name)) !== JSON.stringify(ot.header)) cmp.headerDiffs.push(t.name);
    const stmt = db.prepare(
      `SELECT t.*, p.page, p.tag FROM "${t.sqlName.replace(/"/g, '""')}" t JOIN _palimpsest_provenance p ON p.source_table = ? AND p.row_id = t.rowid ORDER BY t.rowid`,
    );
    stmt.bind([t.name]);
    const names = stmt.getColumnNames();
    const rows: unknown[][] = [];
    while (stmt.step()) rows.push(stmt.get(null, { useBigInt: true }));
    stmt.free();
    cmp.rowCounts.push({ table: t.name, ours: rows.length, theirs: ot.rows.length });
    const pageCol = names.length - 2;
    for (let i = 0; i < Math.min(rows.length, ot.rows.length); i++) {
      const row = rows[i];
      let rec: Uint8Array | null = null;
      const record = () => {
        if (rec) return rec;
        const pg = Number(row[pageCol]);
        const tag = Number(row[pageCol + 1]);
        const page = bytes.subarray((pg + 1) * cbPage, (pg + 2) * cbPage);
        const p = new PageNodes(page);
        const n = p.nodes.find((x) => x.tag === tag)!;
        rec = p.data(n);
        return rec;
      };
      cols.forEach((c, ci) => {
        const v = norm(row[names.indexOf(c.sqliteColumn)]);
        const raw = c.rawColumn ? norm(row[names.indexOf(c.rawColumn)]) : null;
        const theirs = ot.rows[i][ci] ?? '';
        const mine = renderLikeEsedbexport(c, v as never, raw as never);
        const nullSlot = () => {
          // The record's null bit for this fixed column must be set, and the slot bytes must be what libesedb printed.
          const r = record();
          const fixedLast = r[0];
          const ibEnd = r[2] | (r[3] << 8);
          if (c.id > fixedLast) return [];
          const bitmap = ibEnd - ((fixedLast + 7) >> 3);
          if (!(r[bitmap + ((c.id - 1) >> 3)] & (1 << ((c.id - 1) & 7)))) return [];
          const off = Number(db.exec('SELECT record_offset FROM _palimpsest_columns WHERE table_name = ? AND column_id = ?', [t.name, c.id])[0].values[0][0]);
          const slot = r.subarray(off, off + c.fixedSize);
          // libesedb reads a Unicode slot of odd size as 8-bit text (see utf16-odd-length-read-as-ascii).
          return [renderBytes(c, slot), escapeText(latin1.decode(slot).replace(/\0[\s\S]*$/, ''))];
        };
        const fromDefault = !!c.defaultValue && mine === renderBytes(c, c.defaultValue);
        const res = compareCell(c, v as never, raw as never, theirs, { nullSlot, fromDefault });
        cmp.cells++;
        if (res.defect) {
          cmp.defects[res.defect] = (cmp.defects[res.defect] ?? 0) + 1;
          const ex = (cmp.examples[res.defect] ??= []);
          if (ex.length < 3) ex.push({ table: t.name, column: c.name, row: i + 1, ours: show(v), theirs: theirs.slice(0, 200) });
        }
        if (!res.ok) cmp.mismatches.push({ table: t.name, column: c.name, row: i + 1, ours: show(v), theirs: theirs.slice(0, 200) });
      });
    }
  }
  return cmp;
}
