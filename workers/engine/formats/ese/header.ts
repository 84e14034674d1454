// The ESE database header DBFILEHDR, its shadow copy, and page-size detection (FORMAT.md §D, rules D1..D8;
// MS-ESE daedef.hxx l.2785-3057, ese/_osu/fileu.cxx ErrUtilReadSpecificShadowedHeader l.114-470,
// ese/dbdump.cxx state strings l.10).
//
//   D1 Physical page 0 is the header, physical page 1 its shadow, an identical copy (fileu.cxx l.789).
//   D2 Each copy carries the short checksum (checksum.ts C1) over the whole header page (cbPage bytes), not over the
//      748-byte struct and not over 668 bytes (libesedb's mistake, FORMAT.md §D note).
//   D3 Page-size detection, per copy: for cb = max(sector size, 2048), doubling up to 32768, accept cb when the
//      copy at offset (copy index) * cb has a valid checksum over cb bytes AND u32 @236 is a valid page size
//      (0 means 4096) equal to cb. The largest accepted cb wins (the loop does not stop at the first).
//      At most min(64 KiB, file size) bytes take part.
//   D4 Outcome: both copies accepted, equal size and identical bytes -> ok; both accepted but different -> the
//      shadow is bad; one accepted -> the other is bad; none -> corrupt (JET_errReadVerifyFailure).
//   D5 The elected copy is the primary unless only the shadow was accepted.
//   D6 Magic @4 must be 0x89ABCDEF; filetype @667: 0 (pre-filetype databases), 1 database, 2 streaming file,
//      5 temporary database.
//   D7 State @52 uses eseutil's words (dbdump.cxx rgszDBState / SzFromState): 1 "Just Created", 2 "Dirty Shutdown",
//      3 "Clean Shutdown", 4 "Being Converted", 6 "Incremental Reseed In Progress", 7 "Dirty and Patched Shutdown",
//      8 "Database Revert in Progress"; any other value (5, Force Detach, included: SzFromState has no case for
//      it) prints "Illegal".
//   D8 A temporary database: file type 5, or dbid 0 (dbidTemp) @104 -- the instance's temporary database, which ESE
//      creates anew at every start with file type 1 (sysinit.cxx ErrINSTCreateTempDatabase_, db.cxx) and never
//      reads back from an old file.

import {
  u32at, i32at, u64at, readLogTime, readLgpos, readSignature, readBkInfo,
  type LogTime, type Lgpos, type Signature, type BkInfo,
} from './structs';
import { shortChecksum, ESE_MAGIC } from './checksum';

export const OFF_FILETYPE = 667;
export const OFF_PAGE_SIZE = 236;
export const PAGE_SIZE_MIN = 2048;
export const PAGE_SIZE_MAX = 32768;
/** Bytes a header read needs: two copies of the largest page. */
export const HEADER_READ_BYTES = 2 * PAGE_SIZE_MAX;

export const FILETYPE = {
  unknown: 0, database: 1, streamingFile: 2, log: 3, checkpoint: 4, tempDatabase: 5, ftl: 6, flushMap: 7,
  cachedFile: 8, cachingFile: 9, snapshot: 10, rbsRevertCheckpoint: 11,
} as const;

const STATE_WORDS = [
  'Illegal', 'Just Created', 'Dirty Shutdown', 'Clean Shutdown', 'Being Converted', 'Force Detach Replay Error',
  'Incremental Reseed In Progress', 'Dirty and Patched Shutdown', 'Database Revert in Progress',
];

/** D7: the state as eseutil /mh prints it. */
export function stateWord(dbstate: number): string {
  return dbstate >= 1 && dbstate <= 8 && dbstate !== 5 ? STATE_WORDS[dbstate] : STATE_WORDS[0];
}

export const DBSTATE = { justCreated: 1, dirtyShutdown: 2, cleanShutdown: 3, beingConverted: 4, forceDetach: 5, incrementalReseed: 6, dirtyAndPatched: 7, revertInProgress: 8 } as const;

/** DBFILEHDR, field names as in daedef.hxx without the le_ prefix. 64-bit values are decimal strings. */
export interface DbFileHeader {
  checksum: number;
  magic: number;
  version: number;
  attrib: number;
  dbtimeDirtied: string;
  signDb: Signature;
  dbstate: number;
  lgposConsistent: Lgpos;
  logtimeConsistent: LogTime;
  logtimeAttach: LogTime;
  lgposAttach: Lgpos;
  logtimeDetach: LogTime;
  lgposDetach: Lgpos;
  dbid: number;
  signLog: Signature;
  bkinfoFullPrev: BkInfo;
  bkinfoIncPrev: BkInfo;
  bkinfoFullCur: BkInfo;
  dbFlags: number;
  objidLast: number;
  osMajorVersion: number;
  osMinorVersion: number;
  osBuildNumber: number;
  osSPNumber: number;
  daeUpdateMajor: number;
  cbPageSize: number;
  repairCount: number;
  logtimeRepair: LogTime;
  dbtimeLastScrub: string;
  logtimeScrub: LogTime;
  genMinRequired: number;
  genMaxRequired: number;
  cpgUpgrade55Format: number;
  cpgUpgradeFreePages: number;
  cpgUpgradeSpaceMapPages: number;
  bkinfoSnapshotCur: BkInfo;
  createVersion: number;
  createUpdate: number;
  logtimeGenMaxCreate: LogTime;
  bkinfoTypeFullPrev: number;
  bkinfoTypeIncPrev: number;
  repairCountOld: number;
  eccFixSuccess: number;
  logtimeEccFixSuccess: LogTime;
  eccFixSuccessOld: number;
  eccFixFail: number;
  logtimeEccFixFail: LogTime;
  eccFixFailOld: number;
  badChecksum: number;
  logtimeBadChecksum: LogTime;
  badChecksumOld: number;
  genMaxCommitted: number;
  bkinfoCopyPrev: BkInfo;
  bkinfoDiffPrev: BkInfo;
  bkinfoTypeCopyPrev: number;
  bkinfoTypeDiffPrev: number;
  incrementalReseedCount: number;
  logtimeIncrementalReseed: LogTime;
  incrementalReseedCountOld: number;
  pagePatchCount: number;
  logtimePagePatch: LogTime;
  pagePatchCountOld: number;
  sortVersion: string;
  logtimeDbscanPrev: LogTime;
  logtimeDbscanStart: LogTime;
  pgnoDbscanHighestContinuous: number;
  genRecovering: number;
  extendCount: number;
  logtimeLastExtend: LogTime;
  shrinkCount: number;
  logtimeLastShrink: LogTime;
  logtimeLastReAttach: LogTime;
  lgposLastReAttach: Lgpos;
  trimCount: number;
  signDbHdrFlush: Signature;
  signFlushMapHdrFlush: Signature;
  genMinConsistent: number;
  daeUpdateMinor: number;
  efvMaxBinAttachDiagnostic: number;
  pgnoDbscanHighest: number;
  lgposLastResize: Lgpos;
  filetype: number;
  logtimeGenMaxRequired: LogTime;
  genPreRedoMinConsistent: number;
  genPreRedoMinRequired: number;
  signRBSHdrFlush: Signature;
  revertCount: number;
  logtimeRevertFrom: LogTime;
  logtimeRevertTo: LogTime;
  revertPageCount: number;
  lgposCommitBeforeRevert: Lgpos;
}

/** Decodes DBFILEHDR from a header copy (bytes past the end of b read as zero; check b.length first). */
export function parseDbHeader(b: Uint8Array): DbFileHeader {
  return {
    checksum: u32at(b, 0),
    magic: u32at(b, 4),
    version: u32at(b, 8),
    attrib: i32at(b, 12),
    dbtimeDirtied: u64at(b, 16),
    signDb: readSignature(b, 24),
    dbstate: u32at(b, 52),
    lgposConsistent: readLgpos(b, 56),
    logtimeConsistent: readLogTime(b, 64),
    logtimeAttach: readLogTime(b, 72),
    lgposAttach: readLgpos(b, 80),
    logtimeDetach: readLogTime(b, 88),
    lgposDetach: readLgpos(b, 96),
    dbid: u32at(b, 104),
    signLog: readSignature(b, 108),
    bkinfoFullPrev: readBkInfo(b, 136),
    bkinfoIncPrev: readBkInfo(b, 160),
    bkinfoFullCur: readBkInfo(b, 184),
    dbFlags: u32at(b, 208),
    objidLast: u32at(b, 212),
    osMajorVersion: u32at(b, 216),
    osMinorVersion: u32at(b, 220),
    osBuildNumber: u32at(b, 224),
    osSPNumber: i32at(b, 228),
    daeUpdateMajor: u32at(b, 232),
    cbPageSize: u32at(b, 236),
    repairCount: u32at(b, 240),
    logtimeRepair: readLogTime(b, 244),
    dbtimeLastScrub: u64at(b, 280),
    logtimeScrub: readLogTime(b, 288),
    genMinRequired: i32at(b, 296),
    genMaxRequired: i32at(b, 300),
    cpgUpgrade55Format: i32at(b, 304),
    cpgUpgradeFreePages: i32at(b, 308),
    cpgUpgradeSpaceMapPages: i32at(b, 312),
    bkinfoSnapshotCur: readBkInfo(b, 316),
    createVersion: u32at(b, 340),
    createUpdate: u32at(b, 344),
    logtimeGenMaxCreate: readLogTime(b, 348),
    bkinfoTypeFullPrev: u32at(b, 356),
    bkinfoTypeIncPrev: u32at(b, 360),
    repairCountOld: u32at(b, 364),
    eccFixSuccess: u32at(b, 368),
    logtimeEccFixSuccess: readLogTime(b, 372),
    eccFixSuccessOld: u32at(b, 380),
    eccFixFail: u32at(b, 384),
    logtimeEccFixFail: readLogTime(b, 388),
    eccFixFailOld: u32at(b, 396),
    badChecksum: u32at(b, 400),
    logtimeBadChecksum: readLogTime(b, 404),
    badChecksumOld: u32at(b, 412),
    genMaxCommitted: i32at(b, 416),
    bkinfoCopyPrev: readBkInfo(b, 420),
    bkinfoDiffPrev: readBkInfo(b, 444),
    bkinfoTypeCopyPrev: u32at(b, 468),
    bkinfoTypeDiffPrev: u32at(b, 472),
    incrementalReseedCount: u32at(b, 476),
    logtimeIncrementalReseed: readLogTime(b, 480),
    incrementalReseedCountOld: u32at(b, 488),
    pagePatchCount: u32at(b, 492),
    logtimePagePatch: readLogTime(b, 496),
    pagePatchCountOld: u32at(b, 504),
    sortVersion: u64at(b, 508),
    logtimeDbscanPrev: readLogTime(b, 516),
    logtimeDbscanStart: readLogTime(b, 524),
    pgnoDbscanHighestContinuous: u32at(b, 532),
    genRecovering: i32at(b, 536),
    extendCount: u32at(b, 540),
    logtimeLastExtend: readLogTime(b, 544),
    shrinkCount: u32at(b, 552),
    logtimeLastShrink: readLogTime(b, 556),
    logtimeLastReAttach: readLogTime(b, 564),
    lgposLastReAttach: readLgpos(b, 572),
    trimCount: u32at(b, 580),
    signDbHdrFlush: readSignature(b, 584),
    signFlushMapHdrFlush: readSignature(b, 612),
    genMinConsistent: i32at(b, 640),
    daeUpdateMinor: u32at(b, 644),
    efvMaxBinAttachDiagnostic: u32at(b, 648),
    pgnoDbscanHighest: u32at(b, 652),
    lgposLastResize: readLgpos(b, 656),
    filetype: u32at(b, OFF_FILETYPE),
    logtimeGenMaxRequired: readLogTime(b, 672),
    genPreRedoMinConsistent: i32at(b, 680),
    genPreRedoMinRequired: i32at(b, 684),
    signRBSHdrFlush: readSignature(b, 688),
    revertCount: u32at(b, 716),
    logtimeRevertFrom: readLogTime(b, 720),
    logtimeRevertTo: readLogTime(b, 728),
    revertPageCount: u32at(b, 736),
    lgposCommitBeforeRevert: readLgpos(b, 740),
  };
}

/** FValidCbPage (fileu.cxx l.30): 0 (legacy 4 KiB), 2, 4, 8, 16 or 32 KiB. Returns the size in bytes or null. */
export function validPageSize(v: number): number | null {
  if (v === 0) return 4096;
  return v === 2048 || v === 4096 || v === 8192 || v === 16384 || v === 32768 ? v : null;
}

export interface HeaderCopyCheck {
  /** 0 = primary (physical page 0), 1 = shadow (physical page 1). */
  copy: 0 | 1;
  /** D3: page size at which this copy verifies, or null. */
  pageSize: number | null;
  /** Stored and computed short checksums at the elected size (or at `probeSize` when none was accepted). */
  checksumStored: number;
  checksumComputed: number;
  /** The size the checksums above were computed over. */
  checksumBytes: number;
}

export type ShadowStatus = 'ok' | 'primary-bad' | 'secondary-bad' | 'corrupt';

export interface ShadowedHeader {
  status: ShadowStatus;
  /** The elected page size (D5), or null when no copy verifies. */
  pageSize: number | null;
  primary: HeaderCopyCheck;
  secondary: HeaderCopyCheck;
  /** Both copies accepted at the same size with identical bytes. */
  identical: boolean;
  /** Decoded elected copy; when corrupt, the primary bytes decoded as they are (for diagnosis only). */
  header: DbFileHeader;
  /** Which copy `header` was decoded from. */
  electedCopy: 0 | 1;
}

function checkCopy(head: Uint8Array, copy: 0 | 1, sectorSize: number): number | null {
  let accepted: number | null = null;
  for (let cb = Math.max(sectorSize, PAGE_SIZE_MIN); cb <= PAGE_SIZE_MAX; cb *= 2) {
    const off = copy * cb;
    if (off + cb > head.length) continue;
    if (shortChecksum(head, off, cb) !== u32at(head, off)) continue;
    const declared = validPageSize(u32at(head, off + OFF_PAGE_SIZE));
    if (declared === cb) accepted = cb;
  }
  return accepted;
}

/**
 * D3-D5 over the first bytes of a database file (`head` = min(64 KiB, file size) bytes from offset 0).
 * A copy that verifies at no size reports its checksum at the elected size, else at the declared size when valid,
 * else at 4096 (eseutil uses its configured page size there).
 */
export function readShadowedHeader(head: Uint8Array, sectorSize = 512): ShadowedHeader {
  const usable = head.subarray(0, Math.min(head.length, HEADER_READ_BYTES));
  const p = checkCopy(usable, 0, sectorSize);
  const s = checkCopy(usable, 1, sectorSize);
  let status: ShadowStatus;
  let identical = false;
  if (p && s) {
    identical = p === s && bytesEqual(usable, 0, p, p);
    status = identical ? 'ok' : 'secondary-bad';
  } else if (p) status = 'secondary-bad';
  else if (s) status = 'primary-bad';
  else status = 'corrupt';
  const elected: 0 | 1 = !p && s ? 1 : 0;
  const pageSize = elected === 1 ? s : p;
  const probe = pageSize ?? validPageSize(u32at(usable, OFF_PAGE_SIZE)) ?? 4096;
  const sums = (copy: 0 | 1, size: number | null): HeaderCopyCheck => {
    const cb = size ?? probe;
    const off = copy * cb;
    const have = off + cb <= usable.length;
    return {
      copy, pageSize: size, checksumBytes: have ? cb : 0,
      checksumStored: have ? u32at(usable, off) : 0,
      checksumComputed: have ? shortChecksum(usable, off, cb) : 0,
    };
  };
  const eoff = elected * (pageSize ?? probe);
  return {
    status, pageSize, identical,
    primary: sums(0, p ?? pageSize), secondary: sums(1, s ?? pageSize),
    header: parseDbHeader(usable.subarray(Math.min(eoff, usable.length))),
    electedCopy: elected,
  };
}

function bytesEqual(b: Uint8Array, a: number, c: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[a + i] !== b[c + i]) return false;
  return true;
}

/** D6: does the head look like a database (magic at 4)? */
export function hasDbMagic(head: Uint8Array): boolean {
  return head.length >= 8 && u32at(head, 4) === ESE_MAGIC;
}

/** The u32 at 667 shared by database, log, checkpoint and flush-map headers (null if the head is too short). */
export function fileTypeAt667(head: Uint8Array): number | null {
  return head.length >= OFF_FILETYPE + 4 ? u32at(head, OFF_FILETYPE) : null;
}

/** Shadowing disabled flag (m_rgbDbFlags[0] & fDbShadowingDisabled, daedef.hxx l.2767). */
export const shadowingDisabled = (h: DbFileHeader): boolean => (h.dbFlags & 0x01) !== 0;

/** dbidTemp (daeconst.hxx): the dbid of an instance's temporary database; user databases get dbid >= 1. */
export const DBID_TEMP = 0;

/**
 * D8: a temporary database. Either the file type says so (5), or the header carries dbid 0 (dbidTemp): ESE writes
 * the FMP's dbid into the header at create and attach (db.cxx), FMP::FIsTempDB() is `Dbid() == dbidTemp`, and the
 * instance's temporary database is the only one created with it (sysinit.cxx ErrINSTCreateTempDatabase_, which
 * also turns recovery and header shadowing off and creates a new file at every instance start; db.cxx still
 * writes file type 1, Database).
 */
export const isTemporaryDatabase = (h: DbFileHeader): boolean => h.filetype === FILETYPE.tempDatabase || h.dbid === DBID_TEMP;

/** D3: the page size the engine would find, or null when neither copy verifies. */
export function detectPageSize(head: Uint8Array, sectorSize = 512): number | null {
  return readShadowedHeader(head, sectorSize).pageSize;
}
