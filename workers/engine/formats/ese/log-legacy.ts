// Legacy ESE transaction logs (format <= 7.3704.x, Windows 2000 to Vista/7-era stores, Exchange 2000/2003): the
// log data is covered by a chain of LRCHECKSUM ("LRCK") records instead of v8's checksummed 4 KiB segments
// (FORMAT.md rules L10..L17; MS-ESE inc/logapi.hxx l.1859 LRCHECKSUM, ese/_log/logread_legacy.cxx
// FValidLRCKRecord l.42, FValidLRCKShadow l.311, ErrLGCheckReadLastLogRecordFF_Legacy l.813-3300, UlComputeChecksum
// l.4907, UlComputeShortChecksum l.4973, LGChecksum::UlChecksumBytesSlow l.5293; _osu/fileu.cxx l.1840 the fill).
//
//   L10 The first LRCK record is at csecHeader * cbSec; each record is 22 bytes: lrtyp 42, cbBackwards,
//       cbForwards, cbNext, ulChecksum, ulShortChecksum (u32 LE from byte 1) and bUseShortChecksum (0x9A on,
//       0xD1 off). The next record is at record + 22 + cbNext; cbNext == 0 ends the chain.
//   L11 A record is well formed (FValidLRCKRecord) when cbBackwards <= cbSec - 22 and is 0 or the record's offset
//       in its sector; with the short checksum off the stored short checksum is 0; the covered range
//       (in-sector offset + 22 + cbForwards) spans more than one sector only with the short checksum on and
//       then ends on a sector boundary; with cbNext != 0 the range is whole sectors and the next record lies in
//       the sector right after it; the range ends inside the file.
//   L12 ulChecksum = 0xFEEDBEAF folded with the bytes [record - cbBackwards, record) and
//       [record + 22, record + 22 + cbForwards) (each range XORed bytewise into 32-bit lanes counted from the
//       range's first byte), then XOR cbBackwards ^ cbForwards ^ cbNext ^ bUseShortChecksum ^ generation.
//   L13 ulShortChecksum (when on) = the same over [record - cbBackwards, record) and [record + 22, end of the
//       record's sector) with seed 0xDEADC0DE: it vouches for the first sector of a multi-sector flush.
//   L14 After the last record ESE writes the last sector again in the next sector as a shadow: its record's
//       checksum is the normal one XOR 0x5AD05EC7. A missing shadow is not damage (the next flush would have
//       overwritten it).
//   L15 A bad record (not well formed, a bad short checksum, or a bad range checksum without a short checksum)
//       whose next sector holds, at the same place, a valid shadow (L14, short checksum off, cbNext 0): soft
//       recovery patches the sector from the shadow; the data ends at the shadow record's range.
//   L16 Otherwise a torn write, which soft recovery ends the log at, when the log from the bad record's sector
//       (after the last record's shadow, when the chain points into it) to csecLGFile is ESE's fill pattern; for
//       a multi-sector flush whose short checksum verifies: fill after its range, and fill inside it (over two
//       sectors: fill, or the old shadow it replaced, holding the same log records). The chain pointing at the
//       old shadow of its own last sector (same in-sector offset, cbNext 0) is a torn write too, without a scan.
//       Anything else is corruption (JET_errLogFileCorrupt, -501) from the bad record on.
//   L17 After a chain that ends normally, every sector from the one after the shadow to csecLGFile is the fill
//       pattern (512 bytes of 0xDA with byte 16k = 0xDA + 16k, repeated), else the log is corrupt (-501); sectors a cut
//       file lacks are its size error, not data after the end.

import type { ByteSource } from '../../io';
import { readAt } from '../../io';
import { throwIfAborted } from '../../errors';
import { u8at, u32at } from './structs';

export const LRCK_SIZE = 22;
export const LRTYP_CHECKSUM = 42;
export const LRCK_SHORT_ON = 0x9a;
export const LRCK_SHORT_OFF = 0xd1;
export const LRCK_SEED = 0xfeedbeaf;
export const LRCK_SHORT_SEED = 0xdeadc0de;
export const LRCK_SHADOW_XOR = 0x5ad05ec7;
/** The largest range one record may cover that is read (a flush is at most the log buffer, a few MiB). */
const MAX_RANGE = 16 << 20;
/** The chain is read forward through one window of at least this many bytes (few reads even for tiny records). */
const WINDOW = 1 << 20;
/** Record offsets kept for the hex view. */
const MAX_OFFSETS = 4096;

/**
 * Forward reads through one window: the chain only moves forward, so a record, its range and the next record are
 * usually in the window already. Holds at most max(WINDOW, the largest range asked for) bytes.
 */
class ForwardWindow {
  private at = 0;
  private buf: Uint8Array = new Uint8Array(0);
  constructor(private readonly src: ByteSource) {}
  /** Bytes [start, start + len) clipped to the file, as a view valid until the next call. */
  async get(start: number, len: number): Promise<Uint8Array> {
    const end = Math.min(this.src.size, start + len);
    if (start < this.at || end > this.at + this.buf.length) {
      this.buf = await readAt(this.src, start, Math.min(this.src.size, start + Math.max(len, WINDOW)) - start);
      this.at = start;
    }
    return this.buf.subarray(start - this.at, Math.max(start - this.at, end - this.at));
  }
}

/** LGChecksum::UlChecksumBytes: bytes [from, to) XORed into 32-bit lanes counted from `from`, onto `seed`. */
export function lrckBytes(b: Uint8Array, from: number, to: number, seed: number): number {
  let s = seed >>> 0;
  let i = from;
  to = Math.min(to, b.length);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (; i + 4 <= to; i += 4) s ^= dv.getUint32(i, true);
  for (let lane = 0; i < to; i++, lane++) s ^= b[i] << (8 * lane);
  return s >>> 0;
}

export interface LrckRecord {
  offset: number;
  backwards: number;
  forwards: number;
  next: number;
  checksum: number;
  shortChecksum: number;
  useShort: number;
}

export function readLrck(b: Uint8Array, at: number, fileOffset: number): LrckRecord | null {
  if (u8at(b, at) !== LRTYP_CHECKSUM) return null;
  return {
    offset: fileOffset, backwards: u32at(b, at + 1), forwards: u32at(b, at + 5), next: u32at(b, at + 9),
    checksum: u32at(b, at + 13), shortChecksum: u32at(b, at + 17), useShort: u8at(b, at + 21),
  };
}

/**
 * L12 and L13 for a record whose bytes [offset - backwards, ...) start at b[0]: the computed checksum and short
 * checksum (null when the short checksum is off). `b` must reach the end of the range and of the record's sector.
 */
export function lrckChecksums(b: Uint8Array, r: LrckRecord, cbSec: number, generation: number): { checksum: number; shortChecksum: number | null } {
  const rec = r.backwards;
  const tail = (r.backwards ^ r.forwards ^ r.next ^ r.useShort ^ generation) >>> 0;
  let c = lrckBytes(b, 0, rec, LRCK_SEED);
  c = lrckBytes(b, rec + LRCK_SIZE, rec + LRCK_SIZE + r.forwards, c);
  let s: number | null = null;
  if (r.useShort === LRCK_SHORT_ON) {
    const sectorEnd = rec + (cbSec - (r.offset % cbSec));
    s = lrckBytes(b, 0, rec, LRCK_SHORT_SEED);
    s = (lrckBytes(b, rec + LRCK_SIZE, sectorEnd, s) ^ tail) >>> 0;
  }
  return { checksum: (c ^ tail) >>> 0, shortChecksum: s };
}

/** L12/L13 of a well-formed record, its bytes read through the window (the range and the rest of its sector). */
async function checksumsOf(win: ForwardWindow, r: LrckRecord, cbSec: number, gen: number): Promise<{ checksum: number; shortChecksum: number | null }> {
  const start = r.offset - r.backwards;
  const end = Math.max(r.offset + LRCK_SIZE + r.forwards, r.offset - (r.offset % cbSec) + cbSec);
  return lrckChecksums(await win.get(start, end - start), r, cbSec, gen);
}

/** L11: why the record is not well formed, or null. */
export function lrckShapeProblem(r: LrckRecord, cbSec: number, fileSize: number): string | null {
  const ib = r.offset % cbSec;
  if (r.backwards > cbSec - LRCK_SIZE) return `cbBackwards ${r.backwards} exceeds a sector`;
  if (r.backwards !== 0 && r.backwards !== ib) return `cbBackwards ${r.backwards} does not reach the sector start (${ib})`;
  if (r.useShort !== LRCK_SHORT_ON && r.useShort !== LRCK_SHORT_OFF) return `bUseShortChecksum 0x${r.useShort.toString(16)} is neither 0x9A nor 0xD1`;
  if (r.useShort === LRCK_SHORT_OFF && r.shortChecksum !== 0) return 'short checksum off but a short checksum is stored';
  if (r.offset + LRCK_SIZE + r.forwards > fileSize) return `cbForwards ${r.forwards} reaches past the end of the file`;
  if (r.forwards > MAX_RANGE) return `cbForwards ${r.forwards} is larger than any log buffer (${MAX_RANGE >> 20} MiB accepted)`;
  const range = ib + LRCK_SIZE + r.forwards;
  const multi = r.useShort === LRCK_SHORT_ON;
  if (range > cbSec) {
    if (!multi) return 'a range over several sectors without a short checksum';
    if (range % cbSec !== 0) return 'a multi-sector range that does not end on a sector boundary';
  } else if (multi) return 'a short checksum on a single-sector range';
  if (r.next !== 0) {
    if (range < cbSec || range % cbSec !== 0) return `cbNext ${r.next} set but the range does not end on a sector boundary`;
    const nextAt = r.offset + LRCK_SIZE + r.next;
    if (Math.floor(nextAt / cbSec) !== Math.floor(r.offset / cbSec) + range / cbSec) return `cbNext ${r.next} does not land in the sector after the range`;
  }
  return null;
}

export interface LegacyLogCheck {
  /** LRCK records walked (the shadow excluded). */
  records: number;
  good: number;
  bad: number;
  /** L14, after the last record: the shadow sector verifies, or it is not there. Null when the chain broke. */
  shadow: 'valid' | 'missing' | null;
  /** File offset where the verified log data ends (end of the last good record's range). */
  end: number;
  /** File offsets of the records walked, the failing one included (the first MAX_OFFSETS), for the hex view. */
  offsets: number[];
  /** File offset of the shadow record when one verified. */
  shadowOffset: number | null;
  /** Sectors after the log data found to hold ESE's fill pattern (L17). */
  fill: number;
  /**
   * L15/L16: the last flush is torn in a way soft recovery repairs (dump mode reports no damage): from the shadow copy
   * of its sector, or by ending the log before it when only the fill pattern follows. `offset` is the bad record.
   */
  torn: { kind: 'shadow-patch' | 'torn-write'; offset: number; problem: string; why: string } | null;
  /** The log is unusable from here (JET_errLogFileCorrupt): a bad record, or data after the end (L17). */
  damage: { offset: number; problem: string; kind: 'record' | 'after-end' } | null;
}

/** What each sector is, for pictures: same codes as log.ts LOG_SECTOR (passed in to avoid an import cycle). */
export interface SectorCodes { good: number; shadow: number; damaged: number; torn: number; fill: number }

/** ESE's log-extend pattern (fileu.cxx, bLOGUnusedFill 0xDA): 512 bytes of 0xDA with byte 16k = 0xDA + 16k, repeated. */
export const LOG_FILL: Uint8Array = (() => {
  const p = new Uint8Array(512).fill(0xda);
  for (let i = 0; i < 512; i += 16) p[i] = (0xda + i) & 0xff;
  return p;
})();

/** The sector at b[at..at + cbSec) is ESE's fill pattern (a sector the log never used). */
export function isFillSector(b: Uint8Array, at: number, cbSec: number): boolean {
  if (at < 0 || at + cbSec > b.length) return false;
  for (let i = 0; i < cbSec; i++) if (b[at + i] !== LOG_FILL[i & 511]) return false;
  return true;
}

/**
 * L10-L17 over a legacy log (ErrLGCheckReadLastLogRecordFF_Legacy). Reads forward through one window (1 MiB, or
 * one record's range when that is larger: at most 16 MiB, in practice the size of one flush); the sectors after the
 * data are compared with the fill pattern window by window; never the whole file at once.
 */
export async function checkLegacyLog(
  src: ByteSource, h: { generation: number; cbSec: number; csecHeader: number; csecLGFile: number },
  sectors: Uint8Array | null, codes: SectorCodes, signal?: AbortSignal,
): Promise<LegacyLogCheck> {
  const { cbSec } = h;
  const gen = h.generation >>> 0;
  const out: LegacyLogCheck = {
    records: 0, good: 0, bad: 0, shadow: null, end: h.csecHeader * cbSec, offsets: [], shadowOffset: null, fill: 0, torn: null, damage: null,
  };
  const mark = (from: number, to: number, code: number) => {
    if (!sectors) return;
    for (let s = Math.floor(from / cbSec); s < Math.min(sectors.length, Math.ceil(to / cbSec)); s++) sectors[s] = code;
  };
  const win = new ForwardWindow(src);
  const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
  /** Sectors [from, csecLGFile) are all fill (L16/L17); marks the ones that are; the first one that is not. */
  const fillFrom = async (from: number): Promise<number | null> => {
    const to = h.csecLGFile;
    const inFile = Math.floor(src.size / cbSec);
    const per = Math.max(1, Math.floor(WINDOW / cbSec));
    for (let s = from, n = 0; s < to; s += n) {
      throwIfAborted(signal);
      // A sector the file does not have is not fill.
      if (s >= inFile) return s;
      n = Math.min(per, to - s, inFile - s);
      const b = await win.get(s * cbSec, n * cbSec);
      for (let i = 0; i < n; i++) {
        if (!isFillSector(b, i * cbSec, cbSec)) return s + i;
        out.fill++;
        mark((s + i) * cbSec, (s + i) * cbSec + 1, codes.fill);
      }
    }
    return null;
  };
  /** FValidLRCKShadow (checkNext) / ...WithoutCheckingCBNext: a record at `at` that verifies as a shadow copy. */
  const shadowAt = async (at: number, checkNext: boolean): Promise<LrckRecord | null> => {
    if (at < 0 || at + LRCK_SIZE > src.size) return null;
    const r = readLrck(await win.get(at, LRCK_SIZE), 0, at);
    if (!r || lrckShapeProblem(r, cbSec, src.size) || r.useShort !== LRCK_SHORT_OFF || (checkNext && r.next !== 0)) return null;
    const c = await checksumsOf(win, r, cbSec, gen);
    return (c.checksum ^ LRCK_SHADOW_XOR) >>> 0 === r.checksum ? r : null;
  };

  /** L17: past the data and its shadow sector, only the fill pattern (sectors a cut file lacks are its size error). */
  const afterEnd = async () => {
    const other = await fillFrom(Math.ceil(out.end / cbSec) + 1);
    if (other !== null && other < Math.floor(src.size / cbSec)) {
      out.damage = { offset: other * cbSec, kind: 'after-end', problem: `sector ${other} after the end of the log data is not ESE's fill pattern: data where the log must be empty` };
      mark(other * cbSec, other * cbSec + 1, codes.damaged);
    }
  };

  // L10-L13: the walk, until the chain ends (cbNext 0) or a record fails.
  let pos = h.csecHeader * cbSec;
  let prev: LrckRecord | null = null;
  let failure: { r: LrckRecord | null; kind: 'record' | 'range'; problem: string } | null = null;
  // Each record moves pos forward by at least 22 bytes, so the walk ends; the bound is a second guard.
  for (let guard = Math.floor(src.size / LRCK_SIZE) + 1; guard > 0; guard--) {
    throwIfAborted(signal);
    if (pos + LRCK_SIZE > src.size) { failure = { r: null, kind: 'record', problem: `the chain points to ${pos}, past the end of the file` }; break; }
    out.records++;
    const head = await win.get(pos, LRCK_SIZE);
    const r = readLrck(head, 0, pos);
    if (!r) { failure = { r: null, kind: 'record', problem: `no LRCHECKSUM record here (lrtyp ${head[0]}, expected ${LRTYP_CHECKSUM})` }; break; }
    if (out.offsets.length < MAX_OFFSETS) out.offsets.push(pos);
    // FValidLRCKRecord: the shape, and the short checksum when on; then the range checksum.
    const shape = lrckShapeProblem(r, cbSec, src.size);
    if (shape) { failure = { r, kind: 'record', problem: shape }; break; }
    const c = await checksumsOf(win, r, cbSec, gen);
    if (c.shortChecksum !== null && c.shortChecksum !== r.shortChecksum) {
      failure = { r, kind: 'record', problem: `short checksum ${hex(r.shortChecksum)} does not match the computed ${hex(c.shortChecksum)}` };
      break;
    }
    if (c.checksum !== r.checksum) {
      failure = { r, kind: 'range', problem: `LRCHECKSUM checksum ${hex(r.checksum)} does not match the computed ${hex(c.checksum)}` };
      break;
    }
    out.good++;
    out.end = pos + LRCK_SIZE + r.forwards;
    mark(pos - r.backwards, out.end, codes.good);
    if (r.next === 0) {
      const sh = await shadowAfter(win, src.size, r, cbSec, gen);
      out.shadow = sh === null ? 'missing' : 'valid';
      if (sh !== null) {
        mark(sh, sh + 1, codes.shadow);
        out.shadowOffset = sh;
      }
      await afterEnd();
      return out;
    }
    prev = r;
    pos += LRCK_SIZE + r.next;
  }
  if (!failure) return out;

  // L15/L16: a bad record. Torn last flush that soft recovery repairs, or corruption.
  out.bad++;
  const curSec = Math.floor(pos / cbSec);
  const r = failure.r;
  const prevSec = prev ? Math.floor(prev.offset / cbSec) : -1;
  /** The scan for a torn write: from `from`, nothing but fill (nothing to scan counts as fill). */
  const tornScan = async (from: number) => from >= h.csecLGFile - 1 || (await fillFrom(from)) === null;
  const torn = (kind: 'shadow-patch' | 'torn-write', end: number, why: string) => {
    out.torn = { kind, offset: pos, problem: failure!.problem, why };
    out.end = end;
  };
  if (failure.kind === 'range' && r && r.useShort === LRCK_SHORT_ON) {
    // A multi-sector flush whose first sector verifies (short checksum) and whose range does not: torn if the
    // flush itself holds fill (or, over two sectors, the old shadow it was replacing) and only fill follows it.
    const endSec = (pos + LRCK_SIZE + r.forwards) / cbSec;
    let inRange = false;
    let oldShadow = false;
    if (endSec - curSec === 2) {
      const sh = await shadowAt(pos + cbSec, false);
      if (sh) {
        const first = await win.get(curSec * cbSec, 2 * cbSec);
        const ib = pos % cbSec;
        const same = (a: number, b: number, n: number) => { for (let i = 0; i < n; i++) if (first[a + i] !== first[b + i]) return false; return true; };
        inRange = oldShadow = sh.forwards <= r.forwards && same(0, cbSec, ib) && same(ib + LRCK_SIZE, cbSec + ib + LRCK_SIZE, sh.forwards);
      } else inRange = isFillSector(await win.get((curSec + 1) * cbSec, cbSec), 0, cbSec);
    } else {
      for (let s = curSec + 1; s < endSec && !inRange; s++) inRange = isFillSector(await win.get(s * cbSec, cbSec), 0, cbSec);
    }
    if (inRange && (await tornScan(endSec))) {
      torn('torn-write', (curSec + 1) * cbSec, `the flush's first sector verifies (short checksum); the rest of it holds ${oldShadow ? 'the old shadow it was replacing' : 'the fill pattern'} and only the fill pattern follows`);
      mark(pos - r.backwards, (curSec + 1) * cbSec, codes.good);
      mark((curSec + 1) * cbSec, endSec * cbSec, codes.torn);
    }
  } else if (failure.kind === 'range' && r && prev && prevSec === curSec - 1 && prev.offset % cbSec === pos % cbSec && (await shadowAt(pos, true))) {
    // The chain points at the old shadow of its own sector (the crash came before the next flush): the data ends
    // before it, a torn write patched without a scan.
    out.bad--;
    out.records--;
    if (out.offsets.at(-1) === pos) out.offsets.pop();
    out.shadow = 'valid';
    out.shadowOffset = pos;
    mark(pos, pos + 1, codes.shadow);
    torn('torn-write', curSec * cbSec, 'the chain points at the old shadow copy of its last sector: the crash came before the next flush');
  } else {
    // RecoverWithShadow: the sector after the bad record's holds a valid shadow of it.
    const sh = await shadowAt(pos + cbSec, true);
    if (sh) {
      torn('shadow-patch', pos + LRCK_SIZE + sh.forwards, 'the next sector holds its valid shadow copy');
      out.shadow = 'valid';
      out.shadowOffset = pos + cbSec;
      mark(pos, pos + 1, codes.torn);
      mark(pos + cbSec, pos + cbSec + 1, codes.shadow);
      // Soft recovery goes on to check the rest of the log as after a normal end (dump mode stops before that).
      await afterEnd();
    } else {
      // No shadow: a torn write if only fill follows (after the last record's own shadow when the chain points
      // into it), else corruption.
      const intoShadow = failure.kind === 'record' && prev !== null && curSec === prevSec + 1 && (await shadowAt(prev.offset + cbSec, false)) !== null;
      if (await tornScan(intoShadow ? curSec + 1 : curSec)) {
        torn('torn-write', curSec * cbSec, 'only the fill pattern follows');
        if (!intoShadow) mark(pos, pos + 1, codes.torn);
      }
    }
  }
  if (!out.torn && !out.damage) {
    out.damage = { offset: pos, kind: 'record', problem: failure.problem };
    mark(pos, pos + 1, codes.damaged);
  }
  return out;
}

/**
 * L14: the record at the same place in the sector after the last record's range, checked as a shadow. Its offset
 * when it verifies, else null.
 */
async function shadowAfter(win: ForwardWindow, size: number, last: LrckRecord, cbSec: number, gen: number): Promise<number | null> {
  const at = last.offset + cbSec * Math.ceil(((last.offset % cbSec) + LRCK_SIZE + last.forwards) / cbSec);
  if (at + LRCK_SIZE > size) return null;
  const r = readLrck(await win.get(at, LRCK_SIZE), 0, at);
  if (!r || lrckShapeProblem(r, cbSec, size)) return null;
  const c = await checksumsOf(win, r, cbSec, gen);
  return (c.checksum ^ LRCK_SHADOW_XOR) >>> 0 === r.checksum ? at : null;
}
