// SQLite write-ahead log (`-wal`). Format and rules: ./FORMAT.md §WAL (sqlite-formats.md §2; wal.c).
//
// WAL rules, numbered as FORMAT.md numbers them:
//   W1 header magic & ~1 == 0x377f0682 (low bit = big-endian checksum words)     else the WAL is ignored
//   W2 format version == 3007000                                                   else SQLite refuses to open (CANTOPEN)
//   W3 page size a power of two in 512..65536                                      else the WAL is ignored
//   W4 header checksum (bytes 0..23, seed 0) == stored at 24/28                    else the WAL is ignored
//   W5 frame salts == header salts                                                 else end of valid data
//   W6 frame page number != 0                                                      else end of valid data
//   W7 frame checksum == running checksum over header and all prior frames         else end of valid data
//   W8 only frames up to the last commit frame (nTruncate != 0) of the valid prefix are part of the database
//   W9 a trailing partial frame is ignored ((size - 32) / frameSize frames)
// Per-frame seeding (FORMAT.md): W7 for frame k == checksum(frame k, seed = stored checksum of frame k-1).

import type { Issue } from '../../types';
import { u32be, hex } from '../../io';

export const WAL_MAGIC_LE = 0x377f0682;
export const WAL_MAGIC_BE = 0x377f0683;
export const WAL_VERSION = 3007000;
export const WAL_HDR_SIZE = 32;
export const WAL_FRAME_HDR_SIZE = 24;

export interface WalHeader {
  magic: number;
  bigEndian: boolean;
  version: number;
  pageSize: number;
  checkpointSeq: number;
  salt1: number;
  salt2: number;
  checksum1: number;
  checksum2: number;
}

export interface WalHeaderCheck {
  header: WalHeader | null;
  /** True when SQLite would use the frames (W1..W4 hold). */
  usable: boolean;
  computed?: [number, number];
  issues: Issue[];
}

export function isValidPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/** Plain-TS WAL checksum (also the reference twin of the kernel for small inputs such as the header). */
export function walChecksumTs(bytes: Uint8Array, bigEndian: boolean, s0 = 0, s1 = 0): [number, number] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  let a = s0 >>> 0;
  let b = s1 >>> 0;
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    a = (a + dv.getUint32(i, le) + b) >>> 0;
    b = (b + dv.getUint32(i + 4, le) + a) >>> 0;
  }
  return [a, b];
}

export function parseWalHeader(file: string, bytes: Uint8Array, fileSize: number): WalHeaderCheck {
  const issues: Issue[] = [];
  if (bytes.length < WAL_HDR_SIZE) {
    if (fileSize > 0) {
      issues.push({
        code: 'sqlite.wal.header-truncated', severity: 'error', file, offset: 0,
        expected: WAL_HDR_SIZE, actual: fileSize,
        message: `WAL header needs ${WAL_HDR_SIZE} bytes, file has ${fileSize}; SQLite treats this WAL as empty`,
      });
    }
    return { header: null, usable: false, issues };
  }
  const h: WalHeader = {
    magic: u32be(bytes, 0),
    bigEndian: (u32be(bytes, 0) & 1) === 1,
    version: u32be(bytes, 4),
    pageSize: u32be(bytes, 8),
    checkpointSeq: u32be(bytes, 12),
    salt1: u32be(bytes, 16),
    salt2: u32be(bytes, 20),
    checksum1: u32be(bytes, 24),
    checksum2: u32be(bytes, 28),
  };
  let usable = true;
  if ((h.magic & 0xfffffffe) >>> 0 !== WAL_MAGIC_LE) {
    // W1
    issues.push({
      code: 'sqlite.wal.bad-magic', severity: 'error', file, offset: 0,
      expected: '0x377f0682 or 0x377f0683', actual: hex(h.magic, 8),
      message: `WAL magic at 0x0 is ${hex(h.magic, 8)}; SQLite ignores the whole WAL`,
    });
    return { header: h, usable: false, issues };
  }
  if (h.version !== WAL_VERSION) {
    // W2
    issues.push({
      code: 'sqlite.wal.bad-version', severity: 'error', file, offset: 4, expected: WAL_VERSION, actual: h.version,
      message: `WAL format version at 0x4 is ${h.version}, expected ${WAL_VERSION}; SQLite refuses to open the database (SQLITE_CANTOPEN)`,
    });
    usable = false;
  }
  if (!isValidPageSize(h.pageSize)) {
    // W3
    issues.push({
      code: 'sqlite.wal.bad-page-size', severity: 'error', file, offset: 8,
      expected: 'power of two in 512..65536', actual: h.pageSize,
      message: `WAL page size at 0x8 is ${h.pageSize}; SQLite ignores the whole WAL`,
    });
    usable = false;
  }
  const computed = walChecksumTs(bytes.subarray(0, 24), h.bigEndian);
  if (computed[0] !== h.checksum1 || computed[1] !== h.checksum2) {
    // W4
    issues.push({
      code: 'sqlite.wal.header-checksum', severity: 'error', file, offset: 24,
      expected: `${hex(computed[0], 8)} ${hex(computed[1], 8)}`, actual: `${hex(h.checksum1, 8)} ${hex(h.checksum2, 8)}`,
      message: `WAL header checksum at 0x18 does not match; SQLite ignores every frame of this WAL`,
    });
    usable = false;
  }
  return { header: h, usable, computed, issues };
}

/** Byte offset of 1-based frame k. */
export function frameOffset(k: number, pageSize: number): number {
  return WAL_HDR_SIZE + (k - 1) * (pageSize + WAL_FRAME_HDR_SIZE);
}

export function frameCount(fileSize: number, pageSize: number): number {
  if (fileSize < WAL_HDR_SIZE || !isValidPageSize(pageSize)) return 0;
  return Math.floor((fileSize - WAL_HDR_SIZE) / (pageSize + WAL_FRAME_HDR_SIZE));
}

/**
 * Frame headers and per-frame check results for frames [first, first+count) (1-based), as produced by the
 * `walFrames` job. hdr holds six words per frame: pgno, nTruncate, salt1, salt2, checksum1, checksum2.
 * ok[i] = 1 when the frame's stored checksum matches its own bytes seeded with the previous frame's stored checksum.
 */
export interface WalFrameBlock {
  first: number;
  count: number;
  hdr: Uint32Array;
  ok: Uint8Array;
  /** Leading frames of the block that pass the valid-prefix test against the header's salts (when asked for). */
  lead?: number;
}

/** Frame tiers (never mixed: sqlite-formats.md §2.6). */
export const enum FrameTier {
  Committed = 0, // in the valid prefix, at or before the last commit frame
  Uncommitted = 1, // in the valid prefix after the last commit (an unfinished transaction)
  Invalid = 2, // the first frame SQLite rejects (bad checksum, pgno 0) when its salts match
  AfterBreak = 3, // same salts as the header but after the first invalid frame: SQLite drops them
  Stale = 4, // salts differ from the header: an older generation
  // Zero salts and zero checksums: frames of the open transaction written after SQLite rewrote an earlier frame of
  // the same transaction in place; SQLite stamps them only at commit (wal.c iReCksum / walRewriteChecksums).
  Unstamped = 5,
}

export interface WalCommit {
  /** 1-based index of this commit among the commit frames of its run. */
  index: number;
  /** The transaction's frames: firstFrame..frame (1-based). */
  firstFrame: number;
  frame: number;
  dbSize: number;
  /** Distinct page numbers written by the transaction, ascending (computed on first use). */
  readonly pages: number[];
  /** How many distinct pages the transaction writes (computed on first use, without building the list). */
  readonly pageCount: number;
  /** Every frame's checksum in the transaction verified (always true in the valid prefix). */
  verified: boolean;
}

export interface StaleGeneration {
  salt1: number;
  salt2: number;
  /** Inferred checkpoint sequence (header seq − (header salt1 − salt1)) when the difference is small; else null. */
  inferredCheckpointSeq: number | null;
  firstFrame: number;
  lastFrame: number;
  frames: number;
  /** Frames verified by per-frame seeding (the first frame of a run cannot be: its predecessor was overwritten). */
  verified: number;
  commits: WalCommit[];
}

export interface WalAnalysis {
  pageSize: number;
  checkpointSeq: number;
  salt1: number;
  salt2: number;
  bigEndianChecksums: boolean;
  version: number;
  headerOk: boolean;
  frames: number;
  validFrames: number;
  commits: number;
  lastCommitFrame: number | null;
  firstInvalidFrame: number | null;
  /** salt-damaged: the frame's salts differ but its checksum chains from the previous frame (damaged salt bytes). */
  firstInvalidReason: 'salt-mismatch' | 'salt-damaged' | 'pgno-zero' | 'checksum-mismatch' | 'header' | null;
  uncommittedFrames: number;
  afterBreakFrames: number;
  staleFrames: number;
  /** Zero-salt, zero-checksum frames of an open transaction (FrameTier.Unstamped). */
  unstampedFrames: number;
  trailingBytes: number;
  /** Database size in pages after the last valid commit (0 when none). */
  dbSize: number;
  commitList: WalCommit[];
  /** Commits found after the break that verify by per-frame seeding: committed data SQLite drops. */
  droppedCommits: WalCommit[];
  staleGenerations: StaleGeneration[];
}

export interface WalFrameTable {
  count: number;
  hdr: Uint32Array;
  ok: Uint8Array;
  tier: Uint8Array;
  /** Leading frames known to pass the valid-prefix test (from the blocks' `lead`), which analyzeWal skips. */
  validLead?: number;
}

/** Merges job blocks into one table (blocks may arrive in any order). */
export function mergeFrameBlocks(count: number, blocks: WalFrameBlock[]): WalFrameTable {
  const hdr = new Uint32Array(count * 6);
  const ok = new Uint8Array(count);
  for (const b of blocks) {
    hdr.set(b.hdr.subarray(0, b.count * 6), (b.first - 1) * 6);
    ok.set(b.ok.subarray(0, b.count), b.first - 1);
  }
  const table: WalFrameTable = { count, hdr, ok, tier: new Uint8Array(count) };
  // The valid prefix's known part: whole blocks from frame 1 on whose every frame passed, then the next one's lead.
  if (blocks.length && blocks.every((b) => b.lead !== undefined)) {
    let lead = 0;
    for (const b of [...blocks].sort((x, y) => x.first - y.first)) {
      if (b.first !== lead + 1) break;
      lead += Math.min(b.lead!, b.count);
      if (b.lead! < b.count) break;
    }
    table.validLead = Math.min(lead, count);
  }
  return table;
}

function collectCommits(table: WalFrameTable, from: number, to: number, startIndex = 1, allVerified = false): { commits: WalCommit[]; tail: number } {
  // from/to: 1-based inclusive frame range; allVerified: every frame in it is known to verify (the valid prefix).
  const commits: WalCommit[] = [];
  let idx = startIndex;
  let txStart = from;
  for (let k = from; k <= to; k++) {
    const nTruncate = table.hdr[(k - 1) * 6 + 1];
    if (nTruncate === 0) continue;
    let allOk = true;
    if (!allVerified) for (let j = txStart; j <= k; j++) if (!table.ok[j - 1]) { allOk = false; break; }
    commits.push(makeCommit(table, idx++, txStart, k, nTruncate, allOk));
    txStart = k + 1;
  }
  return { commits, tail: to - (txStart - 1) };
}

/** A commit whose page list (sorted, distinct) is computed only when asked for: verify never needs it. */
function makeCommit(table: WalFrameTable, index: number, firstFrame: number, frame: number, dbSize: number, verified: boolean): WalCommit {
  let pages: number[] | null = null;
  let count = -1;
  return {
    index, frame, firstFrame, dbSize, verified,
    get pages(): number[] {
      if (!pages) {
        const pg = new Uint32Array(frame - firstFrame + 1);
        for (let j = firstFrame; j <= frame; j++) pg[j - firstFrame] = table.hdr[(j - 1) * 6];
        pg.sort();
        pages = [];
        for (let i = 0; i < pg.length; i++) if (i === 0 || pg[i] !== pg[i - 1]) pages.push(pg[i]);
      }
      return pages;
    },
    get pageCount(): number {
      if (pages) return pages.length;
      if (count < 0) count = distinctPages(table, firstFrame, frame);
      return count;
    },
  };
}

/** Per frame table: a page-number mark array shared by its commits' distinct-page counts (one pass per commit). */
const pageMarks = new WeakMap<WalFrameTable, { mark: Uint32Array; tag: number }>();

/** Distinct page numbers of frames first..last (1-based), without sorting. */
function distinctPages(table: WalFrameTable, first: number, last: number): number {
  let m = pageMarks.get(table);
  if (!m) {
    // Sized by the table, not by the page numbers (a hostile one must not size an array): larger ones go to a Set.
    m = { mark: new Uint32Array(Math.min(1 << 22, table.count * 4 + 64)), tag: 0 };
    pageMarks.set(table, m);
  }
  const hdr = table.hdr;
  const mark = m.mark;
  const tag = ++m.tag;
  let big: Set<number> | null = null;
  let n = 0;
  for (let j = first; j <= last; j++) {
    const p = hdr[(j - 1) * 6];
    if (p >= mark.length) (big ??= new Set()).add(p);
    else if (mark[p] !== tag) {
      mark[p] = tag;
      n++;
    }
  }
  return n + (big ? big.size : 0);
}

/**
 * Applies W5..W9 to the frame table of one WAL file and fills table.tier. Pure: reads only the table.
 */
export function analyzeWal(
  file: string,
  header: WalHeader | null,
  headerUsable: boolean,
  fileSize: number,
  table: WalFrameTable,
): { analysis: WalAnalysis; issues: Issue[] } {
  const issues: Issue[] = [];
  const pageSize = header?.pageSize ?? 0;
  const frames = table.count;
  const fsz = pageSize + WAL_FRAME_HDR_SIZE;
  const trailingBytes = header && isValidPageSize(pageSize) && fileSize >= WAL_HDR_SIZE ? (fileSize - WAL_HDR_SIZE) % fsz : 0;
  const s1 = header?.salt1 ?? 0;
  const s2 = header?.salt2 ?? 0;

  // Valid prefix (W5..W7), using per-frame seeding: every frame in the prefix verified against its predecessor.
  let valid = 0;
  let reason: WalAnalysis['firstInvalidReason'] = null;
  if (headerUsable) {
    const hdr = table.hdr;
    const ok = table.ok;
    // Frames the jobs already found valid against these salts are not tested again.
    const known = table.validLead ?? 0;
    valid = known;
    for (let i = known; i < frames; i++) {
      const o = i * 6;
      if (hdr[o + 2] === s1 && hdr[o + 3] === s2 && hdr[o] !== 0 && ok[i]) { valid++; continue; }
      if (table.hdr[o + 2] !== s1 || table.hdr[o + 3] !== s2) {
        // A stale frame cannot chain from this generation's frames; one that does has damaged salt bytes.
        reason = table.ok[i] && (i === 0 || (table.hdr[o - 4] === s1 && table.hdr[o - 3] === s2)) ? 'salt-damaged' : 'salt-mismatch';
        break;
      }
      if (table.hdr[o] === 0) { reason = 'pgno-zero'; break; }
      reason = 'checksum-mismatch';
      break;
    }
  } else if (frames > 0) {
    reason = 'header';
  }
  const { commits: commitList } = collectCommits(table, 1, valid, 1, true);
  const lastCommitFrame = commitList.length ? commitList[commitList.length - 1].frame : null;
  const dbSize = commitList.length ? commitList[commitList.length - 1].dbSize : 0;

  // Tiers. The valid prefix is filled in bulk; only frames after it need a look at their headers.
  let afterBreak = 0;
  let stale = 0;
  let unstamped = 0;
  const committedEnd = lastCommitFrame ?? 0;
  table.tier.fill(FrameTier.Committed, 0, committedEnd);
  table.tier.fill(FrameTier.Uncommitted, committedEnd, valid);
  const hdr = table.hdr;
  for (let i = valid; i < frames; i++) {
    const o = i * 6;
    let t: FrameTier;
    if (i === valid && reason === 'salt-damaged') t = FrameTier.Invalid;
    else if (hdr[o + 2] === 0 && hdr[o + 3] === 0 && hdr[o + 4] === 0 && hdr[o + 5] === 0) t = FrameTier.Unstamped;
    else if (hdr[o + 2] !== s1 || hdr[o + 3] !== s2) t = FrameTier.Stale;
    else if (i === valid) t = FrameTier.Invalid;
    else t = FrameTier.AfterBreak;
    table.tier[i] = t;
    if (t === FrameTier.Stale) stale++;
    else if (t === FrameTier.AfterBreak) afterBreak++;
    else if (t === FrameTier.Unstamped) unstamped++;
  }

  // Stale generations: runs grouped by salts.
  const gens = new Map<string, StaleGeneration>();
  for (let i = valid; i < frames; i++) {
    if (table.tier[i] !== FrameTier.Stale) continue;
    const o = i * 6;
    const key = `${table.hdr[o + 2]}:${table.hdr[o + 3]}`;
    let g = gens.get(key);
    if (!g) {
      const d = (s1 - table.hdr[o + 2]) >>> 0;
      g = {
        salt1: table.hdr[o + 2], salt2: table.hdr[o + 3],
        inferredCheckpointSeq: header && d > 0 && d < 1 << 16 && header.checkpointSeq >= d ? header.checkpointSeq - d : null,
        firstFrame: i + 1, lastFrame: i + 1, frames: 0, verified: 0, commits: [],
      };
      gens.set(key, g);
    }
    g.lastFrame = i + 1;
    g.frames++;
    const prevSame = i > 0 && table.hdr[o - 4] === table.hdr[o + 2] && table.hdr[o - 3] === table.hdr[o + 3];
    if (prevSame && table.ok[i]) g.verified++;
  }
  for (const g of gens.values()) {
    // Commits of a stale run, numbered within the run (their absolute index in the generation is unknown).
    g.commits = collectCommits(table, g.firstFrame, g.lastFrame).commits.filter((c) => {
      // Keep only commits whose frames all belong to this generation.
      for (const p of [c.frame]) {
        const o = (p - 1) * 6;
        if (table.hdr[o + 2] !== g.salt1 || table.hdr[o + 3] !== g.salt2) return false;
      }
      return true;
    });
  }

  // Commits after the break that verify (committed data SQLite silently drops; sqlite-formats.md §2.4).
  let droppedCommits: WalCommit[] = [];
  if (afterBreak > 0) {
    const firstAfter = valid + 2;
    let last = firstAfter - 1;
    for (let k = firstAfter; k <= frames && table.tier[k - 1] === FrameTier.AfterBreak; k++) last = k;
    if (last >= firstAfter) {
      droppedCommits = collectCommits(table, firstAfter, last, commitList.length + 1).commits;
    }
  }

  const firstInvalidFrame = valid < frames ? valid + 1 : null;
  const analysis: WalAnalysis = {
    pageSize,
    checkpointSeq: header?.checkpointSeq ?? 0,
    salt1: s1,
    salt2: s2,
    bigEndianChecksums: header?.bigEndian ?? false,
    version: header?.version ?? 0,
    headerOk: headerUsable,
    frames,
    validFrames: valid,
    commits: commitList.length,
    lastCommitFrame,
    firstInvalidFrame,
    firstInvalidReason: firstInvalidFrame === null ? null : reason,
    uncommittedFrames: valid - (lastCommitFrame ?? 0),
    afterBreakFrames: afterBreak,
    staleFrames: stale,
    unstampedFrames: unstamped,
    trailingBytes,
    dbSize,
    commitList,
    droppedCommits,
    staleGenerations: [...gens.values()],
  };

  // Issues.
  if (trailingBytes > 0) {
    const off = WAL_HDR_SIZE + frames * fsz;
    issues.push({
      code: 'sqlite.wal.partial-frame', severity: 'warning', file, offset: off, frame: frames + 1,
      expected: fsz, actual: trailingBytes,
      message: `WAL ends with a partial frame at ${hex(off)}: ${trailingBytes} of ${fsz} bytes (torn write); SQLite ignores it`,
    });
  }
  if (headerUsable && firstInvalidFrame !== null && reason !== 'salt-mismatch') {
    const off = frameOffset(firstInvalidFrame, pageSize);
    const o = (firstInvalidFrame - 1) * 6;
    const lost = droppedCommits.length;
    const severity = lost > 0 ? 'error' : 'warning';
    if (reason === 'salt-damaged') {
      issues.push({
        code: 'sqlite.wal.salt-mismatch', severity, file, offset: off + 8, frame: firstInvalidFrame, page: table.hdr[o],
        expected: `${hex(s1, 8)} ${hex(s2, 8)}`, actual: `${hex(table.hdr[o + 2], 8)} ${hex(table.hdr[o + 3], 8)}`,
        message: `WAL frame ${firstInvalidFrame} at ${hex(off)} carries other salts than the header, yet its checksum chains from frame ${firstInvalidFrame - 1}: its salt bytes are damaged; SQLite ends the WAL here`,
      });
    } else if (reason === 'pgno-zero') {
      issues.push({
        code: 'sqlite.wal.pgno-zero', severity, file, offset: off, frame: firstInvalidFrame, expected: '>0', actual: 0,
        message: `WAL frame ${firstInvalidFrame} at ${hex(off)} has page number 0; SQLite stops reading the WAL here`,
      });
    } else {
      const torn = afterBreak === 0;
      issues.push({
        code: torn ? 'sqlite.wal.torn-frame' : 'sqlite.wal.checksum-mismatch', severity, file, offset: off + 16,
        frame: firstInvalidFrame, page: table.hdr[o],
        actual: `${hex(table.hdr[o + 4], 8)} ${hex(table.hdr[o + 5], 8)}`,
        message: torn
          ? `WAL frame ${firstInvalidFrame} (page ${table.hdr[o]}) at ${hex(off)} fails its checksum and nothing valid follows: a torn last write; SQLite ends the WAL here`
          : `WAL frame ${firstInvalidFrame} (page ${table.hdr[o]}) at ${hex(off)} fails its checksum; SQLite ends the WAL here and drops ${afterBreak} later frame(s)`,
      });
    }
  }
  if (afterBreak > 0) {
    const first = (firstInvalidFrame ?? 0) + 1;
    const off = frameOffset(first, pageSize);
    issues.push({
      code: 'sqlite.wal.frames-after-break', severity: droppedCommits.length > 0 ? 'error' : 'warning', file, offset: off,
      frame: first, actual: afterBreak,
      message: droppedCommits.length > 0
        ? `${afterBreak} frame(s) after the break hold ${droppedCommits.length} commit(s) that verify by per-frame seeding; SQLite drops them (committed data lost): commits ${droppedCommits.map((c) => `frame ${c.frame}`).join(', ')}`
        : `${afterBreak} frame(s) with this WAL's salts follow the break; SQLite drops them (no commit among them)`,
    });
  }
  if (valid > 0 && analysis.uncommittedFrames > 0) {
    const first = (lastCommitFrame ?? 0) + 1;
    issues.push({
      code: 'sqlite.wal.uncommitted-frames', severity: 'info', file, offset: frameOffset(first, pageSize), frame: first,
      actual: analysis.uncommittedFrames,
      message: `${analysis.uncommittedFrames} valid frame(s) after the last commit belong to a transaction that never committed; they are not part of the database`,
    });
  }
  if (unstamped > 0) {
    const first = table.tier.indexOf(FrameTier.Unstamped) + 1;
    issues.push({
      code: 'sqlite.wal.unstamped-frames', severity: 'info', file, offset: frameOffset(first, pageSize), frame: first, actual: unstamped,
      message: `${unstamped} frame(s) with zero salts and checksums belong to a transaction that was still open (SQLite stamps them only at commit); they are not part of the database`,
    });
  }
  if (stale > 0) {
    const gl = analysis.staleGenerations
      .map((g) => `salt-1 ${hex(g.salt1, 8)}${g.inferredCheckpointSeq !== null ? ` (checkpoint seq ${g.inferredCheckpointSeq})` : ''}: ${g.frames} frame(s), ${g.verified} verified, ${g.commits.length} commit(s)`)
      .join('; ');
    const first = analysis.staleGenerations[0]?.firstFrame ?? valid + 1;
    issues.push({
      code: 'sqlite.wal.stale-frames', severity: 'info', file, offset: frameOffset(first, pageSize), frame: first, actual: stale,
      message: `${stale} stale frame(s) of ${analysis.staleGenerations.length} older generation(s) follow the current generation (evidence, not applied): ${gl}`,
    });
  }
  if (headerUsable && frames === 0) {
    issues.push({ code: 'sqlite.wal.empty', severity: 'info', file, offset: WAL_HDR_SIZE, message: 'WAL has a header and no frames' });
  }
  return { analysis, issues };
}
