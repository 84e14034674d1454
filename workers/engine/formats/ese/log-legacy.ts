// Legacy ESE transaction logs (format <= 7.3704.x, Windows 2000 to Vista/7-era stores, Exchange 2000/2003): the
// log data is covered by a chain of LRCHECKSUM ("LRCK") records instead of v8's checksummed 4 KiB segments
// (FORMAT.md rules L10..L14; MS-ESE inc/logapi.hxx l.1859 LRCHECKSUM, ese/_log/logread_legacy.cxx
// FValidLRCKRecord l.42, UlComputeChecksum l.4907, UlComputeShortChecksum l.4973, LGChecksum::UlChecksumBytesSlow
// l.5293).
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
//       overwritten it); a shadow checksum where the chain expects a record means the data ends there.

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
  damage: { offset: number; problem: string } | null;
}

/** What each sector is, for pictures: same codes as log.ts LOG_SECTOR (passed in to avoid an import cycle). */
export interface SectorCodes { good: number; shadow: number; damaged: number }

/**
 * L10-L14 over a legacy log. Reads forward through one window (1 MiB, or one record's range when that is larger: at
 * most 16 MiB, in practice the size of one flush); never the whole file.
 */
export async function checkLegacyLog(
  src: ByteSource, h: { generation: number; cbSec: number; csecHeader: number },
  sectors: Uint8Array | null, codes: SectorCodes, signal?: AbortSignal,
): Promise<LegacyLogCheck> {
  const { cbSec } = h;
  const gen = h.generation >>> 0;
  const out: LegacyLogCheck = { records: 0, good: 0, bad: 0, shadow: null, end: h.csecHeader * cbSec, damage: null, offsets: [], shadowOffset: null };
  const mark = (from: number, to: number, code: number) => {
    if (!sectors) return;
    for (let s = Math.floor(from / cbSec); s < Math.min(sectors.length, Math.ceil(to / cbSec)); s++) sectors[s] = code;
  };
  const fail = (offset: number, problem: string) => {
    out.bad++;
    out.damage = { offset, problem };
    mark(offset, offset + 1, codes.damaged);
  };
  const win = new ForwardWindow(src);
  let pos = h.csecHeader * cbSec;
  // Each record moves pos forward by at least 22 bytes, so the walk ends; the bound is a second guard.
  for (let guard = Math.floor(src.size / LRCK_SIZE) + 1; guard > 0; guard--) {
    throwIfAborted(signal);
    if (pos + LRCK_SIZE > src.size) { fail(pos, `the chain points to ${pos}, past the end of the file`); break; }
    out.records++;
    const head = await win.get(pos, LRCK_SIZE);
    const r = readLrck(head, 0, pos);
    if (!r) { fail(pos, `no LRCHECKSUM record here (lrtyp ${head[0]}, expected ${LRTYP_CHECKSUM})`); break; }
    const listed = out.offsets.length < MAX_OFFSETS;
    if (listed) out.offsets.push(pos);
    const shape = lrckShapeProblem(r, cbSec, src.size);
    if (shape) { fail(pos, shape); break; }
    const c = await checksumsOf(win, r, cbSec, gen);
    if (c.checksum !== r.checksum) {
      if ((c.checksum ^ LRCK_SHADOW_XOR) >>> 0 === r.checksum) {
        // A shadow where the chain expects a record: the data ends before it.
        out.records--;
        if (listed) out.offsets.pop();
        mark(pos, pos + 1, codes.shadow);
        out.shadow = 'valid';
        out.shadowOffset = pos;
      } else fail(pos, `LRCHECKSUM checksum 0x${r.checksum.toString(16).padStart(8, '0')} does not match the computed 0x${c.checksum.toString(16).padStart(8, '0')}`);
      break;
    }
    if (c.shortChecksum !== null && c.shortChecksum !== r.shortChecksum) {
      fail(pos, `short checksum 0x${r.shortChecksum.toString(16).padStart(8, '0')} does not match the computed 0x${c.shortChecksum.toString(16).padStart(8, '0')}`);
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
      break;
    }
    pos += LRCK_SIZE + r.next;
  }
  // Sectors after the data keep the caller's "not checked": no checksum covers them (new legacy logs are filled
  // with a 0xDA pattern, not zeros).
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
