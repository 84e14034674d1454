// Deleted-record recovery ("carving") for SQLite database files: rows SQLite has deleted but not yet overwritten.
// Pure functions over a page reader; rules K1..K8 in FORMAT.md §Deleted records.
//
// Where deleted rows stay (fileformat2 §1.6, and SQLite's btree.c freeSpace/dropCell, with secure_delete off):
//   - a deleted cell on a live table leaf becomes a freeblock: its first 4 bytes are overwritten by the freeblock
//     header (next freeblock u16, size u16), the rest of the cell stays (K3, K4);
//   - cells moved or deleted earlier can survive whole in the unallocated gap between the cell pointer array and the
//     cell content area (K2);
//   - pages freed by DELETE or DROP TABLE go to the freelist with their content: a freelist leaf keeps the whole old
//     page, a trunk page loses its first 8 + 4 × leaves bytes (K5);
//   - the schema row of a dropped table is itself a deleted row of sqlite_schema on page 1 (K6).
import {
  PAGE_TYPE, checkBtreePage, readVarintFast, serialTypeSize, payloadLimits, localPayloadSize, readSchema, decodeValues,
  type PageReader, type SqlValue,
} from './btree';
import { hasSqliteMagic, decodePageSize } from './header';
import { readAt, type ByteSource } from '../../io';
import { PalimpsestError, throwIfAborted } from '../../errors';

export type Affinity = 'integer' | 'text' | 'blob' | 'real' | 'numeric';

export interface CarveTable {
  name: string;
  root: number;
  columns: string[];
  affinity: Affinity[];
  /** Columns declared NOT NULL: a record with NULL there is not a row of this table. */
  notNull: boolean[];
  /** Index of the INTEGER PRIMARY KEY column (stored as NULL in the record, its value is the rowid), or -1. */
  rowidAlias: number;
  /** From a deleted sqlite_schema row: the table was dropped. */
  dropped: boolean;
}

export type CarveSource = 'freeblock' | 'unallocated' | 'freelist' | 'frame';

export interface CarvedRecord {
  /** The table the record most likely belongs to (K7); null when no known table has its column count and types. */
  table: string | null;
  /** Other known tables whose layout the record fits as well (same column count, compatible types). */
  alsoFits: string[];
  page: number;
  /** Byte offset of the cell in the page. */
  offset: number;
  /** A page image in a WAL: the frame (1-based) it was found in; `page` is the frame's page number (K9). */
  frame?: number;
  source: CarveSource;
  /** The rowid when it survived (whole cells), else null. */
  rowid: number | null;
  values: SqlValue[];
  /** Columns whose serial type was overwritten and inferred from the cell's size and the column's type (K4). */
  inferred: number[];
  /** Inferred columns whose value cannot be told apart (size 0: NULL, 0 or 1); reported as NULL. */
  uncertain: number[];
  /** Columns whose value was overwritten: the INTEGER PRIMARY KEY (the rowid) of a cell whose start was overwritten. */
  lost: number[];
}

export interface CarveResult {
  tables: CarveTable[];
  records: CarvedRecord[];
  pagesSearched: number;
  /** Carved copies equal to a live row of the same table (old copies of cells that moved): left out. */
  liveCopies: number;
  /** Carved records equal to one already listed: left out. */
  duplicates: number;
}

// ---- Schema ------------------------------------------------------------------------------------------------------

/** Column names, affinities and the rowid alias of a CREATE TABLE statement; null for WITHOUT ROWID or unparsable. */
export function parseCreateTable(sql: string): { columns: string[]; affinity: Affinity[]; notNull: boolean[]; rowidAlias: number } | null {
  const open = sql.indexOf('(');
  if (open < 0) return null;
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  let close = -1;
  for (let i = open + 1; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '[') quote = ']';
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (close < 0) return null;
  parts.push(cur.trim());
  if (/\bwithout\s+rowid\b/i.test(sql.slice(close))) return null;
  const columns: string[] = [];
  const affinity: Affinity[] = [];
  const notNull: boolean[] = [];
  let rowidAlias = -1;
  let tablePk: string | null = null;
  const types: string[] = [];
  for (const p of parts) {
    if (/^(constraint|primary\s+key|unique|check|foreign\s+key)\b/i.test(p)) {
      const m = /^(?:constraint\s+\S+\s+)?primary\s+key\s*\(\s*([^,)]+?)\s*\)/i.exec(p);
      if (m) tablePk = unquote(m[1].replace(/\s+(asc|desc)$/i, ''));
      continue;
    }
    const m = /^("(?:[^"]|"")*"|'(?:[^']|'')*'|`[^`]*`|\[[^\]]*\]|\S+)\s*(.*)$/s.exec(p);
    if (!m) return null;
    const name = unquote(m[1]);
    const rest = m[2];
    const type = /^((?:(?!\b(?:constraint|primary|not|null|unique|check|default|collate|references|generated|as)\b)[^(,]|\([^)]*\))*)/i.exec(rest)?.[1].trim() ?? '';
    columns.push(name);
    types.push(type);
    affinity.push(affinityOf(type));
    notNull.push(/\bnot\s+null\b/i.test(rest.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '')));
    if (/^integer$/i.test(type) && /\bprimary\s+key\b(?!\s+desc)/i.test(rest)) rowidAlias = columns.length - 1;
  }
  if (tablePk !== null && rowidAlias < 0) {
    const i = columns.findIndex((c) => c.toLowerCase() === tablePk!.toLowerCase());
    if (i >= 0 && /^integer$/i.test(types[i])) rowidAlias = i;
  }
  return columns.length ? { columns, affinity, notNull, rowidAlias } : null;
}

function unquote(s: string): string {
  const q = s[0];
  if ((q === '"' || q === "'" || q === '`') && s.endsWith(q)) return s.slice(1, -1).split(q + q).join(q);
  if (q === '[' && s.endsWith(']')) return s.slice(1, -1);
  return s;
}

/** Column affinity from the declared type (SQLite datatype3 §3.1). */
export function affinityOf(type: string): Affinity {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

/** Can a column of this affinity hold a value of serial type t on disk? (REAL columns store integral values as integers.) */
function fits(a: Affinity, t: number): boolean {
  if (t === 0) return true;
  const isInt = t <= 6 || t === 8 || t === 9;
  switch (a) {
    // INTEGER and REAL columns keep text and blobs that do not look like numbers; TEXT columns never hold numbers.
    case 'integer':
    case 'real': return isInt || t === 7 || t >= 12;
    case 'text': return t >= 12;
    default: return t !== 10 && t !== 11;
  }
}

/** The usual on-disk types of an affinity: what a carved (not pointed-to) record must have to be taken (K7). */
function fitsStrictly(t: CarveTable, types: number[]): boolean {
  for (let i = 0; i < types.length; i++) {
    const x = types[i];
    if (x === 0) continue;
    const a = t.affinity[i];
    const isNum = x <= 9;
    if ((a === 'integer' || a === 'real') && !isNum) return false;
    if (a === 'text' && !(x >= 13 && x & 1)) return false;
  }
  return true;
}

/** How well a record's serial types match a table's affinities: the count of columns whose type is the usual one. */
function typeScore(tab: CarveTable, types: number[]): number {
  let s = 0;
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    const a = tab.affinity[i];
    if (t === 0) s += 0.5;
    else if (a === 'integer' && (t <= 6 || t === 8 || t === 9)) s++;
    else if (a === 'real' && (t === 7 || t <= 6 || t === 8 || t === 9)) s++;
    else if (a === 'text' && t >= 13 && t & 1) s++;
    else if ((a === 'blob' || a === 'numeric') && t !== 10 && t !== 11) s++;
  }
  return s;
}

// ---- Records -----------------------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Values of a carved record body: strict (text must be UTF-8, a REAL never NaN). */
function decodeBody(b: Uint8Array, at: number, types: number[]): SqlValue[] | null {
  return decodeValues(b, at, types, utf8, true);
}

function varintLen(v: number): number {
  let n = 1;
  while (v >= 128 && n < 9) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Serial types from `at` until `end` (exclusive); null when a varint runs past it or a type is reserved. */
function readTypes(b: Uint8Array, at: number, end: number, max: number): number[] | null {
  const types: number[] = [];
  let p = at;
  while (p < end) {
    const v = readVarintFast(b, p, end);
    if (!v || v[0] === 10 || v[0] === 11 || types.length >= max) return null;
    types.push(v[0]);
    p += v[1];
  }
  return p === end ? types : null;
}

interface Ctx {
  read: PageReader;
  usable: number;
  pageCount: number;
  tables: CarveTable[];
  /**
   * Pages of live b-trees and their overflow chains, and freelist trunk pages: an overflow chain of a deleted record
   * that runs into one of them was overwritten there (K8).
   */
  livePages: Set<number>;
}

interface Whole {
  rowid: number;
  types: number[];
  values: SqlValue[];
  /** Bytes of the cell on the page. */
  size: number;
}

/**
 * K2: a whole table-leaf cell at `o` within [o, end): payload size, rowid, a record header of serial types, and a
 * body whose size is exactly what the types say. With overflow, the chain is followed while its pages are not
 * pages of live b-trees (K8).
 */
function wholeCell(ctx: Ctx, page: Uint8Array, o: number, end: number, maxCols: number): Whole | null | Promise<Whole | null> {
  const c = cellHead(ctx, page, o, end, maxCols);
  if (!c) return null;
  const finish = (rec: Uint8Array): Whole | null => {
    const values = decodeBody(rec, c.headerSize, c.types);
    return values ? { rowid: c.rowid, types: c.types, values, size: c.end - o } : null;
  };
  // Synchronous unless the record overflows (this runs at every byte offset of the space searched).
  if (c.first === 0) return finish(page.subarray(c.record, c.record + c.payload));
  return overflowPayload(ctx, page.subarray(c.record, c.record + c.local), c.first, c.payload).then((r) => (r ? finish(r) : null));
}

interface CellHead {
  rowid: number;
  types: number[];
  payload: number;
  /** Where the record starts on the page, its header's size, and the bytes of it on the page. */
  record: number;
  headerSize: number;
  local: number;
  /** First overflow page (0: none). */
  first: number;
  /** End of the cell on the page. */
  end: number;
}

/** What wholeCell checks on the page itself: everything but the overflow chain and the values. */
function cellHead(ctx: Ctx, page: Uint8Array, o: number, end: number, maxCols: number): CellHead | null {
  const pl = readVarintFast(page, o, end);
  if (!pl || pl[1] > 4 || pl[0] < 2) return null;
  const P = pl[0];
  const rk = readVarintFast(page, o + pl[1], end);
  if (!rk) return null;
  const h = o + pl[1] + rk[1];
  const hl = readVarintFast(page, h, end);
  if (!hl || hl[0] < hl[1] + 1 || hl[0] > P) return null;
  const lim = payloadLimits(ctx.usable, true);
  const local = localPayloadSize(P, ctx.usable, lim);
  const cellEnd = h + local + (local < P ? 4 : 0);
  if (cellEnd > end || hl[0] > local) return null;
  const types = readTypes(page, h + hl[1], h + hl[0], maxCols);
  if (!types || !types.length) return null;
  let body = 0;
  for (const t of types) body += serialTypeSize(t);
  if (hl[0] + body !== P) return null;
  const first = local < P ? ((page[h + local] << 24) | (page[h + local + 1] << 16) | (page[h + local + 2] << 8) | page[h + local + 3]) >>> 0 : 0;
  // A first overflow page of 0 is no page: such a cell's chain cannot be followed (overflowPayload refuses it too).
  if (local < P && first === 0) return null;
  return { rowid: rk[0], types, payload: P, record: h, headerSize: hl[0], local, first, end: cellEnd };
}

async function overflowPayload(ctx: Ctx, local: Uint8Array, first: number, P: number): Promise<Uint8Array | null> {
  const out = new Uint8Array(P);
  out.set(local);
  let got = local.length;
  let next = first;
  let hops = 0;
  while (got < P) {
    if (next < 2 || next > ctx.pageCount || ctx.livePages.has(next) || hops++ > ctx.pageCount) return null;
    const ov = await ctx.read(next);
    if (!ov) return null;
    const n = Math.min(ctx.usable - 4, P - got);
    out.set(ov.subarray(4, 4 + n), got);
    got += n;
    next = ((ov[0] << 24) | (ov[1] << 16) | (ov[2] << 8) | ov[3]) >>> 0;
  }
  return out;
}

function fitsTable(t: CarveTable, types: number[]): boolean {
  // A row written before ALTER TABLE ADD COLUMN has fewer columns.
  if (types.length > t.columns.length) return false;
  for (let i = 0; i < types.length; i++) if (!fits(t.affinity[i], types[i])) return false;
  if (t.rowidAlias >= 0 && t.rowidAlias < types.length && types[t.rowidAlias] !== 0) return false;
  for (let i = 0; i < types.length; i++) if (types[i] === 0 && t.notNull[i] && i !== t.rowidAlias) return false;
  return true;
}

/**
 * K7: which table a record belongs to. The page's owner when the record fits it (a row written before ALTER TABLE
 * ADD COLUMN may have fewer columns); otherwise the table with the same column count whose types it fits best. Every
 * other table with the same column count that it fits is listed too: layout alone cannot tell them apart.
 */
function attribute(tables: CarveTable[], types: number[], owner: CarveTable | null, strict = true): { table: CarveTable | null; alsoFits: string[] } {
  const ok = (t: CarveTable) => fitsTable(t, types) && (!strict || fitsStrictly(t, types));
  const same = tables.filter((t) => t.columns.length === types.length && ok(t));
  let table: CarveTable | null = owner && ok(owner) ? owner : null;
  if (!table) {
    let bestScore = -1;
    for (const t of same) {
      const sc = typeScore(t, types);
      if (sc > bestScore) {
        table = t;
        bestScore = sc;
      }
    }
  }
  return { table, alsoFits: same.filter((t) => t !== table).map((t) => t.name) };
}

/** The record as the table's row: an INTEGER PRIMARY KEY column takes the rowid (it is stored as NULL). */
function rowValues(values: SqlValue[], table: CarveTable | null, rowid: number | null): SqlValue[] {
  const v = values.slice();
  if (table && rowid !== null && table.rowidAlias >= 0 && table.rowidAlias < v.length) v[table.rowidAlias] = rowid;
  return v;
}

/** The serial type a column of this affinity most likely had for a value of `size` bytes (K4), or null. */
function typeForSize(a: Affinity, size: number, body: Uint8Array, at: number): { t: number; uncertain: boolean } | null {
  if (size === 0) return { t: 0, uncertain: true };
  const intType = size <= 4 ? size : size === 6 ? 5 : size === 8 ? 6 : -1;
  const bytes = body.subarray(at, at + size);
  const isText = (() => {
    try {
      utf8.decode(bytes);
      return true;
    } catch {
      return false;
    }
  })();
  switch (a) {
    case 'integer':
      if (intType > 0) return { t: intType, uncertain: false };
      return isText ? { t: size * 2 + 13, uncertain: false } : null;
    case 'real':
      if (size === 8) return { t: 7, uncertain: false };
      return intType > 0 ? { t: intType, uncertain: false } : null;
    case 'text':
      return isText ? { t: size * 2 + 13, uncertain: false } : { t: size * 2 + 12, uncertain: false };
    default:
      if (isText && [...bytes].every((x) => x >= 0x20 || x === 9 || x === 10 || x === 13)) return { t: size * 2 + 13, uncertain: false };
      if (intType > 0 && a === 'numeric') return { t: intType, uncertain: false };
      return { t: size * 2 + 12, uncertain: false };
  }
}

interface Clobbered {
  types: number[];
  values: SqlValue[];
  inferred: number[];
  uncertain: number[];
  /** Cell end (exclusive) on the page. */
  end: number;
}

/**
 * K3/K4: the cell that became the freeblock at `fb` (its first 4 bytes overwritten). The record header starts k
 * bytes into the cell (k = payload-size varint + rowid varint, 2..12). For k < 4 the header-size byte and 3 - k
 * serial-type bytes are gone; the missing types are taken as one byte each and solved from the cell's end (`end`)
 * and the columns' types. The payload-size varint the solution implies must have the length k leaves for it.
 */
function clobberedCell(page: Uint8Array, fb: number, end: number, tab: CarveTable, maxLocal: number): Clobbered | null {
  const n = tab.columns.length;
  let best: Clobbered | null = null;
  let bestScore = -1;
  for (let k = 2; k <= 12; k++) {
    const h = fb + k;
    let types: (number | null)[];
    let bodyAt: number;
    let lost = 0;
    if (k >= 4) {
      const hl = readVarintFast(page, h, end);
      if (!hl || hl[0] < hl[1] + 1) continue;
      const t = readTypes(page, h + hl[1], h + hl[0], n);
      if (!t || t.length !== n) continue;
      types = t;
      bodyAt = h + hl[0];
    } else {
      lost = 3 - k;
      const rest: number[] = [];
      let p = fb + 4;
      while (rest.length < n - lost) {
        const v = readVarintFast(page, p, end);
        if (!v || v[0] === 10 || v[0] === 11) break;
        rest.push(v[0]);
        p += v[1];
      }
      if (rest.length !== n - lost) continue;
      types = [...new Array<null>(lost).fill(null), ...rest];
      bodyAt = p;
    }
    let known = 0;
    for (const t of types) if (t !== null) known += serialTypeSize(t);
    const avail = end - bodyAt;
    if (avail < known) continue;
    const inferred: number[] = [];
    const uncertain: number[] = [];
    if (lost === 0) {
      if (known !== avail) continue;
    } else {
      // k = 2: the first column's type is lost; its value takes whatever the body leaves (one byte of type: < 128).
      const left = avail - known;
      const g = typeForSize(tab.affinity[0], left, page, bodyAt);
      if (!g || g.t > 127 || serialTypeSize(g.t) !== left) continue;
      types[0] = g.t;
      inferred.push(0);
      if (g.uncertain) uncertain.push(0);
    }
    const ts = types as number[];
    if (!fitsTable(tab, ts) || !fitsStrictly(tab, ts)) continue;
    const payload = (k >= 4 ? bodyAt - h : 1 + lost + (bodyAt - (fb + 4))) + (end - bodyAt);
    // The payload-size varint and the rowid varint fill exactly the first k bytes.
    const pl = varintLen(payload);
    if (pl > 3 || k - pl < 1 || k - pl > 9) continue;
    if (payload > maxLocal) continue;
    const values = decodeBody(page.subarray(0, end), bodyAt, ts);
    if (!values) continue;
    // A guess whose known values take no bytes (NULL, 0 and 1 are stored in the header alone) says nothing: zeroed
    // and overwritten space parses as one.
    if (ts.every((t, i) => inferred.includes(i) || serialTypeSize(t) === 0)) continue;
    for (const i of uncertain) values[i] = null;
    const score = typeScore(tab, ts) - uncertain.length * 0.5 + (k >= 4 ? 0.25 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = { types: ts, values, inferred, uncertain, end };
    }
  }
  return best;
}

/**
 * K4 with overflow: an overwritten cell whose record did not fit on the page. Its serial types must all have survived
 * (k >= 3); they give the payload size P, hence the bytes kept on the page and where the first overflow page number
 * sits. The chain is followed as for whole cells (K8).
 */
async function clobberedOverflow(ctx: Ctx, page: Uint8Array, fb: number, to: number, tab: CarveTable): Promise<Clobbered | null> {
  const n = tab.columns.length;
  const lim = payloadLimits(ctx.usable, true);
  for (let k = 3; k <= 12; k++) {
    const h = fb + k;
    let typesAt: number;
    let typesEnd: number;
    if (k >= 4) {
      const hl = readVarintFast(page, h, to);
      if (!hl || hl[0] < hl[1] + 1) continue;
      typesAt = h + hl[1];
      typesEnd = h + hl[0];
    } else {
      typesAt = fb + 4;
      typesEnd = -1;
    }
    const types: number[] = [];
    let p = typesAt;
    while (types.length < n && (typesEnd < 0 || p < typesEnd)) {
      const v = readVarintFast(page, p, to);
      if (!v || v[0] === 10 || v[0] === 11) break;
      types.push(v[0]);
      p += v[1];
    }
    if (types.length !== n || (typesEnd >= 0 && p !== typesEnd)) continue;
    if (!fitsTable(tab, types) || !fitsStrictly(tab, types)) continue;
    const hlen = p - h;
    let P = hlen;
    for (const t of types) P += serialTypeSize(t);
    if (P <= lim.maxLocal) continue;
    const pl = varintLen(P);
    if (k - pl < 1 || k - pl > 9) continue;
    const local = localPayloadSize(P, ctx.usable, lim);
    const end = h + local + 4;
    if (local < hlen || end > to) continue;
    const first = ((page[h + local] << 24) | (page[h + local + 1] << 16) | (page[h + local + 2] << 8) | page[h + local + 3]) >>> 0;
    const rec = await overflowPayload(ctx, page.subarray(h, h + local), first, P);
    if (!rec) continue;
    const values = decodeBody(rec, hlen, types);
    if (!values || oddText(values) || types.every((t) => serialTypeSize(t) === 0)) continue;
    return { types, values, inferred: [], uncertain: [], end };
  }
  return null;
}

// ---- Pages -------------------------------------------------------------------------------------------------------

/** Text that is not text: control characters (other than tab and line breaks) in a value read from a damaged cell. */
function oddText(values: SqlValue[]): boolean {
  return values.some((v) => typeof v === 'string' && /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v));
}

/** The cell a freeblock overwrote (K3, K4), laid out as the page's owner or, failing that, another known table. */
function carveClobbered(ctx: Ctx, page: Uint8Array, pgno: number, at: number, end: number, owner: CarveTable | null, source: CarveSource): { rec: CarvedRecord; end: number } | null {
  const maxLocal = payloadLimits(ctx.usable, true).maxLocal;
  const order = owner ? [owner, ...ctx.tables.filter((t) => t !== owner)] : ctx.tables;
  for (const tab of order) {
    const c = clobberedCell(page, at, end, tab, maxLocal);
    if (!c || oddText(c.values)) continue;
    return { rec: clobberedRecord(ctx, tab, c, pgno, at, source), end: c.end };
  }
  return null;
}

/** The record an overwritten cell gives as a row of `tab`: its rowid (and an INTEGER PRIMARY KEY) lost (K4, K7). */
function clobberedRecord(ctx: Ctx, tab: CarveTable, c: Clobbered, pgno: number, at: number, source: CarveSource): CarvedRecord {
  const alsoFits = ctx.tables.filter((t) => t !== tab && t.columns.length === c.types.length && fitsTable(t, c.types) && fitsStrictly(t, c.types)).map((t) => t.name);
  const lost = tab.rowidAlias >= 0 && tab.rowidAlias < c.values.length ? [tab.rowidAlias] : [];
  return { table: tab.name, alsoFits, page: pgno, offset: at, source, rowid: null, values: c.values, inferred: c.inferred, uncertain: c.uncertain, lost };
}

/** Bounds the work on hostile pages: overwritten-cell guesses tried per region (a real page holds far fewer cells). */
const MAX_CLOBBERED_PER_REGION = 512;

/**
 * Deleted cells in [from, to) of a page (K2-K5), walked from the start: a whole cell where one parses; otherwise, where
 * the 4 bytes look like a freeblock header (next 0 or further on, size within the region) or at the start of a
 * freeblock, the cell that header overwrote, ending where its size field says, or where the next cell begins, or at
 * the region's end: whichever its record fits exactly.
 */
async function carveRegion(ctx: Ctx, page: Uint8Array, pgno: number, from: number, to: number, owner: CarveTable | null, source: CarveSource, out: CarvedRecord[], startsClobbered: boolean): Promise<void> {
  const maxCols = Math.max(1, ...ctx.tables.map((t) => t.columns.length));
  // What a whole cell at each offset of the region is (undefined: not tried yet).
  const whole: Array<Whole | null | undefined> = new Array(Math.max(0, to - from));
  const wholeAt = async (o: number): Promise<Whole | null> => {
    const hit = whole[o - from];
    if (hit !== undefined) return hit;
    let w = page[o] === 0 ? null : wholeCell(ctx, page, o, to, maxCols);
    if (w instanceof Promise) w = await w;
    whole[o - from] = w;
    return w;
  };
  /** The same without a microtask when the answer is known at once (nearly always). */
  const wholeNow = (o: number): Whole | null | Promise<Whole | null> => {
    const hit = whole[o - from];
    if (hit !== undefined) return hit;
    const w = page[o] === 0 ? null : wholeCell(ctx, page, o, to, maxCols);
    if (w instanceof Promise) return wholeAt(o);
    whole[o - from] = w;
    return w;
  };
  // A cell that fits on the page is at most maxLocal + 4 + 9 + 9 bytes long.
  const maxCell = payloadLimits(ctx.usable, true).maxLocal + 22;
  let attempts = 0;
  const u16 = (o: number) => (page[o] << 8) | page[o + 1];
  const headerLike = (o: number) => {
    const next = u16(o);
    const size = u16(o + 2);
    return size >= 4 && o + size <= to && (next === 0 || (next > o && next < ctx.usable));
  };
  let o = from;
  while (o < to - 3) {
    let w = wholeNow(o);
    if (w instanceof Promise) w = await w;
    const a = w ? attribute(ctx.tables, w.types, owner) : null;
    // A record no known table fits is kept only when it is more than a few bytes of anything (K7).
    if (w && a && (a.table || (!owner && w.types.length >= 2 && w.types.reduce((n, t) => n + serialTypeSize(t), 0) >= 6))) {
      out.push({ table: a.table?.name ?? null, alsoFits: a.alsoFits, page: pgno, offset: o, source, rowid: w.rowid, values: rowValues(w.values, a.table, w.rowid), inferred: [], uncertain: [], lost: [] });
      o += w.size;
      continue;
    }
    if (((o === from && startsClobbered) || headerLike(o)) && attempts++ < MAX_CLOBBERED_PER_REGION) {
      // Where the overwritten cell may end: its own size field first, then the next whole cell or header, or `to`.
      const ends: number[] = [];
      const size = u16(o + 2);
      if (size >= 4 && o + size <= to) ends.push(o + size);
      const last = Math.min(to - 3, o + maxCell);
      for (let e = o + 6; e < last && ends.length < 24; e++) {
        if (headerLike(e)) ends.push(e);
        else {
          let w2 = wholeNow(e);
          if (w2 instanceof Promise) w2 = await w2;
          if (w2) ends.push(e);
        }
      }
      ends.push(to);
      let done = false;
      for (const e of ends) {
        const c = carveClobbered(ctx, page, pgno, o, e, owner, source);
        if (c) {
          out.push(c.rec);
          o = c.end;
          done = true;
          break;
        }
      }
      if (done) continue;
      for (const tab of owner ? [owner, ...ctx.tables.filter((t) => t !== owner)] : ctx.tables) {
        const c = await clobberedOverflow(ctx, page, o, to, tab);
        if (!c) continue;
        out.push(clobberedRecord(ctx, tab, c, pgno, o, source));
        o = c.end;
        done = true;
        break;
      }
      if (done) continue;
    }
    o++;
  }
}

/** A live table leaf of `tab`: its freeblocks (K3, K4) and unallocated gap (K2). */
async function carveLeaf(ctx: Ctx, page: Uint8Array, pgno: number, tab: CarveTable | null, out: CarvedRecord[], source?: CarveSource): Promise<void> {
  const info = checkBtreePage(page, pgno, ctx.usable);
  if (info.type !== PAGE_TYPE.tableLeaf) return;
  const h = info.headerOffset;
  const ptrEnd = h + 8 + 2 * info.cellCount;
  if (ptrEnd < info.contentStart && info.contentStart <= ctx.usable) await carveRegion(ctx, page, pgno, ptrEnd, info.contentStart, tab, source ?? 'unallocated', out, false);
  let fb = info.firstFreeblock;
  let hops = 0;
  while (fb && fb + 4 <= ctx.usable && hops++ < ctx.usable / 4) {
    const size = (page[fb + 2] << 8) | page[fb + 3];
    const next = (page[fb] << 8) | page[fb + 1];
    if (size < 4) break;
    await carveRegion(ctx, page, pgno, fb, Math.min(fb + size, ctx.usable), tab, source ?? 'freeblock', out, true);
    if (next <= fb) break;
    fb = next;
  }
}

/** The pages of a b-tree from its root (every page once, bounded by the page count); `filter` limits the walk. */
async function treePages(ctx: Ctx, root: number, filter?: (pg: number) => boolean): Promise<{ leaves: number[]; all: number[] }> {
  const leaves: number[] = [];
  const all: number[] = [];
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length && seen.size <= ctx.pageCount) {
    const pg = stack.pop()!;
    if (pg < 1 || pg > ctx.pageCount || seen.has(pg) || (filter && !filter(pg))) continue;
    seen.add(pg);
    const page = await ctx.read(pg);
    if (!page) continue;
    const info = checkBtreePage(page, pg, ctx.usable);
    if (info.type === PAGE_TYPE.tableInterior) {
      all.push(pg);
      for (const c of info.cells) if (c.leftChild) stack.push(c.leftChild);
      if (info.rightChild) stack.push(info.rightChild);
    } else if (info.type === PAGE_TYPE.tableLeaf) {
      all.push(pg);
      leaves.push(pg);
    } else if (info.type === PAGE_TYPE.indexInterior || info.type === PAGE_TYPE.indexLeaf) all.push(pg);
  }
  return { leaves, all };
}

async function freelistPages(ctx: Ctx, firstTrunk: number): Promise<Array<{ pgno: number; trunkEnd: number }>> {
  const out: Array<{ pgno: number; trunkEnd: number }> = [];
  const seen = new Set<number>();
  let trunk = firstTrunk;
  while (trunk >= 2 && trunk <= ctx.pageCount && !seen.has(trunk)) {
    seen.add(trunk);
    const page = await ctx.read(trunk);
    if (!page) break;
    const L = Math.min(((page[4] << 24) | (page[5] << 16) | (page[6] << 8) | page[7]) >>> 0, Math.floor(ctx.usable / 4) - 2);
    out.push({ pgno: trunk, trunkEnd: 8 + 4 * L });
    for (let i = 0; i < L; i++) {
      const leaf = ((page[8 + 4 * i] << 24) | (page[9 + 4 * i] << 16) | (page[10 + 4 * i] << 8) | page[11 + 4 * i]) >>> 0;
      if (leaf >= 2 && leaf <= ctx.pageCount && !seen.has(leaf)) {
        seen.add(leaf);
        out.push({ pgno: leaf, trunkEnd: 0 });
      }
    }
    trunk = ((page[0] << 24) | (page[1] << 16) | (page[2] << 8) | page[3]) >>> 0;
  }
  return out;
}

const SCHEMA_TABLE: CarveTable = {
  name: 'sqlite_schema', root: 1, columns: ['type', 'name', 'tbl_name', 'rootpage', 'sql'], affinity: ['text', 'text', 'text', 'integer', 'text'],
  notNull: [true, true, true, false, false], rowidAlias: -1, dropped: false,
};

const latin1 = new TextDecoder('latin1');

/** A row's identity: its table and its values, each tagged and length-prefixed (no escaping needed). */
function valueKey(table: string | null, values: SqlValue[]): string {
  let k = `${table ?? ''}|${values.length}`;
  for (const v of values) {
    if (v === null) k += '|z';
    else if (typeof v === 'string') k += `|s${v.length}:${v}`;
    else if (typeof v === 'number') k += `|n${v}`;
    else if (typeof v === 'bigint') k += `|b${v}`;
    else k += `|x${v.length}:${latin1.decode(v)}`;
  }
  return k;
}

export interface CarveOptions {
  signal?: AbortSignal;
  /**
   * Work done so far and the work there is: pages of the file for carveDeleted (the search of live pages is its first
   * half); bytes for carveSource, carveFrames (given the page and frame sizes) and carveWal.
   */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Carves deleted rows out of a database image. `read` gives pages (1-based) of the page size; `usable` is the page
 * size less the reserved bytes. Every loop is bounded by the page count and the page size.
 */
export async function carveDeleted(read0: PageReader, opts: { usable: number; pageCount: number; firstTrunk: number } & CarveOptions): Promise<CarveResult> {
  // Progress in pages of the file: finding the live pages (b-trees, their overflow chains, the freelist: about two
  // reads a page) fills the first half, the search the second.
  const half = Math.max(1, opts.pageCount) / 2;
  let walking = true;
  let walkReads = 0;
  const read: PageReader = (n) => {
    if (walking && ++walkReads % 1024 === 0) {
      throwIfAborted(opts.signal);
      opts.onProgress?.(Math.floor(Math.min(1, walkReads / (4 * half)) * half), 2 * half);
    }
    return read0(n);
  };
  const ctx: Ctx = { read, usable: opts.usable, pageCount: opts.pageCount, tables: [], livePages: new Set() };
  const schema = await readSchema(read, opts.usable, opts.pageCount);
  const live = new Map<string, CarveTable>();
  const liveLeaves = new Map<CarveTable, number[]>();
  for (const r of schema.rows) {
    if (r.rootpage < 2) continue;
    const tree = await treePages(ctx, r.rootpage);
    for (const pg of tree.all) ctx.livePages.add(pg);
    if (r.type !== 'table' || !r.sql) continue;
    const p = parseCreateTable(r.sql);
    if (!p) continue;
    const t: CarveTable = { name: r.name, root: r.rootpage, ...p, dropped: false };
    live.set(r.name, t);
    liveLeaves.set(t, tree.leaves);
  }
  for (const pg of schema.pages) ctx.livePages.add(pg);
  // Overflow chains of live rows (K8).
  for (const leaves of liveLeaves.values()) {
    for (const pg of leaves) {
      const page = await read(pg);
      if (!page) continue;
      for (const c of checkBtreePage(page, pg, ctx.usable).cells) {
        let next = c.overflow ?? 0;
        let hops = 0;
        while (next >= 2 && next <= ctx.pageCount && !ctx.livePages.has(next) && hops++ < ctx.pageCount) {
          ctx.livePages.add(next);
          const ov = await read(next);
          if (!ov) break;
          next = ((ov[0] << 24) | (ov[1] << 16) | (ov[2] << 8) | ov[3]) >>> 0;
        }
      }
    }
  }
  const free = await freelistPages(ctx, opts.firstTrunk);
  for (const f of free) if (f.trunkEnd) ctx.livePages.add(f.pgno);
  const out: CarvedRecord[] = [];
  let searched = 0;
  const total = schema.pages.length + [...liveLeaves.values()].reduce((n, l) => n + l.length, 0) + free.length;
  let lastReport = 0;
  walking = false;
  const step = () => {
    throwIfAborted(opts.signal);
    if (opts.onProgress && (searched - lastReport >= 256 || searched === total)) {
      lastReport = searched;
      opts.onProgress(Math.floor(half + (total ? searched / total : 1) * half), 2 * half);
    }
  };
  // K6: deleted schema rows first; a dropped table's CREATE TABLE gives the layout of its rows on freed pages.
  ctx.tables = [SCHEMA_TABLE];
  const schemaRecs: CarvedRecord[] = [];
  for (const pg of schema.pages) {
    const page = await read(pg);
    if (!page) continue;
    searched++;
    step();
    await carveLeaf(ctx, page, pg, SCHEMA_TABLE, schemaRecs);
  }
  const dropped: CarveTable[] = [];
  for (const r of schemaRecs) {
    const [type, name, , root, sql] = r.values;
    if (type !== 'table' || typeof name !== 'string' || typeof sql !== 'string' || live.has(name)) continue;
    const p = parseCreateTable(sql);
    if (p && !dropped.some((d) => d.name === name)) dropped.push({ name, root: typeof root === 'number' ? root : 0, ...p, dropped: true });
  }
  ctx.tables = [...live.values(), ...dropped];
  out.push(...schemaRecs);
  // K2-K4: live leaves of every table.
  for (const [tab, leaves] of liveLeaves) {
    for (const pg of leaves) {
      const page = await read(pg);
      if (!page) continue;
      searched++;
      step();
    step();
      await carveLeaf(ctx, page, pg, tab, out);
    }
  }
  // K5: freelist pages. A dropped table's root page (from its deleted schema row), and the children of its freed
  // interior pages, say whose rows a freed page held.
  const freeSet = new Set(free.map((f) => f.pgno));
  const owner = new Map<number, CarveTable>();
  for (const t of dropped) {
    if (!freeSet.has(t.root)) continue;
    // The root may have become a trunk page (its header overwritten): it is still the dropped table's page.
    if (!owner.has(t.root)) owner.set(t.root, t);
    for (const pg of (await treePages(ctx, t.root, (x) => freeSet.has(x))).all) if (!owner.has(pg)) owner.set(pg, t);
  }
  const maxCols = Math.max(1, ...ctx.tables.map((t) => t.columns.length));
  for (const f of free) {
    const page = await read(f.pgno);
    if (!page) continue;
    searched++;
    step();
    const own = owner.get(f.pgno) ?? null;
    const info = f.trunkEnd ? null : checkBtreePage(page, f.pgno, ctx.usable);
    if (info && info.type === PAGE_TYPE.tableLeaf && !info.problems.length) {
      // A freed leaf keeps its page header and cell pointers: its cells are the rows it held.
      for (const c of info.cells) {
        const w = await wholeCell(ctx, page, c.offset, ctx.usable, maxCols);
        if (!w) continue;
        const a = attribute(ctx.tables, w.types, own, false);
        out.push({ table: a.table?.name ?? null, alsoFits: a.alsoFits, page: f.pgno, offset: c.offset, source: 'freelist', rowid: w.rowid, values: rowValues(w.values, a.table, w.rowid), inferred: [], uncertain: [], lost: [] });
      }
      await carveLeaf(ctx, page, f.pgno, own, out, 'freelist');
    } else {
      await carveRegion(ctx, page, f.pgno, f.trunkEnd || 8, ctx.usable, own, 'freelist', out, false);
    }
  }
  return dedupeAgainstLive(ctx, out, liveLeaves, searched);
}

// ---- A database file -------------------------------------------------------------------------------------------

export interface CarveReport extends CarveResult {
  file: string;
  pageSize: number;
  /** Pages in the file; for a WAL (`frames`), the frames. */
  pageCount: number;
  /** True for a WAL searched frame by frame (K9): pagesSearched and pageCount count frames. */
  frames?: boolean;
}

/**
 * Reads through a bounded cache of aligned blocks (by default at most 256 × 256 KiB): nearby small reads (pages in
 * file order, a row's overflow pages written by the same commit) cost one read of the source. A read across a block
 * edge is put together from both blocks; one larger than a block goes straight to the source.
 */
export function blockReader(src: ByteSource, blockSize = 256 << 10, maxBlocks = 256): (offset: number, length: number) => Promise<Uint8Array> {
  const blocks = new Map<number, Uint8Array>();
  const order: number[] = [];
  let oldest = 0;
  const block = async (bi: number): Promise<Uint8Array> => {
    let b = blocks.get(bi);
    if (!b) {
      b = await readAt(src, bi * blockSize, Math.min(blockSize, src.size - bi * blockSize));
      if (order.length - oldest >= maxBlocks) blocks.delete(order[oldest++]);
      if (oldest > 1024) {
        order.splice(0, oldest);
        oldest = 0;
      }
      order.push(bi);
      blocks.set(bi, b);
    }
    return b;
  };
  return async (offset, length) => {
    if (length <= 0 || offset < 0 || offset >= src.size || length > blockSize) return readAt(src, offset, length);
    const bi = Math.floor(offset / blockSize);
    const at = offset - bi * blockSize;
    const first = await block(bi);
    if (at + length <= blockSize || first.length < blockSize) return first.subarray(Math.min(at, first.length), Math.min(first.length, at + length));
    const second = await block(bi + 1);
    const out = new Uint8Array(Math.min(length, first.length - at + second.length));
    out.set(first.subarray(at));
    out.set(second.subarray(0, out.length - (first.length - at)), first.length - at);
    return out;
  };
}

/**
 * Pages 1..pageCount of a file that stores them one after the other, read in blocks of whole pages of ~256 KiB (the
 * searches walk a file mostly in order, and in a browser every small read is a slice of its own).
 */
export function blockPages(src: ByteSource, ps: number, pageCount: number): PageReader {
  const read = blockReader(src, Math.max(1, Math.floor((256 << 10) / ps)) * ps);
  return async (n) => {
    if (n < 1 || n > pageCount) return null;
    const b = await read((n - 1) * ps, ps);
    return b.length === ps ? b : null;
  };
}

/**
 * Carves a SQLite database file read through `src` (evidence stays read-only). Pages are read on demand through a
 * bounded cache; a file cut inside a page is read up to its last whole page.
 */
export async function carveSource(src: ByteSource, opts: CarveOptions = {}): Promise<CarveReport> {
  const head = await readAt(src, 0, 100);
  if (head.length < 100 || !hasSqliteMagic(head)) throw new PalimpsestError('usage', `${src.name} is not a SQLite database file`);
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const ps = decodePageSize(dv.getUint16(16));
  if (ps < 512 || ps > 65536 || (ps & (ps - 1)) !== 0) throw new PalimpsestError('usage', `${src.name}: page size field ${dv.getUint16(16)} is not a SQLite page size`);
  const usable = ps - head[20];
  if (usable < 480) throw new PalimpsestError('usage', `${src.name}: ${head[20]} reserved bytes leave ${usable} usable bytes per page (at least 480)`);
  const pageCount = Math.floor(src.size / ps);
  // carveDeleted counts pages; the caller is told bytes, as for every other check.
  const onProgress = opts.onProgress && ((done: number, total: number) => opts.onProgress!(done * ps, total * ps));
  const res = await carveDeleted(blockPages(src, ps, pageCount), { usable, pageCount, firstTrunk: dv.getUint32(32), ...opts, onProgress });
  return { file: src.name, pageSize: ps, pageCount, ...res };
}

// ---- Page images in a WAL (K9) ---------------------------------------------------------------------------------

/** A WAL's frames as the carver reads them: the page number of frame i (1-based) and its page image. */
export interface FrameImages {
  count: number;
  /** Bytes a frame takes in its file (header and image), for progress. */
  frameSize?: number;
  pgno(i: number): Promise<number | null>;
  image(i: number): Promise<Uint8Array | null>;
}

/**
 * Reads many pages, in whatever order suits the source (a WAL's latest state is scattered over the file: read one
 * page at a time, a browser pays a Blob slice for each), calling `visit` for every page it could read.
 */
export type PageBatchReader = (pages: number[], visit: (pgno: number, page: Uint8Array) => void | Promise<void>) => Promise<void>;

/** The pages of a table b-tree (as treePages), one level at a time through `readMany`; `onLeaf` sees every leaf. */
async function treeLevels(
  ctx: Ctx, root: number, readMany: PageBatchReader,
  onLeaf: (pgno: number, page: Uint8Array, cells: ReturnType<typeof checkBtreePage>['cells']) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<{ all: number[] }> {
  const all: number[] = [];
  const seen = new Set<number>();
  let level = [root];
  while (level.length) {
    const unread: number[] = [];
    for (const pg of level) {
      if (pg < 1 || pg > ctx.pageCount || seen.has(pg)) continue;
      seen.add(pg);
      unread.push(pg);
    }
    const next: number[] = [];
    await readMany(unread, (pg, page) => {
      throwIfAborted(signal);
      const info = checkBtreePage(page, pg, ctx.usable);
      if (info.type === PAGE_TYPE.tableInterior) {
        all.push(pg);
        for (const c of info.cells) if (c.leftChild) next.push(c.leftChild);
        if (info.rightChild) next.push(info.rightChild);
      } else if (info.type === PAGE_TYPE.tableLeaf) {
        all.push(pg);
        return onLeaf(pg, page, info.cells);
      } else if (info.type === PAGE_TYPE.indexInterior || info.type === PAGE_TYPE.indexLeaf) all.push(pg);
    });
    level = next;
  }
  return { all };
}

/**
 * K9: rows in the page images of a WAL's frames that are not rows of the latest state. Every frame's image of a table
 * leaf holds the rows its page had at that commit (cells through its own pointers, whole) and what its free space kept
 * (K2-K4); the latest state (`latest`: the database as a rebuild of the family's latest state reads it) gives the
 * tables, the page owners and the live rows left out. Frames whose image is page 1 add the tables their schema rows
 * name (a table dropped later). A row version seen in several frames is listed once, at the first frame holding it.
 */
export async function carveFrames(
  latest: {
    read: PageReader; readMany?: PageBatchReader; usable: number; pageCount: number; pageSize?: number;
    /** Up to n pages stored right after page pg in its file, in file order (a chain written by one commit sits so). */
    neighbours?: (pg: number, n: number) => number[];
  },
  frames: FrameImages, opts: CarveOptions = {},
): Promise<CarveResult> {
  const ctx: Ctx = { read: latest.read, usable: latest.usable, pageCount: latest.pageCount, tables: [], livePages: new Set() };
  const readMany: PageBatchReader = latest.readMany ?? (async (pages, visit) => {
    for (const pg of pages) {
      const page = await latest.read(pg);
      if (page) await visit(pg, page);
    }
  });
  // Progress in bytes: the latest state's pages once, then every frame twice (page-1 images, then all).
  const pageBytes = latest.pageSize ?? 0;
  const frameBytes = frames.frameSize ?? 0;
  const total = latest.pageCount * pageBytes + 2 * frames.count * frameBytes;
  let walked = 0;
  let lastReport = -Infinity;
  const report = (done: number, force = false) => {
    if (!opts.onProgress || total <= 0 || (!force && done - lastReport < total / 512)) return;
    lastReport = done;
    opts.onProgress(Math.min(done, total), total);
  };
  const schema = await readSchema(latest.read, latest.usable, latest.pageCount);
  const live = new Map<string, CarveTable>();
  const owner = new Map<number, CarveTable>();
  // The latest state's rows, as 64-bit hashes of their values (a WAL holds many copies of live rows: comparing as
  // they are found keeps memory to the rows listed), hashed as the walk reads the live leaves.
  const liveHashes = new Set<string>();
  // Live cells by a 64-bit hash of their bytes on the page, with their table: a frame holding the same cell bytes
  // holds the same row (a chain is read from the same latest state), so the frames loop need neither decode it nor
  // read its chain again.
  const liveCells = new Map<string, CarveTable>();
  // Pages of overflow chains, read ahead for a batch of leaves at a time (one sorted read instead of a read per page).
  const ahead = new Map<number, Uint8Array>();
  const chainPages = new Set<number>();
  const aheadLimit = Math.max(64, Math.floor((128 << 20) / Math.max(512, pageBytes || latest.usable)));
  const noChains: Ctx = {
    ...ctx, livePages: new Set(),
    read: async (pg) => {
      chainPages.add(pg);
      return ahead.get(pg) ?? latest.read(pg);
    },
  };
  const readAhead = async (chains: Array<{ first: number; pages: number }>) => {
    // With each chain's first page, the pages stored right after it, as many as the chain is long (a row's overflow
    // pages written by one commit sit side by side): most chains are then read in the first sorted pass, not in a pass
    // over the file per hop. A page taken that is not in the chain costs only its bytes within the same run. The hops
    // follow the real pointers and read what is still missing.
    let hop: number[] = [];
    for (const c of chains) {
      hop.push(c.first);
      if (latest.neighbours && c.pages > 1) for (const pg of latest.neighbours(c.first, c.pages - 1)) hop.push(pg);
    }
    while (hop.length && ahead.size < aheadLimit) {
      const next: number[] = [];
      const want = [...new Set(hop)].filter((pg) => pg >= 2 && pg <= ctx.pageCount && !ahead.has(pg)).slice(0, aheadLimit - ahead.size);
      await readMany(want, (pg, page) => {
        ahead.set(pg, page.slice());
        const n = ((page[0] << 24) | (page[1] << 16) | (page[2] << 8) | page[3]) >>> 0;
        if (n) next.push(n);
      });
      hop = next;
    }
  };
  // Cells with a chain wait (copied) until enough of them are known to read their chains in one sorted pass.
  const waiting: Array<{ cell: Uint8Array; first: number; pages: number }> = [];
  const chainLimits = payloadLimits(latest.usable, true);
  let waitingBytes = 0;
  /** Pages the waiting chains have (their first pages and the ones read with them): a batch fits the read-ahead. */
  let waitingPages = 0;
  const hashCell = async (t: CarveTable, page: Uint8Array, o: number, end: number) => {
    let w = wholeCell(noChains, page, o, end, t.columns.length);
    if (w instanceof Promise) {
      w = await w;
      if (w) liveCells.set(hashBytes(page, o, o + w.size), t);
    }
    if (!w) return;
    liveHashes.add(hash64(valueKey(t.name, rowValues(w.values, t, w.rowid))));
  };
  const hashWaiting = async (t: CarveTable) => {
    await readAhead(waiting.filter((c) => c.first > 0));
    for (const { cell } of waiting) {
      throwIfAborted(opts.signal);
      await hashCell(t, cell, 0, cell.length);
    }
    waiting.length = 0;
    waitingBytes = 0;
    waitingPages = 0;
    ahead.clear();
  };
  for (const r of schema.rows) {
    if (r.type !== 'table' || !r.sql || r.rootpage < 2) continue;
    const p = parseCreateTable(r.sql);
    if (!p) continue;
    const t: CarveTable = { name: r.name, root: r.rootpage, ...p, dropped: false };
    live.set(r.name, t);
    const tree = await treeLevels(ctx, r.rootpage, readMany, async (pg, page, cells) => {
      for (const c of cells) {
        if (c.overflow === undefined) await hashCell(t, page, c.offset, ctx.usable);
        else {
          const cell = page.slice(c.offset, c.offset + c.size);
          // Its chain's length, from the payload size.
          const P = readVarintFast(page, c.offset, c.offset + 9)?.[0] ?? 0;
          const over = P - localPayloadSize(P, latest.usable, chainLimits);
          const pages = over > 0 ? Math.min(64, Math.ceil(over / (latest.usable - 4))) : 1;
          waiting.push({ cell, first: c.overflow, pages });
          waitingBytes += cell.length;
          waitingPages += pages;
        }
      }
      walked += pageBytes;
      report(walked);
      if (waitingBytes >= 32 << 20 || waitingPages >= aheadLimit) await hashWaiting(t);
    }, opts.signal);
    await hashWaiting(t);
    for (const pg of tree.all) owner.set(pg, t);
  }
  walked = latest.pageCount * pageBytes;
  report(walked, true);
  // Frame images are not pages of the latest state: an overflow chain is followed in the latest state only while it
  // stays off its live pages (K8), as for a database.
  for (const pg of owner.keys()) ctx.livePages.add(pg);
  for (const pg of schema.pages) ctx.livePages.add(pg);
  // A live row's chain read in the walk is read the same way in the frames loop unless it runs into a page the loop
  // does not follow (a live b-tree page: only in a damaged file); then every chain is read again.
  let sameChains = true;
  for (const pg of chainPages) if (ctx.livePages.has(pg)) sameChains = false;
  chainPages.clear();
  const maxColsOf = () => Math.max(1, ...ctx.tables.map((t) => t.columns.length));
  // Tables named by schema rows in page-1 images (dropped since), first.
  ctx.tables = [SCHEMA_TABLE];
  const older: CarveTable[] = [];
  for (let i = 1; i <= frames.count; i++) {
    throwIfAborted(opts.signal);
    report(walked + i * frameBytes);
    if ((await frames.pgno(i)) !== 1) continue;
    const img = await frames.image(i);
    if (!img) continue;
    const info = checkBtreePage(img, 1, ctx.usable);
    if (info.type !== PAGE_TYPE.tableLeaf) continue;
    for (const c of info.cells) {
      let w = wholeCell(ctx, img, c.offset, ctx.usable, 5);
      if (w instanceof Promise) w = await w;
      const [type, name, , root, sql] = w?.values ?? [];
      if (type !== 'table' || typeof name !== 'string' || typeof sql !== 'string' || live.has(name) || older.some((t) => t.name === name)) continue;
      const p = parseCreateTable(sql);
      if (p) older.push({ name, root: typeof root === 'number' ? root : 0, ...p, dropped: true });
    }
  }
  ctx.tables = [...live.values(), ...older];
  const maxCols = maxColsOf();
  const scanned = walked + frames.count * frameBytes;
  const records: CarvedRecord[] = [];
  const seen = new Set<string>();
  let liveCopies = 0;
  let duplicates = 0;
  for (let i = 1; i <= frames.count; i++) {
    throwIfAborted(opts.signal);
    report(scanned + i * frameBytes, i === frames.count);
    const pgno = await frames.pgno(i);
    if (pgno === null || pgno === 1) continue;
    const img = await frames.image(i);
    if (!img) continue;
    const info = checkBtreePage(img, pgno, ctx.usable);
    if (info.type !== PAGE_TYPE.tableLeaf) continue;
    const own = owner.get(pgno) ?? older.find((t) => t.root === pgno) ?? null;
    const found: CarvedRecord[] = [];
    for (const c of info.cells) {
      if (sameChains && c.overflow !== undefined) {
        // The cell of a live row, byte for byte, in the table it is attributed to: an old copy of that row.
        const head = cellHead(ctx, img, c.offset, ctx.usable, maxCols);
        if (!head) continue;
        const t = liveCells.get(hashBytes(img, c.offset, head.end));
        if (t && attribute(ctx.tables, head.types, own, false).table === t) {
          liveCopies++;
          continue;
        }
      }
      let w = wholeCell(ctx, img, c.offset, ctx.usable, maxCols);
      if (w instanceof Promise) w = await w;
      if (!w) continue;
      const a = attribute(ctx.tables, w.types, own, false);
      found.push({ table: a.table?.name ?? null, alsoFits: a.alsoFits, page: pgno, offset: c.offset, source: 'frame', rowid: w.rowid, values: rowValues(w.values, a.table, w.rowid), inferred: [], uncertain: [], lost: [] });
    }
    await carveLeaf(ctx, img, pgno, own, found);
    for (const r of found) {
      const k = valueKey(r.table, r.values);
      if (liveHashes.has(hash64(k))) liveCopies++;
      else if (seen.has(k)) duplicates++;
      else {
        seen.add(k);
        r.frame = i;
        records.push(r);
      }
    }
  }
  return { tables: ctx.tables, records, pagesSearched: frames.count, liveCopies, duplicates };
}

/** The 64-bit hash of hash64 over bytes [from, to) of `b`. */
function hashBytes(b: Uint8Array, from: number, to: number): string {
  let a = 0x811c9dc5;
  let h = 0x01000193 ^ 0x9e3779b9;
  for (let i = from; i < to; i++) {
    const c = b[i];
    a = Math.imul(a ^ c, 0x01000193);
    h = Math.imul(h ^ c, 0x01000193) ^ (h >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (h >>> 0).toString(16).padStart(8, '0');
}

/** FNV-1a over the string's UTF-16 units, twice with different seeds: a 64-bit hash as 16 hex digits. */
function hash64(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * Old copies of live rows are not deleted rows: left out and counted; repeated copies are listed once (K8). Live rows
 * are compared with the carved ones as they are read (memory stays proportional to what was carved).
 */
async function dedupeAgainstLive(ctx: Ctx, out: CarvedRecord[], liveLeaves: Map<CarveTable, number[]>, searched: number): Promise<CarveResult> {
  const keys = out.map((r) => valueKey(r.table, r.values));
  const carvedKeys = new Set(keys);
  const liveKeys = new Set<string>();
  const noChains: Ctx = { ...ctx, livePages: new Set() };
  for (const [tab, leaves] of liveLeaves) {
    if (!out.some((r) => r.table === tab.name)) continue;
    for (const pg of leaves) {
      const page = await ctx.read(pg);
      if (!page) continue;
      for (const c of checkBtreePage(page, pg, ctx.usable).cells) {
        let w = wholeCell(noChains, page, c.offset, ctx.usable, tab.columns.length);
        if (w instanceof Promise) w = await w;
        if (!w) continue;
        const k = valueKey(tab.name, rowValues(w.values, tab, w.rowid));
        if (carvedKeys.has(k)) liveKeys.add(k);
      }
    }
  }
  const seen = new Set<string>();
  const records: CarvedRecord[] = [];
  let liveCopies = 0;
  let duplicates = 0;
  out.forEach((r, i) => {
    const k = keys[i];
    if (liveKeys.has(k)) liveCopies++;
    else if (seen.has(k)) duplicates++;
    else {
      seen.add(k);
      records.push(r);
    }
  });
  return { tables: ctx.tables, records, pagesSearched: searched, liveCopies, duplicates };
}

