// ESE transaction log files: the LGFILEHDR header, its attachment list, and v8 segment verification, as
// eseutil /ml does it (FORMAT.md §L, rules L1..L9; MS-ESE inc/log.hxx l.86-225, inc/_logstream.hxx l.11-25,
// ese/_log/logread.cxx ErrLGCheckReadLastLogRecordFF l.1276-1850, ese/_log/logdump.cxx ErrLGDumpLog).
//
//   L1 The header is 4096 bytes with the short checksum (checksum.ts C1) over all of them; logs have no shadow
//      header. filetype @667 = 3 (logs before 7.3704.4 have none).
//   L2 Format: ulMajor <= 7 is the legacy LRCHECKSUM format (log-legacy.ts, rules L10-L17); 8.4000.x uses
//      4096-byte segments (cbSec) that each start with a 40-byte LGSEGHDR.
//   L3 Segments isec = csecHeader .. csecLGFile - 2 are checked (the last sector is never scanned): a segment is
//      valid when its checksum verifies as a database page of cbSec bytes with pgno = isec (C3; single-bit errors
//      are corrected, as with fCorrectError).
//   L4 A valid segment whose lgposSegment (@8) is below (generation, isec, 0) is stale (a recycled file) and
//      counts as empty; above it is corrupt (eLCBadSegmentLgpos); a valid segment after an empty one is corrupt
//      (eLCValidSegmentAfterEmpty).
//   L5 An invalid segment (isec > csecHeader) that verifies with pgno = isec - 1 is a shadow sector: empty.
//   L6 In logs of version >= 8.4000.2 an all-zero segment is empty.
//   L7 Any other invalid segment is corrupt (eLCCorruptAfterEmptySegment after an empty one); when the next
//      sector verifies with pgno = isec and lgposSegment == (generation, isec, 0) it is a torn write that soft
//      recovery patches (dump mode reports no damage for it).
//   L8 The accumulated segment checksum is the XOR of the stored u64 checksums of the valid segments scanned
//      before the first corruption; "Last Lgpos" = (generation, last valid isec + 1, 0).
//   L9 checksumPrevLogAllSegments @653, when non-zero, must equal the accumulated checksum of generation - 1
//      (logset.ts).

import type { ByteSource, SourceRef } from '../../io';
import { readAt, readFully } from '../../io';
import type { Kernels } from '../../kernels/kernels';
import { throwIfAborted } from '../../errors';
import { registerJob, type JobContext } from '../../jobs';
import {
  u8at, u16at, u32at, i32at, readLogTime, readLgpos, readSignature, readDbmsParam, readAttachList,
  type LogTime, type Lgpos, type Signature, type DbmsParam, type AttachInfo,
} from './structs';
import { shortChecksum, verifyPage, isAllZero, PAGE_STATUS } from './checksum';
import { checkLegacyLog, isFillSector, type LegacyLogCheck } from './log-legacy';

export const LOG_HEADER_SIZE = 4096;
export const LOG_SEGMENT_SIZE = 4096;

export interface LogFileHeader {
  checksum: number;
  generation: number;
  cbSec: number;
  csecHeader: number;
  csecLGFile: number;
  cbPageSize: number;
  tmCreate: LogTime;
  tmPrevGen: LogTime;
  major: number;
  minor: number;
  updateMajor: number;
  updateMinor: number;
  signLog: Signature;
  dbmsParam: DbmsParam;
  flags: number;
  reservedLog: boolean;
  circularLoggingCurrent: boolean;
  circularLoggingHistory: boolean;
  lgposCheckpoint: Lgpos;
  diskSecSizeMismatch: number;
  /** checksumPrevLogAllSegments @653 as 16 hex digits. */
  checksumPrevLogAllSegments: string;
  efvEngineCurrentDiagnostic: number;
  filetype: number;
}

const hex64 = (hi: number, lo: number): string => (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');

export function parseLogHeader(b: Uint8Array): LogFileHeader {
  const flags = u8at(b, 639);
  return {
    checksum: u32at(b, 0),
    generation: i32at(b, 4),
    cbSec: u16at(b, 8),
    csecHeader: u16at(b, 10),
    csecLGFile: u16at(b, 12),
    cbPageSize: u16at(b, 14),
    tmCreate: readLogTime(b, 16),
    tmPrevGen: readLogTime(b, 24),
    major: u32at(b, 32),
    minor: u32at(b, 36),
    updateMajor: u32at(b, 40),
    signLog: readSignature(b, 44),
    dbmsParam: readDbmsParam(b, 72),
    flags,
    reservedLog: (flags & 0x01) !== 0,
    circularLoggingCurrent: (flags & 0x02) !== 0,
    circularLoggingHistory: (flags & 0x04) !== 0,
    lgposCheckpoint: readLgpos(b, 640),
    updateMinor: u32at(b, 648),
    diskSecSizeMismatch: u8at(b, 652),
    checksumPrevLogAllSegments: hex64(u32at(b, 657), u32at(b, 653)),
    efvEngineCurrentDiagnostic: u32at(b, 661),
    filetype: u32at(b, 667),
  };
}

/** FIsOldLrckLogFormat (daedef.hxx): major <= 7 is the legacy format. */
export const isLegacyLogFormat = (h: LogFileHeader): boolean => h.major <= 7;

/** FLGVersionZeroFilled (log.cxx l.1231): version >= 8.4000.2. */
export function isZeroFilledVersion(h: LogFileHeader): boolean {
  if (h.major !== 8) return h.major > 8;
  if (h.minor !== 4000) return h.minor > 4000;
  return h.updateMajor >= 2;
}

export type LogCorruptReason = 'eLCBadSegmentLgpos' | 'eLCValidSegmentAfterEmpty' | 'eLCCorruptAfterEmptySegment' | 'eLCSegmentCorrupt' | 'LRCHECKSUM' | 'LOG_EXTEND_PATTERN';

export interface LogSegmentCounts {
  /** Sectors scanned: csecHeader .. csecLGFile - 2 (as far as the file reaches). */
  seen: number;
  good: number;
  /** Invalid checksum and not a shadow or an empty segment (counted independently of the sequence rules). */
  bad: number;
  shadow: number;
  /** All-zero or stale segments. */
  empty: number;
  /** Valid only after a single-bit correction (included in good). */
  correctable: number;
}

/** What each sector of a v8 log is, for pictures (one byte per sector of the file). */
export const LOG_SECTOR = {
  /** Sectors 0 .. csecHeader - 1. */
  header: 0,
  good: 1,
  /** Valid after a single-bit correction. */
  correctable: 2,
  /** All zero (L6). */
  empty: 3,
  /** Valid but older than its position (L4): a recycled file's leftover. */
  stale: 4,
  shadow: 5,
  bad: 6,
  /** The first violation of L4/L7: the log is unusable from here. */
  damaged: 7,
  /** L7 torn write that soft recovery patches. */
  torn: 8,
  /** After the damage or torn sector: the engine does not read on. */
  afterStop: 9,
  /** Not scanned: the last sector (L3) and anything past csecLGFile. */
  unscanned: 10,
  /** Legacy logs (L17): ESE's fill pattern, a sector the log never used. */
  fill: 11,
} as const;

export interface LogAnalysis {
  size: number;
  header: LogFileHeader | null;
  headerChecksumStored: number;
  headerChecksumComputed: number;
  headerOk: boolean;
  attachments: AttachInfo[];
  attachProblem: string | null;
  /** Null when segments were not checked (legacy format, unreadable header). */
  segments: LogSegmentCounts | null;
  /** Page numbers (isec) of bad segments, up to 1000. */
  badSegments: number[];
  correctableSegments: Array<{ isec: number; bit: number }>;
  /** First violation of L4/L7 (the log is unusable from there), or null. */
  damage: { isec: number; reason: LogCorruptReason } | null;
  /** L7 torn write that soft recovery would patch. */
  patchable: { isec: number } | null;
  /** L8, hex digits (16). */
  accumulatedChecksum: string | null;
  lastLgpos: Lgpos | null;
  /** Sectors the file holds (size / cbSec) and what the header says. */
  fileSectors: number;
  legacy: boolean;
  /** Legacy logs (L10-L17): the LRCHECKSUM chain, or null (v8 log, bad header or geometry). */
  lrck: LegacyLogCheck | null;
  /** Every byte of the file is zero. */
  allZero: boolean;
  /** Every byte of the file is ESE's log fill pattern (log-legacy.ts LOG_FILL): pre-allocated, never written. */
  allFill: boolean;
  /** LOG_SECTOR per sector of the file (size / cbSec), or null when segments were not checked. */
  sectors: Uint8Array | null;
}

export interface EseLogArgs {
  ref: SourceRef;
}

declare module '../../jobs' {
  interface JobMap {
    eseLog: { args: EseLogArgs; result: LogAnalysis };
  }
}

const SEGMENT_CHUNK = 256;

/**
 * Every 1 MiB piece of the file passes `test` (pieces start on 512-byte boundaries, where the fill pattern repeats):
 * a whole file of zeros, or of ESE's fill pattern.
 */
async function fileIsAll(src: ByteSource, test: (b: Uint8Array, n: number) => boolean, signal?: AbortSignal): Promise<boolean> {
  const buf = new Uint8Array(Math.min(1 << 20, Math.max(1, src.size)));
  for (let off = 0; off < src.size; off += buf.length) {
    throwIfAborted(signal);
    const n = await readFully(src, off, buf.subarray(0, Math.min(buf.length, src.size - off)));
    if (!test(buf, n)) return false;
  }
  return true;
}

/** L1-L8 over one log file. Streams segments through the kernel; never holds more than 1 MiB of the log. */
export async function analyzeLog(src: ByteSource, k: Kernels, signal?: AbortSignal): Promise<LogAnalysis> {
  const a: LogAnalysis = {
    size: src.size, header: null, headerChecksumStored: 0, headerChecksumComputed: 0, headerOk: false, attachments: [], attachProblem: null,
    segments: null, badSegments: [], correctableSegments: [], damage: null, patchable: null, accumulatedChecksum: null, lastLgpos: null,
    fileSectors: 0, legacy: false, lrck: null, allZero: false, allFill: false, sectors: null,
  };
  const hb = await readAt(src, 0, LOG_HEADER_SIZE);
  if (hb.length < LOG_HEADER_SIZE) {
    a.allZero = isAllZero(hb);
    return a;
  }
  const h = parseLogHeader(hb);
  a.header = h;
  a.headerChecksumStored = h.checksum;
  a.headerChecksumComputed = shortChecksum(hb, 0, LOG_HEADER_SIZE);
  a.headerOk = a.headerChecksumStored === a.headerChecksumComputed;
  if (!a.headerOk && isAllZero(hb)) {
    a.allZero = await fileIsAll(src, (b, n) => isAllZero(b, 0, n), signal);
    return a;
  }
  if (!a.headerOk && isFillSector(hb, 0, LOG_HEADER_SIZE)) {
    a.allFill = await fileIsAll(src, (b, n) => isFillSector(b, 0, n), signal);
    if (a.allFill) return a;
  }
  const al = readAttachList(hb, 671);
  a.attachments = al.entries;
  a.attachProblem = al.problem;
  a.legacy = isLegacyLogFormat(h);
  if (!a.headerOk) return a;
  if (a.legacy) return analyzeLegacy(src, h, a, signal);
  if (h.cbSec !== LOG_SEGMENT_SIZE || h.csecHeader < 1 || h.csecLGFile <= h.csecHeader) return a;
  const gen = h.generation;
  const fileSectors = Math.floor(src.size / h.cbSec);
  a.fileSectors = fileSectors;
  const sectors = new Uint8Array(fileSectors).fill(LOG_SECTOR.unscanned);
  sectors.fill(LOG_SECTOR.header, 0, Math.min(fileSectors, h.csecHeader));
  a.sectors = sectors;
  // L3: csecHeader .. csecLGFile - 2, limited to what the file holds (the scan needs isec + 1 for L7).
  const last = Math.min(h.csecLGFile - 2, fileSectors - 1);
  const seg: LogSegmentCounts = { seen: 0, good: 0, bad: 0, shadow: 0, empty: 0, correctable: 0 };
  a.segments = seg;
  let accHi = 0, accLo = 0;
  let emptySeen = false;
  let lastValid = h.csecHeader - 1;
  let stopped = false;
  const zeroFilled = isZeroFilledVersion(h);
  const cbSec = h.cbSec;
  for (let s0 = h.csecHeader; s0 <= last; s0 += SEGMENT_CHUNK) {
    throwIfAborted(signal);
    // One extra sector so that the torn-write probe (L7) can look at isec + 1.
    const n = Math.min(SEGMENT_CHUNK, last - s0 + 1);
    const withNext = Math.min(n + 1, fileSectors - s0);
    const view = k.scratch(withNext * cbSec + withNext * 8);
    const got = await readFully(src, s0 * cbSec, view.subarray(0, withNext * cbSec));
    const have = Math.floor(got / cbSec);
    const base = k.ptr(view);
    k.esePageCheckAt(base, have, cbSec, s0, base + have * cbSec);
    const mem = k.exports.memory.buffer;
    const bytes = new Uint8Array(mem, base, have * cbSec);
    const res = new Int32Array(mem, base + have * cbSec, have * 2);
    for (let i = 0; i < Math.min(n, have); i++) {
      const isec = s0 + i;
      const sb = bytes.subarray(i * cbSec, (i + 1) * cbSec);
      const st = res[2 * i];
      seg.seen++;
      const valid = st === PAGE_STATUS.good || st === PAGE_STATUS.correctable;
      let kind: 'good' | 'stale' | 'ahead' | 'shadow' | 'zero' | 'bad';
      if (valid) {
        const lg = readLgpos(sb, 8);
        const cmp = lg.generation - gen || lg.sector - isec || lg.offset;
        kind = cmp < 0 ? 'stale' : cmp > 0 ? 'ahead' : 'good';
      } else if (isec !== h.csecHeader && (() => { const v = verifyPage(sb, isec - 1, cbSec).status; return v === 'good' || v === 'correctable'; })()) {
        kind = 'shadow';
      } else if (zeroFilled && st === PAGE_STATUS.uninitialized) {
        kind = 'zero';
      } else kind = 'bad';
      sectors[isec] = stopped && kind !== 'bad' ? LOG_SECTOR.afterStop
        : kind === 'good' ? (st === PAGE_STATUS.correctable ? LOG_SECTOR.correctable : LOG_SECTOR.good)
          : kind === 'stale' ? LOG_SECTOR.stale : kind === 'ahead' ? LOG_SECTOR.damaged : kind === 'shadow' ? LOG_SECTOR.shadow
            : kind === 'zero' ? LOG_SECTOR.empty : LOG_SECTOR.bad;
      if (kind === 'good') {
        seg.good++;
        if (st === PAGE_STATUS.correctable) {
          seg.correctable++;
          if (a.correctableSegments.length < 1000) a.correctableSegments.push({ isec, bit: res[2 * i + 1] });
        }
      } else if (kind === 'shadow') seg.shadow++;
      else if (kind === 'zero' || kind === 'stale') seg.empty++;
      else {
        seg.bad++;
        if (a.badSegments.length < 1000) a.badSegments.push(isec);
      }
      if (stopped) continue;
      // The sequence rules, in the order ErrLGCheckReadLastLogRecordFF applies them.
      if (kind === 'good') {
        if (emptySeen) { a.damage = { isec, reason: 'eLCValidSegmentAfterEmpty' }; sectors[isec] = LOG_SECTOR.damaged; stopped = true; continue; }
        accLo = (accLo ^ u32at(sb, 0)) >>> 0;
        accHi = (accHi ^ u32at(sb, 4)) >>> 0;
        lastValid = isec;
      } else if (kind === 'ahead') {
        a.damage = { isec, reason: 'eLCBadSegmentLgpos' };
        stopped = true;
      } else if (kind === 'stale' || kind === 'shadow' || kind === 'zero') {
        emptySeen = true;
      } else if (emptySeen) {
        a.damage = { isec, reason: 'eLCCorruptAfterEmptySegment' };
        sectors[isec] = LOG_SECTOR.damaged;
        stopped = true;
      } else {
        const next = i + 1 < have ? bytes.subarray((i + 1) * cbSec, (i + 2) * cbSec) : null;
        const nextOk = next !== null && (() => { const v = verifyPage(next, isec, cbSec).status; return v === 'good' || v === 'correctable'; })();
        const nl = next ? readLgpos(next, 8) : null;
        if (nextOk && nl && nl.generation === gen && nl.sector === isec && nl.offset === 0) {
          // L7 torn write: soft recovery patches it from the next sector; the dump stops here without an error.
          a.patchable = { isec };
          sectors[isec] = LOG_SECTOR.torn;
          stopped = true;
        } else {
          a.damage = { isec, reason: 'eLCSegmentCorrupt' };
          sectors[isec] = LOG_SECTOR.damaged;
          stopped = true;
        }
      }
    }
  }
  a.accumulatedChecksum = hex64(accHi, accLo);
  a.lastLgpos = { generation: gen, sector: lastValid + 1, offset: 0 };
  return a;
}

/** Legacy sector sizes: 512 bytes on the disks of the time, up to 4 KiB. */
const LEGACY_SECTOR_SIZES = new Set([512, 1024, 2048, 4096]);

async function analyzeLegacy(src: ByteSource, h: LogFileHeader, a: LogAnalysis, signal?: AbortSignal): Promise<LogAnalysis> {
  if (!LEGACY_SECTOR_SIZES.has(h.cbSec) || h.csecHeader < 1 || h.csecHeader * h.cbSec < LOG_HEADER_SIZE) return a;
  const fileSectors = Math.floor(src.size / h.cbSec);
  a.fileSectors = fileSectors;
  // The picture covers the log the header declares (csecLGFile <= 65535 sectors), not whatever follows it: a huge
  // file must not cost a byte per 512 of it.
  const sectors = new Uint8Array(Math.min(fileSectors, Math.max(h.csecLGFile, h.csecHeader))).fill(LOG_SECTOR.unscanned);
  sectors.fill(LOG_SECTOR.header, 0, Math.min(fileSectors, h.csecHeader));
  a.sectors = sectors;
  const c = await checkLegacyLog(src, h, sectors,
    { good: LOG_SECTOR.good, shadow: LOG_SECTOR.shadow, damaged: LOG_SECTOR.damaged, torn: LOG_SECTOR.torn, fill: LOG_SECTOR.fill }, signal);
  a.lrck = c;
  if (c.damage) a.damage = { isec: Math.floor(c.damage.offset / h.cbSec), reason: c.damage.kind === 'record' ? 'LRCHECKSUM' : 'LOG_EXTEND_PATTERN' };
  if (c.torn) a.patchable = { isec: Math.floor(c.torn.offset / h.cbSec) };
  a.lastLgpos = { generation: h.generation, sector: Math.floor(c.end / h.cbSec), offset: c.end % h.cbSec };
  return a;
}

export async function eseLogJob(ctx: JobContext, args: EseLogArgs): Promise<LogAnalysis> {
  const src = await ctx.open(args.ref);
  try {
    return await analyzeLog(src, await ctx.kernels(), ctx.signal);
  } finally {
    await src.close?.();
  }
}

registerJob('eseLog', eseLogJob);
