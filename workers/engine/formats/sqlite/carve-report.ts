// Carved deleted records as text, CSV and JSON (the CLI's `deleted` command and the web app's export).
import type { SqlValue } from './btree';
import type { CarveReport, CarvedRecord } from './carve';

/** A value as JSON: numbers and text as they are, 64-bit integers beyond 2^53 as decimal text, blobs as {"blob": hex}. */
export function jsonValue(v: SqlValue): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return { blob: hex(v) };
  return v;
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Records grouped by a name (their table's), in the order the names first appear. */
export function groupRecords(recs: CarvedRecord[], name: (r: CarvedRecord) => string): Map<string, CarvedRecord[]> {
  const out = new Map<string, CarvedRecord[]>();
  for (const r of recs) {
    const k = name(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** Column names of a record: its table's, or c1..cN when no known table fits it. */
export function recordColumns(r: CarveReport, rec: CarvedRecord): string[] {
  const t = rec.table ? r.tables.find((x) => x.name === rec.table) : null;
  return rec.values.map((_, i) => t?.columns[i] ?? `c${i + 1}`);
}

export interface DeletedJsonFile {
  path: string;
  /** A WAL searched frame by frame: pageCount and pagesSearched count frames. */
  frames: boolean;
  pageSize: number;
  pageCount: number;
  pagesSearched: number;
  tables: Array<{ name: string; root: number; columns: string[]; dropped: boolean }>;
  records: Array<{
    table: string | null; alsoFits: string[]; frame: number | null; page: number; offset: number; source: CarvedRecord['source']; rowid: number | null;
    columns: string[]; values: unknown[]; inferred: number[]; uncertain: number[]; lost: number[];
  }>;
  liveCopies: number;
  duplicates: number;
}

export function deletedJson(reports: CarveReport[]): { files: DeletedJsonFile[] } {
  return {
    files: reports.map((r) => ({
      path: r.file,
      frames: r.frames === true,
      pageSize: r.pageSize,
      pageCount: r.pageCount,
      pagesSearched: r.pagesSearched,
      tables: r.tables.map((t) => ({ name: t.name, root: t.root, columns: t.columns, dropped: t.dropped })),
      records: r.records.map((rec) => ({
        table: rec.table,
        alsoFits: rec.alsoFits,
        frame: rec.frame ?? null,
        page: rec.page,
        offset: rec.offset,
        source: rec.source,
        rowid: rec.rowid,
        columns: recordColumns(r, rec),
        values: rec.values.map(jsonValue),
        inferred: rec.inferred,
        uncertain: rec.uncertain,
        lost: rec.lost,
      })),
      liveCopies: r.liveCopies,
      duplicates: r.duplicates,
    })),
  };
}

function shortValue(v: SqlValue, uncertain: boolean, lost: boolean): string {
  if (lost) return '?';
  if (uncertain) return 'NULL|0|1?';
  if (v === null) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v);
  if (v instanceof Uint8Array) return `x'${hex(v.subarray(0, 24))}${v.length > 24 ? '…' : ''}' (${v.length} bytes)`;
  return String(v);
}

const SOURCE_TEXT: Record<CarvedRecord['source'], string> = {
  freeblock: 'freeblock',
  unallocated: 'unallocated',
  freelist: 'freelist page',
  frame: 'WAL frame',
};

export function deletedText(reports: CarveReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    const data = r.records.filter((x) => x.table !== 'sqlite_schema');
    const schema = r.records.length - data.length;
    out.push(r.frames
      ? `Rows in WAL frames that the latest state does not hold: ${r.file} (${r.pageSize}-byte pages, ${r.pagesSearched} frames searched)`
      : `Deleted records: ${r.file} (${r.pageSize}-byte pages, ${r.pagesSearched} of ${r.pageCount} searched)`);
    const dropped = r.tables.filter((t) => t.dropped);
    if (dropped.length) out.push(`  dropped tables found in deleted schema rows: ${dropped.map((t) => `${t.name} (${t.columns.length} columns)`).join(', ')}`);
    const byTable = groupRecords(data, (rec) => rec.table ?? `(no known table, ${rec.values.length} columns)`);
    if (!data.length) out.push('  no deleted records found');
    for (const [name, recs] of byTable) {
      out.push(`  ${name}: ${recs.length} record${recs.length === 1 ? '' : 's'}`);
      for (const rec of recs) {
        const cols = recordColumns(r, rec);
        const where = `${rec.frame ? `frame ${rec.frame}, ` : ''}page ${rec.page} @${rec.offset} ${SOURCE_TEXT[rec.source]}${rec.rowid !== null ? `, rowid ${rec.rowid}` : ''}${rec.alsoFits.length ? `, also fits ${rec.alsoFits.join(', ')}` : ''}${rec.inferred.length ? `, types of ${rec.inferred.map((i) => cols[i]).join(', ')} inferred` : ''}`;
        out.push(`    ${where}`);
        out.push(`      ${rec.values.map((v, i) => `${cols[i]}=${shortValue(v, rec.uncertain.includes(i), rec.lost.includes(i))}`).join(', ')}`);
      }
    }
    const notes: string[] = [];
    if (schema) notes.push(`${schema} deleted schema row${schema === 1 ? '' : 's'}`);
    if (r.liveCopies) notes.push(`${r.liveCopies} old cop${r.liveCopies === 1 ? 'y' : 'ies'} of live rows left out`);
    if (r.duplicates) notes.push(`${r.duplicates} repeated cop${r.duplicates === 1 ? 'y' : 'ies'} listed once`);
    if (notes.length) out.push(`  (${notes.join('; ')})`);
    out.push('');
  }
  return out.join('\n');
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV for the records of one table (all with the same columns): where each was found, then its values. */
export function deletedCsv(r: CarveReport, recs: CarvedRecord[]): string {
  const width = Math.max(0, ...recs.map((x) => x.values.length));
  const cols = recs.length ? recordColumns(r, recs[0]) : [];
  while (cols.length < width) cols.push(`c${cols.length + 1}`);
  const head = ['frame', 'page', 'offset', 'source', 'rowid', 'table', 'also_fits', 'inferred', 'uncertain', 'lost', ...cols];
  const lines = [head.map(csvCell).join(',')];
  for (const x of recs) {
    const c = recordColumns(r, x);
    lines.push([x.frame ?? '', x.page, x.offset, x.source, x.rowid, x.table, x.alsoFits.join(' '), x.inferred.map((i) => c[i]).join(' '), x.uncertain.map((i) => c[i]).join(' '), x.lost.map((i) => c[i]).join(' '), ...x.values.map((v) => jsonValue(v) as unknown)].map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
