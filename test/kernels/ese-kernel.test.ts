// The ESE checksum kernels (SIMD and scalar builds) against the TypeScript reference (checksum.ts) on random
// blocks and pages of every size, on damage of known kinds, on the known-answer page from strozfriedberg/ese_parser,
// and on every page of real databases.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { loadKernels, rng, randomBytes, FIXTURES } from '../helpers';
import type { Kernels } from '../../workers/engine/kernels/kernels';
import {
  eccXorChecksum, shortChecksum, verifyPage, stampPage, stampShortChecksum, PAGE_STATUS_NAMES, IBIT_FORMAT_FLAG,
} from '../../workers/engine/formats/ese/checksum';

const ESE = path.join(FIXTURES, 'ese');

function kernelVerdicts(k: Kernels, pages: Uint8Array, n: number, ps: number, firstPgno: number): Array<{ status: string; info: number }> {
  const view = k.scratch(n * ps + n * 8);
  view.set(pages.subarray(0, n * ps));
  const p = k.ptr(view);
  const good = k.esePageCheckAt(p, n, ps, firstPgno, p + n * ps);
  const res = new Int32Array(k.exports.memory.buffer, p + n * ps, n * 2);
  const out = [];
  for (let i = 0; i < n; i++) out.push({ status: PAGE_STATUS_NAMES[res[2 * i]], info: res[2 * i + 1] });
  expect(good).toBe(out.filter((o) => o.status === 'good').length);
  return out;
}

/** The TS verdict in the kernel's (status, info) shape. */
function refVerdict(page: Uint8Array, pgno: number, ps: number): { status: string; info: number } {
  const v = verifyPage(page, pgno, ps);
  const info = v.status === 'correctable' ? v.bit! : v.status === 'wrong-pgno' ? v.claimedPgno! | 0 : v.status === 'bad' ? -1 : 0;
  return { status: v.status, info };
}

function makeOldFormatPage(r: () => number, ps: number, pgno: number): Uint8Array {
  const pg = randomBytes(ps, r);
  pg[37] &= ~0x20; // clear fPageNewChecksumFormat
  if (ps > 8192) pg.fill(0, 40, 64);
  new DataView(pg.buffer).setUint32(4, pgno, true);
  stampShortChecksum(pg, 0, ps);
  return pg;
}

describe.each(['simd', 'scalar'] as const)('ESE kernels (%s build)', (which) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await loadKernels(which);
    expect(k.simd).toBe(which === 'simd');
  });

  it('reproduces the known-answer checksum 12050322830504531039 (ese_parser, pgno 1793, header block)', () => {
    const b = new Uint8Array(readFileSync(path.join(ESE, 'ese_parser', 'checksum_buffer_12050322830504531039.bin')));
    const want = 12050322830504531039n;
    const c = k.eseEccChecksum(b, 1793, true);
    expect((BigInt(c.ecc) << 32n) | BigInt(c.xor)).toBe(want);
    const ref = eccXorChecksum(b, 0, 8192, 1793, true);
    expect((BigInt(ref.ecc) << 32n) | BigInt(ref.xor)).toBe(want);
  });

  it('ECC+XOR of random blocks (1..8 KiB, header and data blocks) equals the reference', () => {
    const r = rng(7);
    for (const cb of [1024, 2048, 4096, 8192]) {
      for (let i = 0; i < 40; i++) {
        const b = randomBytes(cb, r);
        const pgno = (r() * 2 ** 32) >>> 0;
        const hdr = i % 2 === 0;
        expect(k.eseEccChecksum(b, pgno, hdr)).toEqual(eccXorChecksum(b, 0, cb, pgno, hdr));
      }
    }
  });

  it('short checksum of random buffers equals the reference', () => {
    const r = rng(8);
    for (const len of [4, 8, 12, 668, 748, 4096, 8192, 32768, 4100]) {
      const b = randomBytes(len, r);
      expect(k.eseXorChecksum(b)).toBe(shortChecksum(b));
    }
  });

  it('page verdicts on random pages of every size match the reference (good, single-bit, multi-bit, wrong page, old format, zero)', () => {
    const r = rng(9);
    let counts: Record<string, number> = {};
    for (const ps of [2048, 4096, 8192, 16384, 32768]) {
      const n = 48;
      const pages = new Uint8Array(n * ps);
      const flipped = new Map<number, number>();
      const first = 1000 + Math.floor(r() * 1000);
      for (let i = 0; i < n; i++) {
        const pgno = first + i;
        let pg = randomBytes(ps, r);
        const kind = i % 8;
        if (kind === 6) pg = makeOldFormatPage(r, ps, pgno);
        else if (kind === 7) pg = new Uint8Array(ps);
        else stampPage(pg, kind === 3 ? pgno + 17 : pgno, ps);
        if (kind === 1) {
          let bit = Math.floor(r() * ps * 8);
          if (bit === IBIT_FORMAT_FLAG) bit++;
          pg[bit >> 3] ^= 1 << (bit & 7);
          flipped.set(i, bit);
        } else if (kind === 2) {
          for (let f = 0; f < 2; f++) { const bit = Math.floor(r() * ps * 8); pg[bit >> 3] ^= 1 << (bit & 7); }
        } else if (kind === 4) {
          pg.fill(0xaa, Math.floor(ps / 2), Math.floor(ps / 2) + 64);
        } else if (kind === 5 && ps > 8192) {
          // A flipped bit inside rgChecksum: the block-0 fix also repairs a later block's stored checksum.
          const bit = 320 + Math.floor(r() * 192);
          pg[bit >> 3] ^= 1 << (bit & 7);
          flipped.set(i, bit);
        }
        pages.set(pg, i * ps);
      }
      const got = kernelVerdicts(k, pages, n, ps, first);
      for (let i = 0; i < n; i++) {
        const ref = refVerdict(pages.subarray(i * ps, (i + 1) * ps), first + i, ps);
        expect({ i, ps, ...got[i] }).toEqual({ i, ps, ...ref });
        counts[ref.status] = (counts[ref.status] ?? 0) + 1;
        if (flipped.has(i)) expect({ ps, i, status: got[i].status, bit: got[i].info }).toEqual({ ps, i, status: 'correctable', bit: flipped.get(i) });
        if (i % 8 === 3) expect({ status: got[i].status, claimed: got[i].info }).toEqual({ status: 'wrong-pgno', claimed: first + i + 17 });
        if (i % 8 === 6) expect(got[i].status).toBe('good');
        if (i % 8 === 7) expect(got[i].status).toBe('uninitialized');
      }
    }
    // Every verdict kind occurred (the test would prove nothing otherwise).
    for (const s of ['good', 'bad', 'correctable', 'wrong-pgno', 'uninitialized']) expect(counts[s] ?? 0).toBeGreaterThan(0);
    counts = {};
  });

  it('an old-format page with another page number is a wrong page number; a corrupted one is bad', () => {
    const r = rng(10);
    const pg = makeOldFormatPage(r, 4096, 77);
    expect(kernelVerdicts(k, pg, 1, 4096, 78)[0]).toEqual({ status: 'wrong-pgno', info: 77 });
    pg[100] ^= 1;
    expect(kernelVerdicts(k, pg, 1, 4096, 77)[0]).toEqual({ status: 'bad', info: -1 });
  });

  it('the old-format page of libesedb verifies as page 1', () => {
    const pg = new Uint8Array(readFileSync(path.join(ESE, 'libesedb', 'page.1')));
    expect(kernelVerdicts(k, pg, 1, 4096, 1)[0]).toEqual({ status: 'good', info: 0 });
    expect(refVerdict(pg, 1, 4096).status).toBe('good');
  });

  it('every page of real databases gets the same verdict from kernel and reference', () => {
    const dbs: Array<[string, Uint8Array, Record<string, number>]> = [
      ['srum-rathbun/SRUDB.dat', new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', 'SRUDB.dat'))), { good: 104, uninitialized: 86 }],
      ['dissect/SRUDB.dat', new Uint8Array(readFileSync(path.join(ESE, 'dissect', 'SRUDB.dat'))), { good: 79, uninitialized: 63, bad: 16 }],
      ['windows-search/Windows.edb', new Uint8Array(gunzipSync(readFileSync(path.join(ESE, 'windows-search', 'Windows.edb.gz')))), { good: 211, uninitialized: 299 }],
      ['ese_parser/decompress_test.edb', new Uint8Array(gunzipSync(readFileSync(path.join(ESE, 'ese_parser', 'decompress_test.edb.gz')))), { good: 18, uninitialized: 236 }],
    ];
    for (const [name, b, want] of dbs) {
      const ps = new DataView(b.buffer, b.byteOffset).getUint32(236, true) || 4096;
      const n = b.length / ps - 2;
      const got = kernelVerdicts(k, b.subarray(2 * ps), n, ps, 1);
      const tally: Record<string, number> = {};
      for (let i = 0; i < n; i++) {
        const ref = refVerdict(b.subarray((i + 2) * ps, (i + 3) * ps), i + 1, ps);
        expect({ name, pgno: i + 1, ...got[i] }).toEqual({ name, pgno: i + 1, ...ref });
        tally[ref.status] = (tally[ref.status] ?? 0) + 1;
      }
      expect({ name, tally }).toEqual({ name, tally: want });
    }
  });
});
