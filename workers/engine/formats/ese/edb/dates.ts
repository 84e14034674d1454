// Date values in ESE columns (FORMAT.md §7). JET_coltypDateTime is `typedef double JET_DATESERIAL` — an OLE
// automation date: days since 1899-12-30 00:00, the fraction being the time of day (jethdr.w). Some applications
// write a FILETIME (100 ns ticks since 1601-01-01 UTC) into DateTime columns instead (e.g. User Access Logging), and
// libesedb reads every DateTime as a FILETIME. The two are told apart per value, by rule D1:
//   D1 as a double, the 8 bytes are 0 or a finite number with 1e-5 <= |d| <= 2958465.99999 (year 9999)  → OLE date
//      otherwise, as a signed 64-bit integer, 0 < n <= 2650467743999999999 (9999-12-31)                → FILETIME
//      otherwise no date (the raw value is still exported)
// A FILETIME read as a double is a denormal or tiny number (its top 12 bits are near zero) and an OLE date read as
// an integer is above 4e18, so D1 never has to choose between two plausible dates.
// Output: ISO-8601 with milliseconds; FILETIME (UTC by definition) ends in 'Z', an OLE date (local time of the writer,
// zone unknown) has no zone designator.

const MS_PER_DAY = 86_400_000;
/** OLE day 0 (1899-12-30) in Unix milliseconds. */
const OLE_EPOCH_MS = Date.UTC(1899, 11, 30);
/** FILETIME 0 (1601-01-01) in Unix milliseconds. */
const FILETIME_EPOCH_MS = Date.UTC(1601, 0, 1);
const OLE_MAX = 2958465.99999;
const FILETIME_MAX = 2650467743999999999n;

export type DateKind = 'ole' | 'filetime';

/** D1 applied to 8 little-endian bytes. */
export function dateFromBytes(b: Uint8Array, off = 0): { iso: string; kind: DateKind } | null {
  const dv = new DataView(b.buffer, b.byteOffset + off, 8);
  const d = dv.getFloat64(0, true);
  const ad = Math.abs(d);
  if (d === 0 || (Number.isFinite(d) && ad >= 1e-5 && ad <= OLE_MAX)) {
    const iso = oleDateToIso(d);
    return iso ? { iso, kind: 'ole' } : null;
  }
  const n = dv.getBigInt64(0, true);
  if (n > 0n && n <= FILETIME_MAX) return { iso: filetimeToIso(n), kind: 'filetime' };
  return null;
}

/**
 * OLE date → ISO text without zone. Negative values count days backwards but the fraction is still the time of day
 * forward (−1.25 is 1899-12-29 06:00), as VariantTimeToSystemTime does.
 */
export function oleDateToIso(d: number): string | null {
  if (!Number.isFinite(d) || Math.abs(d) > OLE_MAX) return null;
  const day = Math.trunc(d);
  const frac = Math.abs(d - day);
  const ms = Math.round(frac * MS_PER_DAY);
  const t = OLE_EPOCH_MS + day * MS_PER_DAY + ms;
  return isoNoZone(t);
}

/** FILETIME ticks → ISO text in UTC ('Z'), milliseconds truncated; sub-millisecond ticks are in the raw value. */
export function filetimeToIso(ticks: bigint): string {
  const ms = Number(ticks / 10000n);
  return isoNoZone(FILETIME_EPOCH_MS + ms) + 'Z';
}

function isoNoZone(t: number): string {
  const dt = new Date(t);
  const y = dt.getUTCFullYear();
  const ys = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${ys}-${p2(dt.getUTCMonth() + 1)}-${p2(dt.getUTCDate())}T${p2(dt.getUTCHours())}:${p2(dt.getUTCMinutes())}:${p2(dt.getUTCSeconds())}.${String(dt.getUTCMilliseconds()).padStart(3, '0')}`;
}

// D2: a few applications store FILETIMEs in integer or binary columns. These known columns (the ones esedbexport also
// renders as dates) get the same two-column form as DateTime, read as FILETIME:
//   SRUM (SRUDB.dat): tables named {GUID}, LongLong column ConnectStartTime (little-endian)
//   WebCache (WebCacheV01.dat): tables Containers and Container_N, LongLong columns SyncTime, ExpiryTime,
//   AccessedTime, CreationTime, ModifiedTime, LastAccessTime, LastScavengeTime (little-endian)
//   Windows Search (Windows.edb): table SystemIndex_Gthr, 8-byte Binary column LastModified (big-endian)
const GUID_TABLE = /^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/;
const WEBCACHE_TIMES = new Set(['SyncTime', 'ExpiryTime', 'AccessedTime', 'CreationTime', 'ModifiedTime', 'LastAccessTime', 'LastScavengeTime']);

export type FiletimeOrder = 'le' | 'be';

/** D2: the byte order of a column known to hold FILETIMEs, or null. `coltyp` 15 = LongLong, 9 = Binary. */
export function knownFiletimeColumn(table: string, column: string, coltyp: number): FiletimeOrder | null {
  if (coltyp === 15) {
    if (GUID_TABLE.test(table)) return column === 'ConnectStartTime' ? 'le' : null;
    if (table === 'Containers' || /^Container_\d+$/.test(table)) return WEBCACHE_TIMES.has(column) ? 'le' : null;
  }
  if (coltyp === 9 && table === 'SystemIndex_Gthr' && column === 'LastModified') return 'be';
  return null;
}

/** D2 conversion: 8 bytes as a FILETIME in the given byte order, or null when out of range. */
export function filetimeFromBytes(b: Uint8Array, order: FiletimeOrder = 'le'): string | null {
  const n = new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, order === 'le');
  return n > 0n && n <= FILETIME_MAX ? filetimeToIso(n) : null;
}
