// ESE records: fixed, variable and tagged columns, multi-values (FORMAT.md §5; ese-formats.md §8; MS-ESE rec.hxx,
// tagfld.hxx, upgrade.cxx). Pure: bytes and a schema in, raw column pieces out. Long values and decompression are
// resolved later (lv.ts, compress.ts), because they need other pages.
//
// Record rules, numbered as FORMAT.md numbers them:
//   R1 RECHDR = u8 fidFixedLastInRec, u8 fidVarLastInRec, u16 ibEndOfFixedData; 4 <= ibEndOfFixedData <= record size,
//      fidFixedLastInRec <= 127, fidVarLastInRec is 127 (none) .. 255
//   R2 fixed columns 1..fidFixedLastInRec: value at the column's RecordOffset, its fixed size; the null bitmap is the
//      ceil(fidFixedLastInRec / 8) bytes just before ibEndOfFixedData, bit (fid − 1) set = NULL
//   R3 variable columns 128..fidVarLastInRec: u16 end offsets at ibEndOfFixedData (bit 15 = NULL), data after them
//   R4 a column past fid*LastInRec, or a tagged column with no TAGFLD, has the column's default value (or NULL)
//   R5 tagged data starts after the variable data: TAGFLD {u16 fid; u16 ib} array, its length = first ib / 4; each
//      value runs from its ib to the next ib (or the record end); ib masks 0x1fff (≤ 8 KiB pages) / 0x7fff, bit 15 =
//      derived (template) column; small pages: bit 14 = a TAGFLD_HEADER byte leads the value, bit 13 = NULL;
//      large pages: the header byte is always there and 0x20 in it = NULL
//   R6 TAGFLD_HEADER: 0x01 long value, 0x02 compressed, 0x04 separated (the value is a LID into the LV tree),
//      0x08 multi-values, 0x10 two values, 0x20 null, 0x40 encrypted
//   R7 multi-values: two values = u8 size of the first, then both; otherwise u16 offsets (count = first offset / 2,
//      bit 15 = that value is a separated LID), values between consecutive offsets; with 0x02 only the first value
//      is compressed (TAGFLD_ITERATOR "FCompressed() && 0 == imv")
//   R8 leaf pages without fPageNewRecordFormat (0x800) hold the ESE97 tagged format: TAGFLD_OLD {u16 fid; u16 bits
//      (cb:12, reserved:1, derived:1, null:1, longValue:1)} followed by its data, repeated; a repeated fid is the
//      next value of a multi-value; a long value's data starts with a byte fSeparated
// A record that breaks R1..R8 is reported with its page and tag; the columns that decoded are kept.

import { u16le } from '../../../io';

export const TAGFLD_HEADER = {
  longValue: 0x01,
  compressed: 0x02,
  separated: 0x04,
  multiValues: 0x08,
  twoValues: 0x10,
  null: 0x20,
  encrypted: 0x40,
} as const;

/**
 * Column flags as the catalog stores them: FIELDFLAG (tdb.hxx), not the JET_bitColumn* API bits (libesedb-doc lists
 * the API bits; the persisted values differ).
 */
export const FIELD_FLAG = {
  notNull: 0x1,
  version: 0x2,
  autoincrement: 0x4,
  multiValued: 0x8,
  default: 0x10,
  escrowUpdate: 0x20,
  finalize: 0x40,
  userDefinedDefault: 0x80,
  templateColumnESE98: 0x100,
  deleteOnZero: 0x200,
  primaryIndexPlaceholder: 0x800,
  compressed: 0x1000,
  encrypted: 0x2000,
} as const;

/** JET_coltyp. */
export const COLTYP = {
  nil: 0,
  bit: 1,
  unsignedByte: 2,
  short: 3,
  long: 4,
  currency: 5,
  ieeeSingle: 6,
  ieeeDouble: 7,
  dateTime: 8,
  binary: 9,
  text: 10,
  longBinary: 11,
  longText: 12,
  slv: 13,
  unsignedLong: 14,
  longLong: 15,
  guid: 16,
  unsignedShort: 17,
} as const;

export const COLTYP_NAMES = [
  'Nil', 'Bit', 'UnsignedByte', 'Short', 'Long', 'Currency', 'IEEESingle', 'IEEEDouble', 'DateTime', 'Binary', 'Text',
  'LongBinary', 'LongText', 'SLV', 'UnsignedLong', 'LongLong', 'GUID', 'UnsignedShort',
];

/** Size of the fixed-size column types; 0 for the variable ones. */
export const COLTYP_SIZE = [0, 1, 1, 2, 4, 8, 4, 8, 8, 0, 0, 0, 0, 0, 4, 8, 16, 2];

export interface ColumnDef {
  /** Column id (fid): 1..127 fixed, 128..255 variable, 256.. tagged. */
  id: number;
  name: string;
  coltyp: number;
  flags: number;
  codepage: number;
  /** Catalog SpaceUsage (the maximum size; for fixed Text/Binary the fixed size). */
  spaceUsage: number;
  /** Catalog RecordOffset: offset of a fixed column's value from the start of the record. */
  recordOffset: number;
  /** Belongs to the template table of a derived table (its TAGFLDs carry the derived bit, R5). */
  fromTemplate: boolean;
  defaultValue: Uint8Array | null;
}

export const isFixedId = (id: number) => id >= 1 && id <= 127;
export const isVarId = (id: number) => id >= 128 && id <= 255;
export const isTaggedId = (id: number) => id >= 256;

/** Size of a fixed column's value. */
export function fixedSize(c: ColumnDef): number {
  const s = COLTYP_SIZE[c.coltyp] ?? 0;
  return s > 0 ? s : c.spaceUsage;
}

/** One stored value of a column: inline bytes, or a LID pointing into the LV tree. */
export interface ValuePiece {
  bytes: Uint8Array;
  /** bytes is a LID (little-endian 4 or 8 bytes) of a separated long value. */
  separated: boolean;
  /** bytes (or, when separated, each LV chunk) may be compressed (compress.ts). */
  compressed: boolean;
}

export interface ColumnValue {
  pieces: ValuePiece[];
  /** Stored as a multi-value (even with one piece). */
  multi: boolean;
  encrypted: boolean;
  /** The value came from the column default (R4). */
  fromDefault: boolean;
}

export interface RecordSchema {
  columns: ColumnDef[];
  /** column index by fid for own columns, by fid | 0x10000 for template (derived) tagged columns. */
  byKey: Map<number, number>;
}

export function buildRecordSchema(columns: ColumnDef[]): RecordSchema {
  const byKey = new Map<number, number>();
  columns.forEach((c, i) => {
    const k = isTaggedId(c.id) && c.fromTemplate ? c.id | 0x10000 : c.id;
    if (!byKey.has(k)) byKey.set(k, i);
  });
  return { columns, byKey };
}

export interface DecodedRecord {
  /** One entry per schema column; null = NULL. */
  values: (ColumnValue | null)[];
  problems: string[];
}

const piece = (bytes: Uint8Array, separated = false, compressed = false): ValuePiece => ({ bytes, separated, compressed });

function defaultOf(c: ColumnDef): ColumnValue | null {
  return c.defaultValue ? { pieces: [piece(c.defaultValue)], multi: false, encrypted: false, fromDefault: true } : null;
}

/**
 * Decodes one record (R1..R8). `small` = page size <= 8 KiB; `newFormat` = the page has fPageNewRecordFormat.
 */
export function decodeRecord(rec: Uint8Array, schema: RecordSchema, small: boolean, newFormat: boolean): DecodedRecord {
  const cols = schema.columns;
  const values: (ColumnValue | null)[] = new Array(cols.length).fill(null);
  const problems: string[] = [];
  const len = rec.length;
  // R1
  if (len < 4) {
    problems.push(`record of ${len} bytes is shorter than its 4-byte header (rule R1)`);
    return { values, problems };
  }
  const fixedLast = rec[0];
  const varLast = rec[1];
  const ibEndFixed = u16le(rec, 2);
  if (fixedLast > 127 || varLast < 127 || ibEndFixed < 4 || ibEndFixed > len) {
    problems.push(`bad record header: fidFixedLastInRec ${fixedLast}, fidVarLastInRec ${varLast}, ibEndOfFixedData ${ibEndFixed}, record ${len} bytes (rule R1)`);
    return { values, problems };
  }
  const bitmapLen = (fixedLast + 7) >> 3;
  const bitmapStart = ibEndFixed - bitmapLen;
  const nVar = varLast - 127;
  const varDataStart = ibEndFixed + 2 * nVar;
  let varOk = true;
  if (bitmapStart < 4) {
    problems.push(`fixed-column null bitmap (${bitmapLen} bytes) does not fit before ibEndOfFixedData ${ibEndFixed} (rule R2)`);
  }
  if (varDataStart > len) {
    problems.push(`variable offset table (${nVar} entries) runs past the record end (rule R3)`);
    varOk = false;
  }
  const varEndAt = (i: number) => u16le(rec, ibEndFixed + 2 * i);
  let tagStart = varDataStart;
  if (varOk && nVar > 0) {
    tagStart = varDataStart + (varEndAt(nVar - 1) & 0x7fff);
    if (tagStart > len) {
      problems.push(`variable data (${tagStart - varDataStart} bytes) runs past the record end (rule R3)`);
      varOk = false;
      tagStart = len;
    }
  }

  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    if (isFixedId(c.id)) {
      // R2
      if (c.id > fixedLast) {
        values[i] = defaultOf(c);
        continue;
      }
      if (bitmapStart < 4) continue;
      const bit = c.id - 1;
      if (rec[bitmapStart + (bit >> 3)] & (1 << (bit & 7))) continue;
      const size = fixedSize(c);
      const off = c.recordOffset;
      if (off < 4 || off + size > bitmapStart) {
        problems.push(`fixed column ${c.id} "${c.name}" at offset ${off} (+${size}) lies outside the fixed data (4..${bitmapStart}) (rule R2)`);
        continue;
      }
      values[i] = { pieces: [piece(rec.subarray(off, off + size))], multi: false, encrypted: false, fromDefault: false };
    } else if (isVarId(c.id)) {
      // R3
      if (c.id > varLast) {
        values[i] = defaultOf(c);
        continue;
      }
      if (!varOk) continue;
      const k = c.id - 128;
      const endRaw = varEndAt(k);
      if (endRaw & 0x8000) continue;
      const start = k === 0 ? 0 : varEndAt(k - 1) & 0x7fff;
      const end = endRaw & 0x7fff;
      if (start > end || varDataStart + end > len) {
        problems.push(`variable column ${c.id} "${c.name}" spans ${start}..${end}, outside the variable data (rule R3)`);
        continue;
      }
      values[i] = { pieces: [piece(rec.subarray(varDataStart + start, varDataStart + end))], multi: false, encrypted: false, fromDefault: false };
    }
  }

  // R4 for tagged columns: default unless a TAGFLD says otherwise.
  const seen = new Uint8Array(cols.length);
  if (varOk && tagStart < len) {
    if (newFormat) decodeTagged(rec, tagStart, small, schema, values, seen, problems);
    else decodeTaggedOld(rec, tagStart, schema, values, seen, problems);
  }
  for (let i = 0; i < cols.length; i++) {
    if (isTaggedId(cols[i].id) && !seen[i] && values[i] === null) values[i] = defaultOf(cols[i]);
  }
  return { values, problems };
}

function lookup(schema: RecordSchema, fid: number, derived: boolean): number | undefined {
  // Derived (template) columns first by their derived key; ESE97-derived tables do not set the bit, so fall back.
  return derived
    ? (schema.byKey.get(fid | 0x10000) ?? schema.byKey.get(fid))
    : (schema.byKey.get(fid) ?? schema.byKey.get(fid | 0x10000));
}

function decodeTagged(
  rec: Uint8Array, tagStart: number, small: boolean, schema: RecordSchema,
  values: (ColumnValue | null)[], seen: Uint8Array, problems: string[],
): void {
  const len = rec.length;
  const area = len - tagStart;
  const mask = small ? 0x1fff : 0x7fff;
  // R5
  if (area < 4) {
    problems.push(`${area} trailing bytes are too short for a TAGFLD (rule R5)`);
    return;
  }
  const firstIb = u16le(rec, tagStart + 2) & mask;
  const count = firstIb >> 2;
  if (count === 0 || firstIb > area || (firstIb & 3) !== 0) {
    problems.push(`tagged-column array size ${firstIb} does not fit the ${area} tagged bytes (rule R5)`);
    return;
  }
  let prevFid = -1;
  for (let t = 0; t < count; t++) {
    const at = tagStart + 4 * t;
    const fid = u16le(rec, at);
    const ibRaw = u16le(rec, at + 2);
    const ib = ibRaw & mask;
    const nextIb = t + 1 < count ? u16le(rec, at + 6) & mask : area;
    if (ib < firstIb || nextIb < ib || nextIb > area) {
      problems.push(`TAGFLD ${t} (column ${fid}) spans ${ib}..${nextIb}, outside the tagged data (rule R5)`);
      continue;
    }
    const derived = (ibRaw & 0x8000) !== 0;
    // CmpTagfld2: derived TAGFLDs sort before non-derived ones, each group by fid.
    const order = fid | (derived ? 0 : 0x10000);
    if (order <= prevFid) problems.push(`TAGFLD ${t} (column ${fid}) is out of order (rule R5)`);
    prevFid = order;
    const ci = lookup(schema, fid, derived);
    let start = tagStart + ib;
    const end = tagStart + nextIb;
    let header = 0;
    const ext = small ? (ibRaw & 0x4000) !== 0 : true;
    let isNull = small && (ibRaw & 0x2000) !== 0;
    if (ext && !isNull) {
      if (start >= end) {
        problems.push(`TAGFLD ${t} (column ${fid}) has no room for its header byte (rule R5)`);
        continue;
      }
      header = rec[start++];
      if (header & TAGFLD_HEADER.null) isNull = true;
    }
    if (ci === undefined) {
      problems.push(`TAGFLD ${t}: column ${fid}${derived ? ' (derived)' : ''} is not in the catalog; its ${end - start} bytes are not exported`);
      continue;
    }
    seen[ci] = 1;
    if (isNull) {
      values[ci] = null;
      continue;
    }
    values[ci] = tagValue(rec.subarray(start, end), header, fid, problems);
  }
}

function tagValue(data: Uint8Array, header: number, fid: number, problems: string[]): ColumnValue | null {
  const encrypted = (header & TAGFLD_HEADER.encrypted) !== 0;
  const compressed = (header & TAGFLD_HEADER.compressed) !== 0;
  if (!(header & TAGFLD_HEADER.multiValues)) {
    return { pieces: [piece(data, (header & TAGFLD_HEADER.separated) !== 0, compressed)], multi: false, encrypted, fromDefault: false };
  }
  // R7
  const pieces: ValuePiece[] = [];
  if (header & TAGFLD_HEADER.twoValues) {
    if (data.length < 1 || 1 + data[0] > data.length) {
      problems.push(`column ${fid}: two-value size ${data[0] ?? '(none)'} does not fit ${data.length} bytes (rule R7)`);
      return null;
    }
    const n1 = data[0];
    pieces.push(piece(data.subarray(1, 1 + n1)), piece(data.subarray(1 + n1)));
    return { pieces, multi: true, encrypted, fromDefault: false };
  }
  if (data.length < 2) {
    problems.push(`column ${fid}: multi-value of ${data.length} bytes has no offset table (rule R7)`);
    return null;
  }
  const first = u16le(data, 0) & 0x7fff;
  const n = first >> 1;
  if (n === 0 || first > data.length || (first & 1) !== 0) {
    problems.push(`column ${fid}: multi-value offset table of ${first} bytes does not fit ${data.length} bytes (rule R7)`);
    return null;
  }
  for (let i = 0; i < n; i++) {
    const raw = u16le(data, 2 * i);
    const s = raw & 0x7fff;
    const e = i + 1 < n ? u16le(data, 2 * i + 2) & 0x7fff : data.length;
    if (s < first || e < s || e > data.length) {
      problems.push(`column ${fid}: value ${i + 1} spans ${s}..${e}, outside the multi-value (rule R7)`);
      continue;
    }
    pieces.push(piece(data.subarray(s, e), (raw & 0x8000) !== 0, compressed && i === 0));
  }
  return { pieces, multi: true, encrypted, fromDefault: false };
}

/** R8: ESE97 tagged columns. */
function decodeTaggedOld(
  rec: Uint8Array, tagStart: number, schema: RecordSchema,
  values: (ColumnValue | null)[], seen: Uint8Array, problems: string[],
): void {
  const len = rec.length;
  let p = tagStart;
  let guard = 0;
  while (p + 4 <= len && guard++ < 65536) {
    const fid = u16le(rec, p);
    const bits = u16le(rec, p + 2);
    const cb = bits & 0x0fff;
    const derived = (bits & 0x2000) !== 0;
    const isNull = (bits & 0x4000) !== 0;
    const isLv = (bits & 0x8000) !== 0;
    const start = p + 4;
    const end = start + cb;
    if (end > len) {
      problems.push(`ESE97 TAGFLD for column ${fid} (${cb} bytes) runs past the record end (rule R8)`);
      return;
    }
    p = end;
    const ci = lookup(schema, fid, derived);
    if (ci === undefined) {
      problems.push(`ESE97 TAGFLD: column ${fid} is not in the catalog; its ${cb} bytes are not exported`);
      continue;
    }
    const again = seen[ci] === 1;
    seen[ci] = 1;
    if (isNull) {
      if (!again) values[ci] = null;
      continue;
    }
    let pc: ValuePiece;
    if (isLv) {
      if (cb < 1) {
        problems.push(`ESE97 long value for column ${fid} has no fSeparated byte (rule R8)`);
        continue;
      }
      pc = piece(rec.subarray(start + 1, end), rec[start] !== 0, false);
    } else {
      pc = piece(rec.subarray(start, end));
    }
    const cur = values[ci];
    if (again && cur && !cur.fromDefault) {
      cur.pieces.push(pc);
      cur.multi = true;
    } else {
      values[ci] = { pieces: [pc], multi: false, encrypted: false, fromDefault: false };
    }
  }
  if (p !== len) problems.push(`${len - p} bytes after the last ESE97 TAGFLD (rule R8)`);
}
