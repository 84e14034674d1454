// ESE checkpoint files (E0n.chk / .jcp) and flush maps (.jfm) (FORMAT.md §K and §F; MS-ESE inc/log.hxx
// l.234-285 CHECKPOINT_FIXED, ese/_log/logdump.cxx ErrLGDumpCheckpoint l.64-150, ese/_osu/fileu.cxx l.1118;
// inc/flushmap.hxx FMFILEHDR l.184, ese/flushmap.cxx).
//
//   K1 A checkpoint file is 8192 bytes: two identical 4096-byte copies, each with the short checksum (C1) over
//      its 4096 bytes. It is read without page-size detection.
//   K2 The primary copy wins when it verifies; otherwise the shadow; neither -> corrupt (JET_errCheckpointCorrupt).
//   K3 filetype @667 = 4; signLog @20 must equal the log signature of the log set and of its databases.
//   K4 le_lgposCheckpoint @12 is where replay starts; a checkpoint is valid for a point-in-time restore when its
//      generation is the generation of the current log <base>.log (KB 296788).
//   F1 A flush map is 8 KiB pages: the header page (short checksum over 8192 bytes, filetype 7 @667) then data
//      pages 0, 1, ... (new-format page checksums with pgno = data page index).
//   F2 The header's signDbHdrFlush @88 / signFlushMapHdrFlush @116 match the database header's fields of the same
//      names when both were flushed together; a mismatch only means the engine will rebuild the map.

import { u8at, u32at, readLgpos, readLogTime, readSignature, readDbmsParam, readAttachList, type Lgpos, type LogTime, type Signature, type DbmsParam, type AttachInfo } from './structs';
import { shortChecksum, verifyPage, isAllZero } from './checksum';

export const CHECKPOINT_COPY_SIZE = 4096;
export const CHECKPOINT_FILE_SIZE = 8192;

export interface CheckpointHeader {
  checksum: number;
  lgposLastFullBackupCheckpoint: Lgpos;
  lgposCheckpoint: Lgpos;
  signLog: Signature;
  dbmsParam: DbmsParam;
  lgposFullBackup: Lgpos;
  logtimeFullBackup: LogTime;
  lgposIncBackup: Lgpos;
  logtimeIncBackup: LogTime;
  version: number;
  lgposDbConsistency: Lgpos;
  filetype: number;
  attachments: AttachInfo[];
  attachProblem: string | null;
}

export function parseCheckpointCopy(b: Uint8Array): CheckpointHeader {
  const al = readAttachList(b, 679);
  return {
    checksum: u32at(b, 0),
    lgposLastFullBackupCheckpoint: readLgpos(b, 4),
    lgposCheckpoint: readLgpos(b, 12),
    signLog: readSignature(b, 20),
    dbmsParam: readDbmsParam(b, 48),
    lgposFullBackup: readLgpos(b, 615),
    logtimeFullBackup: readLogTime(b, 623),
    lgposIncBackup: readLgpos(b, 631),
    logtimeIncBackup: readLogTime(b, 639),
    version: u8at(b, 647),
    lgposDbConsistency: readLgpos(b, 648),
    filetype: u32at(b, 667),
    attachments: al.entries,
    attachProblem: al.problem,
  };
}

export interface CopyCheck {
  present: boolean;
  ok: boolean;
  stored: number;
  computed: number;
}

export interface CheckpointAnalysis {
  status: 'ok' | 'primary-bad' | 'secondary-bad' | 'corrupt';
  primary: CopyCheck;
  secondary: CopyCheck;
  /** Both copies present, valid and byte-identical. */
  identical: boolean;
  /** The winning copy (K2), or the primary decoded as it is when both are bad. */
  header: CheckpointHeader | null;
  electedCopy: 0 | 1;
}

function checkCopy(b: Uint8Array, off: number): CopyCheck {
  if (b.length < off + CHECKPOINT_COPY_SIZE) return { present: false, ok: false, stored: 0, computed: 0 };
  const stored = u32at(b, off);
  const computed = shortChecksum(b, off, CHECKPOINT_COPY_SIZE);
  return { present: true, ok: stored === computed, stored, computed };
}

/** K1, K2 over the first 8192 bytes of a checkpoint file. */
export function analyzeCheckpoint(b: Uint8Array): CheckpointAnalysis {
  const primary = checkCopy(b, 0);
  const secondary = checkCopy(b, CHECKPOINT_COPY_SIZE);
  let identical = false;
  if (primary.ok && secondary.ok) {
    identical = true;
    for (let i = 0; i < CHECKPOINT_COPY_SIZE; i++) if (b[i] !== b[CHECKPOINT_COPY_SIZE + i]) { identical = false; break; }
  }
  const status = primary.ok ? (secondary.ok && identical ? 'ok' : 'secondary-bad') : secondary.ok ? 'primary-bad' : 'corrupt';
  const electedCopy: 0 | 1 = !primary.ok && secondary.ok ? 1 : 0;
  const off = electedCopy * CHECKPOINT_COPY_SIZE;
  const header = b.length >= off + 700 ? parseCheckpointCopy(b.subarray(off, off + CHECKPOINT_COPY_SIZE)) : null;
  return { status, primary, secondary, identical, header, electedCopy };
}

// ---- Flush maps ---------------------------------------------------------------------------------------------

export const FLUSHMAP_PAGE_SIZE = 8192;

export interface FlushMapHeader {
  checksum: number;
  versionMajor: number;
  versionUpdateMajor: number;
  versionUpdateMinor: number;
  flags: number;
  clean: boolean;
  logtimeCreate: LogTime;
  logtimeAttach: LogTime;
  logtimeDetach: LogTime;
  genMinRequired: number;
  genMinRequiredTarget: number;
  logtimeFlushLastStarted: LogTime;
  logtimeFlushLastCompleted: LogTime;
  signDbHdrFlush: Signature;
  signFlushMapHdrFlush: Signature;
  filetype: number;
}

export interface FlushMapAnalysis {
  header: FlushMapHeader | null;
  headerOk: boolean;
  checksumStored: number;
  checksumComputed: number;
  dataPages: { seen: number; good: number; bad: number; uninitialized: number; badPages: number[] };
}

export function parseFlushMapHeader(b: Uint8Array): FlushMapHeader {
  const flags = u32at(b, 36);
  return {
    checksum: u32at(b, 0), versionMajor: u32at(b, 4), versionUpdateMajor: u32at(b, 8), versionUpdateMinor: u32at(b, 12), flags, clean: (flags & 1) !== 0,
    logtimeCreate: readLogTime(b, 40), logtimeAttach: readLogTime(b, 48), logtimeDetach: readLogTime(b, 56),
    genMinRequired: u32at(b, 64) | 0, genMinRequiredTarget: u32at(b, 68) | 0,
    logtimeFlushLastStarted: readLogTime(b, 72), logtimeFlushLastCompleted: readLogTime(b, 80),
    signDbHdrFlush: readSignature(b, 88), signFlushMapHdrFlush: readSignature(b, 116),
    filetype: u32at(b, 667),
  };
}

/** F1 over one 8 KiB header and up to `pages` data pages (the caller bounds the bytes it reads). */
export function analyzeFlushMap(b: Uint8Array): FlushMapAnalysis {
  const r: FlushMapAnalysis = {
    header: null, headerOk: false, checksumStored: 0, checksumComputed: 0,
    dataPages: { seen: 0, good: 0, bad: 0, uninitialized: 0, badPages: [] },
  };
  if (b.length < FLUSHMAP_PAGE_SIZE) return r;
  r.header = parseFlushMapHeader(b);
  r.checksumStored = r.header.checksum;
  r.checksumComputed = shortChecksum(b, 0, FLUSHMAP_PAGE_SIZE);
  r.headerOk = r.checksumStored === r.checksumComputed;
  const n = Math.floor(b.length / FLUSHMAP_PAGE_SIZE) - 1;
  for (let i = 0; i < n; i++) {
    const pg = b.subarray((i + 1) * FLUSHMAP_PAGE_SIZE, (i + 2) * FLUSHMAP_PAGE_SIZE);
    r.dataPages.seen++;
    if (isAllZero(pg)) { r.dataPages.uninitialized++; continue; }
    const v = verifyPage(pg, i, FLUSHMAP_PAGE_SIZE);
    if (v.status === 'good' || v.status === 'correctable') r.dataPages.good++;
    else {
      r.dataPages.bad++;
      if (r.dataPages.badPages.length < 1000) r.dataPages.badPages.push(i);
    }
  }
  return r;
}
