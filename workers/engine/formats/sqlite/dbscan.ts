// Database page scan (runs in workers over page ranges) and page classification (runs once over the scan).
//
// The scan looks at each page alone: content class (zero, b-tree type byte, other), the structural rules of
// btree.ts, cksumvfs checksums when reserved bytes == 8, and the references a page makes (child pages, overflow
// heads). Classification then walks from the roots to name every page: b-tree interior/leaf (of which object),
// overflow, freelist trunk/leaf, pointer map, lock-byte, zero, orphan — what fileformat2 §1.2 says every page is.

import type { ByteSource } from '../../io';
import { readFully } from '../../io';
import type { Kernels } from '../../kernels/kernels';
import { throwIfAborted, PalimpsestError } from '../../errors';
import { checkBtreePage, isBtreeType, PAGE_TYPE, type PageProblem } from './btree';

export const enum ContentClass {
  Other = 0,
  Zero = 1,
  IndexInterior = 0x02,
  TableInterior = 0x05,
  IndexLeaf = 0x0a,
  TableLeaf = 0x0d,
}

export const REF_CHILD = 1;
export const REF_OVERFLOW = 2;

export const PAGE_FLAG_STRUCTURE = 1;
export const PAGE_FLAG_CKSUM_BAD = 2;
export const PAGE_FLAG_CKSUM_OK = 4;

export interface DbPageProblem extends PageProblem {
  page: number;
}

export interface DbPageBlock {
  first: number;
  count: number;
  cls: Uint8Array;
  flags: Uint8Array;
  /** First two big-endian words of each page (overflow/trunk next pointer, trunk leaf count). */
  w0: Uint32Array;
  w1: Uint32Array;
  /** refs[refStart[i] .. refStart[i+1]) are the pages page (first+i) points to (children, overflow heads). */
  refStart: Uint32Array;
  refs: Uint32Array;
  /** Parallel to refs: REF_CHILD or REF_OVERFLOW. */
  refKind: Uint8Array;
  /** Structural problems (b-tree-looking pages only); capped at MAX_PROBLEMS per block. */
  problems: DbPageProblem[];
  problemsDropped: number;
}

const MAX_PROBLEMS = 500;

export async function scanDbPages(
  src: ByteSource,
  k: Kernels,
  a: { pageSize: number; reserved: number; first: number; count: number; base?: number; cksumvfs: boolean },
  signal?: AbortSignal,
): Promise<DbPageBlock> {
  const ps = a.pageSize;
  const usable = ps - a.reserved;
  const base = a.base ?? 0;
  const out: DbPageBlock = {
    first: a.first, count: a.count,
    cls: new Uint8Array(a.count), flags: new Uint8Array(a.count),
    w0: new Uint32Array(a.count), w1: new Uint32Array(a.count),
    refStart: new Uint32Array(a.count + 1), refs: new Uint32Array(0), refKind: new Uint8Array(0),
    problems: [], problemsDropped: 0,
  };
  const refs: number[] = [];
  const refKind: number[] = [];
  const per = Math.max(1, Math.floor((8 << 20) / ps));
  let done = 0;
  while (done < a.count) {
    throwIfAborted(signal);
    const n = Math.min(per, a.count - done);
    const view = k.scratch(n * ps + n);
    const pages = view.subarray(0, n * ps);
    const off = base + (a.first - 1 + done) * ps;
    const got = await readFully(src, off, pages);
    if (got < n * ps) pages.fill(0, got);
    const ptr = k.ptr(view);
    if (a.cksumvfs) k.cksumvfsCheckAt(ptr, n, ps, ptr + n * ps);
    const mem = new Uint8Array(k.exports.memory.buffer, ptr, n * ps + n);
    for (let i = 0; i < n; i++) {
      const idx = done + i;
      const pgno = a.first + idx;
      const page = mem.subarray(i * ps, (i + 1) * ps);
      out.refStart[idx] = refs.length;
      if (a.cksumvfs) out.flags[idx] |= mem[n * ps + i] ? PAGE_FLAG_CKSUM_OK : PAGE_FLAG_CKSUM_BAD;
      out.w0[idx] = ((page[0] << 24) | (page[1] << 16) | (page[2] << 8) | page[3]) >>> 0;
      out.w1[idx] = ((page[4] << 24) | (page[5] << 16) | (page[6] << 8) | page[7]) >>> 0;
      let zero = true;
      for (let j = 0; j < ps; j += 8) {
        if (page[j] | page[j + 1] | page[j + 2] | page[j + 3] | page[j + 4] | page[j + 5] | page[j + 6] | page[j + 7]) { zero = false; break; }
      }
      if (zero) { out.cls[idx] = ContentClass.Zero; continue; }
      const t = page[pgno === 1 ? 100 : 0];
      if (!isBtreeType(t)) { out.cls[idx] = ContentClass.Other; continue; }
      out.cls[idx] = t;
      const info = checkBtreePage(page, pgno, usable);
      if (info.problems.length) {
        out.flags[idx] |= PAGE_FLAG_STRUCTURE;
        for (const p of info.problems) {
          if (out.problems.length < MAX_PROBLEMS) out.problems.push({ ...p, page: pgno });
          else out.problemsDropped++;
        }
      }
      for (const c of info.cells) {
        if (c.leftChild !== undefined) { refs.push(c.leftChild); refKind.push(REF_CHILD); }
        if (c.overflow !== undefined) { refs.push(c.overflow); refKind.push(REF_OVERFLOW); }
      }
      if (info.rightChild !== undefined) { refs.push(info.rightChild); refKind.push(REF_CHILD); }
    }
    done += n;
  }
  out.refStart[a.count] = refs.length;
  out.refs = Uint32Array.from(refs);
  out.refKind = Uint8Array.from(refKind);
  return out;
}

/** Final page kinds (shared with the web page map). */
export const PAGE_KIND = {
  unknown: 0,
  zero: 1,
  tableInterior: 2,
  tableLeaf: 3,
  indexInterior: 4,
  indexLeaf: 5,
  overflow: 6,
  freelistTrunk: 7,
  freelistLeaf: 8,
  ptrmap: 9,
  lockByte: 10,
  orphanBtree: 11,
} as const;
export type PageKindName = keyof typeof PAGE_KIND;
export const PAGE_KIND_NAMES = Object.keys(PAGE_KIND) as PageKindName[];

/** All pages of a database: the scan blocks merged (same layout as a block that starts at page 1). */
export type DbPageTable = Omit<DbPageBlock, 'first'>;

export function mergePageBlocks(count: number, blocks: DbPageBlock[]): DbPageTable {
  const t: DbPageTable = {
    count, cls: new Uint8Array(count), flags: new Uint8Array(count), w0: new Uint32Array(count), w1: new Uint32Array(count),
    refStart: new Uint32Array(count + 1), refs: new Uint32Array(0), refKind: new Uint8Array(0), problems: [], problemsDropped: 0,
  };
  const sorted = [...blocks].sort((a, b) => a.first - b.first);
  const totalRefs = sorted.reduce((s, b) => s + b.refs.length, 0);
  t.refs = new Uint32Array(totalRefs);
  t.refKind = new Uint8Array(totalRefs);
  let r = 0;
  for (const b of sorted) {
    const o = b.first - 1;
    if (o + b.count > count) throw new PalimpsestError('internal', 'page block out of range');
    t.cls.set(b.cls, o);
    t.flags.set(b.flags, o);
    t.w0.set(b.w0, o);
    t.w1.set(b.w1, o);
    for (let i = 0; i < b.count; i++) t.refStart[o + i] = r + b.refStart[i];
    t.refs.set(b.refs, r);
    t.refKind.set(b.refKind, r);
    r += b.refs.length;
    t.problems.push(...b.problems);
    t.problemsDropped += b.problemsDropped;
  }
  t.refStart[count] = r;
  return t;
}

export interface Classification {
  kind: Uint8Array;
  /** Index into `owners` for b-tree and overflow pages; 0xffff = none. */
  owner: Uint16Array;
  owners: string[];
  counts: Record<PageKindName, number>;
  /** Pages referenced from two places, out of range, or of the wrong kind. */
  problems: DbPageProblem[];
}

/**
 * Names every page. `roots` maps root page → object name (page 1 = sqlite_schema). Trunk pages' leaf lists are
 * read through `readTrunk` (few pages). Every loop is bounded by the page count.
 */
export async function classifyPages(
  t: DbPageTable,
  opts: {
    pageSize: number;
    usable: number;
    roots: Map<number, string>;
    firstTrunk: number;
    freelistCount: number;
    autoVacuum: boolean;
    readTrunk: (pgno: number) => Promise<Uint8Array | null>;
  },
): Promise<Classification> {
  const n = t.count;
  const kind = new Uint8Array(n);
  const owner = new Uint16Array(n).fill(0xffff);
  const owners: string[] = [];
  const problems: DbPageProblem[] = [];
  const claim = (pg: number, k: number, from: string): boolean => {
    if (pg < 1 || pg > n) {
      problems.push({ page: pg, code: 'sqlite.page.ref-out-of-range', offset: 0, expected: `1..${n}`, actual: pg, message: `${from} points to page ${pg}, outside the database (1..${n})` });
      return false;
    }
    if (kind[pg - 1] !== PAGE_KIND.unknown) {
      problems.push({ page: pg, code: 'sqlite.page.double-use', offset: 0, message: `page ${pg} is used twice (${PAGE_KIND_NAMES[kind[pg - 1]]} and ${from})` });
      return false;
    }
    kind[pg - 1] = k;
    return true;
  };

  // Lock-byte page (fileformat2 §1.6) and pointer-map pages (§1.5).
  const lockPg = Math.floor(0x40000000 / opts.pageSize) + 1;
  if (lockPg <= n) kind[lockPg - 1] = PAGE_KIND.lockByte;
  if (opts.autoVacuum) {
    const J = Math.floor(opts.usable / 5);
    for (let pg = 2; pg <= n; pg += J + 1) {
      let p = pg;
      if (p === lockPg) p++;
      if (p <= n && kind[p - 1] === PAGE_KIND.unknown) kind[p - 1] = PAGE_KIND.ptrmap;
    }
  }

  // Freelist: trunk chain, then leaves listed by each trunk.
  let trunk = opts.firstTrunk;
  let seenFree = 0;
  let hops = 0;
  while (trunk !== 0 && hops++ <= n) {
    if (!claim(trunk, PAGE_KIND.freelistTrunk, 'freelist trunk chain')) break;
    seenFree++;
    const page = await opts.readTrunk(trunk);
    if (!page) break;
    const L = ((page[4] << 24) | (page[5] << 16) | (page[6] << 8) | page[7]) >>> 0;
    const maxL = Math.floor(opts.usable / 4) - 2;
    if (L > maxL) {
      problems.push({ page: trunk, code: 'sqlite.freelist.bad-leaf-count', offset: 4, expected: `<= ${maxL}`, actual: L, message: `freelist trunk page ${trunk} claims ${L} leaves` });
    }
    for (let i = 0; i < Math.min(L, maxL); i++) {
      const leaf = ((page[8 + 4 * i] << 24) | (page[9 + 4 * i] << 16) | (page[10 + 4 * i] << 8) | page[11 + 4 * i]) >>> 0;
      if (claim(leaf, PAGE_KIND.freelistLeaf, `freelist trunk ${trunk}`)) seenFree++;
    }
    trunk = ((page[0] << 24) | (page[1] << 16) | (page[2] << 8) | page[3]) >>> 0;
  }
  if (seenFree !== opts.freelistCount) {
    problems.push({ page: 1, code: 'sqlite.freelist.count-mismatch', offset: 36, expected: opts.freelistCount, actual: seenFree, message: `header says ${opts.freelistCount} freelist pages, the trunk chain holds ${seenFree}` });
  }

  // B-trees from their roots; overflow chains from leaf cells.
  const overflowHeads: Array<[number, number]> = [];
  for (const [root, name] of opts.roots) {
    const ownerIdx = owners.push(name) - 1;
    const stack = [root];
    let visits = 0;
    while (stack.length && visits++ <= n) {
      const pg = stack.pop()!;
      const cls = pg >= 1 && pg <= n ? t.cls[pg - 1] : 0;
      const k = cls === PAGE_TYPE.tableInterior ? PAGE_KIND.tableInterior
        : cls === PAGE_TYPE.tableLeaf ? PAGE_KIND.tableLeaf
          : cls === PAGE_TYPE.indexInterior ? PAGE_KIND.indexInterior
            : cls === PAGE_TYPE.indexLeaf ? PAGE_KIND.indexLeaf : -1;
      if (k < 0) {
        if (pg >= 1 && pg <= n) {
          problems.push({ page: pg, code: 'sqlite.page.not-btree', offset: pg === 1 ? 100 : 0, message: `page ${pg} is part of ${name} but is not a b-tree page` });
        } else claim(pg, PAGE_KIND.unknown, name);
        continue;
      }
      if (!claim(pg, k, name)) continue;
      owner[pg - 1] = ownerIdx;
      for (let r = t.refStart[pg - 1]; r < t.refStart[pg]; r++) {
        if (t.refKind[r] === REF_CHILD) stack.push(t.refs[r]);
        else overflowHeads.push([t.refs[r], ownerIdx]);
      }
    }
  }
  for (const [head, ownerIdx] of overflowHeads) {
    let pg = head;
    let hops2 = 0;
    while (pg !== 0 && hops2++ <= n) {
      if (!claim(pg, PAGE_KIND.overflow, `overflow chain of ${owners[ownerIdx]}`)) break;
      owner[pg - 1] = ownerIdx;
      pg = t.w0[pg - 1];
    }
  }

  const counts = Object.fromEntries(PAGE_KIND_NAMES.map((k) => [k, 0])) as Record<PageKindName, number>;
  for (let i = 0; i < n; i++) {
    if (kind[i] === PAGE_KIND.unknown) {
      if (t.cls[i] === ContentClass.Zero) kind[i] = PAGE_KIND.zero;
      else if (isBtreeType(t.cls[i])) kind[i] = PAGE_KIND.orphanBtree;
    }
    counts[PAGE_KIND_NAMES[kind[i]]]++;
  }
  return { kind, owner, owners, counts, problems };
}
