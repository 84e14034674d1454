// B-tree pages, cells and records (FORMAT.md §B-tree pages; fileformat2 §1.6). Pure functions over page bytes.
//
// Page rules checked here (numbered in FORMAT.md):
//   B1 page type is 0x02, 0x05, 0x0A or 0x0D
//   B2 cell pointer array ends at or before the cell content area, which starts at or before the usable end
//   B3 every cell lies inside [content start, usable end) and parses within it
//   B4 freeblocks form an increasing chain inside the content area, each at least 4 bytes
//   B5 fragmented free bytes <= 60
//   B6 cells, freeblocks and fragments do not overlap and add up to the content area
//   B7 keys on a table page are strictly increasing

export const PAGE_TYPE = { indexInterior: 0x02, tableInterior: 0x05, indexLeaf: 0x0a, tableLeaf: 0x0d } as const;

export function isBtreeType(t: number): boolean {
  return t === 0x02 || t === 0x05 || t === 0x0a || t === 0x0d;
}

/**
 * Reads a SQLite varint at `off` but never past `end` nor past the buffer (a damaged length can put `end` beyond it).
 * Returns [value, length] or null if it runs past either.
 */
export function readVarint(b: Uint8Array, off: number, end: number): [number, number] | null {
  end = Math.min(end, b.length);
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    if (off + i >= end) return null;
    const x = b[off + i];
    if (i === 8) {
      v = (v << 8n) | BigInt(x);
      return [bigToNumber(v), 9];
    }
    v = (v << 7n) | BigInt(x & 0x7f);
    if ((x & 0x80) === 0) return [bigToNumber(v), i + 1];
  }
  return null;
}

/** Fast path for varints that fit 53 bits; falls back to BigInt. */
export function readVarintFast(b: Uint8Array, off: number, end: number): [number, number] | null {
  end = Math.min(end, b.length);
  let v = 0;
  for (let i = 0; i < 7; i++) {
    if (off + i >= end) return null;
    const x = b[off + i];
    v = v * 128 + (x & 0x7f);
    if ((x & 0x80) === 0) return [v, i + 1];
  }
  return readVarint(b, off, end);
}

function bigToNumber(v: bigint): number {
  // Interpret as signed 64-bit (rowids and keys are signed).
  const s = BigInt.asIntN(64, v);
  return Number(s);
}

export interface PayloadLimits {
  /** Max local payload on the page (X). */
  maxLocal: number;
  /** Min local payload (M). */
  minLocal: number;
}

export function payloadLimits(usable: number, table: boolean): PayloadLimits {
  const maxLocal = table ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  return { maxLocal, minLocal };
}

/** Bytes of a payload of size P stored on the page itself (fileformat2 overflow rule). */
export function localPayloadSize(P: number, usable: number, lim: PayloadLimits): number {
  if (P <= lim.maxLocal) return P;
  const K = lim.minLocal + ((P - lim.minLocal) % (usable - 4));
  return K <= lim.maxLocal ? K : lim.minLocal;
}

export interface CellInfo {
  offset: number;
  size: number;
  /** Rowid (table pages) */
  key?: number;
  payloadSize?: number;
  localSize?: number;
  /** Offset of the payload's first byte on the page. */
  payloadOffset?: number;
  leftChild?: number;
  overflow?: number;
}

/** Parses the cell at `off`. Returns null when it does not fit in [off, usable). */
export function parseCell(page: Uint8Array, off: number, type: number, usable: number): CellInfo | null {
  const end = usable;
  if (off < 0 || off >= end) return null;
  let p = off;
  const c: CellInfo = { offset: off, size: 0 };
  if (type === PAGE_TYPE.tableInterior) {
    if (p + 4 > end) return null;
    c.leftChild = ((page[p] << 24) | (page[p + 1] << 16) | (page[p + 2] << 8) | page[p + 3]) >>> 0;
    p += 4;
    const k = readVarintFast(page, p, end);
    if (!k) return null;
    c.key = k[0];
    p += k[1];
    c.size = p - off;
    return c;
  }
  if (type === PAGE_TYPE.indexInterior) {
    if (p + 4 > end) return null;
    c.leftChild = ((page[p] << 24) | (page[p + 1] << 16) | (page[p + 2] << 8) | page[p + 3]) >>> 0;
    p += 4;
  }
  const ps = readVarintFast(page, p, end);
  if (!ps) return null;
  const P = ps[0];
  p += ps[1];
  if (P < 0) return null;
  if (type === PAGE_TYPE.tableLeaf) {
    const k = readVarintFast(page, p, end);
    if (!k) return null;
    c.key = k[0];
    p += k[1];
  }
  const lim = payloadLimits(usable, type === PAGE_TYPE.tableLeaf);
  const local = localPayloadSize(P, usable, lim);
  c.payloadSize = P;
  c.localSize = local;
  c.payloadOffset = p;
  p += local;
  if (local < P) {
    if (p + 4 > end) return null;
    c.overflow = ((page[p] << 24) | (page[p + 1] << 16) | (page[p + 2] << 8) | page[p + 3]) >>> 0;
    p += 4;
  }
  if (p > end) return null;
  // A cell is at least 4 bytes (SQLite allocates min 4 for freeblock headers).
  c.size = Math.max(4, p - off);
  return c;
}

export interface PageProblem {
  code: string;
  offset: number;
  expected?: string | number;
  actual?: string | number;
  message: string;
}

export interface BtreePageInfo {
  type: number;
  headerOffset: number;
  cellCount: number;
  contentStart: number;
  fragmented: number;
  firstFreeblock: number;
  rightChild?: number;
  cells: CellInfo[];
  freeBytes: number;
  problems: PageProblem[];
}

/** Structural check of one b-tree page (B1..B7). `page` holds the whole page; page 1 has its header at 100. */
/** Interval packing for checkBtreePage: start * IV_SCALE + length (offsets < 65536, lengths <= 65536). */
const IV_SCALE = 131072;
let ivScratch = new Float64Array(512);

export function checkBtreePage(page: Uint8Array, pageNumber: number, usable: number): BtreePageInfo {
  const h = pageNumber === 1 ? 100 : 0;
  const type = page[h];
  const problems: PageProblem[] = [];
  const info: BtreePageInfo = {
    type, headerOffset: h, cellCount: 0, contentStart: 0, fragmented: 0, firstFreeblock: 0, cells: [], freeBytes: 0, problems,
  };
  if (!isBtreeType(type)) {
    problems.push({ code: 'sqlite.page.bad-type', offset: h, expected: '0x02, 0x05, 0x0a or 0x0d', actual: type, message: `page type byte is 0x${type.toString(16)}` });
    return info;
  }
  const leaf = type === PAGE_TYPE.tableLeaf || type === PAGE_TYPE.indexLeaf;
  const hdrSize = leaf ? 8 : 12;
  const u16 = (o: number) => (page[o] << 8) | page[o + 1];
  info.firstFreeblock = u16(h + 1);
  info.cellCount = u16(h + 3);
  info.contentStart = u16(h + 5) || 65536;
  info.fragmented = page[h + 7];
  if (!leaf) info.rightChild = ((page[h + 8] << 24) | (page[h + 9] << 16) | (page[h + 10] << 8) | page[h + 11]) >>> 0;
  const ptrEnd = h + hdrSize + 2 * info.cellCount;
  // B2
  if (ptrEnd > usable || ptrEnd > info.contentStart || info.contentStart > usable) {
    problems.push({
      code: 'sqlite.page.cell-area', offset: h + 3,
      expected: `pointer array end <= content start <= ${usable}`, actual: `${ptrEnd} / ${info.contentStart}`,
      message: `${info.cellCount} cell pointers end at ${ptrEnd} but the content area starts at ${info.contentStart} (usable ${usable})`,
    });
    if (ptrEnd > usable) return info;
  }
  // B5
  if (info.fragmented > 60) {
    problems.push({ code: 'sqlite.page.fragmented', offset: h + 7, expected: '<= 60', actual: info.fragmented, message: `${info.fragmented} fragmented free bytes (max 60)` });
  }
  // Cells and freeblocks as intervals (start, length), checked for overlap and coverage after sorting: far cheaper
  // than marking every byte of the page (this runs once per page of every database).
  let nIv = 0;
  const mark = (from: number, len: number) => {
    if (nIv === ivScratch.length) {
      const grown = new Float64Array(ivScratch.length * 2);
      grown.set(ivScratch);
      ivScratch = grown;
    }
    ivScratch[nIv++] = from * IV_SCALE + Math.min(len, usable - from);
  };
  let prevKey: number | undefined;
  let badOrder = false;
  // B3
  for (let i = 0; i < info.cellCount; i++) {
    const po = h + hdrSize + 2 * i;
    const off = u16(po);
    if (off < info.contentStart || off >= usable) {
      problems.push({ code: 'sqlite.page.cell-pointer', offset: po, expected: `${info.contentStart}..${usable - 1}`, actual: off, message: `cell ${i} pointer ${off} is outside the content area` });
      continue;
    }
    const c = parseCell(page, off, type, usable);
    if (!c) {
      problems.push({ code: 'sqlite.page.cell-overrun', offset: off, expected: `cell within ${usable}`, message: `cell ${i} at offset ${off} runs past the usable end` });
      continue;
    }
    info.cells.push(c);
    mark(off, c.size);
    if (c.key !== undefined && (type === PAGE_TYPE.tableLeaf || type === PAGE_TYPE.tableInterior)) {
      if (prevKey !== undefined && !(c.key > prevKey)) badOrder = true;
      prevKey = c.key;
    }
  }
  // B4
  let fb = info.firstFreeblock;
  let freeTotal = 0;
  let guard = 0;
  let prevFb = 0;
  while (fb !== 0 && guard++ < usable / 4 + 1) {
    if (fb < info.contentStart || fb + 4 > usable || fb <= prevFb) {
      problems.push({ code: 'sqlite.page.freeblock', offset: fb, expected: `increasing offsets in ${info.contentStart}..${usable}`, actual: fb, message: `freeblock chain points to ${fb}` });
      break;
    }
    const size = u16(fb + 2);
    if (size < 4 || fb + size > usable) {
      problems.push({ code: 'sqlite.page.freeblock', offset: fb + 2, expected: `4..${usable - fb}`, actual: size, message: `freeblock at ${fb} has size ${size}` });
      break;
    }
    mark(fb, size);
    freeTotal += size;
    prevFb = fb;
    const next = u16(fb);
    if (next !== 0 && next <= fb + size - 1) {
      problems.push({ code: 'sqlite.page.freeblock', offset: fb, expected: `> ${fb + size - 1}`, actual: next, message: `freeblock at ${fb} links back to ${next}` });
      break;
    }
    fb = next;
  }
  let overlap = false;
  let covered = 0;
  const iv = ivScratch.subarray(0, nIv).sort();
  let end = 0;
  for (let k = 0; k < nIv; k++) {
    const start = Math.floor(iv[k] / IV_SCALE);
    const len = iv[k] - start * IV_SCALE;
    if (start < end) overlap = true;
    end = Math.max(end, start + len);
    covered += len;
  }
  // B6
  if (overlap) {
    problems.push({ code: 'sqlite.page.overlap', offset: info.contentStart, message: 'cells and/or freeblocks overlap' });
  } else if (problems.length === 0) {
    const area = usable - info.contentStart;
    if (covered + info.fragmented !== area) {
      problems.push({
        code: 'sqlite.page.space-mismatch', offset: h + 5, expected: area, actual: covered + info.fragmented,
        message: `content area is ${area} bytes but cells + freeblocks + fragments cover ${covered + info.fragmented}`,
      });
    }
  }
  // B7
  if (badOrder) problems.push({ code: 'sqlite.page.key-order', offset: h + hdrSize, message: 'rowids on this page are not strictly increasing' });
  info.freeBytes = info.contentStart - ptrEnd + freeTotal + info.fragmented;
  return info;
}

// ---- Records ---------------------------------------------------------------------------------------------------

export type SqlValue = null | number | bigint | string | Uint8Array;

export function serialTypeSize(t: number): number {
  if (t <= 4) return [0, 1, 2, 3, 4][t];
  if (t === 5) return 6;
  if (t === 6 || t === 7) return 8;
  if (t === 8 || t === 9) return 0;
  if (t >= 12) return Math.floor((t - (t & 1 ? 13 : 12)) / 2);
  return -1; // 10, 11 reserved
}

/** Decodes a record (header of serial types + body). Returns null when malformed. Text is decoded as UTF-8. */
export function decodeRecord(rec: Uint8Array, textDecoder = new TextDecoder('utf-8', { fatal: false })): SqlValue[] | null {
  const hs = readVarintFast(rec, 0, rec.length);
  if (!hs) return null;
  const hdrLen = hs[0];
  if (hdrLen < hs[1] || hdrLen > rec.length) return null;
  const types: number[] = [];
  let p = hs[1];
  while (p < hdrLen) {
    const v = readVarintFast(rec, p, hdrLen);
    if (!v) return null;
    types.push(v[0]);
    p += v[1];
    if (types.length > 32767) return null;
  }
  return decodeValues(rec, hdrLen, types, textDecoder);
}

/**
 * The values of a record body with these serial types, from `at`. Null when a value runs past the end or a type is
 * reserved; with `strict` (records carved from free space) also when a text is not UTF-8 (give a fatal decoder) or a
 * REAL is NaN (SQLite stores NULL for NaN).
 */
export function decodeValues(rec: Uint8Array, at: number, types: number[], textDecoder: TextDecoder, strict = false): SqlValue[] | null {
  const out: SqlValue[] = [];
  let q = at;
  const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  for (const t of types) {
    const n = serialTypeSize(t);
    if (n < 0 || q + n > rec.length) return null;
    switch (t) {
      case 0: out.push(null); break;
      case 1: out.push(dv.getInt8(q)); break;
      case 2: out.push(dv.getInt16(q, false)); break;
      case 3: out.push(((rec[q] << 16) | (rec[q + 1] << 8) | rec[q + 2]) << 8 >> 8); break;
      case 4: out.push(dv.getInt32(q, false)); break;
      case 5: out.push(dv.getInt16(q, false) * 4294967296 + dv.getUint32(q + 2, false)); break;
      case 6: {
        const v = dv.getBigInt64(q, false);
        out.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 7: {
        const f = dv.getFloat64(q, false);
        if (strict && Number.isNaN(f)) return null;
        out.push(f);
        break;
      }
      case 8: out.push(0); break;
      case 9: out.push(1); break;
      default:
        if (t & 1) {
          if (n <= 48 && isAscii(rec, q, q + n)) {
            // Short ASCII text is its own UTF-8: built here, it skips TextDecoder's per-call cost (in Chromium the
            // largest part of decoding a record of short strings).
            out.push(String.fromCharCode.apply(null, rec.subarray(q, q + n) as unknown as number[]));
            break;
          }
          try {
            out.push(textDecoder.decode(rec.subarray(q, q + n)));
          } catch {
            return null;
          }
        } else out.push(rec.slice(q, q + n));
    }
    q += n;
  }
  return out;
}

function isAscii(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] >= 0x80) return false;
  return true;
}

/** Page reader over some database image. Returns null for pages out of range. */
export type PageReader = (pgno: number) => Promise<Uint8Array | null>;

/** Assembles the full payload of a cell, following its overflow chain (bounded by `maxPages`). */
export async function readPayload(
  page: Uint8Array, cell: CellInfo, usable: number, read: PageReader, maxPages: number,
): Promise<Uint8Array | null> {
  const P = cell.payloadSize ?? 0;
  const local = cell.localSize ?? 0;
  const start = cell.payloadOffset ?? 0;
  const out = new Uint8Array(P);
  out.set(page.subarray(start, start + local));
  let got = local;
  let next = cell.overflow ?? 0;
  let hops = 0;
  while (got < P) {
    if (!next || hops++ > maxPages) return null;
    const ov = await read(next);
    if (!ov) return null;
    const n = Math.min(usable - 4, P - got);
    out.set(ov.subarray(4, 4 + n), got);
    got += n;
    next = ((ov[0] << 24) | (ov[1] << 16) | (ov[2] << 8) | ov[3]) >>> 0;
  }
  return out;
}

export interface SchemaRow {
  type: string;
  name: string;
  tblName: string;
  rootpage: number;
  sql: string | null;
}

/**
 * Reads sqlite_schema (the table b-tree rooted at page 1). Bounded: visits each page at most once.
 * Returns the rows it could decode and the pages of the schema tree.
 */
export async function readSchema(read: PageReader, usable: number, pageCount: number): Promise<{ rows: SchemaRow[]; pages: number[]; ok: boolean }> {
  const rows: SchemaRow[] = [];
  const seen = new Set<number>();
  const pages: number[] = [];
  let ok = true;
  const stack = [1];
  while (stack.length) {
    const pg = stack.pop()!;
    if (pg < 1 || pg > pageCount || seen.has(pg)) { ok = false; continue; }
    seen.add(pg);
    pages.push(pg);
    const page = await read(pg);
    if (!page) { ok = false; continue; }
    const info = checkBtreePage(page, pg, usable);
    if (info.type === PAGE_TYPE.tableInterior) {
      const kids = info.cells.map((c) => c.leftChild!).concat(info.rightChild ?? 0);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    } else if (info.type === PAGE_TYPE.tableLeaf) {
      for (const c of info.cells) {
        const payload = await readPayload(page, c, usable, read, pageCount);
        const rec = payload ? decodeRecord(payload) : null;
        if (!rec || rec.length < 5) { ok = false; continue; }
        rows.push({
          type: String(rec[0] ?? ''), name: String(rec[1] ?? ''), tblName: String(rec[2] ?? ''),
          rootpage: typeof rec[3] === 'number' ? rec[3] : 0, sql: typeof rec[4] === 'string' ? rec[4] : null,
        });
      }
    } else {
      ok = false;
    }
  }
  return { rows, pages, ok };
}
