// SQLite database header: the first 100 bytes of page 1 (FORMAT.md §Database header; fileformat2 §1.3).

import type { Issue } from '../../types';
import { u16be, u32be, hex } from '../../io';

export const SQLITE_MAGIC = 'SQLite format 3\0';
export const DB_HEADER_SIZE = 100;
/** SQLITE_VERSION_NUMBER range with the WAL-reset bug (sqlite-formats.md §2.10): 3.7.0 .. 3.51.2. */
export const WAL_RESET_BUG_MIN = 3007000;
export const WAL_RESET_BUG_MAX = 3051002;
export const PENDING_BYTE = 0x40000000;

export interface DbHeader {
  pageSize: number;
  writeVersion: number;
  readVersion: number;
  reservedBytes: number;
  usableSize: number;
  maxPayloadFraction: number;
  minPayloadFraction: number;
  leafPayloadFraction: number;
  changeCounter: number;
  headerPageCount: number;
  firstFreelistTrunk: number;
  freelistCount: number;
  schemaCookie: number;
  schemaFormat: number;
  defaultCacheSize: number;
  largestRootPage: number;
  textEncoding: number;
  userVersion: number;
  incrementalVacuum: number;
  applicationId: number;
  versionValidFor: number;
  sqliteVersion: number;
  /** Page count SQLite would use: the in-header size when valid, else from the file size. */
  pageCount: number;
  headerPageCountValid: boolean;
  journalMode: 'rollback' | 'wal' | 'unknown';
}

export function hasSqliteMagic(b: Uint8Array): boolean {
  if (b.length < 16) return false;
  for (let i = 0; i < 16; i++) if (b[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}

export function versionString(n: number): string {
  if (!n) return '0';
  return `${Math.floor(n / 1000000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}

export function decodePageSize(raw: number): number {
  return raw === 1 ? 65536 : raw;
}

export function lockBytePage(pageSize: number): number {
  return Math.floor(PENDING_BYTE / pageSize) + 1;
}

/**
 * Parses the header. `fileSize` is the size of the database image the header belongs to (for page count checks).
 * Returns null header only when the bytes are not a SQLite database at all (no magic or unusable page size).
 */
export function parseDbHeader(file: string, b: Uint8Array, fileSize: number): { header: DbHeader | null; issues: Issue[] } {
  const issues: Issue[] = [];
  if (b.length < DB_HEADER_SIZE) {
    issues.push({
      code: 'sqlite.db.header-truncated', severity: 'error', file, offset: 0, expected: DB_HEADER_SIZE, actual: b.length,
      message: `database header needs ${DB_HEADER_SIZE} bytes, only ${b.length} present`,
    });
    return { header: null, issues };
  }
  if (!hasSqliteMagic(b)) {
    issues.push({
      code: 'sqlite.db.bad-magic', severity: 'error', file, offset: 0, expected: 'SQLite format 3\\0',
      actual: [...b.subarray(0, 16)].map((x) => x.toString(16).padStart(2, '0')).join(' '),
      message: 'the first 16 bytes are not the SQLite magic string',
    });
    return { header: null, issues };
  }
  const rawPs = u16be(b, 16);
  const pageSize = decodePageSize(rawPs);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    issues.push({
      code: 'sqlite.db.bad-page-size', severity: 'error', file, offset: 16, expected: 'power of two 512..65536', actual: rawPs,
      message: `page size field at 0x10 is ${rawPs}`,
    });
    return { header: null, issues };
  }
  const reserved = b[20];
  const usable = pageSize - reserved;
  const h: DbHeader = {
    pageSize,
    writeVersion: b[18],
    readVersion: b[19],
    reservedBytes: reserved,
    usableSize: usable,
    maxPayloadFraction: b[21],
    minPayloadFraction: b[22],
    leafPayloadFraction: b[23],
    changeCounter: u32be(b, 24),
    headerPageCount: u32be(b, 28),
    firstFreelistTrunk: u32be(b, 32),
    freelistCount: u32be(b, 36),
    schemaCookie: u32be(b, 40),
    schemaFormat: u32be(b, 44),
    defaultCacheSize: u32be(b, 48) | 0,
    largestRootPage: u32be(b, 52),
    textEncoding: u32be(b, 56),
    userVersion: u32be(b, 60) | 0,
    incrementalVacuum: u32be(b, 64),
    applicationId: u32be(b, 68) | 0,
    versionValidFor: u32be(b, 92),
    sqliteVersion: u32be(b, 96),
    pageCount: 0,
    headerPageCountValid: false,
    journalMode: b[18] === 2 && b[19] === 2 ? 'wal' : b[18] === 1 && b[19] === 1 ? 'rollback' : 'unknown',
  };
  const filePages = Math.floor(fileSize / pageSize);
  h.headerPageCountValid = h.headerPageCount !== 0 && h.changeCounter === h.versionValidFor;
  h.pageCount = h.headerPageCountValid ? h.headerPageCount : filePages;

  if (usable < 480) {
    issues.push({
      code: 'sqlite.db.bad-reserved', severity: 'error', file, offset: 20, expected: `usable size >= 480`, actual: reserved,
      message: `reserved bytes at 0x14 = ${reserved} leave ${usable} usable bytes per page (< 480)`,
    });
  }
  if (h.writeVersion > 2 || h.readVersion > 2 || h.writeVersion < 1 || h.readVersion < 1) {
    issues.push({
      code: 'sqlite.db.file-format-version', severity: h.readVersion > 2 ? 'error' : 'warning', file, offset: 18,
      expected: '1 or 2', actual: `${h.writeVersion}/${h.readVersion}`,
      message: `file format write/read versions at 0x12 are ${h.writeVersion}/${h.readVersion}` +
        (h.readVersion > 2 ? '; SQLite cannot read this file' : ''),
    });
  }
  if (h.maxPayloadFraction !== 64 || h.minPayloadFraction !== 32 || h.leafPayloadFraction !== 32) {
    issues.push({
      code: 'sqlite.db.payload-fractions', severity: 'error', file, offset: 21, expected: '64/32/32',
      actual: `${h.maxPayloadFraction}/${h.minPayloadFraction}/${h.leafPayloadFraction}`,
      message: 'embedded payload fractions at 0x15 must be 64, 32, 32',
    });
  }
  if (h.schemaFormat > 4) {
    issues.push({
      code: 'sqlite.db.schema-format', severity: 'error', file, offset: 44, expected: '0..4', actual: h.schemaFormat,
      message: `schema format number at 0x2c is ${h.schemaFormat}`,
    });
  }
  if (h.textEncoding !== 0 && (h.textEncoding < 1 || h.textEncoding > 3)) {
    issues.push({
      code: 'sqlite.db.text-encoding', severity: 'error', file, offset: 56, expected: '1, 2 or 3', actual: h.textEncoding,
      message: `text encoding at 0x38 is ${h.textEncoding}`,
    });
  }
  if (h.largestRootPage === 0 && h.incrementalVacuum !== 0) {
    issues.push({
      code: 'sqlite.db.incremental-vacuum-flag', severity: 'warning', file, offset: 64, expected: 0, actual: h.incrementalVacuum,
      message: 'incremental-vacuum flag at 0x40 is set while auto-vacuum (0x34) is off',
    });
  }
  for (let i = 72; i < 92; i++) {
    if (b[i] !== 0) {
      issues.push({
        code: 'sqlite.db.reserved-for-expansion', severity: 'warning', file, offset: i, expected: 0, actual: b[i],
        message: `header bytes 72..91 must be zero; byte ${hex(i)} is ${hex(b[i], 2)}`,
      });
      break;
    }
  }
  if (fileSize % pageSize !== 0) {
    issues.push({
      code: 'sqlite.db.partial-page', severity: 'warning', file, offset: filePages * pageSize,
      expected: `a multiple of ${pageSize}`, actual: fileSize,
      message: `file size ${fileSize} is not a multiple of the page size; the last ${fileSize % pageSize} bytes are a partial page`,
    });
  }
  if (h.headerPageCountValid && h.headerPageCount !== filePages) {
    issues.push({
      code: 'sqlite.db.page-count-mismatch', severity: h.headerPageCount > filePages ? 'error' : 'info', file, offset: 28,
      expected: filePages, actual: h.headerPageCount,
      message: h.headerPageCount > filePages
        ? `header says ${h.headerPageCount} pages but the file holds ${filePages}: the file is truncated`
        : `header says ${h.headerPageCount} pages; the file holds ${filePages} (extra pages past the end are ignored by SQLite)`,
    });
  }
  if (h.sqliteVersion >= WAL_RESET_BUG_MIN && h.sqliteVersion <= WAL_RESET_BUG_MAX) {
    issues.push({
      code: 'sqlite.db.wal-reset-bug-writer', severity: 'warning', file, offset: 96,
      expected: `< ${WAL_RESET_BUG_MIN} or > ${WAL_RESET_BUG_MAX}`, actual: versionString(h.sqliteVersion),
      message: `last written by SQLite ${versionString(h.sqliteVersion)}, inside the WAL-reset bug range 3.7.0–3.51.2 (fixed in 3.51.3): committed pages may be missing from the database and still sit in a WAL`,
    });
  }
  return { header: h, issues };
}
