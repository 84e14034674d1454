// Recovered messages as CSV and JSON (Browse's downloads while the mail view shows them). The same conventions as
// the table downloads (export/formats.ts); before the table's columns, what each row is and where it was found:
//   status    deleted | not in this state | other version | rowid lost (as the list labels them, in English)
//   rowid     the record's rowid, empty when it was overwritten
//   changed   for another version: the columns whose value differs from the browsed state's row, `;`-separated
//   unknown   the columns whose value the record no longer tells (their fields are empty), `;`-separated
//   found_at  every place the row was found: `source: frame F, page P at byte O (how)`, `; `-separated
// JSON holds the same per row, with foundAt as objects and, for another version, the browsed state's values (current).
import type { TableInfo } from '../../../workers/hosts/sql-service';
import type { SqlValue } from '../../../workers/engine/formats/sqlite/btree';
import type { FoundAt, RecoveredMessage } from '../../store/recovered';
import { csvLine, jsonValue, type CellValue } from '../export/formats';

/** The status as the list shows it in English; `latest`: the browsed state is the latest one. */
export function statusWord(m: RecoveredMessage, latest: boolean): string {
  if (m.status === 'changed') return 'other version';
  if (m.status === 'unknown') return 'rowid lost';
  return latest ? 'deleted' : 'not in this state';
}

/** A record's value as a download cell: a 64-bit integer beyond 2^53 as its digits. */
function plain(v: SqlValue | undefined): CellValue {
  if (v === undefined) return null;
  return typeof v === 'bigint' ? v.toString() : v;
}

function place(f: FoundAt): string {
  return `${f.search}: ${f.frame ? `frame ${f.frame}, ` : ''}page ${f.page} at byte ${f.offset} (${f.where})`;
}

export function recoveredCsv(table: TableInfo, messages: RecoveredMessage[], latest: boolean): string {
  const cols = table.columns.map((c) => c.name);
  const out = [csvLine(['status', 'rowid', 'changed', 'unknown', 'found_at', ...cols])];
  for (const m of messages) {
    out.push(csvLine([
      statusWord(m, latest), m.rowid, m.changed.map((j) => cols[j]).join(';'), m.unknown.map((j) => cols[j]).join(';'),
      m.found.map(place).join('; '), ...m.values.map(plain),
    ]));
  }
  return out.join('');
}

export function recoveredJson(table: TableInfo, messages: RecoveredMessage[], latest: boolean): string {
  const cols = table.columns.map((c) => c.name);
  const rows = messages.map((m) => {
    const values: Record<string, unknown> = {};
    cols.forEach((c, j) => {
      if (!m.unknown.includes(j)) values[c] = jsonValue(plain(m.values[j]));
    });
    const o: Record<string, unknown> = {
      status: statusWord(m, latest),
      rowid: m.rowid,
      changed: m.changed.map((j) => cols[j]),
      unknown: m.unknown.map((j) => cols[j]),
      foundAt: m.found.map((f) => ({ source: f.search, frame: f.frame ?? null, page: f.page, offset: f.offset, how: f.where })),
      values,
    };
    if (m.status === 'changed' && m.live) o.current = Object.fromEntries(m.changed.map((j) => [cols[j], m.live![j]]));
    return o;
  });
  return JSON.stringify({ table: table.name, rows }, null, 1);
}
