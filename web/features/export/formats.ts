// CSV (RFC 4180) and JSON renderings of SQL results. Pure; the sql worker streams rows through them.
//   CSV  comma-separated, CRLF line ends, a field is quoted when it holds a comma, quote, CR or LF (quotes doubled);
//        NULL is an empty field, a BLOB is X'hex' (SQLite's literal form), numbers as JavaScript prints them
//   JSON an array of objects keyed by column name; a BLOB is {"$hex": "…"}
//   An INTEGER beyond ±2^53 arrives from the sql worker as its exact decimal digits (sql-service.ts Q5): CSV writes
//   the digits, JSON a string

export type CellValue = number | string | Uint8Array | null;

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

export function csvField(v: CellValue): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Uint8Array ? `X'${toHex(v)}'` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: CellValue[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

export function jsonValue(v: CellValue): unknown {
  if (v instanceof Uint8Array) return { $hex: toHex(v) };
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

export function jsonRow(columns: string[], values: CellValue[]): string {
  const o: Record<string, unknown> = {};
  columns.forEach((c, i) => (o[c] = jsonValue(values[i])));
  return JSON.stringify(o);
}
