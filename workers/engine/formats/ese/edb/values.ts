// ESE column values → SQLite values (FORMAT.md §7). One rule per JET_coltyp:
//   V1 Bit, UnsignedByte, Short, UnsignedShort, Long, UnsignedLong, Currency, LongLong → INTEGER (little-endian;
//      Bit is 0/1, ESE writes 0xFF for true); 64-bit values beyond ±2^53 are exact (bound as decimal text, which the
//      INTEGER affinity stores as a 64-bit integer)
//   V2 IEEESingle, IEEEDouble → REAL; NaN (which SQLite would turn into NULL) is stored as the text 'NaN'
//   V3 DateTime → two columns: `name` ISO-8601 text (dates.ts rule D1) and `name__raw` INTEGER, the 8 bytes as a
//      signed little-endian integer (lossless, whichever interpretation applied); the known FILETIME columns of rule
//      D2 get the same two columns, `name__raw` being the FILETIME in the byte order the application wrote
//   V4 GUID → canonical lower-case text 8-4-4-4-12 (first three fields little-endian, as Windows stores a GUID)
//   V5 Text, LongText → TEXT decoded with the column codepage (1200 UTF-16LE, 65001 UTF-8, 1252/20127/0 Windows-1252,
//      other Windows codepages by name); trailing NULs are dropped; UTF-16 of odd length whose last byte is 0x20 or
//      0x00 (half a padding space of a fixed column) loses that byte; text that is not valid in its codepage is kept
//      as a BLOB of the raw bytes (and counted per column), never replaced by U+FFFD
//   V6 Binary, LongBinary, SLV, Nil and unknown types → BLOB
//   V7 a value whose size does not fit its fixed-size type is kept as a BLOB (and reported)
//   V8 a multi-valued column (JET_bitColumnMultiValued, or any stored multi-value) → TEXT holding a JSON array of the
//      values: numbers, strings, ISO dates (DateTime), canonical GUIDs, hex strings for binary (and for values kept
//      raw by V5/V7); 64-bit integers are written as JSON numbers with all their digits

import { COLTYP } from './record';
import { dateFromBytes, filetimeFromBytes, type FiletimeOrder } from './dates';

export type SqlValue = number | bigint | string | Uint8Array | null;

/** How a column is stored in SQLite. */
export type SqlKind = 'INTEGER' | 'REAL' | 'TEXT' | 'BLOB';

export function sqlKindOf(coltyp: number): SqlKind {
  switch (coltyp) {
    case COLTYP.bit: case COLTYP.unsignedByte: case COLTYP.short: case COLTYP.long: case COLTYP.currency:
    case COLTYP.unsignedLong: case COLTYP.longLong: case COLTYP.unsignedShort:
      return 'INTEGER';
    case COLTYP.ieeeSingle: case COLTYP.ieeeDouble:
      return 'REAL';
    case COLTYP.dateTime: case COLTYP.guid: case COLTYP.text: case COLTYP.longText:
      return 'TEXT';
    default:
      return 'BLOB';
  }
}

const decoders = new Map<string, TextDecoder | null>();
function decoder(label: string, fatal: boolean): TextDecoder | null {
  const k = `${label}/${fatal}`;
  if (!decoders.has(k)) {
    try {
      decoders.set(k, new TextDecoder(label, { fatal }));
    } catch {
      decoders.set(k, null);
    }
  }
  return decoders.get(k)!;
}

const CODEPAGE_LABELS: Record<number, string> = {
  1200: 'utf-16le', 65001: 'utf-8', 1252: 'windows-1252', 20127: 'windows-1252', 0: 'windows-1252',
  874: 'windows-874', 932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5', 1250: 'windows-1250', 1251: 'windows-1251',
  1253: 'windows-1253', 1254: 'windows-1254', 1255: 'windows-1255', 1256: 'windows-1256', 1257: 'windows-1257', 1258: 'windows-1258',
  28591: 'iso-8859-1',
};

export function codepageLabel(cp: number): string | null {
  return CODEPAGE_LABELS[cp] ?? null;
}

/** V5: decodes text; returns null when the bytes are not valid in the codepage (the caller keeps them raw). */
export function decodeText(b: Uint8Array, codepage: number): string | null {
  const label = codepageLabel(codepage) ?? 'windows-1252';
  if (label === 'utf-16le' && b.length % 2 !== 0) {
    // A fixed-size Unicode column of odd size ends in half a padding character (0x20 or 0x00); drop it.
    const last = b[b.length - 1];
    if (last !== 0x20 && last !== 0x00) return null;
    b = b.subarray(0, b.length - 1);
  }
  const d = decoder(label, true);
  if (!d) return null;
  let s: string;
  try {
    s = d.decode(b);
  } catch {
    return null;
  }
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

export function guidText(b: Uint8Array): string {
  const h = (i: number) => b[i].toString(16).padStart(2, '0');
  return (
    h(3) + h(2) + h(1) + h(0) + '-' + h(5) + h(4) + '-' + h(7) + h(6) + '-' + h(8) + h(9) + '-' +
    h(10) + h(11) + h(12) + h(13) + h(14) + h(15)
  );
}

export function hexOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

function bigOrNumber(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

function int64(b: Uint8Array): number | bigint {
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getInt32(4, true);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 4294967296 + lo;
  return dv.getBigInt64(0, true);
}

export interface Converted {
  value: SqlValue;
  /** The second column of a DateTime (V3). */
  raw?: SqlValue;
  /** Set when V5/V7 kept the bytes raw. */
  kept?: 'text-not-decodable' | 'size-mismatch';
}

/** Converts one stored value (V1..V7); `filetime` applies rule D2 (a known FILETIME column). */
export function convertValue(coltyp: number, codepage: number, b: Uint8Array, filetime: FiletimeOrder | null = null): Converted {
  if (filetime) {
    if (b.length !== 8) return { value: b.slice(), raw: null, kept: 'size-mismatch' };
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    return { value: filetimeFromBytes(b, filetime), raw: bigOrNumber(dv.getBigInt64(0, filetime === 'le')) };
  }
  const need = FIXED_SIZE[coltyp];
  if (need && b.length !== need) return { value: b.slice(), raw: coltyp === COLTYP.dateTime ? null : undefined, kept: 'size-mismatch' };
  const dv = () => new DataView(b.buffer, b.byteOffset, b.length);
  switch (coltyp) {
    case COLTYP.bit: return { value: b[0] ? 1 : 0 };
    case COLTYP.unsignedByte: return { value: b[0] };
    case COLTYP.short: return { value: dv().getInt16(0, true) };
    case COLTYP.unsignedShort: return { value: dv().getUint16(0, true) };
    case COLTYP.long: return { value: dv().getInt32(0, true) };
    case COLTYP.unsignedLong: return { value: dv().getUint32(0, true) };
    case COLTYP.currency: case COLTYP.longLong: return { value: int64(b) };
    case COLTYP.ieeeSingle: return { value: real(dv().getFloat32(0, true)) };
    case COLTYP.ieeeDouble: return { value: real(dv().getFloat64(0, true)) };
    case COLTYP.dateTime: {
      const d = dateFromBytes(b);
      return { value: d ? d.iso : null, raw: int64(b) };
    }
    case COLTYP.guid: return { value: guidText(b) };
    case COLTYP.text: case COLTYP.longText: {
      const s = decodeText(b, codepage);
      return s === null ? { value: b.slice(), kept: 'text-not-decodable' } : { value: s };
    }
    default:
      return { value: b.slice() };
  }
}

const FIXED_SIZE: Record<number, number> = {
  [COLTYP.bit]: 1, [COLTYP.unsignedByte]: 1, [COLTYP.short]: 2, [COLTYP.long]: 4, [COLTYP.currency]: 8,
  [COLTYP.ieeeSingle]: 4, [COLTYP.ieeeDouble]: 8, [COLTYP.dateTime]: 8, [COLTYP.unsignedLong]: 4, [COLTYP.longLong]: 8,
  [COLTYP.guid]: 16, [COLTYP.unsignedShort]: 2,
};

function real(x: number): number | string {
  return Number.isNaN(x) ? 'NaN' : x;
}

/** V8: one JSON array text for the values of a multi-valued column. */
export function jsonArray(items: Converted[]): string {
  const parts = items.map((c) => {
    const v = c.value === null && c.raw !== undefined ? c.raw : c.value;
    if (v === null) return 'null';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    if (typeof v === 'string') return JSON.stringify(v);
    return JSON.stringify(hexOf(v));
  });
  return '[' + parts.join(',') + ']';
}
