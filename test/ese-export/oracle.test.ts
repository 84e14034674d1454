// Every table of every sample, compared with Debian's esedbexport (libesedb 20181229) run now on the same file: same
// tables in the same order, same row counts, same column names, every cell equal after normalising formats or
// explained by a named libesedb defect — counted here so that a change on our side shows up.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadSqlJs, type SqlJs } from './sqljs';
import { compareWithEsedbexport, type Comparison } from './compare';
import { fixtureFile, DATABASES } from './fixtures';
import { esedbexportAvailable, LIBESEDB_DEFECTS, type Defect } from './oracle';

/** Defects found per sample (cells). fixed-null-bitmap-ignored is verified cell by cell against the record bytes. */
const EXPECTED: Record<(typeof DATABASES)[number], { rows: number; tables: number; defects: Partial<Record<Defect, number>> }> = {
  'dissect/basic.edb': { rows: 190, tables: 5, defects: { 'fixed-null-bitmap-ignored': 106, 'float32-printed-zero': 2, 'currency-printed-unsigned': 1 } },
  'dissect/binary.edb': { rows: 190, tables: 5, defects: { 'fixed-null-bitmap-ignored': 87, 'long-value-not-printed': 1 } },
  'dissect/default.edb': { rows: 201, tables: 5, defects: { 'fixed-null-bitmap-ignored': 106, 'float32-printed-zero': 1, 'utf16-surrogates-garbled': 1, 'default-value-not-applied': 3 } },
  'dissect/index.edb': { rows: 259, tables: 5, defects: { 'fixed-null-bitmap-ignored': 178, 'float32-printed-zero': 1, 'utf16-surrogates-garbled': 1, 'long-value-not-printed': 2 } },
  'dissect/multi.edb': { rows: 211, tables: 5, defects: { 'fixed-null-bitmap-ignored': 82, 'multi-value-not-printed': 17, 'utf16-surrogates-garbled': 3, 'multi-value-long-garbled': 4 } },
  'dissect/text.edb': { rows: 220, tables: 5, defects: { 'fixed-null-bitmap-ignored': 92, 'utf16-odd-length-read-as-ascii': 1, 'utf16-surrogates-garbled': 6, 'long-value-not-printed': 4, 'long-value-garbled': 1 } },
  'dissect/SRUDB.dat': { rows: 683, tables: 12, defects: { 'fixed-null-bitmap-ignored': 276, 'floatingtime-imprecise': 59 } },
  'dissect/Current.mdb': { rows: 992, tables: 8, defects: { 'fixed-null-bitmap-ignored': 126 } },
  'ese_parser/test.edb': { rows: 200, tables: 5, defects: { 'fixed-null-bitmap-ignored': 103, 'float32-printed-zero': 1, 'multi-value-not-printed': 2, 'two-values-not-printed': 1, 'multi-value-long-garbled': 1, 'default-value-not-applied': 1 } },
  'ese_parser/decompress_test.edb': { rows: 178, tables: 5, defects: { 'fixed-null-bitmap-ignored': 76 } },
  'ese_parser/decompress_test2.edb': { rows: 181, tables: 5, defects: { 'fixed-null-bitmap-ignored': 76, 'long-value-garbled': 1, 'long-value-not-printed': 38 } },
  'plaso/Catalog1.edb': { rows: 3625, tables: 10, defects: { 'fixed-null-bitmap-ignored': 105 } },
  'srum-rathbun/SRUDB.dat': { rows: 1019, tables: 11, defects: { 'fixed-null-bitmap-ignored': 4671, 'floatingtime-imprecise': 309 } },
  'srum-aptsimulator/SRUDB.dat': { rows: 3592, tables: 14, defects: { 'fixed-null-bitmap-ignored': 46624, 'floatingtime-imprecise': 1229 } },
  'windows-mail/WindowsMail.MSMessageStore': { rows: 235, tables: 6, defects: { 'fixed-null-bitmap-ignored': 142, 'narrow-text-stops-at-nul': 1 } },
  'windows-search/Windows.edb': { rows: 4110, tables: 23, defects: { 'fixed-null-bitmap-ignored': 4245, 'narrow-text-stops-at-nul': 1, 'long-value-not-printed': 29, 'seven-bit-unicode-as-ascii': 41, 'long-value-garbled': 1 } },
};

let SQL: SqlJs;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe('esedbexport oracle', () => {
  it('esedbexport (libesedb-utils) is installed', () => {
    expect(esedbexportAvailable()).toBe(true);
  });

  for (const name of DATABASES) {
    it(`${name}: same tables, row counts, columns and values as esedbexport`, async () => {
      const c: Comparison = await compareWithEsedbexport(SQL, fixtureFile(name));
      const exp = EXPECTED[name];
      expect(c.oracleFailed).toBe(false);
      expect(c.result.exitCode).toBe(0);
      expect(c.oursTables).toEqual(c.theirTables);
      expect(c.oursTables.length).toBe(exp.tables);
      for (const r of c.rowCounts) expect({ table: r.table, rows: r.ours }).toEqual({ table: r.table, rows: r.theirs });
      expect(c.rowCounts.reduce((n, r) => n + r.ours, 0)).toBe(exp.rows);
      expect(c.headerDiffs).toEqual([]);
      expect(c.mismatches).toEqual([]);
      expect(c.cells).toBeGreaterThan(exp.rows);
      expect(c.defects).toEqual(exp.defects);
      for (const d of Object.keys(c.defects)) expect(LIBESEDB_DEFECTS[d as Defect]).toBeTruthy();
      c.db.close();
    });
  }
});
