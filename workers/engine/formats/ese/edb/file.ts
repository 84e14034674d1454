// Page access for an ESE database file: the page size, page numbering and a bounded read cache, with every page
// checked once (FORMAT.md §1–2, ese-formats.md §2–3, §6.1).
//
// File rules, numbered as FORMAT.md numbers them:
//   F1 the database header (page 0) or its shadow (page 1) has the magic 0x89ABCDEF at offset 4 and a valid
//      le_cbPageSize at offset 236 (0 means 4096; valid: 2K, 4K, 8K, 16K, 32K)       else F2
//   F2 with no usable header, the page size is the one whose page 4 (the catalog root, pgnoFDP 4) is a root page of
//      objid 2 (MSysObjects); the export goes on, with an issue                       else nothing is usable
//   F3 logical page n is at file offset (n + 1) * cbPage; pages past the end of the file are missing
// The page checksum (P2) is not computed here: the caller supplies a PageCheck, so the header and checksum code
// of the ESE inspection work is the single source of truth for it.

import type { ByteSource } from '../../../io';
import { readFully, u32le, hex } from '../../../io';
import type { Issue } from '../../../types';
import { PGHDR_SIZE } from './page';

export const ESE_MAGIC = 0x89abcdef;
export const VALID_PAGE_SIZES = [2048, 4096, 8192, 16384, 32768] as const;

/** Where issues go (an Issue[] will do). */
export interface IssueSink {
  push(issue: Issue): unknown;
}

/** Outcome of checking one page's checksum. */
export type PageStatus = 'ok' | 'bad' | 'uninitialized' | 'unchecked';

export interface PageCheckResult {
  status: PageStatus;
  expected?: string;
  actual?: string;
}

/**
 * Verifies one page's checksum. `page` is exactly cbPage bytes; `pgno` is the logical page number (file offset /
 * cbPage − 1). Supplied by the caller so the ESE checksum implementation lives in one place.
 */
export type PageCheck = (page: Uint8Array, pgno: number) => PageCheckResult;

/** A PageCheck that checks nothing: every page is 'unchecked' (all-zero pages are 'uninitialized'). */
export const noPageCheck: PageCheck = (page) => ({ status: isAllZero(page) ? 'uninitialized' : 'unchecked' });

export function isAllZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

export interface DbHeaderFacts {
  cbPage: number;
  /** 'header', 'shadow' or 'inferred' (F1/F2). */
  from: 'header' | 'shadow' | 'inferred';
  /** le_dbstate (1 Just Created, 2 Dirty Shutdown, 3 Clean Shutdown, …) or null when the header was not usable. */
  dbState: number | null;
  formatVersion: number | null;
  formatRevision: number | null;
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

function headerAt(b: Uint8Array): { cbPage: number; state: number; version: number; revision: number } | null {
  if (b.length < 240 || u32le(b, 4) !== ESE_MAGIC) return null;
  const raw = u32le(b, 236);
  const cbPage = raw === 0 ? 4096 : raw;
  if (!(VALID_PAGE_SIZES as readonly number[]).includes(cbPage)) return null;
  return { cbPage, state: u32le(b, 52), version: u32le(b, 8), revision: u32le(b, 232) };
}

/** F1/F2: finds the page size. Returns null when nothing identifies the file as an ESE database. */
export async function readDbHeaderFacts(src: ByteSource, issues: IssueSink): Promise<DbHeaderFacts | null> {
  const first = new Uint8Array(Math.min(src.size, 4096));
  await readFully(src, 0, first);
  const h = headerAt(first);
  if (h) return { cbPage: h.cbPage, from: 'header', dbState: h.state, formatVersion: h.version, formatRevision: h.revision };
  // F1: the shadow header is page 1, at offset cbPage.
  for (const cb of VALID_PAGE_SIZES) {
    if (cb + 4096 > src.size) break;
    const b = new Uint8Array(4096);
    await readFully(src, cb, b);
    const s = headerAt(b);
    if (s && s.cbPage === cb) {
      issues.push({
        code: 'ese.export.header-from-shadow', severity: 'warning', file: src.name, offset: 0,
        message: `the database header at offset 0x0 is not usable; using its shadow copy at ${hex(cb)} (page size ${cb})`,
      });
      return { cbPage: cb, from: 'shadow', dbState: s.state, formatVersion: s.version, formatRevision: s.revision };
    }
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
      return { cbPage: cb, from: 'inferred', dbState: null, formatVersion: null, formatRevision: null };
    }
  }
  return null;
}

export interface PageRead {
  pgno: number;
  /** File offset of the page (F3). */
  offset: number;
  /** The page bytes, or null when the page is missing or failed its checksum. */
  bytes: Uint8Array | null;
  status: PageStatus | 'missing';
}

const STATUS_CODE: Record<PageRead['status'], number> = { ok: 1, bad: 2, uninitialized: 3, unchecked: 4, missing: 5 };
const CODE_STATUS: PageRead['status'][] = ['ok', 'ok', 'bad', 'uninitialized', 'unchecked', 'missing'];

export interface PageStats {
  read: number;
  ok: number;
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
  readonly stats: PageStats = { read: 0, ok: 0, bad: 0, uninitialized: 0, unchecked: 0, missing: 0 };
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
      return { pgno, offset, bytes: st === 'bad' || st === 'uninitialized' ? null : bytes, status: st };
    }
    const r = this.check(bytes, pgno);
    this.note(pgno, r.status);
    if (r.status === 'bad') {
      this.issues.push({
        code: 'ese.page.bad-checksum', severity: 'error', file: this.src.name, offset, page: pgno,
        expected: r.expected, actual: r.actual,
        message: `page ${pgno} at ${hex(offset)}: checksum mismatch${r.expected ? ` (stored ${r.actual}, computed ${r.expected})` : ''}; the page is skipped`,
      });
      return { pgno, offset, bytes: null, status: 'bad' };
    }
    if (r.status === 'uninitialized') return { pgno, offset, bytes: null, status: 'uninitialized' };
    return { pgno, offset, bytes, status: r.status };
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
