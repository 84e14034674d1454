// Persisted ESE types shared by the database, log and checkpoint headers (FORMAT.md §S; MS-ESE daedef.hxx
// LE_LGPOS l.874, LOGTIME l.2209, SIGNATURE l.2298, BKINFO l.2306, DBMS_PARAM l.3835; log.hxx ATTACHINFO l.86)
// and the way eseutil prints them (dbdump.cxx DUMPPrintLogTime, daedef.hxx SigToSz).
//
// All structures are packed and little-endian. Decoders never read past the buffer: a short buffer yields zeros,
// and callers check lengths before trusting a structure. 64-bit values are decimal strings (JSON-safe, exact).
//
//   S1 LOGTIME (8): sec, min, hour, day, month (1-based in practice), year - 1900, byte 6 = fTimeIsUTC (bit 0) |
//      msLow << 1, byte 7 = fReserved (bit 0) | msHigh << 1 (3 bits); ms = msLow | msHigh << 7.
//   S2 SIGNATURE (28): u32 random, LOGTIME create, char[16] computer name (NUL-terminated).
//   S3 LE_LGPOS (8): u16 ib, u16 isec, i32 lGeneration; printed (0x%X,%X,%X) = (generation, sector, offset).
//   S4 BKINFO (24): LGPOS mark, LOGTIME mark, u32 genLow, u32 genHigh.
//   S5 DBMS_PARAM (567): char[261] system path, char[261] log path, u8 flags (0x1 circular logging), then u32
//      sessions, open tables, version pages, cursors, log buffers, log file sectors, cache size, 16 reserved.
//   S6 ATTACHINFO: u8 dbid (0 ends the list), u8 flags (0x20 UTF-16 names, 0x40 sparse), u16 cbNames, u64 dbtime,
//      u32 objidLast, u32 cpgDatabaseSizeMax, LGPOS attach, LGPOS consistent, SIGNATURE signDb, names; the next
//      entry follows at +64 + cbNames, all inside the 2048-byte list.

export const u8at = (b: Uint8Array, o: number): number => (o >= 0 && o < b.length ? b[o] : 0);
export const u16at = (b: Uint8Array, o: number): number => u8at(b, o) | (u8at(b, o + 1) << 8);
export const u32at = (b: Uint8Array, o: number): number =>
  (u8at(b, o) | (u8at(b, o + 1) << 8) | (u8at(b, o + 2) << 16) | (u8at(b, o + 3) << 24)) >>> 0;
export const i32at = (b: Uint8Array, o: number): number => u32at(b, o) | 0;
/** Unsigned 64-bit little-endian value as a decimal string. */
export const u64at = (b: Uint8Array, o: number): string => ((BigInt(u32at(b, o + 4)) << 32n) | BigInt(u32at(b, o))).toString();

export interface LogTime {
  seconds: number;
  minutes: number;
  hours: number;
  day: number;
  month: number;
  /** Years since 1900, as stored. */
  year: number;
  milliseconds: number;
  utc: boolean;
}

export interface Lgpos {
  generation: number;
  sector: number;
  offset: number;
}

export interface Signature {
  random: number;
  created: LogTime;
  computer: string;
  /** The 28 stored bytes in hex: signatures are compared byte for byte (memcmp), as the engine does. */
  hex: string;
}

export interface BkInfo {
  mark: Lgpos;
  markTime: LogTime;
  genLow: number;
  genHigh: number;
}

export interface DbmsParam {
  systemPath: string;
  logFilePath: string;
  flags: number;
  circularLogging: boolean;
  sessionsMax: number;
  openTablesMax: number;
  verPagesMax: number;
  cursorsMax: number;
  logBuffers: number;
  logFileSectors: number;
  cacheSizeMax: number;
}

export interface AttachInfo {
  dbid: number;
  flags: number;
  unicodeNames: boolean;
  sparse: boolean;
  dbtime: string;
  objidLast: number;
  cpgDatabaseSizeMax: number;
  lgposAttach: Lgpos;
  lgposConsistent: Lgpos;
  signDb: Signature;
  /** Database path first, then any further names (an Exchange streaming file). */
  names: string[];
  /** Offset of the entry inside the attachment list. */
  offset: number;
}

export function readLogTime(b: Uint8Array, o: number): LogTime {
  const b6 = u8at(b, o + 6);
  const b7 = u8at(b, o + 7);
  return {
    seconds: u8at(b, o), minutes: u8at(b, o + 1), hours: u8at(b, o + 2), day: u8at(b, o + 3), month: u8at(b, o + 4), year: u8at(b, o + 5),
    milliseconds: (b6 >> 1) | (((b7 >> 1) & 7) << 7),
    utc: (b6 & 1) === 1,
  };
}

export function readLgpos(b: Uint8Array, o: number): Lgpos {
  return { offset: u16at(b, o), sector: u16at(b, o + 2), generation: i32at(b, o + 4) };
}

function hexOf(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += u8at(b, o + i).toString(16).padStart(2, '0');
  return s;
}

/** NUL-terminated single-byte string (ANSI; bytes above 0x7F are kept as Latin-1 code points). */
export function readCString(b: Uint8Array, o: number, max: number): string {
  let s = '';
  for (let i = 0; i < max; i++) {
    const c = u8at(b, o + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

export function readSignature(b: Uint8Array, o: number): Signature {
  return { random: u32at(b, o), created: readLogTime(b, o + 4), computer: readCString(b, o + 12, 16), hex: hexOf(b, o, 28) };
}

export function readBkInfo(b: Uint8Array, o: number): BkInfo {
  return { mark: readLgpos(b, o), markTime: readLogTime(b, o + 8), genLow: u32at(b, o + 16), genHigh: u32at(b, o + 20) };
}

export function readDbmsParam(b: Uint8Array, o: number): DbmsParam {
  const flags = u8at(b, o + 522);
  return {
    systemPath: readCString(b, o, 261), logFilePath: readCString(b, o + 261, 261), flags, circularLogging: (flags & 1) !== 0,
    sessionsMax: u32at(b, o + 523), openTablesMax: u32at(b, o + 527), verPagesMax: u32at(b, o + 531), cursorsMax: u32at(b, o + 535),
    logBuffers: u32at(b, o + 539), logFileSectors: u32at(b, o + 543), cacheSizeMax: u32at(b, o + 547),
  };
}

export const ATTACH_LIST_SIZE = 2048;
export const ATTACHINFO_FIXED = 64;

/**
 * Decodes an ATTACHINFO list (S6) starting at b[o] and spanning `size` bytes. Returns the entries and a problem
 * text when the list runs past its end (the engine treats that as JET_errInternalError).
 */
export function readAttachList(b: Uint8Array, o: number, size = ATTACH_LIST_SIZE): { entries: AttachInfo[]; problem: string | null } {
  const entries: AttachInfo[] = [];
  let p = 0;
  // Each entry takes at least 64 bytes, so the loop is bounded by size / 64.
  while (p < size) {
    if (u8at(b, o + p) === 0) return { entries, problem: null };
    if (p + ATTACHINFO_FIXED > size) return { entries, problem: `attachment at +${p} overruns the ${size}-byte list` };
    const flags = u8at(b, o + p + 1);
    const cbNames = u16at(b, o + p + 2);
    if (p + ATTACHINFO_FIXED + cbNames > size) return { entries, problem: `attachment at +${p} names (${cbNames} bytes) overrun the ${size}-byte list` };
    const unicode = (flags & 0x20) !== 0;
    const names: string[] = [];
    const start = o + p + ATTACHINFO_FIXED;
    if (unicode) {
      let cur = '';
      for (let i = 0; i + 1 < cbNames; i += 2) {
        const c = u16at(b, start + i);
        if (c === 0) { if (cur) names.push(cur); cur = ''; continue; }
        cur += String.fromCharCode(c);
      }
      if (cur) names.push(cur);
    } else {
      let cur = '';
      for (let i = 0; i < cbNames; i++) {
        const c = u8at(b, start + i);
        if (c === 0) { if (cur) names.push(cur); cur = ''; continue; }
        cur += String.fromCharCode(c);
      }
      if (cur) names.push(cur);
    }
    entries.push({
      dbid: u8at(b, o + p), flags, unicodeNames: unicode, sparse: (flags & 0x40) !== 0,
      dbtime: u64at(b, o + p + 4), objidLast: u32at(b, o + p + 12), cpgDatabaseSizeMax: u32at(b, o + p + 16),
      lgposAttach: readLgpos(b, o + p + 20), lgposConsistent: readLgpos(b, o + p + 28), signDb: readSignature(b, o + p + 36),
      names, offset: p,
    });
    p += ATTACHINFO_FIXED + cbNames;
  }
  return { entries, problem: p === size ? null : `attachment list has no terminating entry` };
}

// ---- eseutil formatting ----------------------------------------------------------------------------------

const pad = (n: number, w: number): string => {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(w, '0');
  return neg ? '-' + s : s;
};

/** %02d/%02d/%04d %02d:%02d:%02d.%3.3d without the UTC/LOC suffix (SigToSz, CSV dumps). */
export function logTimeDigits(t: LogTime): string {
  return `${pad(t.month, 2)}/${pad(t.day, 2)}/${pad(t.year + 1900, 4)} ${pad(t.hours, 2)}:${pad(t.minutes, 2)}:${pad(t.seconds, 2)}.${pad(t.milliseconds, 3)}`;
}

/** DUMPPrintLogTime: "%02d/%02d/%04d %02d:%02d:%02d.%3.3d %s" with UTC or LOC. */
export function formatLogTime(t: LogTime): string {
  return `${logTimeDigits(t)} ${t.utc ? 'UTC' : 'LOC'}`;
}

/** SigToSz: "Create time:%02d/%02d/%04d %02d:%02d:%02d.%3.3d Rand:%lu Computer:%s". */
export function formatSignature(s: Signature): string {
  return `Create time:${logTimeDigits(s.created)} Rand:${s.random >>> 0} Computer:${s.computer}`;
}

const hexU = (n: number): string => (n >>> 0).toString(16).toUpperCase();

/** "(0x%X,%X,%X)" = (generation, sector, offset). */
export function formatLgpos(p: Lgpos): string {
  return `(0x${hexU(p.generation)},${hexU(p.sector)},${hexU(p.offset)})`;
}

export function cmpLgpos(a: Lgpos, b: Lgpos): number {
  return a.generation - b.generation || a.sector - b.sector || a.offset - b.offset;
}
