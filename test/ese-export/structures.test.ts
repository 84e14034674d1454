// page.ts, record.ts, btree.ts and values/dates on built inputs: the cases real samples do not have (large-page node
// flags, ESE97 records, derived columns, broken tag arrays, tree cycles).
import { describe, it, expect } from 'vitest';
import { buildPage, buildRecord, u8, le32, ascii } from './build';
import { PageNodes, NODE_FLAG } from '../../workers/engine/formats/ese/edb/page';
import { decodeRecord, buildRecordSchema, COLTYP, type ColumnDef } from '../../workers/engine/formats/ese/edb/record';
import { EdbPages, noPageCheck } from '../../workers/engine/formats/ese/edb/file';
import { walkLeaves, newTreeStats, seek } from '../../workers/engine/formats/ese/edb/btree';
import { dateFromBytes, oleDateToIso, filetimeToIso } from '../../workers/engine/formats/ese/edb/dates';
import { convertValue, guidText, jsonArray, decodeText } from '../../workers/engine/formats/ese/edb/values';
import { csvField, csvFileName } from '../../workers/engine/formats/ese/edb/csv';
import { MemorySource } from '../../workers/engine/io';
import type { Issue } from '../../workers/engine/types';

const col = (id: number, name: string, coltyp: number, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  id, name, coltyp, flags: 0, codepage: coltyp === COLTYP.text || coltyp === COLTYP.longText ? 1252 : 0, spaceUsage: 0,
  recordOffset: 0, fromTemplate: false, defaultValue: null, ...extra,
});

describe('pages (P5–P7)', () => {
  it('small page: prefix-compressed keys, node flags in the tag', () => {
    const page = buildPage({
      cbPage: 4096, pgno: 9, objid: 8, flags: 0x2, external: ascii('KEY'),
      nodes: [
        { key: ascii('KEYa'), data: u8(1), prefixLen: 3 },
        { key: ascii('KEYb'), data: u8(2), prefixLen: 2, flags: NODE_FLAG.deleted },
        { key: ascii('zz'), data: u8(3, 4) },
      ],
    });
    const p = new PageNodes(page);
    expect(p.tagArrayBad).toBe(false);
    expect(p.problems).toEqual([]);
    expect(p.nodes.map((n) => new TextDecoder().decode(p.key(n)))).toEqual(['KEYa', 'KEYb', 'zz']);
    expect(p.nodes.map((n) => Array.from(p.data(n)))).toEqual([[1], [2], [3, 4]]);
    expect(p.nodes[1].flags & NODE_FLAG.deleted).toBeTruthy();
  });

  it('32 KiB page: PGHDR2, 15-bit tags, node flags in the key length', () => {
    const big = new Uint8Array(9000).fill(7);
    const page = buildPage({ cbPage: 32768, pgno: 1234, objid: 8, flags: 0x2, nodes: [{ key: u8(1, 2), data: big, flags: NODE_FLAG.deleted }, { key: u8(1, 3), data: u8(9) }] });
    const p = new PageNodes(page);
    expect(p.header.pgno).toBe(1234);
    expect(p.nodes.length).toBe(2);
    expect(p.data(p.nodes[0]).length).toBe(9000);
    expect(p.nodes[0].flags).toBe(NODE_FLAG.deleted);
    expect(Array.from(p.key(p.nodes[1]))).toEqual([1, 3]);
  });

  it('a tag count larger than the page leaves no nodes (P5); a tag outside the data area is skipped (P6)', () => {
    const page = buildPage({ cbPage: 4096, pgno: 9, objid: 8, flags: 0x2, nodes: [{ key: u8(1), data: u8(1) }, { key: u8(2), data: u8(2) }] });
    const bad = page.slice();
    bad[34] = 0xff;
    bad[35] = 0x0f;
    expect(new PageNodes(bad).tagArrayBad).toBe(true);
    const bad2 = page.slice();
    // Tag 1 (first node): ib beyond the data area.
    bad2[4096 - 8 + 2] = 0xff;
    bad2[4096 - 8 + 3] = 0x0f;
    const p = new PageNodes(bad2);
    expect(p.problems.map((x) => x.rule)).toEqual(['P6']);
    expect(p.nodes.length).toBe(1);
  });
});

describe('records (R1–R8)', () => {
  const schema = buildRecordSchema([
    col(1, 'A', COLTYP.long, { recordOffset: 4 }),
    col(2, 'B', COLTYP.short, { recordOffset: 8 }),
    col(3, 'C', COLTYP.long, { recordOffset: 10, defaultValue: le32(77) }),
    col(128, 'V1', COLTYP.text),
    col(129, 'V2', COLTYP.binary),
    col(130, 'V3', COLTYP.binary, { defaultValue: u8(5) }),
    col(256, 'T1', COLTYP.longText),
    col(257, 'T2', COLTYP.long, { flags: 0x8 }),
    col(258, 'T3', COLTYP.longBinary),
    col(259, 'T4', COLTYP.text, { defaultValue: ascii('dflt') }),
  ]);
  const val = (d: ReturnType<typeof decodeRecord>, i: number) => d.values[i]?.pieces.map((p) => Array.from(p.bytes));

  it('fixed, variable and tagged columns, NULL bits and defaults (R2–R5)', () => {
    const rec = buildRecord({
      fixed: [le32(42), null],
      variable: [ascii('hi'), null],
      tagged: [{ fid: 256, data: ascii('long') }, { fid: 258, header: 0x04, data: le32(0x1234) }, { fid: 259, data: u8(), nullSmall: true }],
    });
    const d = decodeRecord(rec, schema, true, true);
    expect(d.problems).toEqual([]);
    expect(val(d, 0)).toEqual([[42, 0, 0, 0]]);
    expect(d.values[1]).toBeNull();
    expect(d.values[2]?.fromDefault).toBe(true);
    expect(val(d, 2)).toEqual([[77, 0, 0, 0]]);
    expect(new TextDecoder().decode(d.values[3]!.pieces[0].bytes)).toBe('hi');
    expect(d.values[4]).toBeNull();
    expect(val(d, 5)).toEqual([[5]]);
    expect(new TextDecoder().decode(d.values[6]!.pieces[0].bytes)).toBe('long');
    expect(d.values[7]).toBeNull();
    expect(d.values[8]!.pieces[0]).toMatchObject({ separated: true });
    // An explicit NULL overrides the default (tagfld.hxx fNullSmallPage).
    expect(d.values[9]).toBeNull();
  });

  it('two-values and multi-values with a separated instance and a compressed first value (R7)', () => {
    const two = buildRecord({ tagged: [{ fid: 257, header: 0x18, data: u8(4, ...le32(1), ...le32(2)) }] });
    const d2 = decodeRecord(two, schema, true, true);
    expect(d2.values[7]).toMatchObject({ multi: true });
    expect(val(d2, 7)).toEqual([[1, 0, 0, 0], [2, 0, 0, 0]]);
    // Offsets 6 | 0x8000 (separated LID), 10, 11; values: LID, 'x', compressed 'yy'.
    const mv = u8(6, 0x80, 10, 0, 11, 0, ...le32(99), 0x78, 0x10, 0x79);
    const d3 = decodeRecord(buildRecord({ tagged: [{ fid: 258, header: 0x0b, data: mv }] }), schema, true, true);
    expect(d3.values[8]!.pieces.map((p) => [p.separated, p.compressed, p.bytes.length])).toEqual([[true, true, 4], [false, false, 1], [false, false, 2]]);
  });

  it('large pages: the header byte is always there and 0x20 marks NULL (R5)', () => {
    const rec = buildRecord({ large: true, tagged: [{ fid: 256, header: 0x00, data: ascii('x') }, { fid: 259, header: 0x20, data: u8() }] });
    const d = decodeRecord(rec, schema, false, true);
    expect(new TextDecoder().decode(d.values[6]!.pieces[0].bytes)).toBe('x');
    expect(d.values[9]).toBeNull();
  });

  it('derived (template) tagged columns are matched by the derived bit', () => {
    const s = buildRecordSchema([col(256, 'tpl', COLTYP.long, { fromTemplate: true }), col(256, 'own', COLTYP.long)]);
    const rec = buildRecord({ tagged: [{ fid: 256, derived: true, data: le32(1) }, { fid: 256, data: le32(2) }] });
    const d = decodeRecord(rec, s, true, true);
    expect(d.problems).toEqual([]);
    expect(val(d, 0)).toEqual([[1, 0, 0, 0]]);
    expect(val(d, 1)).toEqual([[2, 0, 0, 0]]);
  });

  it('ESE97 tagged format on pages without fPageNewRecordFormat (R8)', () => {
    const head = buildRecord({ fixed: [le32(5)] });
    const old = (fid: number, bits: number, data: Uint8Array) => [fid & 0xff, fid >> 8, (bits | data.length) & 0xff, (bits | data.length) >> 8, ...data];
    const rec = u8(...head, ...old(256, 0x8000, u8(0, ...ascii('inline'))), ...old(257, 0, le32(1)), ...old(257, 0, le32(2)), ...old(258, 0x8000, u8(1, ...le32(7))));
    const d = decodeRecord(rec, schema, true, false);
    expect(d.problems).toEqual([]);
    expect(new TextDecoder().decode(d.values[6]!.pieces[0].bytes)).toBe('inline');
    expect(d.values[7]).toMatchObject({ multi: true });
    expect(val(d, 7)).toEqual([[1, 0, 0, 0], [2, 0, 0, 0]]);
    expect(d.values[8]!.pieces[0]).toMatchObject({ separated: true });
  });

  it('broken headers and tag arrays are problems, not exceptions (R1, R5)', () => {
    expect(decodeRecord(u8(1, 2), schema, true, true).problems[0]).toMatch(/R1/);
    expect(decodeRecord(u8(200, 127, 4, 0), schema, true, true).problems[0]).toMatch(/R1/);
    const rec = buildRecord({ fixed: [le32(1)], tagged: [{ fid: 256, data: ascii('ok') }, { fid: 257, data: le32(3) }] });
    const bad = rec.slice();
    // Second TAGFLD's ib points far past the record.
    bad[bad.length - 6 - 4 + 2] = 0xff;
    const d = decodeRecord(bad, schema, true, true);
    expect(d.problems.some((p) => /R5/.test(p))).toBe(true);
    expect(val(d, 0)).toEqual([[1, 0, 0, 0]]);
  });
});

/** A tiny database file: header (magic, page size) at physical pages 0 and 1, then the given logical pages. */
function buildDb(cbPage: number, pages: Map<number, Uint8Array>): Uint8Array {
  const n = Math.max(...pages.keys()) + 2;
  const f = new Uint8Array(n * cbPage);
  for (const copy of [0, 1]) {
    f.set([0xef, 0xcd, 0xab, 0x89], copy * cbPage + 4);
    f.set(le32(cbPage), copy * cbPage + 236);
  }
  for (const [pgno, p] of pages) f.set(p, (pgno + 1) * cbPage);
  return f;
}

describe('trees (T2–T4)', () => {
  const leaf = (pgno: number, keys: number[], prev: number, next: number) =>
    buildPage({ cbPage: 4096, pgno, objid: 9, flags: 0x2, prev, next, nodes: keys.map((k) => ({ key: u8(k), data: u8(k) })) });
  const branch = (pgno: number, children: Array<[number, number]>, root = false) =>
    buildPage({ cbPage: 4096, pgno, objid: 9, flags: root ? 0x1 : 0x4, nodes: children.map(([k, c]) => ({ key: k < 0 ? u8() : u8(k), data: le32(c) })) });

  function tree(extra: Array<[number, Uint8Array]> = []) {
    const pages = new Map<number, Uint8Array>([
      [5, branch(5, [[20, 6], [-1, 7]], true)],
      [6, branch(6, [[10, 10], [-1, 11]])],
      [7, branch(7, [[30, 12], [-1, 13]])],
      [10, leaf(10, [1, 2], 0, 11)],
      [11, leaf(11, [11, 12], 10, 12)],
      [12, leaf(12, [21, 22], 11, 13)],
      [13, leaf(13, [31, 32], 12, 0)],
      ...extra,
    ]);
    return new EdbPages(new MemorySource('t.edb', buildDb(4096, pages)), 4096, noPageCheck, []);
  }

  async function keys(pages: EdbPages, issues: Issue[] = []) {
    const stats = newTreeStats();
    const out: Array<[number, number, boolean]> = [];
    for await (const l of walkLeaves(pages, { what: 't', pgnoFDP: 5, objid: 9 }, issues, stats)) {
      for (const n of l.nodes.nodes) out.push([l.pgno, l.nodes.page[n.dataStart], l.via !== 'tree']);
    }
    return { out, stats };
  }

  it('walks leaves in key order', async () => {
    const { out, stats } = await keys(tree());
    expect(out.map((x) => x[1])).toEqual([1, 2, 11, 12, 21, 22, 31, 32]);
    expect(stats).toMatchObject({ pages: 7, leaves: 4, lostSubtrees: 0 });
  });

  it('recovers the leaves under a lost branch along the leaf chain (T4, forward and backward)', async () => {
    const issues: Issue[] = [];
    const pages = tree([[7, branch(7, [[30, 12], [-1, 13]]).map((b, i) => (i >= 24 && i < 28 ? 0x63 : b))]]);
    const { out, stats } = await keys(pages, issues);
    expect(out.map((x) => x[1])).toEqual([1, 2, 11, 12, 21, 22, 31, 32]);
    expect(out.filter((x) => x[2]).map((x) => x[0])).toEqual([12, 12, 13, 13]);
    expect(stats).toMatchObject({ lostSubtrees: 1, recoveredLeaves: 2 });
    expect(issues.map((i) => i.code)).toEqual(['ese.tree.wrong-objid']);
    const pages2 = tree([[6, new Uint8Array(4096)]]);
    const r2 = await keys(pages2);
    expect(r2.out.map((x) => x[1])).toEqual([1, 2, 11, 12, 21, 22, 31, 32]);
    expect(r2.stats.recoveredLeaves).toBe(2);
  });

  it('cuts a cycle and a child pointer outside the file (T2, P8)', async () => {
    const issues: Issue[] = [];
    const pages = tree([[7, branch(7, [[30, 12], [40, 5], [50, 99999], [-1, 13]])]]);
    const { out } = await keys(pages, issues);
    expect(out.map((x) => x[1])).toEqual([1, 2, 11, 12, 21, 22, 31, 32]);
    expect(issues.map((i) => i.code).sort()).toEqual(['ese.tree.cycle', 'ese.tree.page-missing']);
  });

  it('seek finds a key by exclusive upper bounds (T3)', async () => {
    const pages = tree();
    for (const k of [1, 11, 12, 21, 31, 32]) {
      const s = await seek(pages, { what: 't', pgnoFDP: 5, objid: 9 }, u8(k), []);
      expect(s && s.page.page[s.page.nodes[s.index].dataStart]).toBe(k);
    }
  });
});

describe('values and dates (V1–V8, D1)', () => {
  it('OLE dates, including negative ones, and FILETIMEs', () => {
    expect(oleDateToIso(0)).toBe('1899-12-30T00:00:00.000');
    expect(oleDateToIso(-1.25)).toBe('1899-12-29T06:00:00.000');
    expect(oleDateToIso(2.5)).toBe('1900-01-01T12:00:00.000');
    expect(filetimeToIso(116444736000000000n)).toBe('1970-01-01T00:00:00.000Z');
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, 132914036330626783n, true);
    expect(dateFromBytes(b)).toEqual({ iso: '2022-03-10T16:33:53.062Z', kind: 'filetime' });
    new DataView(b.buffer).setFloat64(0, 44630.5, true);
    expect(dateFromBytes(b)).toEqual({ iso: '2022-03-10T12:00:00.000', kind: 'ole' });
    new DataView(b.buffer).setBigInt64(0, -1n, true);
    expect(dateFromBytes(b)).toBeNull();
  });

  it('GUIDs, 64-bit integers, NaN, text fallbacks and JSON arrays', () => {
    expect(guidText(u8(0xf1, 0x0a, 0x36, 0x3f, 0x66, 0x67, 0xdc, 0x46, 0x9a, 0xf2, 0x0d, 0xac, 0xf2, 0x95, 0xc2, 0xa1))).toBe('3f360af1-6766-46dc-9af2-0dacf295c2a1');
    const max = new Uint8Array(8);
    new DataView(max.buffer).setBigInt64(0, 9223372036854775807n, true);
    expect(convertValue(COLTYP.longLong, 0, max).value).toBe(9223372036854775807n);
    const nan = new Uint8Array(8);
    new DataView(nan.buffer).setFloat64(0, NaN, true);
    expect(convertValue(COLTYP.ieeeDouble, 0, nan).value).toBe('NaN');
    expect(decodeText(u8(0x61, 0, 0, 0), 1200)).toBe('a');
    expect(decodeText(u8(0x00, 0xd8, 0x61, 0x00), 1200)).toBeNull();
    expect(convertValue(COLTYP.text, 1200, u8(0x00, 0xd8))).toMatchObject({ kept: 'text-not-decodable' });
    expect(convertValue(COLTYP.long, 0, u8(1, 2, 3))).toMatchObject({ kept: 'size-mismatch' });
    expect(jsonArray([{ value: 1 }, { value: 2n ** 63n - 1n }, { value: 'a"b' }, { value: u8(0xab) }, { value: null, raw: 5 }])).toBe('[1,9223372036854775807,"a\\"b","ab",5]');
  });

  it('CSV fields and file names (E7)', () => {
    expect([null, '', 'a,b', 'q"x', 12n, 1.5, u8(0, 255)].map(csvField)).toEqual(['', '""', '"a,b"', '"q""x"', '12', '1.5', '00ff']);
    const used = new Set<string>();
    expect(['{A}', 'a/b', 'A/B', '..x'].map((n) => csvFileName(n, used))).toEqual(['{A}.csv', 'a_b.csv', 'A_B~2.csv', '_x.csv']);
  });
});

