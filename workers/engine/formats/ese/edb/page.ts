// ESE database pages: the page header (PGHDR, and PGHDR2 on 16/32 KiB pages), the tag array and the nodes it
// points at (FORMAT.md §2, ese-formats.md §6; MS-ESE cpage.hxx, node.cxx). Pure functions over one page's bytes.
//
// Page rules, numbered as FORMAT.md numbers them:
//   P1 the page was read whole (cbPage bytes)                                     else the page is lost
//   P2 the page checksum verifies (file.ts F4; a corrected page is used)          else the page is skipped
//   P3 large pages: PGHDR2.pgno (offset 64) == the page number it was read for     else the page is skipped
//   P4 objidFDP == the objid of the tree being walked                             else the page is skipped
//   P5 itagMicFree >= ctagReserved (0 means 1) and the tag array fits below the data area
//   P6 every tag [ib, ib + cb) lies inside the data area (after the header, before the tag array)
//   P7 a node's prefix size, suffix size and key fit inside its tag
//   P8 a branch node has 4 data bytes (the child pgno), and the child pgno is inside the file
// A page failing P5 keeps no nodes; a node failing P6..P8 is reported and skipped, the rest of the page is kept.

import { u16le, u32le } from '../../../io';

export const PGHDR_SIZE = 40;
export const PGHDR2_SIZE = 80;

/** PGHDR.fFlags (cpage.hxx). */
export const PAGE_FLAG = {
  root: 0x1,
  leaf: 0x2,
  parentOfLeaf: 0x4,
  empty: 0x8,
  repair: 0x10,
  spaceTree: 0x20,
  index: 0x40,
  longValue: 0x80,
  nonUniqueKeys: 0x400,
  newRecordFormat: 0x800,
  newChecksumFormat: 0x2000,
  scrubbed: 0x4000,
  preInit: 0x20000,
  fdpDelete: 0x40000,
} as const;

/** Node (TAG) flags (node.hxx): fNDVersion, fNDDeleted, fNDCompressed (key prefix). */
export const NODE_FLAG = { version: 0x1, deleted: 0x2, compressed: 0x4 } as const;

/** `FIsSmallPage(cbPage) = cbPage <= 8 KiB` (daedef.hxx): the 13-bit tag layout; larger pages use 15 bits. */
export const isSmallPage = (cbPage: number): boolean => cbPage <= 8192;

export interface PageHeader {
  pgnoPrev: number;
  pgnoNext: number;
  objidFDP: number;
  cbFree: number;
  ibMicFree: number;
  itagMicFree: number;
  ctagReserved: number;
  flags: number;
  /** PGHDR2.pgno on large pages; null on small pages (their page number is only in the checksum). */
  pgno: number | null;
  /** dbtimeDirtied as a decimal string (u64). */
  dbtime: string;
}

export function readPageHeader(page: Uint8Array): PageHeader {
  const large = !isSmallPage(page.length);
  const itagState = u16le(page, 34);
  const lo = u32le(page, 8);
  const hi = u32le(page, 12);
  return {
    pgnoPrev: u32le(page, 16),
    pgnoNext: u32le(page, 20),
    objidFDP: u32le(page, 24),
    cbFree: u16le(page, 28),
    ibMicFree: u16le(page, 32),
    itagMicFree: itagState & 0x0fff,
    // "ctagReserved on pghdr can be 0 on pages written before variable reserved tags were introduced" (cpage.hxx)
    ctagReserved: ((itagState >> 12) & 0x7) || 1,
    flags: u32le(page, 36),
    pgno: large ? u32le(page, 64) : null,
    dbtime: (BigInt(hi) * 4294967296n + BigInt(lo)).toString(),
  };
}

/** A decoded node: offsets into the page bytes, so nothing is copied. */
export interface PageNode {
  /** Tag index (line + ctagReserved). */
  tag: number;
  flags: number;
  /** Bytes of the page prefix (tag 0) that precede the suffix. */
  prefixLen: number;
  suffixStart: number;
  suffixLen: number;
  dataStart: number;
  dataEnd: number;
}

export interface NodeProblem {
  tag: number;
  rule: 'P6' | 'P7';
  message: string;
}

/** One page's tag array and nodes, checked against P5..P7. */
export class PageNodes {
  readonly header: PageHeader;
  readonly nodes: PageNode[] = [];
  readonly problems: NodeProblem[] = [];
  /** P5 failed: the page has no usable nodes. */
  readonly tagArrayBad: boolean;
  /** The page prefix (tag 0 data) offsets; empty on root pages (their tag 0 is the space header). */
  readonly prefixStart: number;
  readonly prefixLen: number;

  constructor(readonly page: Uint8Array) {
    const cbPage = page.length;
    const small = isSmallPage(cbPage);
    const hdr = small ? PGHDR_SIZE : PGHDR2_SIZE;
    const mask = small ? 0x1fff : 0x7fff;
    this.header = readPageHeader(page);
    const { itagMicFree, ctagReserved } = this.header;
    const tagArrayStart = cbPage - 4 * itagMicFree;
    // P5
    this.tagArrayBad = itagMicFree < ctagReserved || tagArrayStart < hdr;
    this.prefixStart = 0;
    this.prefixLen = 0;
    if (this.tagArrayBad) return;
    const dataEnd = tagArrayStart;
    // Tag 0 is the external header: the key prefix on non-root pages (NDGetPrefix).
    const t0 = cbPage - 4;
    const cb0 = u16le(page, t0) & mask;
    const ib0 = u16le(page, t0 + 2) & mask;
    if (!(this.header.flags & PAGE_FLAG.root) && hdr + ib0 + cb0 <= dataEnd) {
      this.prefixStart = hdr + ib0;
      this.prefixLen = cb0;
    }
    for (let t = ctagReserved; t < itagMicFree; t++) {
      const to = cbPage - 4 * (t + 1);
      const cbRaw = u16le(page, to);
      const ibRaw = u16le(page, to + 2);
      const cb = cbRaw & mask;
      const ib = ibRaw & mask;
      const start = hdr + ib;
      // P6
      if (start + cb > dataEnd || cb < 2) {
        this.problems.push({ tag: t, rule: 'P6', message: `tag ${t} [${ib}, +${cb}) is outside the page data area or too short for a key` });
        continue;
      }
      // Small pages keep the node flags in the tag; large pages in the top 3 bits of the node's first u16.
      const flags = small ? ibRaw >> 13 : page[start + 1] >> 5;
      let p = start;
      let prefixLen = 0;
      if (flags & NODE_FLAG.compressed) {
        prefixLen = u16le(page, p) & 0x1fff;
        p += 2;
      }
      // P7
      if (p + 2 > start + cb) {
        this.problems.push({ tag: t, rule: 'P7', message: `tag ${t}: the key size does not fit in the node` });
        continue;
      }
      const suffixLen = u16le(page, p) & 0x1fff;
      p += 2;
      if (p + suffixLen > start + cb || prefixLen > this.prefixLen) {
        this.problems.push({
          tag: t,
          rule: 'P7',
          message: `tag ${t}: key (prefix ${prefixLen} of ${this.prefixLen}, suffix ${suffixLen}) does not fit in the node (${cb} bytes)`,
        });
        continue;
      }
      this.nodes.push({ tag: t, flags, prefixLen, suffixStart: p, suffixLen, dataStart: p + suffixLen, dataEnd: start + cb });
    }
  }

  /** The node's full key (prefix from tag 0 + suffix). Copies. */
  key(n: PageNode): Uint8Array {
    const k = new Uint8Array(n.prefixLen + n.suffixLen);
    k.set(this.page.subarray(this.prefixStart, this.prefixStart + n.prefixLen), 0);
    k.set(this.page.subarray(n.suffixStart, n.suffixStart + n.suffixLen), n.prefixLen);
    return k;
  }

  data(n: PageNode): Uint8Array {
    return this.page.subarray(n.dataStart, n.dataEnd);
  }
}

/** Compares node n's key with `key` bytewise (memcmp, then length), without copying. */
export function compareNodeKey(p: PageNodes, n: PageNode, key: Uint8Array): number {
  const page = p.page;
  const len = n.prefixLen + n.suffixLen;
  const m = Math.min(len, key.length);
  for (let i = 0; i < m; i++) {
    const a = i < n.prefixLen ? page[p.prefixStart + i] : page[n.suffixStart + i - n.prefixLen];
    const d = a - key[i];
    if (d !== 0) return d;
  }
  return len - key.length;
}

/** True when node n's key starts with `prefix`. */
export function nodeKeyStartsWith(p: PageNodes, n: PageNode, prefix: Uint8Array): boolean {
  if (n.prefixLen + n.suffixLen < prefix.length) return false;
  const page = p.page;
  for (let i = 0; i < prefix.length; i++) {
    const a = i < n.prefixLen ? page[p.prefixStart + i] : page[n.suffixStart + i - n.prefixLen];
    if (a !== prefix[i]) return false;
  }
  return true;
}
