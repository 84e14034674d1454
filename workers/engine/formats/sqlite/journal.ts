// SQLite rollback journal (`-journal`). Format and rules: ./FORMAT.md §Rollback journal (sqlite-formats.md §3;
// pager.c readJournalHdr, pager_playback, pager_playback_one_page, pager_cksum, readSuperJournal).
//
// Two readings of the same bytes, kept apart:
//   * forensic: every sector-aligned segment, including headers whose magic was zeroed (unsynced or PERSIST),
//     with every record's checksum verified (a zeroed nonce is recovered from the records themselves);
//   * SQLite's: what pager_playback would roll back on open (J1..J8 below), used by rebuild.
//
// Playback rules:
//   J1 the journal is hot only if it is non-empty, its first byte is not 0, the database has at least one page,
//      and no super-journal is named (offline we cannot see the super-journal, so SQLite would not play it)
//   J2 a header is read at each sector boundary after the previous segment; a header needs sectorSize bytes and the
//      8-byte magic, else playback ends
//   J3 the first header's sector size (32..65536) and page size (512..65536), both powers of two, else playback ends
//   J4 nRec == 0xffffffff → records fill the rest of the file
//   J5 before the first record the database is truncated (or zero-extended) to the first header's size
//   J6 a record with pgno 0 or pgno == the lock-byte page ends playback
//   J7 a record with pgno > that size is skipped
//   J8 a record whose checksum fails, or a short read, ends playback

import type { Issue } from '../../types';
import { u32be, hex, type ByteSource, readAt } from '../../io';

export const JOURNAL_MAGIC = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
export const MAX_SECTOR_SIZE = 0x10000;

export function hasJournalMagic(b: Uint8Array, off = 0): boolean {
  if (b.length < off + 8) return false;
  for (let i = 0; i < 8; i++) if (b[off + i] !== JOURNAL_MAGIC[i]) return false;
  return true;
}

const pow2 = (n: number, lo: number, hi: number) => n >= lo && n <= hi && (n & (n - 1)) === 0;

/** pager_cksum: nonce + every 200th byte from N-200 down to (but excluding) 0. */
export function journalChecksum(page: Uint8Array, pageSize: number, nonce: number): number {
  let c = nonce >>> 0;
  for (let i = pageSize - 200; i > 0; i -= 200) c = (c + page[i]) >>> 0;
  return c;
}

export interface JournalRecord {
  offset: number;
  pgno: number;
  ok: boolean;
}

export interface JournalSegment {
  offset: number;
  magic: 'valid' | 'zeroed' | 'invalid';
  nRec: number;
  nonce: number;
  /** True when the nonce was zeroed in the header and recovered from the first record's checksum. */
  nonceRecovered: boolean;
  dbSize: number;
  sectorSize: number;
  pageSize: number;
  records: JournalRecord[];
}

export interface JournalAnalysis {
  pageSize: number;
  sectorSize: number;
  segments: JournalSegment[];
  records: number;
  verifiedRecords: number;
  superJournal: { name: string; checksumOk: boolean } | null;
  /** SQLite would roll this journal back when the database is opened (J1). */
  hot: boolean;
  notHotReason: string | null;
  /** What SQLite's playback does (empty when not hot). */
  playback: {
    dbSize: number;
    /** Page writes in playback order (journal offsets of the page bytes). */
    writes: Array<{ pgno: number; dataOffset: number }>;
    stop: { offset: number; reason: string } | null;
  };
  /** Verified pre-images SQLite would not play (segments after the stop, zeroed-magic segments). */
  extraPreImages: number;
}

interface Ctx {
  file: string;
  src: ByteSource;
  size: number;
  pageSizeHint: number;
  issues: Issue[];
}

async function readRecord(c: Ctx, off: number, pageSize: number): Promise<{ pgno: number; page: Uint8Array; cksum: number } | null> {
  if (off + 8 + pageSize > c.size) return null;
  const b = await readAt(c.src, off, pageSize + 8);
  if (b.length < pageSize + 8) return null;
  return { pgno: u32be(b, 0), page: b.subarray(4, 4 + pageSize), cksum: u32be(b, 4 + pageSize) };
}

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;

/**
 * Parses a rollback journal. `dbPageSize` (from the database, when known) is used when a zeroed header lost the
 * page size; `dbPages` is the database size in pages (J1 needs it; pass null when no database is present).
 */
export async function analyzeJournal(
  file: string, src: ByteSource, dbPageSize: number | null, dbPages: number | null,
): Promise<{ analysis: JournalAnalysis; issues: Issue[] }> {
  const issues: Issue[] = [];
  const size = src.size;
  const c: Ctx = { file, src, size, pageSizeHint: dbPageSize ?? 0, issues };
  const head = await readAt(src, 0, Math.min(size, 28));
  const a: JournalAnalysis = {
    pageSize: 0, sectorSize: 0, segments: [], records: 0, verifiedRecords: 0, superJournal: null,
    hot: false, notHotReason: null, playback: { dbSize: 0, writes: [], stop: null }, extraPreImages: 0,
  };
  if (size === 0) {
    a.notHotReason = 'the journal is empty';
    issues.push({ code: 'sqlite.journal.empty', severity: 'info', file, offset: 0, message: 'journal file is empty (a TRUNCATE-mode commit)' });
    return { analysis: a, issues };
  }

  // First header: page and sector size (J3). A PERSIST commit zeroes 28 bytes, losing both.
  let pageSize = head.length >= 28 ? u32be(head, 24) : 0;
  let sectorSize = head.length >= 28 ? u32be(head, 20) : 0;
  const firstMagic = hasJournalMagic(head);
  const firstZeroed = head.length >= 12 && head.subarray(0, 12).every((x) => x === 0);
  if (!pow2(pageSize, 512, 65536)) {
    if (dbPageSize && pow2(dbPageSize, 512, 65536)) pageSize = dbPageSize;
    else pageSize = 0;
  }
  if (!pow2(sectorSize, 32, MAX_SECTOR_SIZE)) sectorSize = 0;
  if (!pageSize) {
    issues.push({
      code: 'sqlite.journal.no-page-size', severity: 'error', file, offset: 24,
      message: 'journal header has no usable page size and no database page size is known; records cannot be located',
    });
    a.notHotReason = 'the journal header is unusable';
    return { analysis: a, issues };
  }
  if (!sectorSize) {
    // Guess the sector size: the one whose first record verifies (or has a plausible page number).
    sectorSize = 512;
    for (const s of [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]) {
      const r = await readRecord(c, s, pageSize);
      if (r && r.pgno > 0 && r.pgno < 1 << 30) { sectorSize = s; break; }
    }
    issues.push({
      code: 'sqlite.journal.sector-size-guessed', severity: 'info', file, offset: 20, actual: sectorSize,
      message: `journal header lost its sector size; records found at sector size ${sectorSize}`,
    });
  }
  a.pageSize = pageSize;
  a.sectorSize = sectorSize;
  const recSize = pageSize + 8;

  // Super-journal tail (sqlite-formats.md §3.4): ... u32 len, u32 cksum, 8-byte magic at the very end.
  if (size >= 16) {
    const tail = await readAt(src, size - 16, 16);
    if (hasJournalMagic(tail, 8)) {
      const len = u32be(tail, 0);
      const ck = u32be(tail, 4);
      if (len > 0 && len <= 4096 && size - 20 - len >= 0) {
        const nameBytes = await readAt(src, size - 16 - len, len);
        let sum = 0;
        for (const x of nameBytes) sum = (sum + ((x << 24) >> 24)) >>> 0;
        const pg = await readAt(src, size - 20 - len, 4);
        const name = new TextDecoder().decode(nameBytes);
        if (pg.length === 4) {
          a.superJournal = { name, checksumOk: sum === ck };
          issues.push({
            code: 'sqlite.journal.super-journal', severity: 'warning', file, offset: size - 20 - len, actual: name,
            message: `journal names a super-journal "${name}" (multi-database transaction; checksum ${sum === ck ? 'ok' : 'bad'}); SQLite rolls it back only if that file exists`,
          });
        }
      }
    }
  }

  // Forensic walk of every segment.
  let off = 0;
  let guard = 0;
  while (off + 28 <= size && guard++ < 1 + size / sectorSize) {
    let h = await readAt(src, off, 28);
    let magicOk = hasJournalMagic(h);
    let zeroed = h.subarray(0, 12).every((x) => x === 0);
    if (!magicOk && !zeroed) {
      // Unsynced records of an open segment may sit here; a later synced segment (e.g. left by an earlier
      // transaction of a PERSIST journal) can follow: look for the next header at a sector boundary.
      let next = off + sectorSize;
      while (next + 28 <= size && !hasJournalMagic(await readAt(src, next, 8))) next += sectorSize;
      if (next + 28 > size) break;
      issues.push({
        code: 'sqlite.journal.skipped-bytes', severity: 'info', file, offset: off, actual: next - off,
        message: `${next - off} byte(s) at ${hex(off)} hold no verifiable record or header; the next segment header is at ${hex(next)}`,
      });
      off = next;
      h = await readAt(src, off, 28);
      magicOk = true;
      zeroed = false;
    }
    const seg: JournalSegment = {
      offset: off, magic: magicOk ? 'valid' : 'zeroed', nRec: u32be(h, 8), nonce: u32be(h, 12), nonceRecovered: false,
      dbSize: u32be(h, 16), sectorSize: u32be(h, 20), pageSize: u32be(h, 24), records: [],
    };
    let rOff = off + sectorSize;
    const maxRecs = Math.floor((size - rOff) / recSize);
    // Open-ended segments (zeroed magic, or nRec 0 = not yet synced): records run until they stop verifying.
    const open = !magicOk || seg.nRec === 0;
    const declared = !open && seg.nRec !== 0xffffffff ? seg.nRec : maxRecs;
    const n = Math.min(declared, maxRecs);
    if (magicOk && seg.nRec !== 0xffffffff && seg.nRec > maxRecs) {
      issues.push({
        code: 'sqlite.journal.short-segment', severity: 'warning', file, offset: off + 8, expected: seg.nRec, actual: maxRecs,
        message: `segment at ${hex(off)} declares ${seg.nRec} records but only ${maxRecs} fit in the file`,
      });
    }
    // A zeroed header also lost the nonce if 28 bytes were zeroed: recover it from the first record.
    if (!magicOk && seg.nonce === 0 && seg.pageSize === 0) {
      const r = await readRecord(c, rOff, pageSize);
      if (r && r.pgno !== 0) {
        seg.nonce = (r.cksum - journalChecksum(r.page, pageSize, 0)) >>> 0;
        seg.nonceRecovered = true;
      }
    }
    for (let i = 0; i < n; i++) {
      const r = await readRecord(c, rOff, pageSize);
      if (!r) break;
      if (open && r.pgno === 0) break;
      const ok = r.pgno !== 0 && journalChecksum(r.page, pageSize, seg.nonce) === r.cksum;
      if (open && !ok && (seg.records.length > 0 || magicOk)) break;
      seg.records.push({ offset: rOff, pgno: r.pgno, ok });
      rOff += recSize;
    }
    a.segments.push(seg);
    off = alignUp(Math.max(rOff, off + sectorSize), sectorSize);
    if (rOff === off + sectorSize && seg.records.length === 0 && !magicOk) break;
  }
  a.records = a.segments.reduce((s, g) => s + g.records.length, 0);
  a.verifiedRecords = a.segments.reduce((s, g) => s + g.records.filter((r) => r.ok).length, 0);
  for (const seg of a.segments) {
    const bad = seg.records.filter((r) => !r.ok);
    if (bad.length) {
      issues.push({
        code: 'sqlite.journal.record-checksum', severity: seg.magic === 'valid' ? 'error' : 'warning', file, offset: bad[0].offset,
        page: bad[0].pgno, actual: bad.length,
        message: `${bad.length} of ${seg.records.length} record(s) in the segment at ${hex(seg.offset)} fail the journal checksum (first at ${hex(bad[0].offset)}, page ${bad[0].pgno})`,
      });
    }
    if (seg.magic === 'zeroed') {
      issues.push({
        code: 'sqlite.journal.zeroed-header', severity: 'info', file, offset: seg.offset, actual: seg.records.length,
        message: `segment at ${hex(seg.offset)} has a zeroed magic (unsynced header or committed PERSIST journal); ${seg.records.filter((r) => r.ok).length} of ${seg.records.length} pre-image(s) verify${seg.nonceRecovered ? ' with the nonce recovered from the records' : ''}; SQLite does not play them`,
      });
    }
  }

  // SQLite's reading (J1..J8).
  if (head[0] === 0) a.notHotReason = 'the first byte is zero (journal finalised, or header never synced)';
  else if (!firstMagic) a.notHotReason = 'the first header has no journal magic';
  else if (dbPages === 0) a.notHotReason = 'the database is empty';
  else if (a.superJournal) a.notHotReason = 'a super-journal is named and is not available offline';
  a.hot = a.notHotReason === null && dbPages !== null;
  if (dbPages === null && a.notHotReason === null) a.notHotReason = 'no database to roll back';
  if (a.hot) {
    let hOff = 0;
    let first = true;
    let jSector = sectorSize;
    outer: while (true) {
      if (!first) hOff = alignUp(hOff, jSector);
      if (hOff + jSector > size) break; // J2
      const h = await readAt(src, hOff, 28);
      if (!hasJournalMagic(h)) { a.playback.stop = { offset: hOff, reason: 'no journal magic at the next sector boundary' }; break; }
      let nRec = u32be(h, 8);
      const nonce = u32be(h, 12);
      if (first) {
        const ss = u32be(h, 20);
        const ps = u32be(h, 24) || dbPageSize || 0;
        if (!pow2(ss, 32, MAX_SECTOR_SIZE) || !pow2(ps, 512, 65536)) { a.playback.stop = { offset: hOff, reason: 'invalid page or sector size in the first header' }; break; } // J3
        jSector = ss;
        a.playback.dbSize = u32be(h, 16); // J5
      }
      let rOff = hOff + jSector;
      if (nRec === 0xffffffff) nRec = Math.floor((size - jSector) / recSize); // J4
      const lockPg = Math.floor(0x40000000 / pageSize) + 1;
      for (let u = 0; u < nRec; u++) {
        const r = await readRecord(c, rOff, pageSize);
        if (!r) { a.playback.stop = { offset: rOff, reason: 'short read (journal truncated)' }; break outer; } // J8
        const here = rOff;
        rOff += recSize;
        if (r.pgno === 0 || r.pgno === lockPg) { a.playback.stop = { offset: here, reason: `record page number ${r.pgno}` }; break outer; } // J6
        if (r.pgno > a.playback.dbSize) continue; // J7
        if (journalChecksum(r.page, pageSize, nonce) !== r.cksum) { a.playback.stop = { offset: here, reason: 'record checksum mismatch' }; break outer; } // J8
        a.playback.writes.push({ pgno: r.pgno, dataOffset: here + 4 });
      }
      hOff = rOff;
      first = false;
    }
  }
  const played = new Set(a.playback.writes.map((w) => w.dataOffset - 4));
  a.extraPreImages = a.segments.reduce((s, g) => s + g.records.filter((r) => r.ok && !played.has(r.offset)).length, 0);
  if (a.hot) {
    issues.push({
      code: 'sqlite.journal.hot', severity: 'warning', file, offset: 0, actual: a.playback.writes.length,
      message: `hot journal: SQLite rolls back ${a.playback.writes.length} page(s) and truncates the database to ${a.playback.dbSize} page(s) when it is opened; the interrupted transaction is undone`,
    });
  }
  if (a.extraPreImages > 0) {
    issues.push({
      code: 'sqlite.journal.extra-pre-images', severity: 'info', file, offset: null, actual: a.extraPreImages,
      message: `${a.extraPreImages} verified pre-image(s) that SQLite's rollback does not use (older page versions: evidence)`,
    });
  }
  if (!firstMagic && firstZeroed && a.records === 0) {
    issues.push({ code: 'sqlite.journal.finalised', severity: 'info', file, offset: 0, message: 'journal header is zeroed and holds no records' });
  }
  return { analysis: a, issues };
}
