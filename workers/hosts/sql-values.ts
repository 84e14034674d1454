// Values as the page gets them from the sql worker (cells), and the comparison of recovered rows with live ones (Q5,
// Q7 of sql-service). A module of its own: the page imports these without the sql worker's code.
import type { SqlValue } from 'sql.js';
import { toHex } from '../../web/features/export/formats';

export type SqlCell = number | string | null | { blob: number; hex: string };

const BLOB_PREVIEW = 32;

/** Q5: an exact INTEGER as a number when it fits, else its digits. */
export function exact(v: SqlValue | bigint): SqlValue {
  if (typeof v !== 'bigint') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

export function cell(v: SqlValue | bigint): SqlCell {
  const x = exact(v);
  if (x instanceof Uint8Array) return { blob: x.length, hex: toHex(x.subarray(0, BLOB_PREVIEW)) };
  return x;
}

export interface CompareItem {
  rowid: number;
  /** A record's values (a 64-bit integer beyond 2^53 is a bigint). */
  values: Array<SqlValue | bigint | undefined>;
}

export interface CompareResult {
  /** A row of the table has the item's rowid. */
  present: boolean;
  /** The columns whose value differs, and that row's values (only when some differ). */
  changed: number[];
  live: SqlCell[] | null;
}

/**
 * Q7: are two stored values the same? Integers compare exactly (a record's 64-bit integer may be a bigint, sql.js
 * gives bigints with useBigInt), text with text, blobs byte for byte; an unknown value (undefined) matches anything.
 */
export function sameValue(a: SqlValue | bigint | undefined, b: SqlValue | bigint | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const big = (v: SqlValue | bigint): bigint | null => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null);
    const x = big(a);
    const y = big(b);
    return x !== null && x === y;
  }
  return a === b;
}
