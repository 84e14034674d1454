// Compression and catalog against Microsoft's own engine: esentoutput2.txt is every table of decompress_test.edb as
// esent.dll returned it (ese_parser's nt_comparison mode). decompress_test2.edb has no esent dump; its values follow
// the generator that wrote both files (see ese_parser/PROVENANCE.md), which fixes every byte.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { loadSqlJs, type SqlJs, type SqlJsDatabase } from './sqljs';
import { fixtureBytes, ESE_FIXTURES } from './fixtures';
import { exportEseToSqlite } from '../../workers/engine/formats/ese/edb/export';
import { MemorySource } from '../../workers/engine/io';

interface EsentTable {
  header: string[];
  rows: string[][];
}

/** Parses the esent dump: "table NAME", then `|col|col|` lines, cells padded with spaces. */
function parseEsentDump(text: string): Map<string, EsentTable> {
  const out = new Map<string, EsentTable>();
  let cur: EsentTable | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('table ')) {
      cur = { header: [], rows: [] };
      out.set(line.slice(6).trim(), cur);
    } else if (cur && line.startsWith('|')) {
      const cells = line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trimEnd());
      if (!cur.header.length) cur.header = cells.map((c) => c.trim());
      else cur.rows.push(cells);
    }
  }
  return out;
}

/** Our value in the dump's form: Bit true as -1; Binary as "b0 b1 …" (hex without leading zeros); LongBinary as
 * "N bytes: xx xx … ..." with at most the first 16 bytes. */
function esentForm(v: unknown, coltyp: number): string {
  if (v === null) return '';
  if (coltyp === 1) return v ? '-1' : '0';
  if (v instanceof Uint8Array) {
    if (coltyp === 11) return `${String(v.length).padStart(4)} bytes: ${Array.from(v.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ')} ...`;
    return Array.from(v, (b) => b.toString(16)).join(' ');
  }
  return String(v);
}

let SQL: SqlJs;
let db: SqlJsDatabase;
let esent: Map<string, EsentTable>;

beforeAll(async () => {
  SQL = await loadSqlJs();
  db = new SQL.Database();
  const r = await exportEseToSqlite(new MemorySource('decompress_test.edb', fixtureBytes('ese_parser/decompress_test.edb')), db);
  expect(r.exitCode).toBe(0);
  esent = parseEsentDump(gunzipSync(readFileSync(path.join(ESE_FIXTURES, 'ese_parser/esentoutput2.txt.gz'))).toString('latin1'));
});

describe('decompress_test.edb against esent.dll (esentoutput2.txt)', () => {
  it('has the same tables', () => {
    const ours = db.exec("SELECT name FROM _palimpsest_tables ORDER BY rowid")[0].values.map((v) => v[0]);
    expect(ours).toEqual([...esent.keys()]);
  });

  for (const table of ['MSysObjects', 'MSysObjectsShadow', 'MSysObjids', 'MSysLocales', 'test_table']) {
    it(`${table}: every row and column as esent.dll returned it`, () => {
      const e = esent.get(table)!;
      const cols = db.exec('SELECT column_name, coltyp, sqlite_column FROM _palimpsest_columns WHERE table_name = ? ORDER BY rowid', [table])[0].values;
      expect(cols.map((c) => c[0])).toEqual(e.header);
      const stmt = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`);
      const names = stmt.getColumnNames();
      const rows: unknown[][] = [];
      while (stmt.step()) rows.push(stmt.get());
      stmt.free();
      expect(rows.length).toBe(e.rows.length);
      expect(rows.length).toBeGreaterThan(0);
      rows.forEach((row, i) => {
        const mine = cols.map((c) => esentForm(row[names.indexOf(c[2] as string)], c[1] as number));
        expect(mine.map((x) => x.trim())).toEqual(e.rows[i].map((x) => x.trim()));
      });
    });
  }

  it('decompresses 7-bit Unicode, 7-bit ASCII and binary to "Record" + the row number right-aligned in 10', () => {
    const r = db.exec('SELECT compressed_unicode, compressed_ascii, compressed_binary, usual_text FROM test_table ORDER BY rowid')[0].values;
    r.forEach((v, i) => {
      const want = 'Record ' + String(i).padStart(10);
      expect(v[0]).toBe(want);
      expect(v[1]).toBe(want);
      expect(new TextDecoder().decode(v[2] as Uint8Array)).toBe(want);
      expect(v[3]).toBe(want);
    });
  });
});

describe('decompress_test2.edb: XPRESS-compressed long values', () => {
  it('every value is "Record" + the row number right-aligned in 2048, as the generator wrote it', async () => {
    const d2 = new SQL.Database();
    const r = await exportEseToSqlite(new MemorySource('decompress_test2.edb', fixtureBytes('ese_parser/decompress_test2.edb')), d2);
    expect(r.exitCode).toBe(0);
    const rows = d2.exec('SELECT compressed_unicode, compressed_ascii, compressed_binary, usual_text FROM test_table ORDER BY rowid')[0].values;
    expect(rows.length).toBe(10);
    rows.forEach((v, i) => {
      const want = 'Record ' + String(i).padStart(2048);
      expect(v[0]).toBe(want);
      expect(v[1]).toBe(want);
      expect(new TextDecoder().decode(v[2] as Uint8Array)).toBe(want);
      expect(v[3]).toBe(want);
    });
    d2.close();
  });
});
