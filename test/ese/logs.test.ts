// ESE logs, log sets and checkpoints: the real SRUM log set (generations 3..9) and copies damaged at known offsets,
// each raising its issue (eseutil /ml and /mk rules).
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, unlinkSync, copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { caseDir, folderFiles, verifyInProcess, fileOf, codes, editFile, restamp, ESE } from './ese-helpers';
import { eseutilText } from '../../workers/engine/formats/ese/eseutil';
import { parseLogHeader, analyzeLog, LOG_SECTOR } from '../../workers/engine/formats/ese/log';
import { MemorySource } from '../../workers/engine/io';
import { loadKernels, rng } from '../helpers';
import { lrckBytes, lrckChecksums, readLrck, isFillSector, LOG_FILL } from '../../workers/engine/formats/ese/log-legacy';
import { parseLogName } from '../../workers/engine/formats/ese/logset';

const SET = () => caseDir(folderFiles('srum-rathbun'));


describe('ESE log files', () => {
  it('verifies every log of the real set: headers, v8 segments (with a real shadow sector) and the accumulated checksums', async () => {
    const r = await verifyInProcess([path.join(ESE, 'srum-rathbun')]);
    const gens: Record<string, any> = {};
    for (const f of r.files.filter((x: any) => x.kind === 'ese-log' && x.ese.generation !== null)) gens[path.basename(f.path)] = f.ese;
    expect(Object.keys(gens).sort()).toEqual(['SRU.log', 'SRU00003.log', 'SRU00004.log', 'SRU00005.log', 'SRU00006.log', 'SRU00007.log', 'SRU00008.log']);
    for (const [name, e] of Object.entries(gens)) {
      expect(e.logSignature).toBe('Create time:02/05/2022 22:17:47.817 Rand:338689357 Computer:');
      expect(e.generation).toBe(name === 'SRU.log' ? 9 : parseInt(name.slice(3, 8), 16));
      // 16 sectors of 4096 bytes: sectors 1..14 are scanned (the last one never is).
      expect(e.segments.seen).toBe(14);
      expect(e.segments.bad).toBe(0);
    }
    expect(gens['SRU.log'].segments).toEqual({ seen: 14, bad: 0, shadow: 1, empty: 4 });
    expect(gens['SRU.log'].lastLgpos).toEqual({ generation: 9, sector: 10, offset: 0 });
    // L9: each log's header carries the accumulated checksum of its predecessor.
    for (let g = 4; g <= 9; g++) {
      const cur = g === 9 ? gens['SRU.log'] : gens[`SRU0000${g}.log`];
      expect(cur.header.checksumPrevLogAllSegments).toBe(gens[`SRU0000${g - 1}.log`].accumulatedChecksum);
      expect(cur.header.checksumPrevLogAllSegments).not.toBe('0000000000000000');
    }
    expect(r.eseLogSets).toHaveLength(1);
    expect(r.eseLogSets[0]).toMatchObject({ base: 'SRU', low: 3, high: 9, missing: [], ok: true });
    // The random-bytes reserve log is kept out of the chain and is not an error.
    const jrs = fileOf(r, 'srures00002.jrs');
    expect(jrs.kind).toBe('ese-log');
    expect(jrs.issues.map((i: any) => i.severity)).toEqual(['info']);
  });

  it('parses log names: archived (5 and 8 digits), current, temporary, reserve', () => {
    expect(parseLogName('x/E0000001.log')).toMatchObject({ base: 'E00', kind: 'archived', generation: 1, digits: 5 });
    expect(parseLogName('x/edb0000A0F3.jtx')).toMatchObject({ base: 'edb', kind: 'archived', generation: 0xa0f3, digits: 8 });
    expect(parseLogName('E01.log')).toMatchObject({ base: 'E01', kind: 'current' });
    expect(parseLogName('C:\\logs\\SRUtmp.log')).toMatchObject({ dir: 'C:\\logs', base: 'SRU', kind: 'tmp' });
    expect(parseLogName('SRUres00002.jrs')).toMatchObject({ kind: 'reserve' });
    expect(parseLogName('Res1.log')).toMatchObject({ kind: 'reserve' });
    expect(parseLogName('notes.txt').kind).toBe('other');
  });

  it('a log removed from the chain is a gap (Missing log file)', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU00005.log'));
      const r = await verifyInProcess([t.dir]);
      expect(r.eseLogSets[0]).toMatchObject({ base: 'SRU', low: 3, high: 9, missing: [5], ok: false });
      const miss = r.issues.find((i: any) => i.code === 'ese.logset.missing-logs');
      expect(miss.message).toMatch(/^Missing log file: SRU00005\.log/);
      expect(r.verdict).toBe('restorable-with-loss');
    } finally {
      t.cleanup();
    }
  });

  it('two missing logs are reported as a range', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU00005.log'));
      unlinkSync(t.p('SRU00006.log'));
      const r = await verifyInProcess([t.dir]);
      expect(r.eseLogSets[0].missing).toEqual([5, 6]);
      expect(r.issues.find((i: any) => i.code === 'ese.logset.missing-logs').message).toMatch(/^Missing log files: SRU\{00005 - 00006\}\.log/);
    } finally {
      t.cleanup();
    }
  });

  it('a damaged segment makes the log unusable from there (Log damaged)', async () => {
    const t = SET();
    try {
      editFile(t.p('SRU00006.log'), (b) => b.fill(0x5a, 5 * 4096 + 100, 5 * 4096 + 140));
      const r = await verifyInProcess([t.dir]);
      const f = fileOf(r, 'SRU00006.log');
      expect(f.ese.segments).toEqual({ seen: 14, bad: 1, shadow: 0, empty: 0 });
      expect(f.ese.damage).toEqual({ isec: 5, reason: 'eLCSegmentCorrupt' });
      expect(f.ese.lastLgpos).toEqual({ generation: 6, sector: 5, offset: 0 });
      const i = f.issues.find((x: any) => x.code === 'ese.log.damaged');
      expect(i.offset).toBe(5 * 4096);
      expect(r.eseLogSets[0].ok).toBe(false);
      // The next log's claim about this one's accumulated checksum no longer holds either.
      expect(codes(r.issues)).toContain('ese.logset.checksum-sequence');
    } finally {
      t.cleanup();
    }
  });

  it('records what each sector is (for the picture): header, good, shadow, empty, damaged, after the stop, not scanned', async () => {
    const k = await loadKernels('simd');
    const log = new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', 'SRU.log')));
    const a = await analyzeLog(new MemorySource('SRU.log', log), k);
    const S = LOG_SECTOR;
    // 16 sectors: header 0; 1..9 good (Last Lgpos (0x9,A,0)); the shadow of 9 at 10; four empty; the last unscanned.
    expect(Array.from(a.sectors!)).toEqual([S.header, ...Array(9).fill(S.good), S.shadow, S.empty, S.empty, S.empty, S.empty, S.unscanned]);
    const dmg = log.slice();
    // Two flipped bits in different words: beyond what the ECC corrects (a run of equal words could cancel out).
    dmg[5 * 4096 + 100] ^= 0x01;
    dmg[5 * 4096 + 200] ^= 0x40;
    const b = await analyzeLog(new MemorySource('SRU.log', dmg), k);
    expect(b.damage).toEqual({ isec: 5, reason: 'eLCSegmentCorrupt' });
    expect(Array.from(b.sectors!.subarray(0, 7))).toEqual([S.header, S.good, S.good, S.good, S.good, S.damaged, S.afterStop]);
    expect(b.sectors![15]).toBe(S.unscanned);
    // Counts agree with the picture.
    expect(Array.from(a.sectors!).filter((x) => x === S.good).length).toBe(a.segments!.good);
  });

  it('a sector copied over the next one is a shadow sector, not damage', async () => {
    const t = SET();
    try {
      // SRU.log: sectors 1..9 are used (Last Lgpos sector 10); copy sector 9 over sector 10 (a shadow of it).
      editFile(t.p('SRU.log'), (b) => b.copyWithin(10 * 4096, 9 * 4096, 10 * 4096));
      const r = await verifyInProcess([t.p('SRU.log')]);
      const e = fileOf(r, 'SRU.log').ese;
      expect(e.segments).toEqual({ seen: 14, bad: 0, shadow: 1, empty: 4 });
      expect(e.damage).toBeNull();
    } finally {
      t.cleanup();
    }
  });

  it('a changed log signature breaks the set (Invalid log signature)', async () => {
    const t = SET();
    try {
      editFile(t.p('SRU00007.log'), (b) => { b[44] ^= 0xff; restamp(b, 0, 4096); });
      const r = await verifyInProcess([t.dir]);
      const i = r.issues.find((x: any) => x.code === 'ese.logset.signature-mismatch');
      expect(i.file).toMatch(/SRU00007\.log$/);
      expect(r.eseLogSets[0].ok).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('a header generation that differs from the file name is reported (Mismatched log generation)', async () => {
    const t = SET();
    try {
      editFile(t.p('SRU00008.log'), (b, dv) => { dv.setInt32(4, 0x18, true); restamp(b, 0, 4096); });
      const r = await verifyInProcess([t.dir]);
      const i = r.issues.find((x: any) => x.code === 'ese.logset.generation-mismatch');
      expect([i.expected, i.actual]).toEqual([8, 0x18]);
      expect(i.message).toMatch(/Mismatched log generation 24 \(0x18\) with log file name\. Expected generation 8 \(0x8\)/);
    } finally {
      t.cleanup();
    }
  });

  it('a previous-generation time that does not match is an invalid log sequence', async () => {
    const t = SET();
    try {
      editFile(t.p('SRU00006.log'), (b) => { b[24] ^= 1; restamp(b, 0, 4096); });
      const r = await verifyInProcess([t.dir]);
      const i = r.issues.find((x: any) => x.code === 'ese.logset.invalid-sequence');
      expect(i.file).toMatch(/SRU00006\.log$/);
      expect(i.message).toMatch(/^ERROR: Invalid log sequence\. Previous generation time is \[/);
    } finally {
      t.cleanup();
    }
  });

  it('a log header that fails its checksum is unusable (logs have no shadow header)', async () => {
    const t = SET();
    try {
      editFile(t.p('SRU00004.log'), (b) => { b[300] ^= 2; });
      const r = await verifyInProcess([t.dir]);
      expect(codes(fileOf(r, 'SRU00004.log').issues)).toContain('ese.log.header-checksum');
      expect(r.eseLogSets[0].ok).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('keeps <base>tmp.log out of the chain (no false gap for its old generation)', async () => {
    const t = SET();
    try {
      copyFileSync(t.p('SRU00003.log'), t.p('SRUtmp.log'));
      const r = await verifyInProcess([t.dir]);
      expect(r.eseLogSets[0]).toMatchObject({ low: 3, high: 9, missing: [], ok: true });
      expect(r.eseLogSets[0].excluded.map((x: any) => [path.basename(x.path), x.kind, x.generation])).toContainEqual(['SRUtmp.log', 'tmp', 3]);
      expect(codes(r.issues)).toContain('ese.logset.tmp-log');
    } finally {
      t.cleanup();
    }
  });

  it('the header of the sample logs decodes to eseutil /ml values', () => {
    const h = parseLogHeader(new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', 'SRU.log'))));
    expect([h.generation, h.cbSec, h.csecHeader, h.csecLGFile, h.major, h.minor, h.updateMajor, h.updateMinor, h.filetype]).toEqual([9, 4096, 1, 16, 8, 4000, 60, 140, 3]);
  });
});

describe('ESE checkpoints', () => {
  it('reads the real checkpoint: both copies identical, checkpoint (0x9,9,0)', async () => {
    const r = await verifyInProcess([path.join(ESE, 'srum-rathbun', 'SRU.chk')]);
    const e = fileOf(r, 'SRU.chk').ese;
    expect(e.checkpoint).toEqual({ generation: 9, sector: 9, offset: 0 });
    expect(e.status).toBe('ok');
    expect(e.logSignature).toBe('Create time:02/05/2022 22:17:47.817 Rand:338689357 Computer:');
  });

  it('a damaged primary copy falls back to the shadow; both damaged is corrupt', async () => {
    const t = caseDir([['srum-rathbun/SRU.chk']]);
    try {
      editFile(t.p('SRU.chk'), (b) => { b[16] ^= 1; });
      let r = await verifyInProcess([t.p('SRU.chk')]);
      let f = fileOf(r, 'SRU.chk');
      expect([f.ese.status, f.ese.checkpoint]).toEqual(['primary-bad', { generation: 9, sector: 9, offset: 0 }]);
      expect(codes(f.issues)).toContain('ese.chk.primary-checksum');
      editFile(t.p('SRU.chk'), (b) => { b[4096 + 16] ^= 1; });
      r = await verifyInProcess([t.p('SRU.chk')]);
      f = fileOf(r, 'SRU.chk');
      expect([f.ese.status, f.ese.checkpoint]).toEqual(['corrupt', null]);
      expect(codes(f.issues)).toContain('ese.chk.corrupt');
      expect(r.verdict).toBe('not-restorable');
    } finally {
      t.cleanup();
    }
  });

  it('a log named by the checkpoint folder is read with its checkpoint position (renamed case)', async () => {
    const t = SET();
    try {
      renameSync(t.p('SRU.chk'), t.p('SRU.jcp'));
      const r = await verifyInProcess([t.dir]);
      expect(fileOf(r, 'SRU.jcp').kind).toBe('ese-checkpoint');
      expect(r.esePlan[0].checkpoint.validForPointInTime).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});



describe('legacy ESE logs (format 7.3704, LRCHECKSUM records)', () => {
  const LEGACY = () => caseDir(folderFiles('legacy-windows-mail'));
  const bad = (f: any) => f.issues.filter((i: any) => i.code === 'ese.log.damaged');

  it('the whole Windows Mail store as Windows left it: database, logs 1-2 and a reserve log; the database header agrees with the logs', async () => {
    const t = LEGACY();
    try {
      const r = await verifyInProcess([t.dir]);
      const db = fileOf(r, 'WindowsMail.MSMessageStore');
      const cur = fileOf(r, 'edb.log');
      const res = fileOf(r, 'edbres00001.jrs');
      // Windows 7 SP1 (6.1.7601), format 0x620,17, 8 KiB pages: every initialised page verifies as Windows wrote it.
      expect(db.kind).toBe('ese-database');
      expect(db.ese).toMatchObject({ pageSize: 8192, state: 'Clean Shutdown', lastConsistent: { generation: 2, sector: 0x4b, offset: 0xb5 } });
      expect(db.ese.pages).toMatchObject({ seen: 258, bad: 0, correctable: 0, uninitialized: 228, wrongPageNumber: 0, badPages: [] });
      expect(db.issues).toEqual([]);
      // The database and the logs belong together: one log signature, and the database's Last Consistent is the
      // shutdown mark (lrtypShutDownMark 23, then lrtypTerm2 50) inside the last LRCHECKSUM range, which ends at the
      // log's Last Lgpos (0x2,4B,D0).
      expect(db.ese.logSignature).toBe(cur.ese.logSignature);
      const b = new Uint8Array(readFileSync(t.p('edb.log')));
      const at = 0x4b * 512 + 0xb5;
      expect([b[at], b[at + 1]]).toEqual([23, 50]);
      expect(at).toBeGreaterThanOrEqual(cur.ese.lrck.offsets.at(-1) + 22);
      expect(at).toBeLessThan(cur.ese.lrck.end);
      // The reserve log is the fill pattern from its first byte to its last, and stays out of the chain.
      expect(res.kind).toBe('ese-log');
      expect(res.ese.allFill).toBe(true);
      expect(res.issues).toMatchObject([{ code: 'ese.log.reserve', severity: 'info' }]);
      expect(res.issues[0].message).toMatch(/every byte is ESE's log fill pattern/);
      expect(r.eseLogSets).toMatchObject([{ base: 'edb', low: 1, high: 2, missing: [], ok: true }]);
      expect(r.eseLogSets[0].members.map((m: any) => path.basename(m.path))).toEqual(['edb00001.log', 'edb.log']);
      expect(r.esePlan).toMatchObject([{
        consistent: true, logSignatureMatches: true, chainComplete: true,
        lowAnchor: { generation: 2 }, highAnchor: { generation: 2 }, verdict: 'roll-forward-ready', problems: [],
      }]);
      expect(path.basename(r.esePlan[0].database)).toBe('WindowsMail.MSMessageStore');
      expect(r.verdict).toBe('restorable');
    } finally {
      t.cleanup();
    }
  });

  it('lrckBytes folds bytes into 32-bit lanes counted from the range start, as UlChecksumBytesSlow does', () => {
    const r = rng(7);
    const b = Uint8Array.from({ length: 300 }, () => Math.floor(r() * 256));
    for (let k = 0; k < 200; k++) {
      const from = Math.floor(r() * 150);
      const to = from + Math.floor(r() * 150);
      const seed = Math.floor(r() * 2 ** 32);
      let slow = seed;
      for (let i = from, lane = 0; i < to; i++, lane = (lane + 1) % 4) slow = (slow ^ (b[i] << (8 * lane))) >>> 0;
      expect(lrckBytes(b, from, to, seed)).toBe(slow);
    }
  });

  it('verifies the real Windows Mail logs: every LRCHECKSUM record and short checksum as Windows wrote it, the shadow sector, the set 1-2', async () => {
    const t = LEGACY();
    try {
      const r = await verifyInProcess([t.dir]);
      const cur = fileOf(r, 'edb.log');
      const old = fileOf(r, 'edb00001.log');
      expect(cur.ese.header.major * 10000 + cur.ese.header.minor).toBe(7 * 10000 + 3704);
      expect(cur.ese.header.updateMajor).toBe(15);
      // L17: after the data and its shadow sector, every sector to csecLGFile (4096) is ESE's fill pattern, as
      // Windows left it: 4096 - 77 and 4096 - 24 sectors.
      expect(cur.ese.lrck).toEqual({
        records: 6, good: 6, bad: 0, shadow: 'valid', end: 0x96d0, problem: null, torn: null, fill: 4019,
        offsets: [0x1000, 0x1866, 0x1be9, 0x931f, 0x9590, 0x969f], shadowOffset: 0x989f,
      });
      expect(old.ese.lrck).toEqual({
        records: 4, good: 4, bad: 0, shadow: 'valid', end: 0x2e00, problem: null, torn: null, fill: 4072, offsets: [0x1000, 0x1256, 0x1565, 0x2c56], shadowOffset: 0x2e56,
      });
      expect(cur.ese.lastLgpos).toEqual({ generation: 2, sector: 0x4b, offset: 0xd0 });
      expect(old.ese.lastLgpos).toEqual({ generation: 1, sector: 0x17, offset: 0 });
      expect(cur.ese.segments).toBeNull();
      expect(codes(cur.issues)).toEqual(['ese.log.legacy-format']);
      expect(cur.issues[0].severity).toBe('info');
      expect(r.eseLogSets).toMatchObject([{ base: 'edb', low: 1, high: 2, missing: [], ok: true }]);
      // Record by record: one of them covers a 30 KiB multi-sector flush with a short checksum.
      const b = new Uint8Array(readFileSync(t.p('edb.log')));
      const recs: Array<[number, number, number]> = [];
      for (let pos = 0x1000; ;) {
        const rec = readLrck(b, pos, pos)!;
        const c = lrckChecksums(b.subarray(pos - rec.backwards), rec, 512, 2);
        expect(c.checksum).toBe(rec.checksum);
        if (rec.useShort === 0x9a) expect(c.shortChecksum).toBe(rec.shortChecksum);
        recs.push([pos, rec.forwards, rec.useShort]);
        if (!rec.next) break;
        pos += 22 + rec.next;
      }
      expect(recs).toEqual([[0x1000, 2026, 0x9a], [0x1866, 388, 0xd1], [0x1be9, 30209, 0x9a], [0x931f, 203, 0xd1], [0x9590, 90, 0xd1], [0x969f, 27, 0xd1]]);
      const sectors = (await analyzeLog(new MemorySource('edb.log', b), await loadKernels('simd'))).sectors!;
      expect([sectors[0], sectors[8], sectors[0x4b], sectors[0x4c], sectors[0x4d], sectors[4095]]).toEqual([
        LOG_SECTOR.header, LOG_SECTOR.good, LOG_SECTOR.good, LOG_SECTOR.shadow, LOG_SECTOR.fill, LOG_SECTOR.fill]);
      // The fill pattern is ESE's (fileu.cxx): 0xDA, with byte 16k = 0xDA + 16k in each 512 bytes.
      expect(isFillSector(b, 0x4d * 512, 512)).toBe(true);
      expect(Array.from(b.subarray(0x4d * 512, 0x4d * 512 + 18))).toEqual([0xda, ...Array(15).fill(0xda), 0xea, 0xda]);
    } finally {
      t.cleanup();
    }
  });

  it('a flipped bit inside a 30 KiB flush breaks its record: the log is unusable from there (Error -501)', async () => {
    const t = LEGACY();
    try {
      editFile(t.p('edb.log'), (b) => { b[0x5000] ^= 0x10; });
      const f = fileOf(await verifyInProcess([t.dir]), 'edb.log');
      // The data is good up to the end of the second record's range (0x1a00), where the third one's range begins.
      expect(f.ese.lrck).toMatchObject({ records: 3, good: 2, bad: 1, shadow: null, end: 0x1a00 });
      expect(f.ese.lastLgpos).toEqual({ generation: 2, sector: 0xd, offset: 0 });
      expect(bad(f)).toHaveLength(1);
      expect(bad(f)[0].offset).toBe(0x1be9);
      expect(bad(f)[0].message).toMatch(/LRCHECKSUM checksum 0x[0-9a-f]{8} does not match/);
    } finally {
      t.cleanup();
    }
  });

  it('a damaged record, a chain cut short and a zeroed shadow sector are each told apart', async () => {
    const t = caseDir([['legacy-windows-mail/edb.log.gz', 'a/edb.log'], ['legacy-windows-mail/edb.log.gz', 'b/edb.log'], ['legacy-windows-mail/edb.log.gz', 'c/edb.log']]);
    try {
      editFile(t.p('a/edb.log'), (b, dv) => { dv.setUint32(0x1866 + 9, 5000, true); });
      editFile(t.p('b/edb.log'), (b) => { b.fill(0, 0x9590, 0x9800); });
      editFile(t.p('c/edb.log'), (b) => { b.fill(0, 0x9800, 0x9a00); });
      const r = await verifyInProcess([t.p('a/edb.log'), t.p('b/edb.log'), t.p('c/edb.log')]);
      const [a, b, c] = ['a', 'b', 'c'].map((d) => r.files.find((f: any) => f.path.endsWith(`${d}/edb.log`)));
      expect(a.ese.lrck).toMatchObject({ good: 1, bad: 1, problem: 'cbNext 5000 does not land in the sector after the range' });
      expect(b.ese.lrck).toMatchObject({ good: 4, bad: 1, problem: 'no LRCHECKSUM record here (lrtyp 0, expected 42)' });
      expect(c.ese.lrck).toMatchObject({ records: 6, good: 6, bad: 0, shadow: 'missing', end: 0x96d0, problem: null, shadowOffset: null });
      expect(codes(c.issues)).toEqual(['ese.log.legacy-format']);
    } finally {
      t.cleanup();
    }
  });

  it('a legacy log cut inside a flush: its record reaches past the end (damage) and the size disagrees with the header', async () => {
    const t = LEGACY();
    try {
      const full = readFileSync(t.p('edb.log'));
      writeFileSync(t.p('edb.log'), full.subarray(0, 0x5000));
      const f = fileOf(await verifyInProcess([t.dir]), 'edb.log');
      expect(f.ese.lrck).toMatchObject({ records: 3, good: 2, bad: 1, end: 0x1a00, problem: 'cbForwards 30209 reaches past the end of the file' });
      expect(codes(f.issues).sort()).toEqual(['ese.log.damaged', 'ese.log.legacy-format', 'ese.log.size-mismatch']);
      expect(f.issues.find((i: any) => i.code === 'ese.log.size-mismatch')).toMatchObject({ severity: 'error', expected: 2097152, actual: 0x5000 });
    } finally {
      t.cleanup();
    }
  });

  it('a legacy log longer than its header says: the sector picture covers the declared log only; the size is a warning', async () => {
    const real = gunzipSync(readFileSync(path.join(ESE, 'legacy-windows-mail', 'edb.log.gz')));
    const big = new Uint8Array(real.length + (8 << 20));
    big.set(real);
    const a = await analyzeLog(new MemorySource('edb.log', big), await loadKernels('simd'));
    expect(a.fileSectors).toBe(big.length / 512);
    expect(a.sectors!.length).toBe(4096);
    expect(a.lrck).toMatchObject({ good: 6, bad: 0, shadow: 'valid' });
    const t = LEGACY();
    try {
      writeFileSync(t.p('edb.log'), big);
      const f = fileOf(await verifyInProcess([t.dir]), 'edb.log');
      expect(f.issues.find((i: any) => i.code === 'ese.log.size-mismatch')).toMatchObject({ severity: 'warning', expected: 2097152, actual: big.length });
    } finally {
      t.cleanup();
    }
  });

  it('a chain that points at the old shadow of its last sector: a torn write ESE ends the log at (no scan), not damage', async () => {
    const t = LEGACY();
    try {
      // The last record of edb00001.log (0x2c56) covers a whole sector; point its cbNext at the shadow copy in the next
      // sector (0x2e56) and fold the new cbNext into its checksum as L12 does (the old one was 0).
      editFile(t.p('edb00001.log'), (b, dv) => {
        dv.setUint32(0x2c56 + 9, 490, true);
        dv.setUint32(0x2c56 + 13, (dv.getUint32(0x2c56 + 13, true) ^ 490) >>> 0, true);
      });
      // logread_legacy.cxx l.1820: the crash came after this full-sector flush and before the next one; soft
      // recovery ends the log at the shadow sector (dump mode: patchable, no error).
      const r = await verifyInProcess([t.dir]);
      const f = fileOf(r, 'edb00001.log');
      expect(f.ese.lrck).toMatchObject({ records: 4, good: 4, bad: 0, shadow: 'valid', end: 0x2e00, torn: 'torn-write', offsets: [0x1000, 0x1256, 0x1565, 0x2c56], shadowOffset: 0x2e56 });
      expect(f.ese.damage).toBeNull();
      expect(f.ese.patchable).toEqual({ isec: 0x17 });
      expect(codes(f.issues)).toEqual(['ese.log.legacy-format', 'ese.log.torn-write']);
      expect(f.issues[1].message).toMatch(/the chain points at the old shadow copy of its last sector: the crash came before the next flush: a torn write; soft recovery ends the log at \(0x1,17,0\)/);
      expect(r.eseLogSets).toMatchObject([{ base: 'edb', low: 1, high: 2, missing: [], ok: true }]);
    } finally {
      t.cleanup();
    }
  });

  /** ESE's fill pattern over [from, to) of a log (what a new legacy log holds where nothing was written). */
  const fill = (b: Uint8Array, from: number, to: number) => { for (let i = from; i < to; i++) b[i] = LOG_FILL[i & 511]; };

  it('data after the end of the log (not the fill pattern) makes the log corrupt, as ESE finds it (L17, Error -501)', async () => {
    const t = LEGACY();
    try {
      editFile(t.p('edb.log'), (b) => { b.fill(0, 2048 * 512, 2049 * 512); });
      const r = await verifyInProcess([t.dir]);
      const f = fileOf(r, 'edb.log');
      expect(f.ese.lrck).toMatchObject({ records: 6, good: 6, bad: 0, shadow: 'valid', end: 0x96d0, torn: null, fill: 2048 - 77 });
      expect(f.ese.lrck.problem).toMatch(/^sector 2048 after the end of the log data is not ESE's fill pattern/);
      expect(f.ese.damage).toEqual({ isec: 2048, reason: 'LOG_EXTEND_PATTERN' });
      expect(bad(f)).toHaveLength(1);
      expect(bad(f)[0]).toMatchObject({ offset: 2048 * 512 });
      expect(bad(f)[0].message).toMatch(/^ERROR: Log damaged \(unusable\)\. Last Lgpos: \(0x2,4B,D0\)\. Error -501 \(sector 2048 after/);
      expect(r.eseLogSets[0]).toMatchObject({ ok: false });
      expect(eseutilText(r)).toContain('ERROR: Log damaged (unusable). Last Lgpos: (0x2,4B,D0). Error -501.');
    } finally {
      t.cleanup();
    }
  });

  it('a legacy log cut after its data: the missing sectors are the size error, not data after the end', async () => {
    const t = LEGACY();
    try {
      const full = readFileSync(t.p('edb.log'));
      writeFileSync(t.p('edb.log'), full.subarray(0, 2048 * 512));
      const f = fileOf(await verifyInProcess([t.dir]), 'edb.log');
      expect(f.ese.lrck).toMatchObject({ records: 6, good: 6, bad: 0, shadow: 'valid', torn: null, fill: 2048 - 77, problem: null });
      expect(f.ese.damage).toBeNull();
      expect(codes(f.issues).sort()).toEqual(['ese.log.legacy-format', 'ese.log.size-mismatch']);
    } finally {
      t.cleanup();
    }
  });

  it('a torn last sector whose shadow copy verifies: soft recovery patches it from the shadow (L15), no damage', async () => {
    const t = LEGACY();
    try {
      // The last flush's sector (75) torn from byte 100: its LRCHECKSUM record (at byte 159) did not reach the disk;
      // sector 76 still holds the shadow copy of the whole sector.
      editFile(t.p('edb.log'), (b) => fill(b, 75 * 512 + 100, 76 * 512));
      const r = await verifyInProcess([t.dir]);
      const f = fileOf(r, 'edb.log');
      expect(f.ese.lrck).toMatchObject({ records: 6, good: 5, bad: 1, torn: 'shadow-patch', shadow: 'valid', shadowOffset: 0x989f, end: 0x96d0, fill: 4019 });
      expect(f.ese.lrck.problem).toMatch(/^no LRCHECKSUM record here \(lrtyp 218/);
      expect(f.ese.damage).toBeNull();
      expect(f.ese.patchable).toEqual({ isec: 75 });
      expect(f.ese.lastLgpos).toEqual({ generation: 2, sector: 0x4b, offset: 0xd0 });
      expect(codes(f.issues)).toEqual(['ese.log.legacy-format', 'ese.log.torn-write']);
      expect(f.issues[1]).toMatchObject({ severity: 'warning', offset: 0x969f });
      expect(f.issues[1].message).toMatch(/; the next sector holds its valid shadow copy: soft recovery patches the sector from it; the log data ends at \(0x2,4B,D0\)$/);
      expect(r.eseLogSets).toMatchObject([{ base: 'edb', low: 1, high: 2, missing: [], ok: true }]);
      const text = eseutilText(r);
      expect(text).toContain('torn last flush: soft recovery patches it from its shadow sector');
      expect(text).toContain(`Integrity check passed for log file: ${f.path}`);
      const sectors = (await analyzeLog(new MemorySource('edb.log', new Uint8Array(readFileSync(t.p('edb.log')))), await loadKernels('simd'))).sectors!;
      expect([sectors[74], sectors[75], sectors[76], sectors[77]]).toEqual([LOG_SECTOR.good, LOG_SECTOR.torn, LOG_SECTOR.shadow, LOG_SECTOR.fill]);
    } finally {
      t.cleanup();
    }
  });

  it('a last flush that never reached the disk (the chain points into the fill pattern) is a torn write; with data after it, corruption (L16)', async () => {
    const t = caseDir([['legacy-windows-mail/edb.log.gz', 'a/edb.log'], ['legacy-windows-mail/edb.log.gz', 'b/edb.log']]);
    try {
      // Sectors 75 (the last flush) and 76 (its shadow) hold the fill pattern again: the record before points at 75.
      editFile(t.p('a/edb.log'), (b) => fill(b, 75 * 512, 77 * 512));
      editFile(t.p('b/edb.log'), (b) => { fill(b, 75 * 512, 77 * 512); b[3000 * 512 + 7] = 0; });
      const r = await verifyInProcess([t.p('a/edb.log'), t.p('b/edb.log')]);
      const [a, b] = ['a', 'b'].map((d) => r.files.find((x: any) => x.path.endsWith(`${d}/edb.log`)));
      expect(a.ese.lrck).toMatchObject({ records: 6, good: 5, bad: 1, torn: 'torn-write', shadow: null, end: 0x9600, fill: 4096 - 75 });
      expect(a.ese.lastLgpos).toEqual({ generation: 2, sector: 0x4b, offset: 0 });
      expect(a.ese.damage).toBeNull();
      expect(codes(a.issues)).toEqual(['ese.log.legacy-format', 'ese.log.torn-write']);
      expect(a.issues[1].message).toMatch(/; only the fill pattern follows: a torn write; soft recovery ends the log at \(0x2,4B,0\) and the incomplete flush is lost$/);
      expect(b.ese.lrck).toMatchObject({ records: 6, good: 5, bad: 1, torn: null, end: 0x9590 + 22 + 90 });
      expect(b.ese.damage).toEqual({ isec: 75, reason: 'LRCHECKSUM' });
      expect(codes(b.issues)).toContain('ese.log.damaged');
    } finally {
      t.cleanup();
    }
  });

  it('a multi-sector flush cut after its first sector (short checksum good, fill in and after its range) is a torn write (L16)', async () => {
    const t = caseDir([['legacy-windows-mail/edb.log.gz', 'a/edb.log'], ['legacy-windows-mail/edb.log.gz', 'b/edb.log']]);
    try {
      // The 30 KiB flush at 0x1be9 covers sectors 13-72; only its first sector reached the disk.
      editFile(t.p('a/edb.log'), (b) => fill(b, 14 * 512, 4096 * 512));
      // The same, but one sector inside the flush keeps its data and nothing inside it is fill: corruption.
      editFile(t.p('b/edb.log'), (b) => { fill(b, 73 * 512, 4096 * 512); b[0x5000] ^= 0x10; });
      const r = await verifyInProcess([t.p('a/edb.log'), t.p('b/edb.log')]);
      const [a, b] = ['a', 'b'].map((d) => r.files.find((x: any) => x.path.endsWith(`${d}/edb.log`)));
      expect(a.ese.lrck).toMatchObject({ records: 3, good: 2, bad: 1, torn: 'torn-write', end: 0x1c00, fill: 4096 - 73 });
      expect(a.ese.lrck.problem).toMatch(/^LRCHECKSUM checksum 0x[0-9a-f]{8} does not match/);
      expect(a.ese.lastLgpos).toEqual({ generation: 2, sector: 0xe, offset: 0 });
      expect(codes(a.issues)).toEqual(['ese.log.legacy-format', 'ese.log.torn-write']);
      expect(a.issues[1].message).toMatch(/the flush's first sector verifies \(short checksum\); the rest of it holds the fill pattern and only the fill pattern follows: a torn write/);
      expect(b.ese.lrck).toMatchObject({ records: 3, good: 2, bad: 1, torn: null, end: 0x1a00 });
      expect(codes(b.issues)).toContain('ese.log.damaged');
    } finally {
      t.cleanup();
    }
  });

  it('a two-sector flush whose second sector still holds the old shadow it was replacing is a torn write (L16)', async () => {
    const t = LEGACY();
    try {
      // The last record (0x969f, sector 75, 27 bytes of log records) rewritten as a two-sector flush (short checksum on,
      // range to the end of sector 76) whose second sector never reached the disk: sector 76 is still the shadow copy
      // of the old sector 75. The short checksum is computed as ESE would; the full one covers bytes that are not there.
      editFile(t.p('edb.log'), (b, dv) => {
        const at = 0x969f;
        dv.setUint32(at + 5, 2 * 512 - 159 - 22, true);
        b[at + 21] = 0x9a;
        const rec = readLrck(b, at, at)!;
        const c = lrckChecksums(b.subarray(at - rec.backwards), rec, 512, 2);
        dv.setUint32(at + 17, c.shortChecksum!, true);
        dv.setUint32(at + 13, (c.checksum ^ 0x1234) >>> 0, true);
      });
      const f = fileOf(await verifyInProcess([t.dir]), 'edb.log');
      expect(f.ese.lrck).toMatchObject({ records: 6, good: 5, bad: 1, torn: 'torn-write', end: 0x9800, fill: 4096 - 77 });
      expect(f.ese.lastLgpos).toEqual({ generation: 2, sector: 0x4c, offset: 0 });
      expect(f.issues.find((i: any) => i.code === 'ese.log.torn-write').message).toMatch(/the rest of it holds the old shadow it was replacing and only the fill pattern follows/);
      expect(codes(f.issues)).not.toContain('ese.log.damaged');
      // The first sector's log records no longer match the old shadow's (short checksum made valid again): corruption.
      editFile(t.p('edb.log'), (b, dv) => {
        const at = 0x969f;
        b[at + 22 + 3] ^= 0x01;
        const rec = readLrck(b, at, at)!;
        dv.setUint32(at + 17, lrckChecksums(b.subarray(at - rec.backwards), rec, 512, 2).shortChecksum!, true);
      });
      const g = fileOf(await verifyInProcess([t.dir]), 'edb.log');
      expect(g.ese.lrck).toMatchObject({ good: 5, bad: 1, torn: null, end: 0x9600 });
      expect(codes(g.issues)).toContain('ese.log.damaged');
    } finally {
      t.cleanup();
    }
  });

  it('walks a 32 MiB legacy log of 65,527 one-sector flushes in few reads (one forward window, never the whole file)', async () => {
    const real = gunzipSync(readFileSync(path.join(ESE, 'legacy-windows-mail', 'edb.log.gz')));
    const cbSec = 512;
    const sectors = 65535;
    const b = new Uint8Array(sectors * cbSec);
    b.set(real.subarray(0, 4096));
    const dv = new DataView(b.buffer);
    dv.setUint16(12, sectors, true); // csecLGFile
    restamp(b, 0, 4096);
    const r = rng(11);
    for (let s = 8; s < sectors; s++) {
      const at = s * cbSec;
      for (let i = at + 22; i < at + cbSec; i++) b[i] = Math.floor(r() * 256);
      const last = s === sectors - 1;
      b[at] = 42;
      dv.setUint32(at + 1, 0, true);
      dv.setUint32(at + 5, cbSec - 22, true);
      dv.setUint32(at + 9, last ? 0 : cbSec - 22, true);
      dv.setUint32(at + 17, 0, true);
      b[at + 21] = 0xd1;
      const rec = readLrck(b, at, at)!;
      dv.setUint32(at + 13, lrckChecksums(b.subarray(at), rec, cbSec, 2).checksum, true);
    }
    let reads = 0;
    const src = new MemorySource('edb.log', b);
    const counted = { name: src.name, size: src.size, readInto: (o: number, d: Uint8Array) => { reads++; return src.readInto(o, d); } };
    const t0 = performance.now();
    const a = await analyzeLog(counted, await loadKernels('simd'));
    expect(a.lrck).toMatchObject({ records: sectors - 8, good: sectors - 8, bad: 0, end: sectors * cbSec, shadow: 'missing', damage: null });
    expect(a.lastLgpos).toEqual({ generation: 2, sector: sectors, offset: 0 });
    expect(reads).toBeLessThan(80);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('the generation is part of every checksum: a header renumbered (checksum made valid) fails at its first record', async () => {
    const t = LEGACY();
    try {
      editFile(t.p('edb.log'), (b, dv) => { dv.setInt32(4, 3, true); restamp(b, 0, 4096); });
      const r = await verifyInProcess([t.dir]);
      const f = fileOf(r, 'edb.log');
      expect(f.ese.headerOk).toBe(true);
      expect(f.ese.lrck).toMatchObject({ records: 1, good: 0, bad: 1, end: 0x1000 });
      expect(codes(f.issues)).toContain('ese.log.damaged');
      expect(r.eseLogSets[0]).toMatchObject({ low: 1, high: 3, missing: [2], ok: false });
    } finally {
      t.cleanup();
    }
  });
});
