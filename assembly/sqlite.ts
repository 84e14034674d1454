// SQLite checksum kernels.
//
// The WAL checksum (fileformat2 §4.2, wal.c walChecksumBytes) reads the input as 32-bit words in the byte order the
// WAL magic names (0x377f0682 little-endian, 0x377f0683 big-endian) and runs, for each pair of words (x0, x1):
//     s0 += x0 + s1;  s1 += x1 + s0        (mod 2^32)
// The same recurrence, always little-endian and seeded with (0, 0), is the cksumvfs page checksum (cksumvfs.c).
//
// walFrameCheck verifies frames with per-frame seeding (reference sqlite-formats.md §2.11): frame k is checked
// against the checksum *stored* in frame k-1 (or the given seed for the first frame of the buffer), so disjoint frame
// ranges can be checked by different workers, and stale frames of older generations can be checked too.
// The SIMD build checks four frames at once, one per lane.

import { ERR_BAD_LENGTH, ERR_BAD_PAGE_SIZE, WAL_FRAME_HDR } from "./abi";

@inline function rd(p: usize, be: bool): u32 {
  const v = load<u32>(p);
  return be ? bswap<u32>(v) : v;
}

@inline function validPageSize(n: i32): bool {
  return n >= 512 && n <= 65536 && (n & (n - 1)) == 0;
}

/** Plain WAL checksum of `len` bytes (a multiple of 8) continuing from (s0, s1); writes (s0, s1) at `out`. */
export function walChecksum(ptr: usize, len: i32, bigEndian: i32, s0: u32, s1: u32, out: usize): i32 {
  if (len < 0 || (len & 7) != 0) return ERR_BAD_LENGTH;
  const be = bigEndian != 0;
  let a = s0, b = s1;
  const end = ptr + <usize>len;
  if (be) {
    for (let p = ptr; p < end; p += 8) {
      a += bswap<u32>(load<u32>(p)) + b;
      b += bswap<u32>(load<u32>(p, 4)) + a;
    }
  } else {
    for (let p = ptr; p < end; p += 8) {
      a += load<u32>(p) + b;
      b += load<u32>(p, 4) + a;
    }
  }
  store<u32>(out, a);
  store<u32>(out, b, 4);
  return 0;
}

// One frame, scalar. Returns 1 when the computed checksum equals the stored one.
@inline function checkOneFrame(f: usize, pageSize: i32, be: bool, seed0: u32, seed1: u32): u8 {
  let a = seed0, b = seed1;
  // WAL rule: the checksum covers frame-header bytes 0..7 (pgno, commit size), not the salts.
  a += rd(f, be) + b;
  b += rd(f + 4, be) + a;
  const pg = f + <usize>WAL_FRAME_HDR;
  const end = pg + <usize>pageSize;
  if (be) {
    for (let p = pg; p < end; p += 8) {
      a += bswap<u32>(load<u32>(p)) + b;
      b += bswap<u32>(load<u32>(p, 4)) + a;
    }
  } else {
    for (let p = pg; p < end; p += 8) {
      a += load<u32>(p) + b;
      b += load<u32>(p, 4) + a;
    }
  }
  // Stored checksums are always big-endian (wal.c walEncodeFrame).
  return <u8>(a == bswap<u32>(load<u32>(f, 16)) && b == bswap<u32>(load<u32>(f, 20)));
}

@inline function vec4(a: u32, b: u32, c: u32, d: u32): v128 {
  let v = i32x4.splat(a);
  v = i32x4.replace_lane(v, 1, b);
  v = i32x4.replace_lane(v, 2, c);
  v = i32x4.replace_lane(v, 3, d);
  return v;
}

// Four consecutive frames at f0, f0+fs, f0+2fs, f0+3fs, lane j = frame j. Writes four status bytes at out.
function checkFourFramesSimd(f0: usize, fs: usize, pageSize: i32, be: bool, seed0: u32, seed1: u32, out: usize): i32 {
  const f1 = f0 + fs, f2 = f1 + fs, f3 = f2 + fs;
  let s0 = vec4(seed0, bswap<u32>(load<u32>(f0, 16)), bswap<u32>(load<u32>(f1, 16)), bswap<u32>(load<u32>(f2, 16)));
  let s1 = vec4(seed1, bswap<u32>(load<u32>(f0, 20)), bswap<u32>(load<u32>(f1, 20)), bswap<u32>(load<u32>(f2, 20)));
  const h0 = vec4(rd(f0, be), rd(f1, be), rd(f2, be), rd(f3, be));
  const h1 = vec4(rd(f0 + 4, be), rd(f1 + 4, be), rd(f2 + 4, be), rd(f3 + 4, be));
  s0 = i32x4.add(i32x4.add(s0, h0), s1);
  s1 = i32x4.add(i32x4.add(s1, h1), s0);
  const swap = i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  const base = <usize>WAL_FRAME_HDR;
  const n = <usize>pageSize;
  for (let k: usize = 0; k < n; k += 16) {
    let v0 = v128.load(f0 + base + k);
    let v1 = v128.load(f1 + base + k);
    let v2 = v128.load(f2 + base + k);
    let v3 = v128.load(f3 + base + k);
    if (be) {
      v0 = i8x16.swizzle(v0, swap);
      v1 = i8x16.swizzle(v1, swap);
      v2 = i8x16.swizzle(v2, swap);
      v3 = i8x16.swizzle(v3, swap);
    }
    // 4x4 transpose: w[m] lane j = word m of frame j.
    const t0 = v128.shuffle<i32>(v0, v1, 0, 4, 1, 5);
    const t1 = v128.shuffle<i32>(v0, v1, 2, 6, 3, 7);
    const t2 = v128.shuffle<i32>(v2, v3, 0, 4, 1, 5);
    const t3 = v128.shuffle<i32>(v2, v3, 2, 6, 3, 7);
    const w0 = v128.shuffle<i64>(t0, t2, 0, 2);
    const w1 = v128.shuffle<i64>(t0, t2, 1, 3);
    const w2 = v128.shuffle<i64>(t1, t3, 0, 2);
    const w3 = v128.shuffle<i64>(t1, t3, 1, 3);
    s0 = i32x4.add(i32x4.add(s0, w0), s1);
    s1 = i32x4.add(i32x4.add(s1, w1), s0);
    s0 = i32x4.add(i32x4.add(s0, w2), s1);
    s1 = i32x4.add(i32x4.add(s1, w3), s0);
  }
  const e0 = vec4(bswap<u32>(load<u32>(f0, 16)), bswap<u32>(load<u32>(f1, 16)), bswap<u32>(load<u32>(f2, 16)), bswap<u32>(load<u32>(f3, 16)));
  const e1 = vec4(bswap<u32>(load<u32>(f0, 20)), bswap<u32>(load<u32>(f1, 20)), bswap<u32>(load<u32>(f2, 20)), bswap<u32>(load<u32>(f3, 20)));
  const eq = v128.and(i32x4.eq(s0, e0), i32x4.eq(s1, e1));
  const r0 = <u8>(i32x4.extract_lane(eq, 0) != 0);
  const r1 = <u8>(i32x4.extract_lane(eq, 1) != 0);
  const r2 = <u8>(i32x4.extract_lane(eq, 2) != 0);
  const r3 = <u8>(i32x4.extract_lane(eq, 3) != 0);
  store<u8>(out, r0);
  store<u8>(out, r1, 1);
  store<u8>(out, r2, 2);
  store<u8>(out, r3, 3);
  return <i32>r0 + <i32>r1 + <i32>r2 + <i32>r3;
}

/**
 * Verifies `nFrames` consecutive WAL frames at `ptr` (each 24 + pageSize bytes). Frame 0 is seeded with
 * (seed0, seed1); frame i > 0 with the checksum stored in frame i-1. Writes one byte per frame at `out`
 * (1 = stored checksum matches) and, when hdrOut != 0, the six header words of each frame (24 bytes per frame, host
 * order) at hdrOut. Returns the number of matching frames, or a negative error.
 * Salt and page-number rules are checked by the caller (they need no arithmetic over the page).
 */
export function walFrameCheck(ptr: usize, nFrames: i32, pageSize: i32, bigEndian: i32, seed0: u32, seed1: u32, out: usize, hdrOut: usize): i32 {
  if (!validPageSize(pageSize)) return ERR_BAD_PAGE_SIZE;
  if (nFrames < 0) return ERR_BAD_LENGTH;
  const be = bigEndian != 0;
  const fs = <usize>(pageSize + WAL_FRAME_HDR);
  // The six big-endian header words of every frame, in host order, so the host need not parse them.
  if (hdrOut != 0) {
    for (let i = 0; i < nFrames; i++) {
      const f = ptr + <usize>i * fs;
      const h = hdrOut + <usize>i * 24;
      store<u32>(h, bswap<u32>(load<u32>(f)));
      store<u32>(h, bswap<u32>(load<u32>(f, 4)), 4);
      store<u32>(h, bswap<u32>(load<u32>(f, 8)), 8);
      store<u32>(h, bswap<u32>(load<u32>(f, 12)), 12);
      store<u32>(h, bswap<u32>(load<u32>(f, 16)), 16);
      store<u32>(h, bswap<u32>(load<u32>(f, 20)), 20);
    }
  }
  let good = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= nFrames; i += 4) {
      const f = ptr + <usize>i * fs;
      let a = seed0, b = seed1;
      if (i > 0) {
        a = bswap<u32>(load<u32>(f - fs, 16));
        b = bswap<u32>(load<u32>(f - fs, 20));
      }
      good += checkFourFramesSimd(f, fs, pageSize, be, a, b, out + <usize>i);
    }
  }
  for (; i < nFrames; i++) {
    const f = ptr + <usize>i * fs;
    let a = seed0, b = seed1;
    if (i > 0) {
      a = bswap<u32>(load<u32>(f - fs, 16));
      b = bswap<u32>(load<u32>(f - fs, 20));
    }
    const r = checkOneFrame(f, pageSize, be, a, b);
    store<u8>(out + <usize>i, r);
    good += <i32>r;
  }
  return good;
}

/**
 * cksumvfs: verifies `nPages` consecutive pages at `ptr`. Each page's last 8 bytes hold the checksum of the first
 * pageSize-8 bytes (little-endian words, seed 0, stored little-endian). Writes 1/0 per page at `out`; returns matches.
 */
export function cksumvfsCheck(ptr: usize, nPages: i32, pageSize: i32, out: usize): i32 {
  if (!validPageSize(pageSize)) return ERR_BAD_PAGE_SIZE;
  if (nPages < 0) return ERR_BAD_LENGTH;
  let good = 0;
  const n = <usize>(pageSize - 8);
  for (let i = 0; i < nPages; i++) {
    const pg = ptr + <usize>i * <usize>pageSize;
    let a: u32 = 0, b: u32 = 0;
    const end = pg + n;
    for (let p = pg; p < end; p += 8) {
      a += load<u32>(p) + b;
      b += load<u32>(p, 4) + a;
    }
    const r = <u8>(a == load<u32>(end) && b == load<u32>(end, 4));
    store<u8>(out + <usize>i, r);
    good += <i32>r;
  }
  return good;
}
