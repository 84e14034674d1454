// The WAL/cksumvfs kernels (SIMD and scalar builds) against a short TypeScript reference on random buffers and on
// a real WAL (known vector: every frame of plaso's wal_database.db-wal verifies).
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadKernels, rng, randomBytes, FIXTURES } from '../helpers';
import type { Kernels } from '../../workers/engine/kernels/kernels';
import * as abiTs from '../../workers/engine/kernels/abi';

/** Reference twin: SQLite's walChecksumBytes. */
function refChecksum(b: Uint8Array, be: boolean, s0: number, s1: number): [number, number] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < b.length; i += 8) {
    s0 = (s0 + dv.getUint32(i, !be) + s1) >>> 0;
    s1 = (s1 + dv.getUint32(i + 4, !be) + s0) >>> 0;
  }
  return [s0, s1];
}

/** Reference twin of walFrameCheck: per-frame seeding. */
function refFrameCheck(frames: Uint8Array, n: number, ps: number, be: boolean, seed: [number, number]): Uint8Array {
  const out = new Uint8Array(n);
  const dv = new DataView(frames.buffer, frames.byteOffset, frames.byteLength);
  const fs = ps + 24;
  for (let i = 0; i < n; i++) {
    const f = i * fs;
    let s: [number, number] = i === 0 ? seed : [dv.getUint32(f - fs + 16), dv.getUint32(f - fs + 20)];
    s = refChecksum(frames.subarray(f, f + 8), be, s[0], s[1]);
    s = refChecksum(frames.subarray(f + 24, f + 24 + ps), be, s[0], s[1]);
    out[i] = s[0] === dv.getUint32(f + 16) && s[1] === dv.getUint32(f + 20) ? 1 : 0;
  }
  return out;
}

/** Builds n frames; each frame's checksum is correct with probability pGood, chained from `seed`. */
function makeFrames(n: number, ps: number, be: boolean, seed: [number, number], r: () => number, pGood: number): Uint8Array {
  const fs = ps + 24;
  const buf = randomBytes(n * fs, r);
  const dv = new DataView(buf.buffer);
  let s = seed;
  for (let i = 0; i < n; i++) {
    const f = i * fs;
    let c = refChecksum(buf.subarray(f, f + 8), be, s[0], s[1]);
    c = refChecksum(buf.subarray(f + 24, f + 24 + ps), be, c[0], c[1]);
    if (r() < pGood) {
      dv.setUint32(f + 16, c[0]);
      dv.setUint32(f + 20, c[1]);
    }
    s = [dv.getUint32(f + 16), dv.getUint32(f + 20)];
  }
  return buf;
}

function runKernel(k: Kernels, frames: Uint8Array, n: number, ps: number, be: boolean, seed: [number, number]): Uint8Array {
  const hdrOff = (frames.length + n + 3) & ~3;
  const view = k.scratch(hdrOff + n * 24);
  view.set(frames);
  const p = k.ptr(view);
  const good = k.walFrameCheckAt(p, n, ps, be, seed, p + frames.length, p + hdrOff);
  const out = new Uint8Array(k.exports.memory.buffer, p + frames.length, n).slice();
  expect(good).toBe(out.reduce((a, b) => a + b, 0));
  // The header words the kernel hands back equal the big-endian words of each frame header.
  const hdr = new Uint32Array(k.exports.memory.buffer, p + hdrOff, n * 6);
  const dv = new DataView(frames.buffer, frames.byteOffset, frames.byteLength);
  for (let i = 0; i < n; i++) for (let w = 0; w < 6; w++) expect(hdr[i * 6 + w]).toBe(dv.getUint32(i * (ps + 24) + 4 * w));
  return out;
}

for (const which of ['simd', 'scalar'] as const) {
  describe(`kernels (${which} build)`, () => {
    let k: Kernels;
    beforeAll(async () => {
      k = await loadKernels(which);
      expect(k.simd).toBe(which === 'simd');
    });

    it('ABI constants agree with assembly/abi.ts', () => {
      const src = readFileSync(path.join(__dirname, '../../assembly/abi.ts'), 'utf8');
      for (const [name, value] of Object.entries(abiTs)) {
        const m = new RegExp(`export const ${name}: i32 = (-?\\d+);`).exec(src);
        expect(m, name).not.toBeNull();
        expect(Number(m![1]), name).toBe(value);
      }
      expect(k.exports.ABI_VERSION.value).toBe(abiTs.ABI_VERSION);
    });

    it('walChecksum matches the reference on random buffers, both byte orders', () => {
      const r = rng(which === 'simd' ? 1 : 2);
      for (let t = 0; t < 200; t++) {
        const len = 8 * Math.floor(r() * 600);
        const b = randomBytes(len, r);
        const be = r() < 0.5;
        const s0 = (r() * 2 ** 32) >>> 0;
        const s1 = (r() * 2 ** 32) >>> 0;
        expect(k.walChecksum(b, be, s0, s1)).toEqual(refChecksum(b, be, s0, s1));
      }
    });

    it('walFrameCheck matches the reference for every page size, both byte orders, odd counts', () => {
      const r = rng(which === 'simd' ? 3 : 4);
      for (const ps of [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]) {
        for (const be of [false, true]) {
          const n = 1 + Math.floor(r() * (ps >= 32768 ? 6 : 13));
          const seed: [number, number] = [(r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0];
          const frames = makeFrames(n, ps, be, seed, r, 0.7);
          const want = refFrameCheck(frames, n, ps, be, seed);
          expect(runKernel(k, frames, n, ps, be, seed), `ps=${ps} be=${be} n=${n}`).toEqual(want);
        }
      }
    });

    it('detects any single flipped bit in a frame', () => {
      const r = rng(5);
      const ps = 1024;
      const seed: [number, number] = [1, 2];
      const frames = makeFrames(8, ps, false, seed, r, 1);
      expect([...runKernel(k, frames, 8, ps, false, seed)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      for (let t = 0; t < 50; t++) {
        const f = Math.floor(r() * 8);
        // Bytes covered by the checksum: header 0..7 and the page (the salts 8..15 are not summed).
        const inPage = r() < 0.9;
        const off = f * (ps + 24) + (inPage ? 24 + Math.floor(r() * ps) : Math.floor(r() * 8));
        const bit = 1 << Math.floor(r() * 8);
        frames[off] ^= bit;
        const res = runKernel(k, frames, 8, ps, false, seed);
        expect(res[f]).toBe(0);
        frames[off] ^= bit;
      }
    });

    it('known vector: every frame of a real WAL (plaso) verifies', () => {
      const wal = new Uint8Array(readFileSync(path.join(FIXTURES, 'sqlite/plaso/wal_database.db-wal')));
      const dv = new DataView(wal.buffer);
      const ps = dv.getUint32(8);
      const n = Math.floor((wal.length - 32) / (ps + 24));
      expect(n).toBe(9);
      const seed: [number, number] = [dv.getUint32(24), dv.getUint32(28)];
      expect(k.walChecksum(wal.subarray(0, 24), false)).toEqual(seed);
      expect([...runKernel(k, wal.subarray(32), n, ps, false, seed)]).toEqual(new Array(9).fill(1));
    });

    it('cksumvfsCheck matches the reference', () => {
      const r = rng(6);
      for (const ps of [512, 4096, 65536]) {
        const n = 5;
        const pages = randomBytes(n * ps, r);
        const dv = new DataView(pages.buffer);
        const want = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const p = pages.subarray(i * ps, (i + 1) * ps);
          const [a, b] = refChecksum(p.subarray(0, ps - 8), false, 0, 0);
          if (i % 2 === 0) {
            dv.setUint32(i * ps + ps - 8, a, true);
            dv.setUint32(i * ps + ps - 4, b, true);
            want[i] = 1;
          }
        }
        const view = k.scratch(n * ps + n);
        view.set(pages);
        const ptr = k.ptr(view);
        k.cksumvfsCheckAt(ptr, n, ps, ptr + n * ps);
        expect(new Uint8Array(k.exports.memory.buffer, ptr + n * ps, n).slice()).toEqual(want);
      }
    });

    it('rejects bad arguments with a status, not a trap', () => {
      const view = k.scratch(64);
      const p = k.ptr(view);
      expect(() => k.walFrameCheckAt(p, 1, 1000, false, [0, 0], p + 32)).toThrow(/kernel status -2/);
      expect(() => k.walChecksum(new Uint8Array(7), false)).toThrow(/kernel status -1/);
    });
  });
}
