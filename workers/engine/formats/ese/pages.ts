// The `esePages` job: page verdicts for a range of physical pages of an ESE database, as esefile /s (eseutil /k)
// computes them (FORMAT.md §C, rule C8 for header, shadow and trailer pages; MS-ESE _esefile/checksum.cxx
// ProcessESEPages). Pages are streamed into kernel memory in chunks and checked by the esePageCheck kernel; only
// the two header pages and a trailer page are checked here, with the short checksum.
//
// Physical page k (0-based) has page number k - 1: k = 0 and 1 are the header and its shadow (shown by esefile
// as pages -1 and 0), k >= 2 are database pages 1, 2, ...

import type { ByteSource, SourceRef } from '../../io';
import { readFully } from '../../io';
import type { Kernels } from '../../kernels/kernels';
import { PalimpsestError, throwIfAborted } from '../../errors';
import { registerJob, type JobContext } from '../../jobs';
import { PAGE_STATUS, shortChecksum, looksLikeTrailer, isAllZero, confirmWrongPgno } from './checksum';

export interface EsePagesArgs {
  ref: SourceRef;
  pageSize: number;
  /** First physical page (0-based) and number of pages. */
  first: number;
  count: number;
  /** Number of whole pages in the file (to recognise the trailer page). */
  totalPages: number;
}

/**
 * What a page is, from PGHDR.fFlags @36 (cpage.hxx: 0x1 root, 0x2 leaf, 0x8 empty, 0x20 space tree, 0x40 index,
 * 0x80 long value), for pictures. Read only from pages whose checksum verifies (or is correctable, or belongs to
 * another page number); a failing page's flags mean nothing.
 */
export const ESE_PAGE_KIND = {
  unknown: 0, header: 1, trailer: 2, zero: 3, empty: 4, spaceTree: 5, lvLeaf: 6, lvBranch: 7, indexLeaf: 8, indexBranch: 9,
  dataLeaf: 10, dataBranch: 11,
} as const;

export function esePageKind(flags: number): number {
  if (flags & 0x8) return ESE_PAGE_KIND.empty;
  if (flags & 0x20) return ESE_PAGE_KIND.spaceTree;
  const leaf = (flags & 0x2) !== 0;
  if (flags & 0x80) return leaf ? ESE_PAGE_KIND.lvLeaf : ESE_PAGE_KIND.lvBranch;
  if (flags & 0x40) return leaf ? ESE_PAGE_KIND.indexLeaf : ESE_PAGE_KIND.indexBranch;
  return leaf ? ESE_PAGE_KIND.dataLeaf : ESE_PAGE_KIND.dataBranch;
}

export interface EsePageBlock {
  first: number;
  count: number;
  /** PAGE_STATUS per physical page. */
  status: Uint8Array;
  /** ESE_PAGE_KIND per physical page. */
  kind: Uint8Array;
  /**
   * Sparse details, index i into this block: the correctable bit (status correctable) or the page number the
   * checksum belongs to (wrong-pgno). Pairs (infoAt[k], infoValue[k]).
   */
  infoAt: Uint32Array;
  infoValue: Int32Array;
  /** Highest dbtime (u64 @8) among verified non-header pages, hi/lo words, and its page number (-1 if none). */
  dbtimeHi: number;
  dbtimeLo: number;
  dbtimePgno: number;
  /** Bad database pages whose stored checksum (u64 @0) is zero: pages that were never checksummed. */
  zeroChecksum: number;
}

declare module '../../jobs' {
  interface JobMap {
    esePages: { args: EsePagesArgs; result: EsePageBlock };
  }
}

/** Bytes of pages read and checked per kernel call (small enough that the kernel finds them still in cache). */
const CHUNK_BYTES = 1 << 20;

export async function scanEsePages(src: ByteSource, k: Kernels, a: EsePagesArgs, signal?: AbortSignal): Promise<EsePageBlock> {
  const ps = a.pageSize;
  if (![2048, 4096, 8192, 16384, 32768].includes(ps)) throw new PalimpsestError('usage', `esePages: invalid page size ${ps}`);
  if (!Number.isSafeInteger(a.first) || !Number.isSafeInteger(a.count) || a.first < 0 || a.count < 0 || a.first + a.count > a.totalPages || a.totalPages * ps > src.size) {
    throw new PalimpsestError('usage', `esePages: pages ${a.first}..${a.first + a.count - 1} exceed the file`);
  }
  const out: EsePageBlock = {
    first: a.first, count: a.count, status: new Uint8Array(a.count), kind: new Uint8Array(a.count), infoAt: new Uint32Array(0), infoValue: new Int32Array(0), dbtimeHi: 0, dbtimeLo: 0, dbtimePgno: -1,
    zeroChecksum: 0,
  };
  const per = Math.max(1, Math.floor(CHUNK_BYTES / ps));
  const infoAt: number[] = [];
  const infoValue: number[] = [];
  let done = 0;
  while (done < a.count) {
    throwIfAborted(signal);
    const n = Math.min(per, a.count - done);
    const phys0 = a.first + done;
    const view = k.scratch(n * ps + n * 8);
    const got = await readFully(src, phys0 * ps, view.subarray(0, n * ps));
    if (got !== n * ps) throw new PalimpsestError('io', `short read of ESE pages at ${phys0 * ps}`);
    const base = k.ptr(view);
    // Page numbers are u32 in the kernel: physical page 0 gets 0xFFFFFFFF, its verdict is replaced below.
    k.esePageCheckAt(base, n, ps, (phys0 - 1) >>> 0, base + n * ps);
    const mem = k.exports.memory.buffer;
    const pages = new Uint8Array(mem, base, n * ps);
    const res = new Int32Array(mem, base + n * ps, n * 2);
    const dv = new DataView(mem, base, n * ps);
    for (let i = 0; i < n; i++) {
      const phys = phys0 + i;
      let st = res[2 * i];
      let info = res[2 * i + 1];
      const header = phys <= 1;
      if (st === PAGE_STATUS.wrongPgno && !header && !confirmWrongPgno(pages.subarray(i * ps, (i + 1) * ps), info >>> 0, ps, a.totalPages - 2)) {
        st = PAGE_STATUS.bad;
        info = -1;
      }
      if (header || (phys === a.totalPages - 1 && st !== PAGE_STATUS.good)) {
        // C8: header pages and a trailer page carry the short checksum over the whole page.
        const pg = pages.subarray(i * ps, (i + 1) * ps);
        if (isAllZero(pg)) {
          st = PAGE_STATUS.uninitialized;
          info = 0;
        } else if (header || looksLikeTrailer(pg)) {
          st = shortChecksum(pg) === dv.getUint32(i * ps, true) ? (header ? PAGE_STATUS.header : PAGE_STATUS.trailer) : PAGE_STATUS.bad;
          info = 0;
        }
      }
      if (st === PAGE_STATUS.bad && !header && dv.getUint32(i * ps, true) === 0 && dv.getUint32(i * ps + 4, true) === 0) out.zeroChecksum++;
      out.status[done + i] = st;
      out.kind[done + i] = header || st === PAGE_STATUS.header ? ESE_PAGE_KIND.header
        : st === PAGE_STATUS.trailer ? ESE_PAGE_KIND.trailer
          : st === PAGE_STATUS.uninitialized ? ESE_PAGE_KIND.zero
            : st === PAGE_STATUS.bad ? ESE_PAGE_KIND.unknown
              : esePageKind(dv.getUint32(i * ps + 36, true));
      if (st === PAGE_STATUS.correctable || st === PAGE_STATUS.wrongPgno) {
        infoAt.push(done + i);
        infoValue.push(info);
      }
      if (!header && (st === PAGE_STATUS.good || st === PAGE_STATUS.correctable || st === PAGE_STATUS.trailer)) {
        const lo = dv.getUint32(i * ps + 8, true);
        const hi = dv.getUint32(i * ps + 12, true);
        if (hi > out.dbtimeHi || (hi === out.dbtimeHi && lo > out.dbtimeLo)) {
          out.dbtimeHi = hi;
          out.dbtimeLo = lo;
          out.dbtimePgno = phys - 1;
        }
      }
    }
    done += n;
    if (done < a.count) await Promise.resolve();
  }
  out.infoAt = Uint32Array.from(infoAt);
  out.infoValue = Int32Array.from(infoValue);
  return out;
}

export async function esePagesJob(ctx: JobContext, a: EsePagesArgs): Promise<EsePageBlock> {
  const src = await ctx.open(a.ref);
  try {
    return await scanEsePages(src, await ctx.kernels(), a, ctx.signal);
  } finally {
    await src.close?.();
  }
}

registerJob('esePages', esePagesJob);

export interface EsePageTable {
  pageSize: number;
  count: number;
  status: Uint8Array;
  kind: Uint8Array;
  /** Physical page → correctable bit or claimed page number (only for those statuses). */
  info: Map<number, number>;
  dbtimeHighest: string;
  dbtimeHighestPgno: number;
  zeroChecksum: number;
}

export function mergeEsePageBlocks(pageSize: number, count: number, blocks: EsePageBlock[]): EsePageTable {
  const status = new Uint8Array(count);
  const kind = new Uint8Array(count);
  const info = new Map<number, number>();
  let hi = 0, lo = 0, pg = -1, zero = 0;
  for (const b of blocks) {
    zero += b.zeroChecksum;
    status.set(b.status, b.first);
    if (b.kind) kind.set(b.kind, b.first);
    for (let k = 0; k < b.infoAt.length; k++) info.set(b.first + b.infoAt[k], b.infoValue[k]);
    if (b.dbtimePgno >= 0 && (b.dbtimeHi > hi || (b.dbtimeHi === hi && b.dbtimeLo > lo) || pg < 0)) {
      hi = b.dbtimeHi; lo = b.dbtimeLo; pg = b.dbtimePgno;
    }
  }
  return { pageSize, count, status, kind, info, dbtimeHighest: ((BigInt(hi) << 32n) | BigInt(lo)).toString(), dbtimeHighestPgno: pg, zeroChecksum: zero };
}

export interface EsePageCounts {
  seen: number;
  bad: number;
  correctable: number;
  uninitialized: number;
  wrongPageNumber: number;
  /** Page numbers (physical - 1) of every page whose stored checksum does not match, up to BAD_PAGES_LISTED. */
  badPages: number[];
}

export const BAD_PAGES_LISTED = 100_000;

export function countEsePages(t: EsePageTable): EsePageCounts {
  const c: EsePageCounts = { seen: t.count, bad: 0, correctable: 0, uninitialized: 0, wrongPageNumber: 0, badPages: [] };
  for (let i = 0; i < t.count; i++) {
    const s = t.status[i];
    if (s === PAGE_STATUS.uninitialized) c.uninitialized++;
    else if (s === PAGE_STATUS.bad || s === PAGE_STATUS.correctable || s === PAGE_STATUS.wrongPgno) {
      c.bad++;
      if (s === PAGE_STATUS.correctable) c.correctable++;
      if (s === PAGE_STATUS.wrongPgno) c.wrongPageNumber++;
      if (c.badPages.length < BAD_PAGES_LISTED) c.badPages.push(i - 1);
    }
  }
  return c;
}

/** Cells of the page-map picture: at most this many, each the worst status of its pages. */
export const PAGE_MAP_CELLS = 65536;
const WORST = [PAGE_STATUS.bad, PAGE_STATUS.wrongPgno, PAGE_STATUS.correctable, PAGE_STATUS.good, PAGE_STATUS.header, PAGE_STATUS.trailer, PAGE_STATUS.uninitialized];

/**
 * Page map for pictures: physical pages grouped into at most PAGE_MAP_CELLS cells of `pagesPerCell` pages, each cell
 * showing the worst status among its pages, run-length encoded as [status, cells, status, cells, ...].
 */
export function pageMap(t: EsePageTable): { pagesPerCell: number; cells: number; runs: number[] } {
  const per = Math.max(1, Math.ceil(t.count / PAGE_MAP_CELLS));
  const cells = Math.ceil(t.count / per);
  const rank = new Uint8Array(8);
  WORST.forEach((s, i) => { rank[s] = i; });
  const runs: number[] = [];
  for (let c = 0; c < cells; c++) {
    let worst: number = PAGE_STATUS.uninitialized;
    for (let i = c * per; i < Math.min(t.count, (c + 1) * per); i++) if (rank[t.status[i]] < rank[worst]) worst = t.status[i];
    if (runs.length && runs[runs.length - 2] === worst) runs[runs.length - 1]++;
    else runs.push(worst, 1);
  }
  return { pagesPerCell: per, cells, runs };
}
