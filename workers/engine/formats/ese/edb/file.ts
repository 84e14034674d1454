// Page access for an ESE database file: the page size, page numbering and a bounded read cache, with every page
// checked once (FORMAT.md §1–2, ese-formats.md §2–3, §6.1).
//
// File rules, numbered as FORMAT.md numbers them:
//   F1 the page size, state and format come from the database header as the ESE inspection code reads it
//      (../header.ts readShadowedHeader: short checksum over the whole header page, primary or shadow copy, rules
//      D1–D5 of ../FORMAT.md); a bad primary or shadow copy is reported
//   F2 with neither copy verifying: the declared page size (u32 @236, 0 = 4096) of a copy with the magic, else the
//      page size whose page 4 (the catalog root, pgnoFDP 4) is a root page of objid 2 (MSysObjects); the export goes
//      on, with an error issue                                                       else nothing is usable
//   F3 logical page n is at file offset (n + 1) * cbPage; pages past the end of the file are missing
//   F4 every page read is checked once with the PageCheck (P2); by default ../checksum.ts verifyPage (ECC+XOR or
//      the old XOR format, rules C1–C7 of ../FORMAT.md); a single-bit error it can correct is corrected (as ESE
//      does on read), used, and reported; temporary databases (filetype 5) keep no checksums and are not checked

import type { ByteSource } from '../../../io';
import { readFully, u32le, hex } from '../../../io';
import type { Issue } from '../../../types';
import { PGHDR_SIZE } from './page';
import { readShadowedHeader, validPageSize, isTemporaryDatabase, HEADER_READ_BYTES, OFF_PAGE_SIZE, FILETYPE } from '../header';
import { verifyPage, isAllZero, ESE_MAGIC } from '../checksum';

export const VALID_PAGE_SIZES = [2048, 4096, 8192, 16384, 32768] as const;

/** Where issues go (an Issue[] will do). */
export interface IssueSink {
  push(issue: Issue): unknown;
}

/** Outcome of checking one page's checksum. */
export type PageStatus = 'ok' | 'corrected' | 'bad' | 'uninitialized' | 'unchecked';

export interface PageCheckResult {
  status: PageStatus;
  expected?: string;
  actual?: string;
  /** Status 'corrected': the page with its single-bit error fixed, and the page-relative bit that was flipped. */
  corrected?: Uint8Array;
  bit?: number;
  /** Status 'bad' because the checksum belongs to another page number. */
  claimedPgno?: number;
}

/**
 * Verifies one page's checksum. `page` is exactly cbPage bytes; `pgno` is the logical page number (file offset /
 * cbPage − 1). Supplied by the caller so the ESE checksum implementation lives in one place.
 */
export type PageCheck = (page: Uint8Array, pgno: number) => PageCheckResult;

/** A PageCheck that checks nothing: every page is 'unchecked' (all-zero pages are 'uninitialized'). */
export const noPageCheck: PageCheck = (page) => ({ status: isAllZero(page) ? 'uninitialized' : 'unchecked' });

export interface DbHeaderFacts {
  cbPage: number;
  /** F1/F2: the verified header, its verified shadow, a declared size without a valid checksum, or inferred. */
  from: 'header' | 'shadow' | 'declared' | 'inferred';
  /** le_dbstate (1 Just Created, 2 Dirty Shutdown, 3 Clean Shutdown, …) or null when the header was not usable. */
  dbState: number | null;
  formatVersion: number | null;
  formatRevision: number | null;
  /** le_filetype @667 (1 database, 5 temporary database), or null. */
  filetype: number | null;
  /** ../FORMAT.md D8 from a verified header: file type 5, or dbid 0 (an instance's temporary database). */
  temporary?: boolean;
}

export const DB_STATE_NAMES: Record<number, string> = {
  1: 'Just Created',
  2: 'Dirty Shutdown',
  3: 'Clean Shutdown',
  4: 'Being Converted',
  5: 'Force Detach Replay Error',
  6: 'Incremental Reseed In Progress',
  7: 'Dirty and Patched Shutdown',
  8: 'Database Revert in Progress',
};

/** F1/F2: finds the page size. Returns null when nothing identifies the file as an ESE database. */
export async function readDbHeaderFacts(src: ByteSource, issues: IssueSink): Promise<DbHeaderFacts | null> {
  const head = new Uint8Array(Math.min(src.size, HEADER_READ_BYTES));
  await readFully(src, 0, head);
  const sh = readShadowedHeader(head);
  const h = sh.header;
  if (sh.pageSize !== null && h.magic === ESE_MAGIC) {
    if (sh.status === 'primary-bad') {
      issues.push({
        code: 'ese.export.header-from-shadow', severity: 'warning', file: src.name, offset: 0,
        expected: hex(sh.primary.checksumComputed, 8), actual: hex(sh.primary.checksumStored, 8),
        message: `the database header at offset 0x0 fails its checksum; using its shadow copy at ${hex(sh.pageSize)} (page size ${sh.pageSize})`,
      });
    } else if (sh.status === 'secondary-bad') {
      issues.push({
        code: 'ese.export.shadow-header-bad', severity: 'warning', file: src.name, offset: sh.pageSize,
        message: `the shadow copy of the database header at ${hex(sh.pageSize)} is damaged or differs from the header; the header is used`,
      });
    }
    return {
      cbPage: sh.pageSize, from: sh.electedCopy === 0 ? 'header' : 'shadow', dbState: h.dbstate,
      formatVersion: h.version, formatRevision: h.daeUpdateMajor, filetype: h.filetype, temporary: isTemporaryDatabase(h),
    };
  }
  // F2: a copy with the magic and a valid declared size, whose checksum fails (primary first, then the shadow).
  const candidates: Array<[number, number]> = [];
  const d0 = head.length >= 240 ? validPageSize(u32le(head, OFF_PAGE_SIZE)) : null;
  if (d0 !== null) candidates.push([0, d0]);
  for (const cb of VALID_PAGE_SIZES) if (validPageSize(cb + 240 <= head.length ? u32le(head, cb + OFF_PAGE_SIZE) : -1) === cb) candidates.push([cb, cb]);
  for (const [off, cb] of candidates) {
    if (u32le(head, off + 4) !== ESE_MAGIC) continue;
    issues.push({
      code: 'ese.export.header-unverified', severity: 'error', file: src.name, offset: off,
      message: `neither copy of the database header passes its checksum; using the page size ${cb} declared at ${hex(off + OFF_PAGE_SIZE)}`,
    });
    return { cbPage: cb, from: 'declared', dbState: u32le(head, off + 52), formatVersion: u32le(head, off + 8), formatRevision: u32le(head, off + 232), filetype: head.length >= off + 671 ? u32le(head, off + 667) : null };
  }
  // F2: infer from the catalog root page.
  for (const cb of VALID_PAGE_SIZES) {
    const off = (4 + 1) * cb;
    if (off + cb > src.size) break;
    const b = new Uint8Array(PGHDR_SIZE);
    await readFully(src, off, b);
    if (u32le(b, 24) === 2 && (u32le(b, 36) & 0x1) !== 0) {
      issues.push({
        code: 'ese.export.header-unusable', severity: 'error', file: src.name, offset: 0,
        message: `neither the database header nor its shadow is usable; page size ${cb} inferred from the catalog root page at ${hex(off)}`,
      });
      return { cbPage: cb, from: 'inferred', dbState: null, formatVersion: null, formatRevision: null, filetype: null };
    }
  }
  return null;
}

/**
 * F4: the page checksum as the ESE inspection code computes it (../checksum.ts verifyPage), for pages 1..pageCount.
 * A correctable single-bit error comes back corrected.
 */
export function edbPageCheck(pageCount: number): PageCheck {
  return (page, pgno) => {
    const v = verifyPage(page, pgno, page.length, pageCount);
    switch (v.status) {
      case 'good':
        return { status: 'ok' };
      case 'uninitialized':
        return { status: 'uninitialized' };
      case 'correctable': {
        const fixed = page.slice();
        fixed[v.bit! >> 3] ^= 1 << (v.bit! & 7);
        if (verifyPage(fixed, pgno, page.length, pageCount).status !== 'good') return { status: 'bad', expected: v.computed.join(','), actual: v.stored.join(',') };
        return { status: 'corrected', corrected: fixed, bit: v.bit };
      }
      case 'wrong-pgno':
        return { status: 'bad', expected: v.computed.join(','), actual: v.stored.join(','), claimedPgno: v.claimedPgno };
      default:
        return { status: 'bad', expected: v.computed.join(','), actual: v.stored.join(',') };
    }
  };
}

export const TEMP_DATABASE_FILETYPE = FILETYPE.tempDatabase;

export interface PageRead {
  pgno: number;
  /** File offset of the page (F3). */
  offset: number;
  /** The page bytes, or null when the page is missing or failed its checksum. */
  bytes: Uint8Array | null;
  status: PageStatus | 'missing';
}

const STATUS_CODE: Record<PageRead['status'], number> = { ok: 1, bad: 2, uninitialized: 3, unchecked: 4, missing: 5, corrected: 6 };
const CODE_STATUS: PageRead['status'][] = ['ok', 'ok', 'bad', 'uninitialized', 'unchecked', 'missing', 'corrected'];

export interface PageStats {
  read: number;
  ok: number;
  corrected: number;
  bad: number;
  uninitialized: number;
  unchecked: number;
  missing: number;
}

/**
 * Reads pages through a small block cache (blocks of `blockBytes`, at most `cacheBlocks` of them), checks each page
 * once with the PageCheck and remembers its status in one byte per page. Memory: cacheBlocks × blockBytes plus
 * pageCount bytes.
 */
export class EdbPages {
  readonly pageCount: number;
  readonly stats: PageStats = { read: 0, ok: 0, corrected: 0, bad: 0, uninitialized: 0, unchecked: 0, missing: 0 };
  /** Pages whose single-bit error the PageCheck corrected (F4); few, so kept. */
  private readonly corrected = new Map<number, Uint8Array>();
  private readonly status: Uint8Array;
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly blockBytes: number;

  constructor(
    readonly src: ByteSource,
    readonly cbPage: number,
    private readonly check: PageCheck,
    private readonly issues: IssueSink,
    private readonly cacheBlocks = 64,
    blockBytes = 1 << 18,
  ) {
    // F3: physical pages 0 and 1 are the header and its shadow.
    this.pageCount = Math.max(0, Math.floor(src.size / cbPage) - 2);
    this.status = new Uint8Array(this.pageCount + 1);
    this.blockBytes = Math.max(cbPage, Math.floor(blockBytes / cbPage) * cbPage);
  }

  offsetOf(pgno: number): number {
    return (pgno + 1) * this.cbPage;
  }

  private async block(index: number): Promise<Uint8Array> {
    let b = this.blocks.get(index);
    if (b) {
      // Refresh LRU position.
      this.blocks.delete(index);
      this.blocks.set(index, b);
      return b;
    }
    const start = index * this.blockBytes;
    const len = Math.max(0, Math.min(this.blockBytes, this.src.size - start));
    b = new Uint8Array(len);
    const got = await readFully(this.src, start, b);
    if (got < len) b = b.subarray(0, got);
    if (this.blocks.size >= this.cacheBlocks) this.blocks.delete(this.blocks.keys().next().value as number);
    this.blocks.set(index, b);
    return b;
  }

  /** Reads logical page `pgno`, checking it (P1, P2) the first time it is read. */
  async page(pgno: number): Promise<PageRead> {
    const offset = this.offsetOf(pgno);
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.pageCount) {
      return { pgno, offset, bytes: null, status: 'missing' };
    }
    const bi = Math.floor(offset / this.blockBytes);
    const blk = await this.block(bi);
    const inBlock = offset - bi * this.blockBytes;
    // P1
    if (inBlock + this.cbPage > blk.length) {
      this.note(pgno, 'missing');
      return { pgno, offset, bytes: null, status: 'missing' };
    }
    const bytes = blk.subarray(inBlock, inBlock + this.cbPage);
    const known = this.status[pgno];
    if (known) {
      const st = CODE_STATUS[known];
      if (st === 'corrected') return { pgno, offset, bytes: this.corrected.get(pgno)!, status: st };
      return { pgno, offset, bytes: st === 'bad' || st === 'uninitialized' ? null : bytes, status: st };
    }
    const r = this.check(bytes, pgno);
    if (r.status === 'corrected' && r.corrected) {
      this.note(pgno, 'corrected');
      this.corrected.set(pgno, r.corrected);
      this.issues.push({
        code: 'ese.page.corrected', severity: 'warning', file: this.src.name, offset: offset + (r.bit! >> 3), page: pgno,
        message: `page ${pgno} at ${hex(offset)}: a single-bit error (bit ${r.bit} of the page) was corrected from its ECC checksum, as ESE does on read; the corrected page is used`,
      });
      return { pgno, offset, bytes: r.corrected, status: 'corrected' };
    }
    const status = r.status === 'corrected' ? 'bad' : r.status;
    this.note(pgno, status);
    if (status === 'bad') {
      this.issues.push({
        code: 'ese.page.bad-checksum', severity: 'error', file: this.src.name, offset, page: pgno,
        expected: r.expected, actual: r.actual,
        message: `page ${pgno} at ${hex(offset)}: checksum mismatch${r.expected ? ` (stored ${r.actual}, computed ${r.expected})` : ''}${r.claimedPgno !== undefined ? `; the checksum belongs to page ${r.claimedPgno}` : ''}; the page is skipped`,
      });
      return { pgno, offset, bytes: null, status: 'bad' };
    }
    if (status === 'uninitialized') return { pgno, offset, bytes: null, status: 'uninitialized' };
    return { pgno, offset, bytes, status };
  }

  private note(pgno: number, st: PageRead['status']): void {
    if (this.status[pgno]) return;
    this.status[pgno] = STATUS_CODE[st];
    this.stats.read++;
    this.stats[st]++;
  }

  private leaves: Promise<Map<number, number[]>> | null = null;

  /**
   * T6: every leaf page of the file by objid (pages that pass P1/P2 with the leaf flag), from one pass over the file.
   * Computed on first use; memory is one number per leaf page.
   */
  leafIndex(signal?: AbortSignal): Promise<Map<number, number[]>> {
    this.leaves ??= (async () => {
      const out = new Map<number, number[]>();
      for (let pgno = 1; pgno <= this.pageCount; pgno++) {
        if ((pgno & 1023) === 0 && signal?.aborted) break;
        const r = await this.page(pgno);
        if (!r.bytes) continue;
        const flags = u32le(r.bytes, 36);
        if (!(flags & 0x2) || flags & 0x20) continue;
        const objid = u32le(r.bytes, 24);
        let l = out.get(objid);
        if (!l) out.set(objid, (l = []));
        l.push(pgno);
      }
      return out;
    })();
    return this.leaves;
  }

  /** Status of a page already read, or null. */
  statusOf(pgno: number): PageRead['status'] | null {
    const c = this.status[pgno];
    return c ? CODE_STATUS[c] : null;
  }
}
