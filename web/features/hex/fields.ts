// Field maps for the hex view: which bytes of a page, WAL frame or journal record are which field, by the layouts
// of SQLite's file format (fileformat2 §1.3 database header, §1.6 b-tree pages, §1.5/§1.7 overflow/freelist,
// §1.8 pointer maps, §4 WAL, §3 rollback journal). Pure functions over bytes (they run in the case worker).
//
// Rules:
//   H1 every field lies inside the bytes given; anything claimed by a length or offset read from the bytes is
//      clipped to them (damaged pages produce fewer fields, never an exception)
//   H2 a field's `key` names it for the page's message tables; `value` is language-neutral (numbers, hex)
//   H3 deeper fields (cell parts) sit inside shallower ones (the cell); the view names the deepest one

import type { HexField } from '../../../workers/hosts/case-api';
import { checkBtreePage, isBtreeType, readVarint, PAGE_TYPE } from '../../../workers/engine/formats/sqlite/btree';
import { PAGE_KIND } from '../../../workers/engine/formats/sqlite/dbscan';

const be32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const be16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const hx = (n: number, w = 8) => '0x' + n.toString(16).padStart(w, '0');

class Fields {
  readonly out: HexField[] = [];
  constructor(private readonly len: number) {}
  add(start: number, size: number, key: string, value: string, depth = 0, n?: number): void {
    // H1
    const s = Math.max(0, start);
    const e = Math.min(this.len, start + size);
    if (e <= s) return;
    const f: HexField = { start: s, end: e, key, value, depth };
    if (n !== undefined) f.n = n;
    this.out.push(f);
  }
}

const DB_HEADER: Array<[number, number, string, (b: Uint8Array, o: number) => string]> = [
  [0, 16, 'f.magic', (b, o) => JSON.stringify(String.fromCharCode(...b.subarray(o, o + 15)))],
  [16, 2, 'f.pageSize', (b, o) => { const v = be16(b, o); return String(v === 1 ? 65536 : v); }],
  [18, 1, 'f.writeVersion', (b, o) => String(b[o])],
  [19, 1, 'f.readVersion', (b, o) => String(b[o])],
  [20, 1, 'f.reservedBytes', (b, o) => String(b[o])],
  [21, 1, 'f.maxPayloadFraction', (b, o) => String(b[o])],
  [22, 1, 'f.minPayloadFraction', (b, o) => String(b[o])],
  [23, 1, 'f.leafPayloadFraction', (b, o) => String(b[o])],
  [24, 4, 'f.changeCounter', (b, o) => String(be32(b, o))],
  [28, 4, 'f.pageCount', (b, o) => String(be32(b, o))],
  [32, 4, 'f.firstFreelistTrunk', (b, o) => String(be32(b, o))],
  [36, 4, 'f.freelistCount', (b, o) => String(be32(b, o))],
  [40, 4, 'f.schemaCookie', (b, o) => String(be32(b, o))],
  [44, 4, 'f.schemaFormat', (b, o) => String(be32(b, o))],
  [48, 4, 'f.defaultCacheSize', (b, o) => String(be32(b, o) | 0)],
  [52, 4, 'f.largestRootPage', (b, o) => String(be32(b, o))],
  [56, 4, 'f.textEncoding', (b, o) => ['?', 'UTF-8', 'UTF-16le', 'UTF-16be'][be32(b, o)] ?? String(be32(b, o))],
  [60, 4, 'f.userVersion', (b, o) => String(be32(b, o) | 0)],
  [64, 4, 'f.incrementalVacuum', (b, o) => String(be32(b, o))],
  [68, 4, 'f.applicationId', (b, o) => hx(be32(b, o))],
  [72, 20, 'f.reservedExpansion', (b, o) => (b.subarray(o, o + 20).every((x) => x === 0) ? '0' : 'non-zero')],
  [92, 4, 'f.versionValidFor', (b, o) => String(be32(b, o))],
  [96, 4, 'f.sqliteVersion', (b, o) => { const v = be32(b, o); return `${Math.floor(v / 1000000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`; }],
];

function dbHeaderFields(fs: Fields, b: Uint8Array, base: number): void {
  fs.add(base, 100, 'f.dbHeader', 'SQLite format 3', 0);
  for (const [o, n, key, val] of DB_HEADER) if (base + o + n <= b.length) fs.add(base + o, n, key, val(b, base + o), 1);
}

const TYPE_NAME: Record<number, string> = { 0x02: 'index interior', 0x05: 'table interior', 0x0a: 'index leaf', 0x0d: 'table leaf' };

function serialTypeLen(t: number): number {
  if (t >= 12) return Math.floor((t - (t % 2 === 0 ? 12 : 13)) / 2);
  return [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][t] ?? 0;
}

function recordFields(fs: Fields, b: Uint8Array, start: number, end: number, depth: number): void {
  const hs = readVarint(b, start, end);
  if (!hs) return;
  const [hdrSize, n0] = hs;
  if (hdrSize < n0 || start + hdrSize > end) return;
  fs.add(start, hdrSize, 'f.recordHeader', `${hdrSize} B`, depth);
  let p = start + n0;
  let v = start + hdrSize;
  let col = 0;
  while (p < start + hdrSize && col < 2000) {
    const st = readVarint(b, p, start + hdrSize);
    if (!st) return;
    fs.add(p, st[1], 'f.serialType', String(st[0]), depth + 1, col);
    const len = serialTypeLen(st[0]);
    if (v + len > end) return;
    fs.add(v, Math.max(len, 0), 'f.column', describeValue(b, v, st[0], len), depth, col);
    p += st[1];
    v += len;
    col++;
  }
}

function describeValue(b: Uint8Array, o: number, t: number, len: number): string {
  if (t === 0) return 'NULL';
  if (t === 8) return '0';
  if (t === 9) return '1';
  if (t >= 1 && t <= 6) {
    let v = 0n;
    for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(b[o + i]);
    const bits = BigInt(len * 8);
    if (v >> (bits - 1n)) v -= 1n << bits;
    return v.toString();
  }
  if (t === 7) return String(new DataView(b.buffer, b.byteOffset + o, 8).getFloat64(0, false));
  if (t >= 13 && t % 2 === 1) {
    const s = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(o, o + Math.min(len, 80)));
    return JSON.stringify(len > 80 ? s + '…' : s);
  }
  return `BLOB ${len} B`;
}

/** B-tree page fields (H1..H3). `base` = where the page starts in `b`; `pgno` says whether a 100-byte header leads. */
function btreeFields(fs: Fields, b: Uint8Array, base: number, pgno: number, pageSize: number, usable: number): void {
  const page = b.subarray(base, base + pageSize);
  const h = pgno === 1 ? 100 : 0;
  const type = page[h];
  if (!isBtreeType(type)) return;
  const interior = type === PAGE_TYPE.tableInterior || type === PAGE_TYPE.indexInterior;
  const hl = interior ? 12 : 8;
  fs.add(base + h, hl, 'f.pageHeader', TYPE_NAME[type], 0);
  fs.add(base + h, 1, 'f.pageType', `${hx(type, 2)} ${TYPE_NAME[type]}`, 1);
  fs.add(base + h + 1, 2, 'f.firstFreeblock', String(be16(page, h + 1)), 1);
  fs.add(base + h + 3, 2, 'f.cellCount', String(be16(page, h + 3)), 1);
  fs.add(base + h + 5, 2, 'f.contentStart', String(be16(page, h + 5) || 65536), 1);
  fs.add(base + h + 7, 1, 'f.fragmentedBytes', String(page[h + 7]), 1);
  if (interior) fs.add(base + h + 8, 4, 'f.rightChild', String(be32(page, h + 8)), 1);
  const info = checkBtreePage(page, pgno, usable);
  const ncell = Math.min(be16(page, h + 3), Math.floor((usable - h - hl) / 2));
  const cpa = h + hl;
  fs.add(base + cpa, ncell * 2, 'f.cellPointers', String(ncell), 0);
  for (let i = 0; i < ncell; i++) fs.add(base + cpa + 2 * i, 2, 'f.cellPointer', String(be16(page, cpa + 2 * i)), 1, i);
  const contentStart = be16(page, h + 5) || 65536;
  if (contentStart > cpa + ncell * 2 && contentStart <= usable) {
    fs.add(base + cpa + ncell * 2, contentStart - (cpa + ncell * 2), 'f.unallocated', `${contentStart - (cpa + ncell * 2)} B`, 0);
  }
  info.cells.forEach((c, i) => {
    const cellIndex = info.cells.length === ncell ? i : i;
    fs.add(base + c.offset, c.size, 'f.cell', c.key !== undefined ? `rowid ${c.key}` : `${c.size} B`, 0, cellIndex);
    let p = c.offset;
    if (c.leftChild !== undefined) {
      fs.add(base + p, 4, 'f.leftChild', String(c.leftChild), 1);
      p += 4;
    }
    if (c.payloadSize !== undefined) {
      const ps = readVarint(page, p, usable);
      if (ps) {
        fs.add(base + p, ps[1], 'f.payloadSize', String(c.payloadSize), 1);
        p += ps[1];
      }
    }
    if (c.key !== undefined) {
      const k = readVarint(page, p, usable);
      if (k) fs.add(base + p, k[1], type === PAGE_TYPE.tableInterior ? 'f.intKey' : 'f.rowid', String(c.key), 1);
    }
    if (c.payloadOffset !== undefined && c.localSize !== undefined) {
      const end = Math.min(usable, c.payloadOffset + c.localSize);
      fs.add(base + c.payloadOffset, end - c.payloadOffset, 'f.payload', `${c.localSize}/${c.payloadSize} B`, 1);
      recordFields(fs, b, base + c.payloadOffset, base + end, 2);
      if (c.overflow !== undefined) fs.add(base + end, 4, 'f.overflowPage', String(c.overflow), 1);
    }
  });
  // Freeblock chain, bounded by the page size (each step moves forward).
  let fb = be16(page, h + 1);
  let guard = 0;
  while (fb && fb + 4 <= usable && guard++ < usable / 4) {
    const next = be16(page, fb);
    const size = be16(page, fb + 2);
    fs.add(base + fb, Math.max(4, size), 'f.freeblock', `${size} B`, 0);
    fs.add(base + fb, 2, 'f.nextFreeblock', String(next), 1);
    fs.add(base + fb + 2, 2, 'f.freeblockSize', String(size), 1);
    if (next <= fb) break;
    fb = next;
  }
}

/** Fields of one database page; `kind` is the page's class from the scan (PAGE_KIND) when known. */
export function pageFields(b: Uint8Array, base: number, pgno: number, pageSize: number, reserved: number, kind: number | null): HexField[] {
  const fs = new Fields(b.length);
  addPageFields(fs, b, base, pgno, pageSize, reserved, kind, 0);
  return sortFields(fs.out);
}

function addPageFields(fs: Fields, b: Uint8Array, base: number, pgno: number, pageSize: number, reserved: number, kind: number | null, _depth: number): void {
  const usable = pageSize - reserved;
  if (pgno === 1) dbHeaderFields(fs, b, base);
  const typeByte = b[base + (pgno === 1 ? 100 : 0)];
  if (kind === PAGE_KIND.overflow) {
    fs.add(base, 4, 'f.nextOverflow', String(be32(b, base)), 0);
    fs.add(base + 4, usable - 4, 'f.overflowData', `${usable - 4} B`, 0);
  } else if (kind === PAGE_KIND.freelistTrunk) {
    const n = be32(b, base + 4);
    fs.add(base, 4, 'f.nextTrunk', String(be32(b, base)), 0);
    fs.add(base + 4, 4, 'f.leafCount', String(n), 0);
    const max = Math.min(n, Math.floor((usable - 8) / 4));
    for (let i = 0; i < max; i++) fs.add(base + 8 + 4 * i, 4, 'f.leafPage', String(be32(b, base + 8 + 4 * i)), 0, i);
  } else if (kind === PAGE_KIND.freelistLeaf) {
    fs.add(base, usable, 'f.freeLeafData', `${usable} B`, 0);
  } else if (kind === PAGE_KIND.ptrmap) {
    for (let i = 0; i + 5 <= usable; i += 5) {
      const t = b[base + i];
      if (!t) continue;
      fs.add(base + i, 5, 'f.ptrmapEntry', `type ${t}, parent ${be32(b, base + i + 1)}`, 0, i / 5);
    }
  } else if (kind === PAGE_KIND.lockByte) {
    fs.add(base, pageSize, 'f.lockBytePage', `${pageSize} B`, 0);
  } else if (isBtreeType(typeByte)) {
    btreeFields(fs, b, base, pgno, pageSize, usable);
  }
  if (reserved > 0) fs.add(base + usable, reserved, reserved === 8 ? 'f.cksumvfs' : 'f.reservedRegion', `${reserved} B`, 0);
}

export function walHeaderFields(b: Uint8Array): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, 32, 'f.walHeader', '', 0);
  const names = ['f.walMagic', 'f.walVersion', 'f.pageSize', 'f.checkpointSeq', 'f.salt1', 'f.salt2', 'f.checksum1', 'f.checksum2'];
  names.forEach((k, i) => {
    if (4 * i + 4 > b.length) return;
    const v = be32(b, 4 * i);
    fs.add(4 * i, 4, k, i === 0 || i >= 4 ? hx(v) : String(v), 1);
  });
  return sortFields(fs.out);
}

/** A WAL frame: 24-byte header, then the page it carries (named like a database page). */
export function walFrameFields(b: Uint8Array, pageSize: number, reserved: number): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, 24, 'f.frameHeader', '', 0);
  const pg = be32(b, 0);
  const names: Array<[string, (v: number) => string]> = [
    ['f.framePage', String], ['f.commitSize', (v) => (v ? String(v) : '0 (not a commit)')], ['f.salt1', (v) => hx(v)],
    ['f.salt2', (v) => hx(v)], ['f.checksum1', (v) => hx(v)], ['f.checksum2', (v) => hx(v)],
  ];
  names.forEach(([k, f], i) => fs.add(4 * i, 4, k, f(be32(b, 4 * i)), 1));
  fs.add(24, pageSize, 'f.frameData', `page ${pg}`, 0);
  const sub = new Fields(b.length);
  addPageFields(sub, b, 24, pg, pageSize, reserved, null, 1);
  for (const f of sub.out) fs.out.push({ ...f, depth: f.depth + 1 });
  return sortFields(fs.out);
}

export function journalHeaderFields(b: Uint8Array): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, Math.min(b.length, 28), 'f.journalHeader', '', 0);
  fs.add(0, 8, 'f.journalMagic', Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' '), 1);
  const names = ['f.recordCount', 'f.nonce', 'f.initialSize', 'f.sectorSize', 'f.pageSize'];
  names.forEach((k, i) => {
    if (8 + 4 * i + 4 > b.length) return;
    const v = be32(b, 8 + 4 * i);
    fs.add(8 + 4 * i, 4, k, k === 'f.nonce' ? hx(v) : k === 'f.recordCount' && v === 0xffffffff ? '0xffffffff (to end of file)' : String(v), 1);
  });
  return sortFields(fs.out);
}

export function journalRecordFields(b: Uint8Array, pageSize: number, reserved: number): HexField[] {
  const fs = new Fields(b.length);
  const pg = be32(b, 0);
  fs.add(0, 4, 'f.recordPage', String(pg), 0);
  fs.add(4, pageSize, 'f.preImage', `page ${pg}`, 0);
  const sub = new Fields(b.length);
  addPageFields(sub, b, 4, pg, pageSize, reserved, null, 1);
  for (const f of sub.out) fs.out.push({ ...f, depth: f.depth + 1 });
  fs.add(4 + pageSize, 4, 'f.recordChecksum', hx(be32(b, 4 + pageSize)), 0);
  return sortFields(fs.out);
}

function sortFields(f: HexField[]): HexField[] {
  return f.sort((a, b) => a.start - b.start || a.depth - b.depth || b.end - a.end);
}

/** The deepest field containing byte `i` (H3), or null. */
export function fieldAt(fields: HexField[], i: number): HexField | null {
  let best: HexField | null = null;
  for (const f of fields) {
    if (f.start > i) break;
    if (i < f.end && (!best || f.depth >= best.depth)) best = f;
  }
  return best;
}

/** Every field key the maps can produce (the message tables must name each one; tested). */
export const FIELD_KEYS = [
  'f.magic', 'f.pageSize', 'f.writeVersion', 'f.readVersion', 'f.reservedBytes', 'f.maxPayloadFraction', 'f.minPayloadFraction',
  'f.leafPayloadFraction', 'f.changeCounter', 'f.pageCount', 'f.firstFreelistTrunk', 'f.freelistCount', 'f.schemaCookie',
  'f.schemaFormat', 'f.defaultCacheSize', 'f.largestRootPage', 'f.textEncoding', 'f.userVersion', 'f.incrementalVacuum',
  'f.applicationId', 'f.reservedExpansion', 'f.versionValidFor', 'f.sqliteVersion', 'f.dbHeader', 'f.recordHeader',
  'f.serialType', 'f.column', 'f.pageHeader', 'f.pageType', 'f.firstFreeblock', 'f.cellCount', 'f.contentStart',
  'f.fragmentedBytes', 'f.rightChild', 'f.cellPointers', 'f.cellPointer', 'f.unallocated', 'f.cell', 'f.leftChild',
  'f.payloadSize', 'f.intKey', 'f.rowid', 'f.payload', 'f.overflowPage', 'f.freeblock', 'f.nextFreeblock', 'f.freeblockSize',
  'f.nextOverflow', 'f.overflowData', 'f.nextTrunk', 'f.leafCount', 'f.leafPage', 'f.freeLeafData', 'f.ptrmapEntry',
  'f.lockBytePage', 'f.cksumvfs', 'f.reservedRegion', 'f.walHeader', 'f.walMagic', 'f.walVersion', 'f.checkpointSeq',
  'f.salt1', 'f.salt2', 'f.checksum1', 'f.checksum2', 'f.frameHeader', 'f.framePage', 'f.commitSize', 'f.frameData',
  'f.journalHeader', 'f.journalMagic', 'f.recordCount', 'f.nonce', 'f.initialSize', 'f.sectorSize', 'f.recordPage',
  'f.preImage', 'f.recordChecksum',
] as const;
