// ESE checksums in TypeScript: the reference twin of assembly/ese.ts and the page verdict logic that esefile /s
// (eseutil /k) applies (FORMAT.md §C, rules C1..C8; MS-ESE checksum/checksum.cxx, checksum_amd64.cxx,
// ese/_osu/checksumu.cxx, _esefile/checksum.cxx).
//
//   C1 short checksum (headers, old pages): 0x89ABCDEF XOR every LE u32 after the first; valid iff == u32 @0.
//   C2 old page format (fFlags & 0x2000 clear): C1 over the page and u32 @4 == pgno (large pages: the three block
//      checksums @40..63 must be zero, as MS compares all four slots).
//   C3 new page format: ECC+XOR per block (eccXorChecksum below); stored u64 = ecc << 32 | (xor ^ pgno); words 0-1
//      of the header block count as zero.
//   C4 16/32 KiB pages: four blocks of pageSize/4; block 0 stored @0, blocks 1..3 @40, 48, 56.
//   C5 single-bit correction per block: eccDiff = stored ^ computed ECC, ((eccDiff >> 16) ^ eccDiff) covers
//      (cb << 3) - 1 and exactly one XOR bit differs; the bit is eccDiff & 0xFFFF (never the format flag, bit 301);
//      a correctable bit inside rgChecksum (bits 320..511 of block 0) also corrects the expected checksum of the
//      block it belongs to before later blocks are compared (TryFixPage).
//   C6 wrong page number: the checksum is right for another page: old format C1 holds but u32 @4 != pgno; new
//      format every block's ECC matches and every block's XOR differs by the same delta (pgno' = pgno ^ delta).
//      The ECC only locates single-bit errors: a multi-bit change can leave it unchanged, so a candidate counts as
//      a wrong page number only when pgno' is a page of the file and, on 16/32 KiB pages, PGHDR2.pgno @64 == pgno'
//      (confirmWrongPgno); otherwise it is bad. esefile never counts wrong page numbers (its counter is never
//      incremented, §7.6); we do, and count them as bad too.
//   C7 an all-zero page is uninitialised (FIsPageInitialized), never bad.
//   C8 page numbers: physical page k (0-based) holds pgno k - 1; physical pages 0 and 1 are the header and its
//      shadow (short checksum over the whole page); the last page is a backup trailer (short checksum) when its
//      words 1, 2, 3 and 6 are zero.

export const ESE_MAGIC = 0x89abcdef;
export const PAGE_FLAG_NEW_CHECKSUM = 0x2000;
export const IBIT_FORMAT_FLAG = 9 * 32 + 13;

/** Page verdict codes (mirror assembly/abi.ts ESE_PAGE_*); HEADER/TRAILER only come from the page job. */
export const PAGE_STATUS = {
  good: 0,
  uninitialized: 1,
  bad: 2,
  correctable: 3,
  wrongPgno: 4,
  header: 5,
  trailer: 6,
} as const;
export type PageStatusName = 'good' | 'uninitialized' | 'bad' | 'correctable' | 'wrong-pgno' | 'header' | 'trailer';
export const PAGE_STATUS_NAMES: PageStatusName[] = ['good', 'uninitialized', 'bad', 'correctable', 'wrong-pgno', 'header', 'trailer'];

const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

function popcount32(x: number): number {
  x = x >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
const parity = (x: number): number => popcount32(x) & 1;

/** C1: the short checksum of b[off, off+len) (len a multiple of 4). */
export function shortChecksum(b: Uint8Array, off = 0, len = b.length - off): number {
  let x = ESE_MAGIC;
  for (let i = off + 4; i + 4 <= off + len; i += 4) x ^= u32(b, i);
  return x >>> 0;
}

export interface EccXor {
  /** High word of the stored u64. */
  ecc: number;
  /** Low word of the stored u64: XOR of the block's words, XOR pgno. */
  xor: number;
}

/** C3: ChecksumNewFormatSlowly over b[off, off+cb), cb a power of two in 1 KiB..8 KiB. */
export function eccXorChecksum(b: Uint8Array, off: number, cb: number, pgno: number, headerBlock: boolean): EccXor {
  let p = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
  let idxp = 0xff800000;
  for (let row = 0; row < cb / 16; row++) {
    const o = off + row * 16;
    const t0 = headerBlock && row === 0 ? 0 : u32(b, o);
    const t1 = headerBlock && row === 0 ? 0 : u32(b, o + 4);
    const t2 = u32(b, o + 8);
    const t3 = u32(b, o + 12);
    p0 ^= t0; p1 ^= t1; p2 ^= t2; p3 ^= t3;
    if (parity(t0 ^ t1 ^ t2 ^ t3)) p ^= idxp;
    idxp = (idxp + 0xff800080) >>> 0;
  }
  if (parity(p0 ^ p1)) p |= 0x00400000;
  if (parity(p2 ^ p3)) p |= 0x00000040;
  const r0 = p0 ^ p2;
  const r1 = p1 ^ p3;
  if (parity(r0)) p |= 0x00200000;
  if (parity(r1)) p |= 0x00000020;
  const r2 = (r0 ^ r1) >>> 0;
  let r = 0;
  let idxr = 0xffff0000;
  for (let bit = 0; bit < 32; bit++) {
    if (r2 & (1 << bit)) r ^= idxr;
    idxr = (idxr + 0xffff0001) >>> 0;
  }
  const mask = ((cb << 19) - 1) >>> 0;
  const ecc = ((p & 0xffe0ffe0 & mask) | (r & 0x001f001f)) >>> 0;
  return { ecc, xor: (r2 ^ pgno) >>> 0 };
}

/** C4: block size of a page (the whole page up to 8 KiB). */
export function blockSize(pageSize: number): number {
  return pageSize <= 8192 ? pageSize : pageSize / 4;
}
export function blockCount(pageSize: number): number {
  return pageSize <= 8192 ? 1 : 4;
}
/** Where block i's checksum is stored (C4). */
export const storedChecksumOffset = (blk: number): number => (blk === 0 ? 0 : 32 + 8 * blk);

export function isAllZero(b: Uint8Array, off = 0, len = b.length - off): boolean {
  for (let i = off; i < off + len; i++) if (b[i] !== 0) return false;
  return true;
}

export interface PageVerdict {
  status: Exclude<PageStatusName, 'header' | 'trailer'>;
  format: 'old' | 'new' | null;
  /** Page-relative bit offset that single-bit correction would flip (status 'correctable'). */
  bit?: number;
  /** The page number the stored checksum belongs to (status 'wrong-pgno'). */
  claimedPgno?: number;
  /** Stored and computed checksums, as hex u64 per block (for messages). */
  stored: string[];
  computed: string[];
}

const hex64 = (hi: number, lo: number) => '0x' + (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');

/** Page checksums per block (C3/C4) for pgno. */
export function computeBlockChecksums(page: Uint8Array, pgno: number, pageSize = page.length): EccXor[] {
  const n = blockCount(pageSize);
  const cb = blockSize(pageSize);
  const out: EccXor[] = [];
  for (let i = 0; i < n; i++) out.push(eccXorChecksum(page, i * cb, cb, pgno, i === 0));
  return out;
}

/** C6: is a wrong-page-number candidate believable? (pgno' exists in the file; large pages: PGHDR2.pgno agrees.) */
export function confirmWrongPgno(page: Uint8Array, claimed: number, pageSize: number, maxPgno: number): boolean {
  if (claimed < 1 || claimed > maxPgno) return false;
  if (pageSize > 8192 && (u32(page, 36) & PAGE_FLAG_NEW_CHECKSUM) !== 0) return u32(page, 64) === claimed >>> 0;
  return true;
}

/**
 * Verdict for one database page with page number pgno (rules C2..C7, as ChecksumAndPossiblyFixPage with fCorrect).
 * With `maxPgno` (the last page number of the file) a wrong-page-number candidate is confirmed (C6) or made bad;
 * without it the verdict is the kernel's, candidate included.
 */
export function verifyPage(page: Uint8Array, pgno: number, pageSize = page.length, maxPgno?: number): PageVerdict {
  const v = verifyPageRaw(page, pgno, pageSize);
  if (v.status === 'wrong-pgno' && maxPgno !== undefined && !confirmWrongPgno(page, v.claimedPgno!, pageSize, maxPgno)) {
    return { status: 'bad', format: v.format, stored: v.stored, computed: v.computed };
  }
  return v;
}

function verifyPageRaw(page: Uint8Array, pgno: number, pageSize: number): PageVerdict {
  const newFormat = (u32(page, 36) & PAGE_FLAG_NEW_CHECKSUM) !== 0;
  if (!newFormat) {
    const x = shortChecksum(page, 0, pageSize);
    const small = pageSize <= 8192;
    const rgZero = small || isAllZero(page, 40, 24);
    const stored = [hex64(u32(page, 4), u32(page, 0))];
    const computed = [hex64(pgno, x)];
    if (x === u32(page, 0) && rgZero) {
      if (u32(page, 4) === pgno >>> 0) return { status: 'good', format: 'old', stored, computed };
      return { status: 'wrong-pgno', format: 'old', claimedPgno: u32(page, 4), stored, computed };
    }
    if (isAllZero(page, 0, pageSize)) return { status: 'uninitialized', format: null, stored, computed };
    return { status: 'bad', format: 'old', stored, computed };
  }
  const n = blockCount(pageSize);
  const cb = blockSize(pageSize);
  const act = computeBlockChecksums(page, pgno, pageSize);
  const exp = act.map((_, i) => ({ xor: u32(page, storedChecksumOffset(i)), ecc: u32(page, storedChecksumOffset(i) + 4) }));
  const stored = exp.map((e) => hex64(e.ecc, e.xor));
  const computed = act.map((a) => hex64(a.ecc, a.xor));
  if (act.every((a, i) => a.ecc === exp[i].ecc && a.xor === exp[i].xor)) return { status: 'good', format: 'new', stored, computed };
  // C6
  const delta = (exp[0].xor ^ act[0].xor) >>> 0;
  if (delta !== 0 && act.every((a, i) => a.ecc === exp[i].ecc && ((exp[i].xor ^ a.xor) >>> 0) === delta)) {
    return { status: 'wrong-pgno', format: 'new', claimedPgno: (pgno ^ delta) >>> 0, stored, computed };
  }
  // C5 (TryFixPage)
  let first = -1;
  for (let i = 0; i < n; i++) {
    const e = exp[i];
    const a = act[i];
    if (e.ecc === a.ecc && e.xor === a.xor) continue;
    const eccDiff = (e.ecc ^ a.ecc) >>> 0;
    const m = cb * 8 - 1;
    const correctable = (((eccDiff >>> 16) ^ eccDiff) & m) === m && popcount32(e.xor ^ a.xor) === 1;
    const ibit = eccDiff & 0xffff;
    if (!correctable || ibit >= 8 * cb || (i === 0 && ibit === IBIT_FORMAT_FLAG)) {
      return { status: 'bad', format: 'new', stored, computed };
    }
    const ibitPage = ibit + 8 * cb * i;
    if (first < 0) {
      first = ibitPage;
      if (n > 1 && i === 0 && ibitPage >= 320 && ibitPage < 512) {
        const k = ibitPage - 320;
        const j = 1 + (k >> 6);
        const bit = k & 63;
        if (bit < 32) exp[j].xor = (exp[j].xor ^ (1 << bit)) >>> 0;
        else exp[j].ecc = (exp[j].ecc ^ (1 << (bit - 32))) >>> 0;
      }
    }
  }
  return { status: 'correctable', format: 'new', bit: first, stored, computed };
}

/** C8: does the last physical page look like a backup trailer page? */
export function looksLikeTrailer(page: Uint8Array): boolean {
  return u32(page, 4) === 0 && u32(page, 8) === 0 && u32(page, 12) === 0 && u32(page, 24) === 0;
}

/**
 * Writes new-format checksums into a page for pgno, as SetPageChecksum(databasePage) does: sets the format flag,
 * computes blocks 1..3 first (their checksums live inside block 0), then block 0. Used to build test and bench
 * databases from real pages; never applied to evidence.
 */
export function stampPage(page: Uint8Array, pgno: number, pageSize = page.length): void {
  const dv = new DataView(page.buffer, page.byteOffset, pageSize);
  dv.setUint32(36, dv.getUint32(36, true) | PAGE_FLAG_NEW_CHECKSUM, true);
  const n = blockCount(pageSize);
  const cb = blockSize(pageSize);
  for (let i = 1; i < n; i++) {
    const c = eccXorChecksum(page, i * cb, cb, pgno, false);
    dv.setUint32(storedChecksumOffset(i), c.xor, true);
    dv.setUint32(storedChecksumOffset(i) + 4, c.ecc, true);
  }
  const c0 = eccXorChecksum(page, 0, cb, pgno, true);
  dv.setUint32(0, c0.xor, true);
  dv.setUint32(4, c0.ecc, true);
}

/** Writes the short checksum (C1) of b[off, off+len) at off. */
export function stampShortChecksum(b: Uint8Array, off = 0, len = b.length - off): void {
  const x = shortChecksum(b, off, len);
  b[off] = x & 0xff;
  b[off + 1] = (x >>> 8) & 0xff;
  b[off + 2] = (x >>> 16) & 0xff;
  b[off + 3] = (x >>> 24) & 0xff;
}
