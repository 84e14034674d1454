// The esedbexport oracle: runs Debian's esedbexport (libesedb-utils 20181229) on a file at test time, reads its
// tab-separated table files, and puts our exported values into esedbexport's text form so whole tables can be
// compared. Every place where that form is not a faithful rendering of the stored value is a named libesedb defect
// (LIBESEDB_DEFECTS) that the comparison counts separately and the tests show one by one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface OracleTable {
  /** Order index esedbexport gave the table (file suffix). */
  index: number;
  header: string[];
  rows: string[][];
}

export function esedbexportAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v esedbexport'], { stdio: 'ignore' }).status === 0;
}

/** Runs esedbexport and reads every exported table. Returns null when it fails outright. */
export function runEsedbexport(file: string): { tables: Map<string, OracleTable>; stderr: string; ms: number } | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'palimpsest-esedbexport-'));
  try {
    const target = path.join(dir, 'out');
    const t0 = performance.now();
    const r = spawnSync('esedbexport', ['-t', target, file], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    const outDir = `${target}.export`;
    let names: string[];
    try {
      names = readdirSync(outDir);
    } catch {
      return null;
    }
    const tables = new Map<string, OracleTable>();
    for (const n of names) {
      const dot = n.lastIndexOf('.');
      const name = n.slice(0, dot);
      const text = readFileSync(path.join(outDir, n), 'utf8');
      const lines = text.split('\n');
      if (lines.length && lines[lines.length - 1] === '') lines.pop();
      const header = lines.length ? lines[0].split('\t') : [];
      tables.set(name, { index: Number(n.slice(dot + 1)), header, rows: lines.slice(1).map((l) => l.split('\t')) });
    }
    return { tables, stderr: r.stderr ?? '', ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** esedbexport's escaping of text (export.c export_text): \\ \t \n \r and embedded NUL as \0. */
export function escapeText(s: string): string {
  return s.replace(/[\\\t\n\r\0]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' })[c]!);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** libfdatetime's FILETIME rendering (ctime format with nanoseconds), or its "(0x.. 0x..)" for out-of-range values. */
export function libfdatetimeFiletime(raw: bigint): string {
  const u = BigInt.asUintN(64, raw);
  const hi = Number(u >> 32n);
  const lo = Number(u & 0xffffffffn);
  const ms = Number(u / 10000n);
  const d = new Date(Date.UTC(1601, 0, 1) + ms);
  if (!Number.isFinite(d.getTime()) || d.getUTCFullYear() > 9999) {
    return `(0x${hi.toString(16).padStart(8, '0')} 0x${lo.toString(16).padStart(8, '0')})`;
  }
  const ns = String(Number(u % 10000000n) * 100).padStart(9, '0');
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${ns}`;
}

/** Parses esedbexport's ctime text back to ISO with milliseconds (truncated), or null. */
export function ctimeToIsoMs(s: string): string | null {
  const m = /^([A-Z][a-z]{2}) (\d{2}), (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{9})$/.exec(s);
  if (!m) return null;
  const mo = MONTHS.indexOf(m[1]) + 1;
  return `${m[3]}-${String(mo).padStart(2, '0')}-${m[2]}T${m[4]}:${m[5]}:${m[6]}.${m[7].slice(0, 3)}`;
}

export type Defect =
  | 'fixed-null-bitmap-ignored'
  | 'default-value-not-applied'
  | 'floatingtime-imprecise'
  | 'seven-bit-unicode-as-ascii'
  | 'long-value-not-printed'
  | 'long-value-garbled'
  | 'narrow-text-stops-at-nul'
  | 'utf16-odd-length-read-as-ascii'
  | 'currency-printed-unsigned'
  | 'float32-printed-zero'
  | 'datetime-read-as-filetime'
  | 'multi-value-not-printed'
  | 'two-values-not-printed'
  | 'multi-value-long-garbled'
  | 'utf16-surrogates-garbled';

/** The libesedb 20181229 defects the comparison recognises, with the reason shown in the tests. */
export const LIBESEDB_DEFECTS: Record<Defect, string> = {
  'fixed-null-bitmap-ignored': 'a fixed column whose bit is set in the record null bitmap (rec.hxx FFixedNullBit) is NULL; libesedb ignores the bitmap and prints the bytes left in its slot (0x2A filler, or a stale value)',
  'default-value-not-applied': 'a column absent from the record has its catalog DefaultValue (ESE returns it unless JET_bitRetrieveIgnoreDefault); libesedb prints nothing',
  'floatingtime-imprecise': 'OLE dates (SRUM TimeStamp) are converted with an error of up to a second (…:59.231231208 for …:00.000)',
  'seven-bit-unicode-as-ascii': '7-bit Unicode compression (scheme 2, compression.cxx ErrDecompress7BitUnicode_) is decompressed as 7-bit ASCII, dropping the zero high bytes',
  'long-value-not-printed': 'some separated or compressed long values (LV tree, 7-bit or XPRESS) are printed empty',
  'long-value-garbled': 'some separated or compressed long values are printed as other bytes',
  'narrow-text-stops-at-nul': 'text in an 8-bit codepage stops at the first NUL byte; ESE stores and returns every byte',
  'utf16-odd-length-read-as-ascii': 'a fixed Unicode (codepage 1200) column of odd size is read as 8-bit text and stops at the first NUL',
  'currency-printed-unsigned': 'export_handle.c prints JET_coltypCurrency with PRIu64, so negative amounts come out as 2^64 + value',
  'float32-printed-zero': 'every JET_coltypIEEESingle value is printed as 0.000000 (the 32-bit float is not read back)',
  'datetime-read-as-filetime': 'JET_coltypDateTime is an OLE date (double, jethdr.w JET_DATESERIAL); libesedb reads the 8 bytes as a FILETIME',
  'multi-value-not-printed': 'export_handle_export_record_value tests multi_value_data_size (always 0) instead of value_data_size, so non-text multi-values print nothing',
  'two-values-not-printed': 'a multi-value stored in the TWOVALUES form (TAGFLD_HEADER 0x10, tagfld.hxx) is not printed ("TODO handle 0x10 flags" in export_handle.c)',
  'multi-value-long-garbled': 'multi-values of long (LV) text columns print fragments of the offset table instead of the values',
  'utf16-surrogates-garbled': 'characters outside the BMP (UTF-16 surrogate pairs) are converted to the wrong code point',
};

/** One of our exported columns, as _palimpsest_columns describes it. */
export interface OurColumn {
  name: string;
  id: number;
  codepage: number;
  /** Fixed size in bytes of a fixed column's slot (0 for variable/tagged). */
  fixedSize: number;
  defaultValue: Uint8Array | null;
  coltyp: number;
  multi: boolean;
  sqliteColumn: string;
  rawColumn: string | null;
  /** FORMAT.md D2: a column exported as a FILETIME date ('le'/'be'), else null. */
  filetime: 'le' | 'be' | null;
}

export type Cell = number | bigint | string | Uint8Array | null;

const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function guidBytesHex(g: string): string {
  const h = g.replace(/-/g, '');
  const sw = (s: string) => s.match(/../g)!.reverse().join('');
  return sw(h.slice(0, 8)) + sw(h.slice(8, 12)) + sw(h.slice(12, 16)) + h.slice(16);
}

/** Our value in esedbexport's generic text form. */
export function renderLikeEsedbexport(c: OurColumn, v: Cell, raw: Cell): string {
  if (v === null && raw === null) return '';
  if (c.multi) {
    if (typeof v !== 'string') return '';
    const items = JSON.parse(v) as unknown[];
    return items.map((x) => (typeof x === 'string' ? escapeText(x) : String(x))).join('; ');
  }
  if (v instanceof Uint8Array) return hexOf(v);
  if (c.filetime) return raw === null ? '' : libfdatetimeFiletime(BigInt(raw as number | bigint));
  switch (c.coltyp) {
    case 1: return v ? 'true' : 'false';
    case 6: case 7: return typeof v === 'number' ? v.toFixed(6) : String(v);
    case 8: return raw === null ? '' : libfdatetimeFiletime(BigInt(raw as number | bigint));
    case 10: case 12: return escapeText(String(v));
    case 16: return guidBytesHex(String(v));
    default: return String(v);
  }
}

export interface CellVerdict {
  ok: boolean;
  defect?: Defect;
}

const nonBmp = /[\u{10000}-\u{10FFFF}]/gu;

export interface CellContext {
  /** For a NULL fixed column: renderings of its slot bytes in the record, when the record's null bit is set. */
  nullSlot?: () => string[];
  /** Our value came from the column default (R4). */
  fromDefault?: boolean;
}

function utf16Narrowed(b: Uint8Array): string | null {
  if (b.length % 2) return null;
  let out = '';
  for (let i = 0; i < b.length; i += 2) {
    if (b[i + 1] !== 0) return null;
    out += b[i].toString(16).padStart(2, '0');
  }
  return out;
}

/** Compares one cell: equal, explained by a libesedb defect, or a real difference. */
export function compareCell(c: OurColumn, v: Cell, raw: Cell, theirs: string, ctx: CellContext = {}): CellVerdict {
  const mine = renderLikeEsedbexport(c, v, raw);
  if (mine === theirs) return { ok: true };
  if (v === null && c.id <= 127 && ctx.nullSlot && ctx.nullSlot().includes(theirs)) return { ok: true, defect: 'fixed-null-bitmap-ignored' };
  if (theirs === '' && ctx.fromDefault) return { ok: true, defect: 'default-value-not-applied' };
  if (c.multi) {
    if (theirs === '' && c.coltyp !== 10 && c.coltyp !== 12) return { ok: true, defect: 'multi-value-not-printed' };
    if (theirs === '' && typeof v === 'string' && (JSON.parse(v) as unknown[]).length === 2) return { ok: true, defect: 'two-values-not-printed' };
    if (c.coltyp === 12 || c.coltyp === 10) {
      if (mine.replace(nonBmp, '?') === theirs.replace(nonBmp, '?')) return { ok: true, defect: 'utf16-surrogates-garbled' };
      if (c.coltyp === 12) return { ok: true, defect: 'multi-value-long-garbled' };
    }
    return { ok: false };
  }
  if (c.coltyp === 5 && /^\d+$/.test(theirs) && BigInt.asIntN(64, BigInt(theirs)).toString() === mine) return { ok: true, defect: 'currency-printed-unsigned' };
  if (c.coltyp === 6 && theirs === '0.000000') return { ok: true, defect: 'float32-printed-zero' };
  if (c.coltyp === 8 && typeof v === 'string') {
    const iso = ctimeToIsoMs(theirs);
    const d = iso ? Math.abs(Date.parse(iso + 'Z') - Date.parse(v.replace(/Z$/, '') + 'Z')) : Infinity;
    if (d <= 1) return { ok: true };
    if (d < 1000) return { ok: true, defect: 'floatingtime-imprecise' };
  }
  if (v instanceof Uint8Array && utf16Narrowed(v) === theirs) return { ok: true, defect: 'seven-bit-unicode-as-ascii' };
  if ((c.coltyp === 10 || c.coltyp === 12) && typeof v === 'string') {
    if (mine.replace(nonBmp, '?') === theirs.replace(nonBmp, '?')) return { ok: true, defect: 'utf16-surrogates-garbled' };
    const nul = mine.indexOf('\\0');
    if (nul >= 0 && theirs === mine.slice(0, nul)) return { ok: true, defect: 'narrow-text-stops-at-nul' };
    if (c.coltyp === 10 && c.codepage === 1200 && c.id <= 127 && theirs.length > 0 && mine.startsWith(theirs)) return { ok: true, defect: 'utf16-odd-length-read-as-ascii' };
  }
  if ((c.coltyp === 11 || c.coltyp === 12) && v !== null) return { ok: true, defect: theirs === '' ? 'long-value-not-printed' : 'long-value-garbled' };
  return { ok: false };
}
