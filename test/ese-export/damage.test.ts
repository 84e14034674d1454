// Damaged databases: bad, zeroed and missing pages, broken records, long values and compression, a dirty state, and
// seeded mutations (bit flips, zeroed and overwritten ranges, truncation). Every case must end in issues and a
// partial export — never an exception or a hang.
//
// Most cases run the real page checksum (../formats/ese/checksum.ts, the default). Where a case needs a damaged
// record inside a page that still verifies, the page is re-stamped (stampPage), as a writer bug would leave it.
// The mutation tests also use a stand-in — a page is "bad" exactly when its bytes differ from the pristine fixture
// (a perfect checksum) — to check that every damaged page the export reads is reported.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadSqlJs, type SqlJs, type SqlJsDatabase } from './sqljs';
import { fixtureBytes } from './fixtures';
import { exportEseToSqlite, type ExportResult } from '../../workers/engine/formats/ese/edb/export';
import type { PageCheck } from '../../workers/engine/formats/ese/edb/file';
import { PageNodes } from '../../workers/engine/formats/ese/edb/page';
import { decodeRecord, buildRecordSchema } from '../../workers/engine/formats/ese/edb/record';
import { readCatalog } from '../../workers/engine/formats/ese/edb/catalog';
import { EdbPages, noPageCheck } from '../../workers/engine/formats/ese/edb/file';
import { MemorySource } from '../../workers/engine/io';
import { stampPage, stampShortChecksum } from '../../workers/engine/formats/ese/checksum';
import { rng } from '../helpers';

let SQL: SqlJs;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** Pages differing from `pristine` are bad; all-zero pages uninitialized. */
function againstPristine(pristine: Uint8Array, cb: number): PageCheck {
  return (page, pgno) => {
    const off = (pgno + 1) * cb;
    let zero = true;
    let same = off + cb <= pristine.length;
    for (let i = 0; i < page.length; i++) {
      if (page[i] !== 0) zero = false;
      if (same && page[i] !== pristine[off + i]) same = false;
    }
    return same ? { status: 'ok' } : zero ? { status: 'uninitialized' } : { status: 'bad' };
  };
}

async function run(bytes: Uint8Array, pageCheck?: PageCheck, deleted = false): Promise<{ r: ExportResult; db: SqlJsDatabase }> {
  const db = new SQL.Database();
  const r = await exportEseToSqlite(new MemorySource('damaged.edb', bytes), db, { pageCheck, deleted });
  return { r, db };
}

const rowsOf = (db: SqlJsDatabase, table: string) => db.exec(`SELECT * FROM "${table}" ORDER BY rowid`)[0]?.values ?? [];
const codes = (r: ExportResult) => [...new Set(r.issues.map((i) => i.code))].sort();
const setPage = (b: Uint8Array, pgno: number, cb: number, fill: (page: Uint8Array) => void) => fill(b.subarray((pgno + 1) * cb, (pgno + 2) * cb));

describe('damaged pages', () => {
  const name = 'plaso/Catalog1.edb';
  // Table "namespace": root page 35 over 24 leaves (65, 66, 67, 68, 118 … 213), 1373 rows.
  let pristine: ExportResult;
  let pristineRows: unknown[][];

  beforeAll(async () => {
    const b = fixtureBytes(name);
    const x = await run(b, againstPristine(b, 4096));
    pristine = x.r;
    pristineRows = rowsOf(x.db, 'namespace');
    expect(pristine.exitCode).toBe(0);
    expect(pristineRows.length).toBe(1373);
  });

  it('a leaf with a bad checksum is reported and skipped; every other row is exported (P2)', async () => {
    const b = fixtureBytes(name).slice();
    setPage(b, 118, 4096, (p) => (p[2000] ^= 0x10));
    const { r, db } = await run(b, againstPristine(fixtureBytes(name), 4096));
    expect(r.exitCode).toBe(1);
    const bad = r.issues.find((i) => i.code === 'ese.page.bad-checksum')!;
    expect(bad).toMatchObject({ page: 118, offset: 119 * 4096, severity: 'error' });
    const rows = rowsOf(db, 'namespace');
    expect(rows.length).toBe(1373 - 57);
    const prov = db.exec("SELECT DISTINCT page FROM _palimpsest_provenance WHERE source_table = 'namespace'")[0].values.flat();
    expect(prov).not.toContain(118);
    expect(r.pages.bad).toBe(1);
  });

  it('a lost root: the leaves are found by scanning the file and exported in order (T6)', async () => {
    const b = fixtureBytes(name).slice();
    setPage(b, 35, 4096, (p) => p.fill(0xa5, 100, 200));
    const { r, db } = await run(b, againstPristine(fixtureBytes(name), 4096));
    expect(codes(r)).toEqual(['ese.page.bad-checksum', 'ese.tree.root-lost']);
    expect(rowsOf(db, 'namespace')).toEqual(pristineRows);
    const via = db.exec("SELECT DISTINCT via FROM _palimpsest_provenance WHERE source_table = 'namespace'")[0].values.flat();
    expect(via).toEqual(['page-scan']);
    expect(r.exitCode).toBe(1);
  });

  it('a zeroed leaf is an uninitialized page in the tree; a truncated file loses its tail pages (P1)', async () => {
    const b = fixtureBytes(name).slice();
    setPage(b, 66, 4096, (p) => p.fill(0));
    const z = await run(b, againstPristine(fixtureBytes(name), 4096));
    expect(codes(z.r)).toContain('ese.tree.page-uninitialized');
    expect(rowsOf(z.db, 'namespace').length).toBe(1373 - 58);

    const cut = fixtureBytes(name).slice(0, 150 * 4096);
    const t = await run(cut, againstPristine(fixtureBytes(name), 4096));
    expect(t.r.usable).toBe(true);
    expect(codes(t.r)).toContain('ese.tree.page-missing');
    const n = rowsOf(t.db, 'namespace').length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(1373);
    expect(t.r.exitCode).toBe(1);
  });

  it('MSysObjects damaged: the missing catalog rows come from MSysObjectsShadow (K4)', async () => {
    const b = fixtureBytes('dissect/basic.edb').slice();
    // MSysObjects = root 4 over leaves 13 and 14; MSysObjectsShadow = 24 over 27 and 28.
    setPage(b, 14, 4096, (p) => p.fill(0x33, 500, 900));
    const { r, db } = await run(b, againstPristine(fixtureBytes('dissect/basic.edb'), 4096));
    expect(codes(r)).toEqual(['ese.catalog.from-shadow', 'ese.page.bad-checksum']);
    expect(r.tables.map((t) => t.name)).toEqual(['MSysObjects', 'MSysObjectsShadow', 'MSysObjids', 'MSysLocales', 'basic']);
    expect(rowsOf(db, 'basic').length).toBe(2);
    expect(db.exec("SELECT value FROM _palimpsest_export WHERE key = 'catalog_rows_from_shadow'")[0].values[0][0]).toBe(28);
  });
});

describe('the real page checksum (F4)', () => {
  it('one flipped bit is corrected from the ECC and the page is used, as ESE does; two are a bad page', async () => {
    const name = 'plaso/Catalog1.edb';
    const pristine = await run(fixtureBytes(name));
    expect(pristine.r.pages.bad).toBe(0);
    const one = fixtureBytes(name).slice();
    one[119 * 4096 + 1000] ^= 0x04;
    const c = await run(one);
    expect(c.r.issues.map((i) => [i.code, i.page, i.offset])).toEqual([['ese.page.corrected', 118, 119 * 4096 + 1000]]);
    expect(rowsOf(c.db, 'namespace')).toEqual(rowsOf(pristine.db, 'namespace'));
    expect(c.db.exec("SELECT DISTINCT page_checksum FROM _palimpsest_provenance WHERE page = 118")[0].values).toEqual([['corrected']]);
    expect(c.r.exitCode).toBe(1);
    const two = one.slice();
    two[119 * 4096 + 3000] ^= 0x40;
    const b = await run(two);
    expect(b.r.issues.map((i) => [i.code, i.page])).toEqual([['ese.page.bad-checksum', 118]]);
    expect(rowsOf(b.db, 'namespace').length).toBe(1373 - 57);
  });

  it('a page copied into the wrong place fails: its checksum belongs to another page number', async () => {
    const b = fixtureBytes('plaso/Catalog1.edb').slice();
    b.copyWithin(119 * 4096, 120 * 4096, 121 * 4096);
    const { r } = await run(b);
    const bad = r.issues.find((i) => i.code === 'ese.page.bad-checksum')!;
    expect(bad.page).toBe(118);
    expect(bad.message).toMatch(/belongs to page 119/);
  });
});

describe('damaged records and values', () => {
  it('an undecodable record is an issue with its page, tag and bytes; the other rows are exported (E3)', async () => {
    const b = fixtureBytes('plaso/Catalog1.edb').slice();
    const page = new PageNodes(b.subarray(119 * 4096, 120 * 4096));
    const n = page.nodes[3];
    b[119 * 4096 + n.dataStart] = 200; // fidFixedLastInRec > 127 (R1)
    stampPage(b.subarray(119 * 4096, 120 * 4096), 118);
    const { r, db } = await run(b);
    const iss = db.exec("SELECT code, table_name, page, tag, length(raw) FROM _palimpsest_issues WHERE code = 'ese.record.undecodable'")[0].values;
    expect(iss).toEqual([['ese.record.undecodable', 'namespace', 118, n.tag, n.dataEnd - n.dataStart]]);
    expect(rowsOf(db, 'namespace').length).toBe(1372);
    expect(r.tables.find((t) => t.name === 'namespace')!.failedRecords).toBe(1);
    expect(r.exitCode).toBe(1);
  });

  it('a lost long-value page: the value is NULL with an issue, the row is exported (E4)', async () => {
    const name = 'dissect/text.edb';
    const b = fixtureBytes(name).slice();
    // LV tree of "text": root 32 over leaves 43 and 44.
    setPage(b, 43, 4096, (p) => (p[3000] ^= 1));
    const { r, db } = await run(b, againstPristine(fixtureBytes(name), 4096));
    expect(rowsOf(db, 'text').length).toBe(1);
    const lv = r.issues.filter((i) => i.code.startsWith('ese.lv.'));
    expect(lv.length).toBeGreaterThan(0);
    expect(lv[0].message).toMatch(/table "text" page \d+ tag \d+: column "/);
    const nulls = db.exec('SELECT LongASCII IS NULL, ASCII FROM text')[0].values[0];
    expect(nulls).toEqual([1, 'Simple ASCII text']);
    expect(db.exec('SELECT issues FROM _palimpsest_provenance WHERE source_table = \'text\'')[0].values[0][0]).toBeGreaterThan(0);
  });

  it('XPRESS9 and unknown compression schemes are reported, not guessed (C5)', async () => {
    // decompress_test.edb: test_table row 1 holds 7-bit compressed values inline (esent.test.ts).
    const name = 'ese_parser/decompress_test.edb';
    const cb = 8192;
    const b = fixtureBytes(name).slice();
    const pages = new EdbPages(new MemorySource(name, b), cb, noPageCheck, []);
    const t = (await readCatalog(pages, [])).tables.find((x) => x.name === 'test_table')!;
    const first = await run(fixtureBytes(name));
    const [pg, tag] = first.db.exec("SELECT page, tag FROM _palimpsest_provenance WHERE source_table = 'test_table' AND row_id = 1")[0].values[0] as number[];
    const leaf = new PageNodes(b.subarray((pg + 1) * cb, (pg + 2) * cb));
    const d = decodeRecord(leaf.data(leaf.nodes.find((x) => x.tag === tag)!), buildRecordSchema(t.columns), true, true);
    const ci = t.columns.findIndex((c) => c.name === 'compressed_ascii');
    const piece = d.values[ci]!.pieces[0];
    expect(piece).toMatchObject({ compressed: true, separated: false });
    b[piece.bytes.byteOffset] = (5 << 3) | (b[piece.bytes.byteOffset] & 7);
    stampPage(b.subarray((pg + 1) * cb, (pg + 2) * cb), pg);
    const { r, db } = await run(b);
    expect(r.issues.find((i) => i.code === 'ese.value.compression-unsupported')?.message).toMatch(/XPRESS9/);
    expect(db.exec('SELECT compressed_ascii IS NULL, usual_text FROM test_table WHERE rowid = 1')[0].values[0]).toEqual([1, 'Record          0']);
    expect(rowsOf(db, 'test_table').length).toBe(10);
  });

  it('a dirty-shutdown database is exported with a warning and exit status 1', async () => {
    const b = fixtureBytes('dissect/basic.edb').slice();
    for (const off of [0, 4096]) {
      b[off + 52] = 2;
      stampShortChecksum(b, off, 4096);
    }
    const { r, db } = await run(b);
    expect(r.issues.map((i) => i.code)).toContain('ese.export.dirty-shutdown');
    expect(r.file.dbState).toBe('Dirty Shutdown');
    expect(r.exitCode).toBe(1);
    expect(rowsOf(db, 'basic').length).toBe(2);
  });

  it('a temporary database (dbid 0, ../FORMAT.md D8) whose pages store checksum 0 is exported unchecked; with a user dbid its pages fail', async () => {
    const pristine = await run(fixtureBytes('dissect/basic.edb').slice());
    const b = fixtureBytes('dissect/basic.edb').slice();
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    // Every database page as the NTDS temp.edb stores them: old checksum format, checksum words 0.
    for (let off = 2 * 4096; off + 4096 <= b.length; off += 4096) {
      if (b.subarray(off, off + 4096).every((x) => x === 0)) continue;
      dv.setUint32(off + 36, dv.getUint32(off + 36, true) & ~0x2000, true);
      dv.setUint32(off, 0, true);
      dv.setUint32(off + 4, 0, true);
    }
    const withDbid = (id: number) => {
      const c = b.slice();
      const cv = new DataView(c.buffer);
      for (const off of [0, 4096]) {
        cv.setUint32(off + 104, id, true);
        stampShortChecksum(c, off, 4096);
      }
      return c;
    };
    const temp = await run(withDbid(0));
    expect(temp.r.pages.bad).toBe(0);
    expect(temp.r.pages.unchecked).toBe(temp.r.pages.read - temp.r.pages.uninitialized);
    expect(temp.r.issues.find((i) => i.code === 'ese.export.checksums-unchecked')?.offset).toBe(104);
    expect(rowsOf(temp.db, 'basic')).toEqual(rowsOf(pristine.db, 'basic'));
    const user = await run(withDbid(1));
    expect(user.r.pages.bad).toBeGreaterThan(0);
    expect(user.r.issues.some((i) => i.code === 'ese.export.checksums-unchecked')).toBe(false);
  });

  it('headers: a zeroed header falls back to the shadow (F1); with both gone the page size is inferred (F2); nothing ESE is exit 2', async () => {
    const b = fixtureBytes('dissect/basic.edb').slice();
    b.fill(0, 0, 4096);
    const s = await run(b);
    expect(codes(s.r)).toContain('ese.export.header-from-shadow');
    expect(s.r.tables.length).toBe(5);
    b.fill(0, 0, 8192);
    const i = await run(b);
    expect(codes(i.r)).toContain('ese.export.header-unusable');
    expect(i.r.file.pageSize).toBe(4096);
    expect(rowsOf(i.db, 'basic').length).toBe(2);
    const none = await run(new Uint8Array(65536).fill(0x41));
    expect(none.r).toMatchObject({ usable: false, exitCode: 2 });
    expect(codes(none.r)).toEqual(['ese.export.not-ese']);
  });
});

describe('seeded mutations', () => {
  // '../ese/go-ese/qmgr.db': the real 16 KiB-page database, kept with the inspection fixtures (test/fixtures/ese).
  const cases = ['dissect/basic.edb', 'dissect/multi.edb', 'dissect/text.edb', 'ese_parser/decompress_test2.edb', 'srum-rathbun/SRUDB.dat', 'plaso/Catalog1.edb', '../ese/go-ese/qmgr.db'];

  function mutate(src: Uint8Array, seed: number, cb: number): { bytes: Uint8Array; kind: string } {
    const r = rng(seed);
    const b = src.slice();
    const pages = Math.floor(b.length / cb);
    const kind = ['flip', 'zero', 'garbage', 'truncate'][seed % 4];
    if (kind === 'flip') {
      for (let k = 0; k < 1 + ((r() * 40) | 0); k++) b[(r() * b.length) | 0] ^= 1 << ((r() * 8) | 0);
    } else if (kind === 'zero' || kind === 'garbage') {
      const start = (2 + ((r() * (pages - 2)) | 0)) * cb + ((r() * cb) | 0);
      const len = 1 + ((r() * 3 * cb) | 0);
      for (let i = start; i < Math.min(b.length, start + len); i++) b[i] = kind === 'zero' ? 0 : (r() * 256) | 0;
    } else {
      return { bytes: b.subarray(0, (r() * b.length) | 0), kind };
    }
    return { bytes: b, kind };
  }

  for (const name of cases) {
    it(`${name}: 48 mutated copies end in issues and a partial export, never an exception or a hang`, async () => {
      const pristine = fixtureBytes(name);
      const cb = name.includes('decompress') ? 8192 : name.includes('qmgr') ? 16384 : 4096;
      for (let seed = 1; seed <= 48; seed++) {
        const { bytes, kind } = mutate(pristine, seed * 7919 + name.length, cb);
        // With the stand-in checksum: any mutated page the export reads is reported.
        const checked = await Promise.race([
          run(bytes, againstPristine(pristine, cb)),
          new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`seed ${seed} (${kind}) hangs`)), 20_000)),
        ]);
        const r = checked.r;
        expect([0, 1, 2]).toContain(r.exitCode);
        if (r.pages.bad + r.pages.missing + r.pages.uninitialized > 0) expect(r.issueCounts.error).toBeGreaterThan(0);
        if (r.usable) expect(checked.db.exec('PRAGMA integrity_check')[0].values[0][0]).toBe('ok');
        checked.db.close();
        // The real checksum: the same outcome class, never an exception.
        const real = await run(bytes);
        expect([0, 1, 2]).toContain(real.r.exitCode);
        if (real.r.pages.bad > 0) expect(real.r.issueCounts.error).toBeGreaterThan(0);
        real.db.close();
        // Without any checksum the damaged bytes reach the decoders (deleted records too, E8): still no exception.
        const raw = await run(bytes, () => ({ status: 'unchecked' as const }), true);
        expect([0, 1, 2]).toContain(raw.r.exitCode);
        raw.db.close();
      }
    });
  }
});
