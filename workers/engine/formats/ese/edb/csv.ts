// CSV of one exported table (FORMAT.md §8, rule E7), read back from the SQLite database the export wrote, one row at
// a time, so a host can stream it to a file or a download:
//   E7 RFC 4180: comma-separated, CRLF line ends, a header line of the column names; a field is quoted (doubling
//      inner quotes) when it holds a comma, quote, CR or LF, or is the empty string (so "" is an empty text and an
//      empty field is NULL); INTEGER as exact decimal (64-bit), REAL as the shortest round-trip decimal, BLOB as
//      lower-case hex

/** The part of a sql.js Statement the CSV writer uses. */
export interface SqlQueryStatement {
  step(): boolean;
  get(params?: unknown, opts?: { useBigInt?: boolean }): unknown[];
  getColumnNames(): string[];
  free(): unknown;
}

export interface SqlQueryDb {
  prepare(sql: string): SqlQueryStatement;
}

const quoteIdent = (s: string) => '"' + s.replace(/"/g, '""') + '"';

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Uint8Array) {
    let s = '';
    for (let i = 0; i < v.length; i++) s += (v[i] < 16 ? '0' : '') + v[i].toString(16);
    return s;
  }
  const s = String(v);
  if (s === '' || /[",\r\n]/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/** Yields the CSV of `table` in chunks of about `chunkChars` characters, rows in rowid order. */
export function* tableCsv(db: SqlQueryDb, table: string, chunkChars = 1 << 20): Generator<string> {
  const st = db.prepare(`SELECT * FROM ${quoteIdent(table)} ORDER BY rowid`);
  try {
    let buf = st.getColumnNames().map(csvField).join(',') + '\r\n';
    while (st.step()) {
      const row = st.get(null, { useBigInt: true });
      buf += row.map(csvField).join(',') + '\r\n';
      if (buf.length >= chunkChars) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  } finally {
    st.free();
  }
}

/** A file name for a table's CSV: characters outside [A-Za-z0-9._{}-] become '_'; collisions get '~N'. */
export function csvFileName(table: string, used: Set<string>): string {
  const base = table.replace(/[^A-Za-z0-9._{}-]/g, '_').replace(/^\.+/, '_') || '_';
  let name = `${base}.csv`;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}~${n}.csv`;
  used.add(name.toLowerCase());
  return name;
}
