// ESE databases: header (DBFILEHDR, shadow, page-size detection), page checksums on real files and on copies
// damaged at known offsets, esedbinfo as a second opinion where it is right, and where it is wrong (the 668-byte
// header checksum).
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { caseDir, verifyInProcess, fileOf, codes, editFile, restamp, ESE } from './ese-helpers';
import { readShadowedHeader, parseDbHeader, stateWord, detectPageSize } from '../../workers/engine/formats/ese/header';
import { stampPage, shortChecksum, verifyPage, PAGE_STATUS } from '../../workers/engine/formats/ese/checksum';
import { pageMap } from '../../workers/engine/formats/ese/pages';
import { readAttachList, formatSignature, readSignature } from '../../workers/engine/formats/ese/structs';
import { eseutilText } from '../../workers/engine/formats/ese/eseutil';

function esedbinfo(file: string): { code: number; out: string; err: string } {
  const r = spawnSync('esedbinfo', [file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const field = (out: string, label: string): string | null => {
  const m = new RegExp(`${label}:\\s+(.+)`).exec(out);
  return m ? m[1].trim() : null;
};

describe('ESE database header', () => {
  it('decodes the real SRUM header and agrees with the log that has it attached', async () => {
    const b = new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', 'SRUDB.dat')));
    const sh = readShadowedHeader(b.subarray(0, 65536));
    expect(sh.status).toBe('ok');
    expect(sh.pageSize).toBe(4096);
    expect(sh.identical).toBe(true);
    const h = sh.header;
    expect(stateWord(h.dbstate)).toBe('Clean Shutdown');
    expect(h.lgposConsistent).toEqual({ generation: 9, sector: 6, offset: 0x36 });
    expect(formatSignature(h.signLog)).toBe('Create time:02/05/2022 22:17:47.817 Rand:338689357 Computer:');
    // Second source: SRU.log's attachment list (written by ESE into the log) names this database by signature.
    const log = new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', 'SRU.log')));
    const att = readAttachList(log, 671).entries;
    expect(att).toHaveLength(1);
    expect(att[0].names[0]).toBe('C:\\Windows\\system32\\SRU\\SRUDB.dat');
    expect(att[0].signDb.hex).toBe(h.signDb.hex);
    // LGFILEHDR.signLog @44 equals the database's Log Signature.
    expect(readSignature(log, 44).hex).toBe(h.signLog.hex);
  });

  it('detects 4, 8, 16 and 32 KiB pages as the engine does (checksum over cb bytes and cbDbPage == cb)', () => {
    const ps = (b: Uint8Array) => detectPageSize(b.subarray(0, 65536));
    expect(ps(new Uint8Array(readFileSync(path.join(ESE, 'dissect', 'SRUDB.dat'))))).toBe(4096);
    expect(ps(new Uint8Array(gunzipSync(readFileSync(path.join(ESE, 'ese_parser', 'decompress_test.edb.gz')))))).toBe(8192);
    expect(ps(new Uint8Array(gunzipSync(readFileSync(path.join(ESE, 'go-ese', 'qmgr.db.gz')))))).toBe(16384);
    expect(ps(new Uint8Array(gunzipSync(readFileSync(path.join(ESE, 'windows-search', 'Windows.edb.gz')))))).toBe(32768);
  });

  it('a bad primary header falls back to the shadow; a bad shadow is reported; both bad is corrupt', () => {
    const b = new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', 'SRUDB.dat'))).subarray(0, 65536);
    const p = b.slice();
    p[1000] ^= 0x10;
    const a = readShadowedHeader(p);
    expect([a.status, a.electedCopy, a.pageSize]).toEqual(['primary-bad', 1, 4096]);
    expect(a.primary.checksumStored).not.toBe(a.primary.checksumComputed);
    const s = b.slice();
    s[4096 + 52] ^= 1;
    expect(readShadowedHeader(s).status).toBe('secondary-bad');
    const both = p.slice();
    both[4096 + 52] ^= 1;
    const c = readShadowedHeader(both);
    expect([c.status, c.pageSize]).toEqual(['corrupt', null]);
  });

  it('esedbinfo agrees on file type, formats and page size where its header check holds', () => {
    const t = caseDir([['srum-rathbun/SRUDB.dat'], ['dissect/SRUDB.dat', 'dissect.dat'], ['windows-search/Windows.edb.gz'], ['ese_parser/decompress_test.edb.gz']]);
    try {
      for (const name of ['SRUDB.dat', 'dissect.dat', 'Windows.edb', 'decompress_test.edb']) {
        const file = t.p(name);
        const r = esedbinfo(file);
        expect({ name, code: r.code }).toEqual({ name, code: 0 });
        const h = parseDbHeader(readFileSync(file).subarray(0, 65536));
        expect(field(r.out, 'File type')).toBe('Database');
        expect(field(r.out, 'Created in format')).toBe(`0x${h.createVersion.toString(16)},${h.createUpdate}`);
        expect(field(r.out, 'Current format')).toBe(`0x${h.version.toString(16)},${h.daeUpdateMajor}`);
        expect(field(r.out, 'Page size')).toBe(`${detectPageSize(readFileSync(file).subarray(0, 65536))} bytes`);
      }
    } finally {
      t.cleanup();
    }
  });

  it('esedbinfo is wrong about the header checksum: it covers 668 bytes, the engine covers the whole page', async () => {
    const t = caseDir([['srum-rathbun/SRUDB.dat', 'a.dat'], ['srum-rathbun/SRUDB.dat', 'b.dat']]);
    try {
      // (a) A header with data after byte 668, as Windows 11 writes (logtimeGenMaxRequired @672), checksummed over
      // the whole page as ErrUtilWriteShadowedHeaderInternal does: the engine accepts it, esedbinfo rejects it.
      editFile(t.p('a.dat'), (b) => {
        for (const copy of [0, 4096]) {
          b.set([5, 4, 3, 2, 2, 122, 1, 0], copy + 672);
          restamp(b, copy, 4096);
        }
      });
      const ra = await verifyInProcess([t.p('a.dat')]);
      const fa = fileOf(ra, 'a.dat');
      expect(fa.ese.headerStatus).toBe('ok');
      expect(codes(fa.issues).filter((c: string) => c.startsWith('ese.db.header') || c.startsWith('ese.db.shadow'))).toEqual([]);
      const ea = esedbinfo(t.p('a.dat'));
      expect(ea.code).not.toBe(0);
      expect(ea.err).toMatch(/checksum/i);
      // (b) A byte after 668 damaged in the primary header: esedbinfo does not notice, the engine does (and uses
      // the shadow copy).
      editFile(t.p('b.dat'), (b) => { b[2000] ^= 0x40; });
      const eb = esedbinfo(t.p('b.dat'));
      expect(eb.code).toBe(0);
      expect(field(eb.out, 'Page size')).toBe('4096 bytes');
      const rb = await verifyInProcess([t.p('b.dat')]);
      const fb = fileOf(rb, 'b.dat');
      expect(fb.ese.headerStatus).toBe('primary-bad');
      expect(codes(fb.issues)).toContain('ese.db.header-checksum');
    } finally {
      t.cleanup();
    }
  });

  it('esedbinfo rejects a real Windows 11 header (qmgr.db): its 668-byte XOR is not the stored checksum, the whole-page XOR is', () => {
    const t = caseDir([['go-ese/qmgr.db.gz']]);
    try {
      const b = new Uint8Array(readFileSync(t.p('qmgr.db')));
      const stored = new DataView(b.buffer, b.byteOffset).getUint32(0, true);
      expect(stored).toBe(0x75cd211a);
      expect(shortChecksum(b, 0, 16384)).toBe(stored);
      const short668 = shortChecksum(b, 0, 668);
      expect(short668).toBe(0x6d517b08);
      expect(b.subarray(668, 748).some((x) => x !== 0)).toBe(true);
      expect(readShadowedHeader(b.subarray(0, 65536))).toMatchObject({ status: 'ok', pageSize: 16384, identical: true });
      const r = esedbinfo(t.p('qmgr.db'));
      expect(r.code).not.toBe(0);
      expect(r.err).toContain('mismatch in file header checksum ( 0x75cd211a != 0x6d517b08 )');
    } finally {
      t.cleanup();
    }
  });

  it("libesedb's 668-byte header vector: its short checksum equals the whole-page checksum only because the rest is zero", () => {
    const h668 = new Uint8Array(readFileSync(path.join(ESE, 'libesedb', 'file_header.1')));
    expect(shortChecksum(h668, 0, 668)).toBe(new DataView(h668.buffer, h668.byteOffset).getUint32(0, true));
    const page = new Uint8Array(8192);
    page.set(h668);
    expect(shortChecksum(page, 0, 8192)).toBe(shortChecksum(h668, 0, 668));
    page[4000] = 1;
    expect(shortChecksum(page, 0, 8192)).not.toBe(shortChecksum(h668, 0, 668));
  });
});

describe('ESE page checksums (engine)', () => {
  it('counts the real SRUM database: 192 pages, 86 uninitialized, none bad', async () => {
    const r = await verifyInProcess([path.join(ESE, 'srum-rathbun', 'SRUDB.dat')]);
    const e = fileOf(r, 'SRUDB.dat').ese;
    expect(e.pageSize).toBe(4096);
    expect(e.state).toBe('Clean Shutdown');
    expect(e.lastConsistent).toEqual({ generation: 9, sector: 6, offset: 54 });
    expect(e.dbSignature).toBe('Create time:02/05/2022 22:17:47.832 Rand:2769776398 Computer:');
    expect(e.logSignature).toBe('Create time:02/05/2022 22:17:47.817 Rand:338689357 Computer:');
    expect(e.pages).toMatchObject({ seen: 192, bad: 0, correctable: 0, uninitialized: 86, wrongPageNumber: 0, badPages: [] });
    expect(r.verdict).toBe('restorable');
  });

  it('finds the 16 real bad pages of dissect SRUDB.dat (pages 143-158)', async () => {
    const r = await verifyInProcess([path.join(ESE, 'dissect', 'SRUDB.dat')]);
    const f = fileOf(r, 'SRUDB.dat');
    expect(f.ese.pages).toMatchObject({ seen: 160, bad: 16, correctable: 0, uninitialized: 63, wrongPageNumber: 0 });
    expect(f.ese.pages.badPages).toEqual(Array.from({ length: 16 }, (_, i) => 143 + i));
    expect(f.issues.filter((i: any) => i.code === 'ese.page.bad-checksum').map((i: any) => i.offset)).toEqual(Array.from({ length: 16 }, (_, i) => (143 + 1 + i) * 4096));
    expect(r.verdict).toBe('restorable-with-loss');
    // The page map for pictures: one cell per page here; the 16 bad pages form one run at physical pages 144-159.
    const m = f.ese.pages.map;
    expect([m.pagesPerCell, m.cells]).toEqual([1, 160]);
    let at = 0;
    const bad: Array<[number, number]> = [];
    for (let k = 0; k < m.runs.length; k += 2) {
      if (m.statuses[m.runs[k]] === 'bad') bad.push([at, m.runs[k + 1]]);
      at += m.runs[k + 1];
    }
    expect(at).toBe(160);
    expect(bad).toEqual([[144, 16]]);
  });

  it('draws large page maps in at most 65536 cells, each showing its worst page', () => {
    const count = 200_003;
    const status = new Uint8Array(count).fill(PAGE_STATUS.good);
    status[0] = status[1] = PAGE_STATUS.header;
    status.fill(PAGE_STATUS.uninitialized, 150_000);
    status[100_001] = PAGE_STATUS.bad;
    const m = pageMap({ pageSize: 4096, count, status, kind: new Uint8Array(count), info: new Map(), dbtimeHighest: '0', dbtimeHighestPgno: -1, zeroChecksum: 0 });
    expect(m.pagesPerCell).toBe(4);
    expect(m.cells).toBe(50_001);
    const cells: number[] = [];
    for (let k = 0; k < m.runs.length; k += 2) for (let j = 0; j < m.runs[k + 1]; j++) cells.push(m.runs[k]);
    expect(cells).toHaveLength(50_001);
    expect(cells[0]).toBe(PAGE_STATUS.good);
    expect(cells[25_000]).toBe(PAGE_STATUS.bad);
    expect(cells[37_500]).toBe(PAGE_STATUS.uninitialized);
    expect(cells.filter((c) => c === PAGE_STATUS.bad)).toHaveLength(1);
  });

  it('raises the right issue for pages patched at known offsets (4 KiB pages)', async () => {
    const t = caseDir([['srum-rathbun/SRUDB.dat']]);
    try {
      const orig = new Uint8Array(readFileSync(t.p('SRUDB.dat')));
      const ps = 4096;
      const initialised = (pgno: number) => orig.subarray((pgno + 1) * ps, (pgno + 2) * ps).some((x) => x !== 0);
      const used = Array.from({ length: 190 }, (_, i) => i + 1).filter(initialised);
      const [flipPg, garbagePg, movedPg, zeroPg] = [used[3], used[10], used[20], used[30]];
      const flipBit = 8 * 1234 + 5;
      editFile(t.p('SRUDB.dat'), (b) => {
        const off = (pg: number) => (pg + 1) * ps;
        b[off(flipPg) + (flipBit >> 3)] ^= 1 << (flipBit & 7);
        b.fill(0x41, off(garbagePg) + 500, off(garbagePg) + 520);
        b.set(orig.subarray(off(used[21]), off(used[21]) + ps), off(movedPg));
        b.fill(0, off(zeroPg), off(zeroPg) + ps);
      });
      const r = await verifyInProcess([t.p('SRUDB.dat')]);
      const f = fileOf(r, 'SRUDB.dat');
      expect(f.ese.pages).toMatchObject({ seen: 192, bad: 3, correctable: 1, wrongPageNumber: 1, uninitialized: 87 });
      expect(f.ese.pages.badPages).toEqual([flipPg, garbagePg, movedPg].sort((a, b) => a - b));
      expect(f.ese.pages.correctablePages).toEqual([{ pgno: flipPg, bit: flipBit }]);
      expect(f.ese.pages.wrongPages).toEqual([{ pgno: movedPg, claimedPgno: used[21] }]);
      const by = (code: string) => f.issues.filter((i: any) => i.code === code).map((i: any) => i.page);
      expect(by('ese.page.correctable')).toEqual([flipPg]);
      expect(by('ese.page.bad-checksum')).toEqual([garbagePg]);
      expect(by('ese.page.wrong-page-number')).toEqual([movedPg]);
      expect(r.verdict).toBe('restorable-with-loss');
    } finally {
      t.cleanup();
    }
  });

  it('verifies 32 KiB pages block by block (Windows Search) and corrects a single bit in block 3', async () => {
    const t = caseDir([['windows-search/Windows.edb.gz']]);
    try {
      const ps = 32768;
      const b0 = new Uint8Array(readFileSync(t.p('Windows.edb')));
      const pg = 5;
      expect(verifyPage(b0.subarray((pg + 1) * ps, (pg + 2) * ps), pg, ps).status).toBe('good');
      const bit = 8 * (3 * 8192 + 777) + 2;
      editFile(t.p('Windows.edb'), (b) => { b[(pg + 1) * ps + (bit >> 3)] ^= 1 << (bit & 7); b[(pg + 2) * ps + 9000] ^= 0xff; });
      const r = await verifyInProcess([t.p('Windows.edb')]);
      const e = fileOf(r, 'Windows.edb').ese;
      expect(e.pageSize).toBe(32768);
      expect(e.pages).toMatchObject({ seen: 512, bad: 2, correctable: 1, uninitialized: 299, wrongPageNumber: 0, badPages: [pg, pg + 1] });
      expect(e.pages.correctablePages).toEqual([{ pgno: pg, bit }]);
    } finally {
      t.cleanup();
    }
  });

  it('verifies 16 KiB pages: a database assembled from real 32 KiB page content re-stamped at 16 KiB', async () => {
    const t = caseDir([]);
    try {
      const src = new Uint8Array(gunzipSync(readFileSync(path.join(ESE, 'windows-search', 'Windows.edb.gz'))));
      const ps = 16384;
      const n = 40;
      const out = new Uint8Array((n + 2) * ps);
      for (const copy of [0, 1]) {
        out.set(src.subarray(0, ps), copy * ps);
        new DataView(out.buffer).setUint32(copy * ps + 236, ps, true);
        restamp(out, copy * ps, ps);
      }
      for (let pgno = 1; pgno <= n; pgno++) {
        const from = src.subarray((pgno + 1) * 32768, (pgno + 1) * 32768 + ps);
        const pg = out.subarray((pgno + 1) * ps, (pgno + 2) * ps);
        if (from.some((x) => x !== 0)) { pg.set(from); stampPage(pg, pgno, ps); }
      }
      const bit = 8 * (2 * 4096 + 100) + 7;
      out[(12 + 1) * ps + (bit >> 3)] ^= 1 << (bit & 7);
      writeFileSync(t.p('assembled16k.edb'), out);
      const r = await verifyInProcess([t.p('assembled16k.edb')]);
      const e = fileOf(r, 'assembled16k.edb').ese;
      expect(e.pageSize).toBe(16384);
      expect(e.pages.seen).toBe(n + 2);
      expect(e.pages.correctablePages).toEqual([{ pgno: 12, bit }]);
      expect(e.pages.bad).toBe(1);
    } finally {
      t.cleanup();
    }
  });

  it('verifies a real 16 KiB-page database (Windows 11 BITS qmgr.db, format 0x620,300) and its damaged copies', async () => {
    const t = caseDir([['go-ese/qmgr.db.gz'], ['go-ese/qmgr.db.gz', 'damaged.db']]);
    try {
      const ps = 16384;
      const orig = new Uint8Array(readFileSync(t.p('qmgr.db')));
      expect(detectPageSize(orig.subarray(0, 65536))).toBe(ps);
      // Every initialised page carries checksums written by Windows; each 4 KiB block must match on its own.
      const initialised: number[] = [];
      for (let pgno = 1; pgno <= orig.length / ps - 2; pgno++) {
        const page = orig.subarray((pgno + 1) * ps, (pgno + 2) * ps);
        if (page.some((x) => x !== 0)) {
          initialised.push(pgno);
          expect({ pgno, status: verifyPage(page, pgno, ps).status }).toEqual({ pgno, status: 'good' });
        }
      }
      expect(initialised).toHaveLength(43); // 80 seen = 2 header copies + 43 initialised + 35 uninitialised
      const r = await verifyInProcess([t.p('qmgr.db')]);
      const e = fileOf(r, 'qmgr.db').ese;
      expect(e.pageSize).toBe(ps);
      expect(e.state).toBe('Dirty Shutdown');
      expect(e.lastConsistent).toEqual({ generation: 0x17, sector: 0x1f, offset: 0x78b });
      expect(e.logSignature).toBe('Create time:07/27/2024 00:23:04.627 Rand:3105172262 Computer:');
      expect(e.pages).toMatchObject({ seen: 80, bad: 0, correctable: 0, uninitialized: 35, wrongPageNumber: 0, badPages: [] });
      // Damage at known offsets: one bit in block 2 of the Jobs table's root page (pgno 31), a run of bytes in
      // block 4 of pgno 36, page 41's content written over page 45, page 50 zeroed.
      const bit = 8 * (2 * 4096 + 1000) + 3;
      editFile(t.p('damaged.db'), (b) => {
        const off = (pg: number) => (pg + 1) * ps;
        b[off(31) + (bit >> 3)] ^= 1 << (bit & 7);
        b.fill(0x41, off(36) + 3 * 4096 + 200, off(36) + 3 * 4096 + 220);
        b.set(orig.subarray(off(41), off(41) + ps), off(45));
        b.fill(0, off(50), off(50) + ps);
      });
      const d = await verifyInProcess([t.p('damaged.db')]);
      const f = fileOf(d, 'damaged.db');
      expect(f.ese.pages).toMatchObject({ seen: 80, bad: 3, correctable: 1, wrongPageNumber: 1, uninitialized: 36, badPages: [31, 36, 45] });
      expect(f.ese.pages.correctablePages).toEqual([{ pgno: 31, bit }]);
      expect(f.ese.pages.wrongPages).toEqual([{ pgno: 45, claimedPgno: 41 }]);
    } finally {
      t.cleanup();
    }
  });

  it('does not checksum a temporary database (file type 5), as eseutil /k', async () => {
    const t = caseDir([['srum-rathbun/SRUDB.dat', 'tmp.edb']]);
    try {
      editFile(t.p('tmp.edb'), (b, dv) => {
        for (const copy of [0, 4096]) { dv.setUint32(copy + 667, 5, true); restamp(b, copy, 4096); }
      });
      const r = await verifyInProcess([t.p('tmp.edb')]);
      const f = fileOf(r, 'tmp.edb');
      expect(f.ese.pages).toBeNull();
      expect(f.issues.find((i: any) => i.code === 'ese.db.pages-not-checked').message).toMatch(/temporary database/);
    } finally {
      t.cleanup();
    }
  });

  it('names a failing page without the ERROR: prefix in the issue (the severity says it); the eseutil text keeps it', async () => {
    const r = await verifyInProcess([path.join(ESE, 'dissect', 'SRUDB.dat')]);
    const bad = fileOf(r, 'SRUDB.dat').issues.filter((i: any) => i.code === 'ese.page.bad-checksum');
    expect(bad[0]).toMatchObject({ severity: 'error', message: 'page 143 checksum failed', page: 143 });
    expect(bad.every((i: any) => !/^(ERROR|WARNING):/.test(i.message))).toBe(true);
    expect(eseutilText(r)).toContain('ERROR: page 143 checksum failed');
  });

  it('an NTDS temp.edb (dbid 0 = dbidTemp, file type 1): pages counted as eseutil /k counts them, reported as notes, restorable', async () => {
    const t = caseDir([['ntds-temp/temp-head.edb.gz', 'temp.edb']]);
    try {
      const bytes = new Uint8Array(readFileSync(t.p('temp.edb')));
      // Independent count: every page after the two header pages that is not all zero fails (checksum 0, or bytes
      // that were never an ESE page).
      let nonZero = 0;
      let zeroSum = 0;
      for (let k = 2; k < bytes.length / 8192; k++) {
        const pg = bytes.subarray(k * 8192, (k + 1) * 8192);
        if (pg.some((x) => x !== 0)) {
          nonZero++;
          if (pg.subarray(0, 8).every((x) => x === 0)) zeroSum++;
        }
      }
      expect([nonZero, zeroSum]).toEqual([32, 27]);
      const r = await verifyInProcess([t.p('temp.edb')]);
      const f = fileOf(r, 'temp.edb');
      expect(f.ese.header.dbid).toBe(0);
      expect(f.ese.fileType).toBe(1);
      expect(f.ese.temporary).toBe(true);
      expect(f.ese.pages).toMatchObject({ seen: 56, bad: nonZero });
      const notes = f.issues.filter((i: any) => i.code.startsWith('ese.page.'));
      expect(notes.length).toBeGreaterThan(0);
      expect(notes.every((i: any) => i.severity === 'info')).toBe(true);
      const tmp = f.issues.find((i: any) => i.code === 'ese.db.temporary');
      expect(tmp).toMatchObject({ severity: 'info', offset: 104 });
      expect(tmp.message).toContain(`${nonZero} failing page checksum(s) (${zeroSum} storing 0)`);
      expect(f.issues.some((i: any) => i.severity === 'error')).toBe(false);
      expect(r.esePlan).toBeUndefined();
      expect(r.verdict).toBe('restorable');
      // eseutil /k checks a file type 1 database whatever its dbid: the text counts them as it would.
      expect(eseutilText(r)).toContain(`${nonZero} bad checksums`);
      // The same file with a user dbid (1) is an ordinary database with damaged pages.
      editFile(t.p('temp.edb'), (b, dv) => { for (const copy of [0, 8192]) { dv.setUint32(copy + 104, 1, true); restamp(b, copy, 8192); } });
      const r2 = await verifyInProcess([t.p('temp.edb')]);
      const f2 = fileOf(r2, 'temp.edb');
      expect(f2.ese.temporary).toBe(false);
      expect(f2.issues.filter((i: any) => i.code === 'ese.page.bad-checksum' && i.severity === 'error').length).toBeGreaterThan(0);
      expect(r2.verdict).toBe('restorable-with-loss');
    } finally {
      t.cleanup();
    }
  });

  it('reports a database whose both header copies fail as unreadable, and still checks pages at the declared size', async () => {
    const t = caseDir([['srum-rathbun/SRUDB.dat']]);
    try {
      editFile(t.p('SRUDB.dat'), (b) => { b[60] ^= 1; b[4096 + 60] ^= 1; });
      const r = await verifyInProcess([t.p('SRUDB.dat')]);
      const f = fileOf(r, 'SRUDB.dat');
      expect(f.ese.headerStatus).toBe('corrupt');
      expect(codes(f.issues)).toEqual(expect.arrayContaining(['ese.db.header-corrupt', 'ese.db.page-size-unverified']));
      expect(f.ese.pages.bad).toBe(2);
      expect(f.ese.pages.badPages).toEqual([-1, 0]);
      expect(r.verdict).toBe('not-restorable');
    } finally {
      t.cleanup();
    }
  });
});
