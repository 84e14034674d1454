// ESE (JET Blue) page checksum kernels. Format account: workers/engine/formats/ese/FORMAT.md §C (rules C1..C8);
// the TypeScript twin is workers/engine/formats/ese/checksum.ts. Sources: MS-ESE checksum/checksum.cxx,
// checksum/checksum_amd64.cxx (ChecksumNewFormatSlowly), ese/_osu/checksumu.cxx, _esefile/checksum.cxx.
//
//   Old format (C2): w0 == 0x89ABCDEF ^ w1 ^ ... ^ w[n-1]  and  w1 == pgno.
//   New format (C3): per block of cb bytes (1..8 KiB), rows of four words:
//       column parities p0..p3 = XOR of each word column; row parity distributes idxp(row) into p;
//       ecc = (p & 0xFFE0FFE0 & ((cb << 19) - 1)) | (r & 0x001F001F), r from the XOR of all words (r2);
//       stored u64 = (ecc << 32) | (r2 ^ pgno). In the header block (block 0) words 0 and 1 count as zero.
//   Large pages (C4): 16 KiB pages use four 4 KiB blocks, 32 KiB pages four 8 KiB blocks; block 0's checksum sits
//       at offset 0, blocks 1..3 at offsets 40, 48, 56.
//   Single-bit correction (C5) and wrong page numbers (C6) are decided only on a mismatch (the slow path).
//
// esePageCheck writes two i32 per page at `out`: status (ESE_PAGE_* in abi.ts) and info (the page-relative bit
// that can be corrected, or the page number the checksum belongs to). The SIMD build computes four rows' parity
// per step (4x4 transpose, popcnt); the scalar build is ChecksumNewFormatSlowly word for word.

import {
  ERR_BAD_LENGTH, ERR_BAD_PAGE_SIZE,
  ESE_PAGE_GOOD, ESE_PAGE_UNINIT, ESE_PAGE_BAD, ESE_PAGE_CORRECTABLE, ESE_PAGE_WRONG_PGNO,
} from "./abi";

const ESE_SEED: u32 = 0x89abcdef;
const FLAG_NEW_CHECKSUM: u32 = 0x2000;
/** Bit offset of fPageNewChecksumFormat in a page (byte 37, bit 5): it can never be "corrected". */
const IBIT_FORMAT_FLAG: u32 = 9 * 32 + 13;
const IDXP_START: u32 = 0xff800000;
const IDXP_STEP: u32 = 0xff800080;

// Results of the last eccBlock call (AssemblyScript has no tuples; module globals are the cheapest way out).
let gEcc: u32 = 0;
let gXor: u32 = 0;

@inline function parity(x: u32): u32 {
  return <u32>popcnt<u32>(x) & 1;
}

function finishEcc(p: u32, p0: u32, p1: u32, p2: u32, p3: u32, cb: u32): void {
  if (parity(p0 ^ p1)) p |= 0x00400000;
  if (parity(p2 ^ p3)) p |= 0x00000040;
  const r0 = p0 ^ p2;
  const r1 = p1 ^ p3;
  if (parity(r0)) p |= 0x00200000;
  if (parity(r1)) p |= 0x00000020;
  const r2 = r0 ^ r1;
  // r = XOR over set bits i of r2 of idxr(i) = (~i << 16) | i; only the low five bits of each half survive:
  // low = XOR of the indices of the set bits, high = low ^ (0x1F when the count of set bits is odd).
  let lo: u32 = 0;
  if (parity(r2 & 0xaaaaaaaa)) lo |= 1;
  if (parity(r2 & 0xcccccccc)) lo |= 2;
  if (parity(r2 & 0xf0f0f0f0)) lo |= 4;
  if (parity(r2 & 0xff00ff00)) lo |= 8;
  if (parity(r2 & 0xffff0000)) lo |= 16;
  const hi = lo ^ (parity(r2) ? <u32>0x1f : <u32>0);
  const r = (hi << 16) | lo;
  const mask = (cb << 19) - 1;
  gEcc = (p & 0xffe0ffe0 & mask) | (r & 0x001f001f);
  gXor = r2;
}

// Scalar ECC+XOR of one block (ChecksumNewFormatSlowly). Sets gEcc and gXor (without the page number).
function eccBlockScalar(b: usize, cb: u32, headerBlock: bool): void {
  let p: u32 = 0, p0: u32 = 0, p1: u32 = 0, p2: u32 = 0, p3: u32 = 0;
  let idxp = IDXP_START;
  const end = b + <usize>cb;
  for (let q = b; q < end; q += 16) {
    let t0 = load<u32>(q);
    let t1 = load<u32>(q, 4);
    const t2 = load<u32>(q, 8);
    const t3 = load<u32>(q, 12);
    if (headerBlock && q == b) { t0 = 0; t1 = 0; }
    p0 ^= t0; p1 ^= t1; p2 ^= t2; p3 ^= t3;
    p ^= idxp & (0 - parity(t0 ^ t1 ^ t2 ^ t3));
    idxp += IDXP_STEP;
  }
  finishEcc(p, p0, p1, p2, p3, cb);
}

// The end of both SIMD paths: column parities from `col`; in the header block, words 0 and 1 of row 0 (which the
// loop counted) are taken out of the columns and of row 0's parity.
function finishSimd(b: usize, cb: u32, headerBlock: bool, p: u32, col: v128): void {
  let p0 = <u32>i32x4.extract_lane(col, 0);
  let p1 = <u32>i32x4.extract_lane(col, 1);
  const p2 = <u32>i32x4.extract_lane(col, 2);
  const p3 = <u32>i32x4.extract_lane(col, 3);
  if (headerBlock) {
    const w0 = load<u32>(b);
    const w1 = load<u32>(b, 4);
    p0 ^= w0;
    p1 ^= w1;
    if (parity(w0 ^ w1)) p ^= IDXP_START;
  }
  finishEcc(p, p0, p1, p2, p3, cb);
}

// SIMD ECC+XOR of one block: four rows per step. Lane j of x = XOR of row j's four words (4x4 transpose).
function eccBlockSimd(b: usize, cb: u32, headerBlock: bool): void {
  let col = i32x4.splat(0);
  let acc = i32x4.splat(0);
  let idx = i32x4(<i32>IDXP_START, <i32>(IDXP_START + IDXP_STEP), <i32>(IDXP_START + 2 * IDXP_STEP), <i32>(IDXP_START + 3 * IDXP_STEP));
  const step = i32x4.splat(<i32>(4 * IDXP_STEP));
  const end = b + <usize>cb;
  for (let q = b; q < end; q += 64) {
    const v0 = v128.load(q);
    const v1 = v128.load(q, 16);
    const v2 = v128.load(q, 32);
    const v3 = v128.load(q, 48);
    col = v128.xor(col, v128.xor(v128.xor(v0, v1), v128.xor(v2, v3)));
    const a = v128.xor(v128.shuffle<i32>(v0, v1, 0, 4, 1, 5), v128.shuffle<i32>(v0, v1, 2, 6, 3, 7));
    const c = v128.xor(v128.shuffle<i32>(v2, v3, 0, 4, 1, 5), v128.shuffle<i32>(v2, v3, 2, 6, 3, 7));
    let x = v128.xor(v128.shuffle<i64>(a, c, 0, 2), v128.shuffle<i64>(a, c, 1, 3));
    // Parity of each lane: fold to one byte, popcount it, keep bit 0, widen to a lane mask.
    x = v128.xor(x, i32x4.shr_u(x, 16));
    x = v128.xor(x, i32x4.shr_u(x, 8));
    x = i8x16.popcnt(x);
    const m = i32x4.shr_s(i32x4.shl(x, 31), 31);
    acc = v128.xor(acc, v128.and(m, idx));
    idx = i32x4.add(idx, step);
  }
  const p = <u32>(i32x4.extract_lane(acc, 0) ^ i32x4.extract_lane(acc, 1) ^ i32x4.extract_lane(acc, 2) ^ i32x4.extract_lane(acc, 3));
  finishSimd(b, cb, headerBlock, p, col);
}

@inline function parity128(v: v128): u32 {
  const x = <u32>(i32x4.extract_lane(v, 0) ^ i32x4.extract_lane(v, 1) ^ i32x4.extract_lane(v, 2) ^ i32x4.extract_lane(v, 3));
  return parity(x);
}

// SIMD ECC+XOR of one block without a per-row parity. For row r < 512 of a block, idxp(r) = START + r * STEP (mod 2^32)
// = ((~r & 0x1FF) << 23) | (r << 7). The row term of p is the XOR of idxp(r) over the rows of odd parity (set S), so
//   p_rows = (X << 7) | ((X ^ (|S| odd ? 0x1FF : 0)) << 23),   X = XOR of the indices in S,
// and bit b of X is the parity of all bits of the rows whose index has bit b set (parity is linear). So the loop only
// XORs rows into ten accumulators: all rows (the columns, whose parity is |S|'s), and one per index bit b (A_b),
// hierarchically: bits 0-1 within 4 rows, 2-3 within 16, 4-8 by mask from the 16-row chunk number.
// Needs cb a multiple of 256 and at most 8192 (512 rows); eccBlockSimd serves any other size.
function eccBlockSimdRows(b: usize, cb: u32, headerBlock: bool): void {
  let col = i32x4.splat(0);
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  let a4 = i32x4.splat(0), a5 = i32x4.splat(0), a6 = i32x4.splat(0), a7 = i32x4.splat(0), a8 = i32x4.splat(0);
  const end = b + <usize>cb;
  let k: i32 = 0;
  for (let q = b; q < end; q += 256, k++) {
    let g0 = i32x4.splat(0), g1 = i32x4.splat(0), g2 = i32x4.splat(0), g3 = i32x4.splat(0);
    // Four groups of four rows; lo0/lo1 collect rows with bit 0 / bit 1 set.
    for (let j: usize = 0; j < 4; j++) {
      const base = q + (j << 6);
      const v0 = v128.load(base);
      const v1 = v128.load(base, 16);
      const v2 = v128.load(base, 32);
      const v3 = v128.load(base, 48);
      a0 = v128.xor(a0, v128.xor(v1, v3));
      a1 = v128.xor(a1, v128.xor(v2, v3));
      const g = v128.xor(v128.xor(v0, v1), v128.xor(v2, v3));
      if (j == 0) g0 = g;
      else if (j == 1) g1 = g;
      else if (j == 2) g2 = g;
      else g3 = g;
    }
    a2 = v128.xor(a2, v128.xor(g1, g3));
    a3 = v128.xor(a3, v128.xor(g2, g3));
    const h = v128.xor(v128.xor(g0, g1), v128.xor(g2, g3));
    col = v128.xor(col, h);
    a4 = v128.xor(a4, v128.and(h, i32x4.splat(-(k & 1))));
    a5 = v128.xor(a5, v128.and(h, i32x4.splat(-((k >> 1) & 1))));
    a6 = v128.xor(a6, v128.and(h, i32x4.splat(-((k >> 2) & 1))));
    a7 = v128.xor(a7, v128.and(h, i32x4.splat(-((k >> 3) & 1))));
    a8 = v128.xor(a8, v128.and(h, i32x4.splat(-((k >> 4) & 1))));
  }
  const x: u32 = parity128(a0) | (parity128(a1) << 1) | (parity128(a2) << 2) | (parity128(a3) << 3) | (parity128(a4) << 4) |
    (parity128(a5) << 5) | (parity128(a6) << 6) | (parity128(a7) << 7) | (parity128(a8) << 8);
  const p: u32 = (x << 7) | ((x ^ (parity128(col) ? <u32>0x1ff : <u32>0)) << 23);
  finishSimd(b, cb, headerBlock, p, col);
}

@inline function eccBlock(b: usize, cb: u32, headerBlock: bool): void {
  if (ASC_FEATURE_SIMD) {
    if ((cb & 255) == 0 && cb <= 8192) eccBlockSimdRows(b, cb, headerBlock);
    else eccBlockSimd(b, cb, headerBlock);
  } else eccBlockScalar(b, cb, headerBlock);
}

/** 0x89ABCDEF XOR every little-endian word of [ptr+4, ptr+len): the header checksum and the old page format. */
function xorSeeded(ptr: usize, len: u32): u32 {
  let x: u32 = ESE_SEED;
  let q = ptr + 4;
  const end = ptr + <usize>len;
  if (ASC_FEATURE_SIMD) {
    // Bring q to a 16-byte step from the page start, then xor whole vectors.
    for (; q < ptr + 16 && q < end; q += 4) x ^= load<u32>(q);
    let v = i32x4.splat(0);
    for (; q + 16 <= end; q += 16) v = v128.xor(v, v128.load(q));
    x ^= <u32>(i32x4.extract_lane(v, 0) ^ i32x4.extract_lane(v, 1) ^ i32x4.extract_lane(v, 2) ^ i32x4.extract_lane(v, 3));
  }
  for (; q < end; q += 4) x ^= load<u32>(q);
  return x;
}

function isZero(ptr: usize, len: u32): bool {
  const end = ptr + <usize>len;
  for (let q = ptr; q < end; q += 8) if (load<u64>(q) != 0) return false;
  return true;
}

@inline function validPageSize(n: i32): bool {
  return n == 2048 || n == 4096 || n == 8192 || n == 16384 || n == 32768;
}

@inline function blockCount(pageSize: u32): u32 {
  return pageSize <= 8192 ? 1 : 4;
}

@inline function storedOffset(blk: u32): usize {
  return blk == 0 ? 0 : <usize>(32 + 8 * blk);
}

// Slow path scratch: expected (stored) and actual (computed) checksums of up to four blocks, low and high words.
const EXP_LO = memory.data(16);
const EXP_HI = memory.data(16);
const ACT_LO = memory.data(16);
const ACT_HI = memory.data(16);

@inline function flipExpectedBit(k: u32): void {
  // k counts bits of PGHDR2.rgChecksum[0..2] (= blocks 1..3), 64 per block, low word first.
  const blk = 1 + (k >> 6);
  const bit = k & 63;
  if (bit < 32) store<u32>(EXP_LO + <usize>(4 * blk), load<u32>(EXP_LO + <usize>(4 * blk)) ^ (<u32>1 << bit));
  else store<u32>(EXP_HI + <usize>(4 * blk), load<u32>(EXP_HI + <usize>(4 * blk)) ^ (<u32>1 << (bit - 32)));
}

// New-format mismatch: wrong page number (C6), single-bit correction (C5, TryFixPage), or bad.
function classifyNewMismatch(pg: usize, pageSize: u32, pgno: u32, out: usize): i32 {
  const nblk = blockCount(pageSize);
  const cb = nblk == 1 ? pageSize : pageSize >> 2;
  for (let i: u32 = 0; i < nblk; i++) {
    const so = storedOffset(i);
    store<u32>(EXP_LO + <usize>(4 * i), load<u32>(pg + so));
    store<u32>(EXP_HI + <usize>(4 * i), load<u32>(pg + so, 4));
    eccBlock(pg + <usize>(i * cb), cb, i == 0);
    store<u32>(ACT_LO + <usize>(4 * i), gXor ^ pgno);
    store<u32>(ACT_HI + <usize>(4 * i), gEcc);
  }
  // C6: every block's ECC matches and every block's XOR differs by the same non-zero page-number delta.
  let delta: u32 = 0;
  let samePgnoDelta = true;
  for (let i: u32 = 0; i < nblk; i++) {
    const d = load<u32>(EXP_LO + <usize>(4 * i)) ^ load<u32>(ACT_LO + <usize>(4 * i));
    if (load<u32>(EXP_HI + <usize>(4 * i)) != load<u32>(ACT_HI + <usize>(4 * i))) samePgnoDelta = false;
    if (i == 0) delta = d;
    else if (d != delta) samePgnoDelta = false;
  }
  if (samePgnoDelta && delta != 0) {
    store<i32>(out, ESE_PAGE_WRONG_PGNO);
    store<i32>(out, <i32>(pgno ^ delta), 4);
    return 0;
  }
  // C5: each mismatching block must be correctable; the first correctable bit is reported.
  let first: i32 = -1;
  for (let i: u32 = 0; i < nblk; i++) {
    const eLo = load<u32>(EXP_LO + <usize>(4 * i));
    const eHi = load<u32>(EXP_HI + <usize>(4 * i));
    const aLo = load<u32>(ACT_LO + <usize>(4 * i));
    const aHi = load<u32>(ACT_HI + <usize>(4 * i));
    if (eLo == aLo && eHi == aHi) continue;
    const eccDiff = eHi ^ aHi;
    const m = (cb << 3) - 1;
    if ((((eccDiff >> 16) ^ eccDiff) & m) != m || popcnt<u32>(eLo ^ aLo) != 1) {
      store<i32>(out, ESE_PAGE_BAD);
      store<i32>(out, -1, 4);
      return 0;
    }
    const ibit = eccDiff & 0xffff;
    if (ibit >= 8 * cb || (i == 0 && ibit == IBIT_FORMAT_FLAG)) {
      store<i32>(out, ESE_PAGE_BAD);
      store<i32>(out, -1, 4);
      return 0;
    }
    const ibitPage = ibit + 8 * cb * i;
    if (first < 0) {
      first = <i32>ibitPage;
      // A flipped bit inside rgChecksum[0..2] of the header block corrupts the stored checksum of a later block.
      if (nblk > 1 && i == 0 && ibitPage >= 320 && ibitPage < 320 + 192) flipExpectedBit(ibitPage - 320);
    }
  }
  store<i32>(out, ESE_PAGE_CORRECTABLE);
  store<i32>(out, first, 4);
  return 0;
}

function checkOnePage(pg: usize, pageSize: u32, pgno: u32, out: usize): i32 {
  const newFormat = (load<u32>(pg, 36) & FLAG_NEW_CHECKSUM) != 0;
  if (newFormat) {
    const nblk = blockCount(pageSize);
    const cb = nblk == 1 ? pageSize : pageSize >> 2;
    let ok = true;
    for (let i: u32 = 0; i < nblk; i++) {
      eccBlock(pg + <usize>(i * cb), cb, i == 0);
      const so = storedOffset(i);
      if (load<u32>(pg + so) != (gXor ^ pgno) || load<u32>(pg + so, 4) != gEcc) { ok = false; break; }
    }
    if (ok) {
      store<i32>(out, ESE_PAGE_GOOD);
      store<i32>(out, 0, 4);
      return 1;
    }
  } else {
    // C2: old format. On large pages the three block checksums must then be zero (PAGECHECKSUM compares all four).
    const x = xorSeeded(pg, pageSize);
    const rgZero = pageSize <= 8192 || (load<u64>(pg, 40) == 0 && load<u64>(pg, 48) == 0 && load<u64>(pg, 56) == 0);
    if (x == load<u32>(pg) && rgZero) {
      if (load<u32>(pg, 4) == pgno) {
        store<i32>(out, ESE_PAGE_GOOD);
        store<i32>(out, 0, 4);
        return 1;
      }
      store<i32>(out, ESE_PAGE_WRONG_PGNO);
      store<i32>(out, <i32>load<u32>(pg, 4), 4);
      return 0;
    }
  }
  // C7: an all-zero page is uninitialised, not bad (it fails the old-format XOR by construction).
  if (isZero(pg, pageSize)) {
    store<i32>(out, ESE_PAGE_UNINIT);
    store<i32>(out, 0, 4);
    return 0;
  }
  if (!newFormat) {
    store<i32>(out, ESE_PAGE_BAD);
    store<i32>(out, -1, 4);
    return 0;
  }
  return classifyNewMismatch(pg, pageSize, pgno, out);
}

/**
 * Verifies `nPages` consecutive database pages at `ptr` of `pageSize` bytes; page i has page number
 * firstPgno + i. Writes (status, info) as two i32 per page at `out`. Returns the number of good pages.
 */
export function esePageCheck(ptr: usize, nPages: i32, pageSize: i32, firstPgno: u32, out: usize): i32 {
  if (!validPageSize(pageSize)) return ERR_BAD_PAGE_SIZE;
  if (nPages < 0) return ERR_BAD_LENGTH;
  let good = 0;
  for (let i = 0; i < nPages; i++) {
    good += checkOnePage(ptr + <usize>i * <usize>pageSize, <u32>pageSize, firstPgno + <u32>i, out + <usize>(8 * i));
  }
  return good;
}

/**
 * ECC+XOR checksum of one block of cb bytes (1024..8192, a power of two) with page number pgno. Writes the
 * low word (XOR ^ pgno) at out and the high word (ECC) at out+4. Returns 0 or a negative error.
 */
export function eseEccChecksum(ptr: usize, cb: i32, pgno: u32, headerBlock: i32, out: usize): i32 {
  if (cb < 1024 || cb > 8192 || (cb & (cb - 1)) != 0) return ERR_BAD_LENGTH;
  eccBlock(ptr, <u32>cb, headerBlock != 0);
  store<u32>(out, gXor ^ pgno);
  store<u32>(out, gEcc, 4);
  return 0;
}

/** The short (header / old format) checksum of len bytes: 0x89ABCDEF XOR the words after the first. */
export function eseXorChecksum(ptr: usize, len: i32): u32 {
  if (len < 4 || (len & 3) != 0) return 0;
  return xorSeeded(ptr, <u32>len);
}
