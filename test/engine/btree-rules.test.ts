// B-tree page rules (FORMAT.md B1..B7) on a real page and on copies patched at known offsets, each raising its code;
// and page classification (lock-byte, pointer-map, freelist, overflow, orphans) on synthetic page tables.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, rng } from '../helpers';
import { checkBtreePage, readVarint, readVarintFast, decodeRecord, localPayloadSize, payloadLimits } from '../../workers/engine/formats/sqlite/btree';
import { classifyPages, PAGE_KIND, REF_CHILD, REF_OVERFLOW, type DbPageTable } from '../../workers/engine/formats/sqlite/dbscan';

const db = new Uint8Array(readFileSync(path.join(FIXTURES, 'sqlite/dc3-chinook/chinook.sqlite')));
const PS = 4096;
const page = (n: number) => db.slice((n - 1) * PS, n * PS);

/** First table-leaf page (other than page 1) with at least 3 cells and no freeblocks. */
function leafPage(): { n: number; p: Uint8Array } {
  for (let n = 2; n * PS <= db.length; n++) {
    const p = page(n);
    if (p[0] === 0x0d && ((p[3] << 8) | p[4]) >= 3 && ((p[1] << 8) | p[2]) === 0) return { n, p };
  }
  throw new Error('no leaf page');
}

describe('b-tree page rules', () => {
  it('every b-tree page of a real database passes all rules', () => {
    let checked = 0;
    for (let n = 1; n * PS <= db.length; n++) {
      const p = page(n);
      const t = p[n === 1 ? 100 : 0];
      if (![2, 5, 10, 13].includes(t)) continue;
      expect(checkBtreePage(p, n, PS).problems, `page ${n}`).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  const codes = (p: Uint8Array, n: number) => checkBtreePage(p, n, PS).problems.map((x) => x.code);

  it('B1: an unknown type byte', () => {
    const { n, p } = leafPage();
    p[0] = 0x07;
    expect(codes(p, n)).toEqual(['sqlite.page.bad-type']);
  });
  it('B2: a cell count that overruns the content area', () => {
    const { n, p } = leafPage();
    p[3] = 0x07; p[4] = 0xff;
    expect(codes(p, n)).toContain('sqlite.page.cell-area');
  });
  it('B3: a cell pointer outside the content area', () => {
    const { n, p } = leafPage();
    p[8] = 0x00; p[9] = 0x10;
    expect(codes(p, n)).toContain('sqlite.page.cell-pointer');
  });
  it('B4: a freeblock chain that points backwards', () => {
    const { n, p } = leafPage();
    const start = (p[5] << 8) | p[6];
    p[1] = 0x00; p[2] = 0x20; // first freeblock before the content area
    expect(codes(p, n)).toContain('sqlite.page.freeblock');
    expect(start).toBeGreaterThan(0x20);
  });
  it('B5: more than 60 fragmented bytes', () => {
    const { n, p } = leafPage();
    p[7] = 61;
    expect(codes(p, n)).toContain('sqlite.page.fragmented');
  });
  it('B6: two cell pointers to the same cell (overlap)', () => {
    const { n, p } = leafPage();
    p[10] = p[8]; p[11] = p[9];
    expect(codes(p, n)).toContain('sqlite.page.overlap');
  });
  it('B6 (overlap, space accounting) agrees with a byte map of cells and freeblocks on 20,000 mutated real pages', () => {
    // Reference: mark every byte each cell and freeblock covers; overlap = a byte marked twice; otherwise the marked
    // bytes plus the fragment count must equal the content area. checkBtreePage sorts intervals instead.
    const r = rng(606);
    const pages: Array<{ n: number; p: Uint8Array }> = [];
    for (let n = 2; n * PS <= db.length; n++) if ([2, 5, 10, 13].includes(page(n)[0])) pages.push({ n, p: page(n) });
    let overlaps = 0;
    let mismatches = 0;
    for (let k = 0; k < 20_000; k++) {
      const { n, p: orig } = pages[k % pages.length];
      const p = orig.slice();
      // Cell pointers and the freeblock head moved or duplicated, sizes bent: what B6 exists for.
      for (let m = 0, cnt = 1 + Math.floor(r() * 3); m < cnt; m++) {
        const cells = (p[3] << 8) | p[4];
        const hdr = p[0] === 13 || p[0] === 10 ? 8 : 12;
        const what = r();
        if (what < 0.4 && cells > 1) {
          const a = hdr + 2 * Math.floor(r() * cells), b = hdr + 2 * Math.floor(r() * cells);
          p[a] = p[b]; p[a + 1] = p[b + 1];
        } else if (what < 0.7 && cells > 0) {
          const a = hdr + 2 * Math.floor(r() * cells);
          const v = ((p[a] << 8) | p[a + 1]) + Math.floor(r() * 64) - 32;
          p[a] = (v >> 8) & 0xff; p[a + 1] = v & 0xff;
        } else {
          const start = (p[5] << 8) | p[6];
          const fb = start + Math.floor(r() * Math.max(1, PS - start - 8));
          p[1] = fb >> 8; p[2] = fb & 0xff;
          p[fb] = 0; p[fb + 1] = 0;
          const size = 4 + Math.floor(r() * 200);
          p[fb + 2] = size >> 8; p[fb + 3] = size & 0xff;
        }
      }
      const info = checkBtreePage(p, n, PS);
      const got = info.problems.map((x) => x.code);
      const earlier = got.filter((c) => c !== 'sqlite.page.overlap' && c !== 'sqlite.page.space-mismatch' && c !== 'sqlite.page.key-order');
      const used = new Uint8Array(PS);
      let overlap = false;
      let covered = 0;
      const mark = (from: number, len: number) => {
        for (let i = from; i < from + len && i < PS; i++) {
          if (used[i]) overlap = true;
          else { used[i] = 1; covered++; }
        }
      };
      for (const c of info.cells) mark(c.offset, c.size);
      // The freeblocks B4 accepted: the same walk, stopping where B4 stops.
      for (let fb = info.firstFreeblock, prev = 0, guard = 0; fb !== 0 && guard++ < PS; ) {
        if (fb < info.contentStart || fb + 4 > PS || fb <= prev) break;
        const size = (p[fb + 2] << 8) | p[fb + 3];
        if (size < 4 || fb + size > PS) break;
        mark(fb, size);
        prev = fb;
        const next = (p[fb] << 8) | p[fb + 1];
        if (next !== 0 && next <= fb + size - 1) break;
        fb = next;
      }
      const want: string[] = [];
      if (overlap) want.push('sqlite.page.overlap');
      else if (earlier.length === 0 && covered + info.fragmented !== PS - info.contentStart) want.push('sqlite.page.space-mismatch');
      expect(got.filter((c) => c === 'sqlite.page.overlap' || c === 'sqlite.page.space-mismatch'), `case ${k}, page ${n}`).toEqual(want);
      if (overlap) overlaps++;
      else if (want.length) mismatches++;
    }
    // Both outcomes happen often enough to mean something.
    expect(overlaps).toBeGreaterThan(1000);
    expect(mismatches).toBeGreaterThan(100);
  });
  it('B7: rowids out of order', () => {
    const { n, p } = leafPage();
    // Swap the first two cell pointers.
    const a = [p[8], p[9]];
    p[8] = p[10]; p[9] = p[11]; p[10] = a[0]; p[11] = a[1];
    expect(codes(p, n)).toContain('sqlite.page.key-order');
  });
});

describe('varints, records, payload split', () => {
  it('varints of every length, including the 9-byte form, and bounded reads', () => {
    expect(readVarint(Uint8Array.of(0x7f), 0, 1)).toEqual([127, 1]);
    expect(readVarint(Uint8Array.of(0x81, 0x00), 0, 2)).toEqual([128, 2]);
    expect(readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0, 9)).toEqual([-1, 9]);
    expect(readVarint(Uint8Array.of(0x81, 0x81), 0, 2)).toBeNull();
    // A damaged length can put `end` past the buffer: the buffer's end bounds the read as well (found by the K9 fuzz
    // test, seed 20261201: a 9-byte varint read past a page ended in BigInt(undefined)).
    expect(readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0, 100)).toBeNull();
    expect(readVarint(Uint8Array.of(0x81, 0x81), 0, 9)).toBeNull();
    expect(readVarintFast(Uint8Array.of(0x81), 0, 9)).toBeNull();
    expect(readVarintFast(Uint8Array.of(0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81), 0, 64)).toBeNull();
  });
  it('records: all serial types; malformed headers return null', () => {
    // header: len 8, types: 0 (NULL), 1 (i8), 7 (f64), 8 (0), 9 (1), 13+2*3 = 19 (text 3), 12+2*2 = 16 (blob 2)
    const rec = Uint8Array.of(8, 0, 1, 7, 8, 9, 19, 16, 0xfe, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, 0x61, 0x62, 0x63, 0xca, 0xfe);
    const v = decodeRecord(rec)!;
    expect(v.slice(0, 6)).toEqual([null, -2, Math.PI, 0, 1, 'abc']);
    expect([...(v[6] as Uint8Array)]).toEqual([0xca, 0xfe]);
    expect(decodeRecord(Uint8Array.of(50, 1, 1))).toBeNull();
    expect(decodeRecord(Uint8Array.of(2, 6, 1))).toBeNull();
  });
  it('local payload follows the overflow rule (fileformat2)', () => {
    const lim = payloadLimits(4096, true);
    expect(lim.maxLocal).toBe(4061);
    expect(localPayloadSize(4061, 4096, lim)).toBe(4061);
    // P = X + 1: K = M + ((P - M) mod (U - 4)) = P > X, so only M bytes stay on the page.
    expect(localPayloadSize(4062, 4096, lim)).toBe(lim.minLocal);
    // A payload whose K fits: P = M + (U - 4) + 100 → K = M + 100.
    expect(localPayloadSize(lim.minLocal + 4092 + 100, 4096, lim)).toBe(lim.minLocal + 100);
    expect(localPayloadSize(100000, 4096, lim)).toBeLessThanOrEqual(4061);
  });
});

function table(n: number): DbPageTable {
  return {
    count: n, cls: new Uint8Array(n), flags: new Uint8Array(n), w0: new Uint32Array(n), w1: new Uint32Array(n),
    refStart: new Uint32Array(n + 1), refs: new Uint32Array(0), refKind: new Uint8Array(0), problems: [], problemsDropped: 0,
  };
}

describe('page classification', () => {
  it('names the lock-byte page, pointer-map pages, freelist, overflow chains, zero pages and orphans', async () => {
    // 512-byte pages: the lock-byte page is 2^30/512 + 1.
    const lockPg = 1073741824 / 512 + 1;
    const n = lockPg + 3;
    const t = table(n);
    t.cls.fill(1); // zero
    // Page 1: table interior → children 3 (leaf) and 4 (leaf); leaf 4 has an overflow chain 5 → 6.
    t.cls[0] = 0x05; t.cls[2] = 0x0d; t.cls[3] = 0x0d; t.cls[9] = 0x0d; // page 10: orphan leaf
    t.cls[4] = 0; t.cls[5] = 0;
    t.w0[4] = 6; t.w0[5] = 0;
    const refs: number[] = [3, 4, 5];
    const kinds = [REF_CHILD, REF_CHILD, REF_OVERFLOW];
    t.refStart.fill(3);
    t.refStart[0] = 0; t.refStart[1] = 2; t.refStart[2] = 2; t.refStart[3] = 2; t.refStart[4] = 3;
    t.refs = Uint32Array.from(refs);
    t.refKind = Uint8Array.from(kinds);
    // Freelist: trunk 7 with leaves 8, 9.
    const trunk = new Uint8Array(512);
    trunk.set([0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 9]);
    const c = await classifyPages(t, {
      pageSize: 512, usable: 512, roots: new Map([[1, 'sqlite_schema']]), firstTrunk: 7, freelistCount: 3, autoVacuum: true,
      readTrunk: async (pg) => (pg === 7 ? trunk : null),
    });
    const k = (pg: number) => c.kind[pg - 1];
    expect(k(1)).toBe(PAGE_KIND.tableInterior);
    expect(k(2)).toBe(PAGE_KIND.ptrmap); // first pointer-map page
    expect(k(2 + Math.floor(512 / 5) + 1)).toBe(PAGE_KIND.ptrmap); // next one, J + 1 pages later
    expect(k(3)).toBe(PAGE_KIND.tableLeaf);
    expect(k(5)).toBe(PAGE_KIND.overflow);
    expect(k(6)).toBe(PAGE_KIND.overflow);
    expect(k(7)).toBe(PAGE_KIND.freelistTrunk);
    expect(k(8)).toBe(PAGE_KIND.freelistLeaf);
    expect(k(10)).toBe(PAGE_KIND.orphanBtree);
    expect(k(lockPg)).toBe(PAGE_KIND.lockByte);
    expect(k(n)).toBe(PAGE_KIND.zero);
    expect(c.problems).toEqual([]);
  });

  it('reports pages used twice and references out of range', async () => {
    const t = table(4);
    t.cls[0] = 0x05; t.cls[1] = 0x0d;
    t.refs = Uint32Array.of(2, 2, 99);
    t.refKind = Uint8Array.of(REF_CHILD, REF_CHILD, REF_CHILD);
    t.refStart.set([0, 3, 3, 3, 3]);
    const c = await classifyPages(t, {
      pageSize: 4096, usable: 4096, roots: new Map([[1, 'sqlite_schema']]), firstTrunk: 0, freelistCount: 0, autoVacuum: false,
      readTrunk: async () => null,
    });
    expect(c.problems.map((p) => p.code).sort()).toEqual(['sqlite.page.double-use', 'sqlite.page.ref-out-of-range']);
  });
});
