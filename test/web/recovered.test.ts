// Browse's recovered messages (web/store/recovered.ts) on the demo case, a journal folder written by real SQLite: every
// search that applies to the rebuilt database (its free space, and each WAL of its family), the records of the mail
// table merged and compared with the rebuilt state — checked against recovered_oracle.py, which merges the same
// records and compares them with the rebuilt file through Python's sqlite3 (real SQLite, read-only).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testStore, localSqlClient } from './helpers';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers';
import { deletedJson } from '../../workers/engine/formats/sqlite/carve-report';
import { collectRecords, classify, type RecoverySearch } from '../../web/store/recovered';
import { recoveredCsv, recoveredJson } from '../../web/features/browse/recovered-export';
import type { TableInfo } from '../../workers/hosts/sql-service';
import type { CarveReport } from '../../workers/engine/formats/sqlite/carve';

interface OracleMessage { rowid: number | null; status: string; changed: string[]; found: number; known: Record<string, unknown> }

function oracle(db: string, table: string, files: unknown): { messages: OracleMessage[]; same: number; sameFound: number } {
  const r = spawnSync('python3', [path.join(ROOT, 'test/generators/recovered_oracle.py')], { input: JSON.stringify({ db, table, files }), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const canon = (m: OracleMessage) => JSON.stringify([m.rowid, m.status, m.changed, m.found, Object.entries(m.known).sort(([a], [b]) => a.localeCompare(b))]);

describe('recovered messages', () => {
  it('merges every search of the rebuilt database and its WALs and compares them with the rebuilt state as real SQLite does', async () => {
    const s = await testStore();
    await s.openDemo();
    const out = await s.rebuildNow();
    expect(out).not.toBeNull();
    const walCount = s.case.view.value!.report.files.filter((f) => f.kind === 'sqlite-wal').length;
    const searches = s.recovered.searches.value;
    expect(searches.map((x) => x.kind)).toEqual(['rebuilt', ...Array(walCount).fill('wal')]);
    expect(s.recovered.searched.value).toBe(0);
    await s.recovered.searchAll();
    expect(s.recovered.searched.value).toBe(searches.length);
    expect(s.recovered.error.value).toBeNull();
    const table = s.browse.info.value!.tables.find((t) => t.name === 'messages')!;
    await s.recovered.refresh(table);
    const list = s.recovered.list.value!;
    expect(list.table).toBe('messages');
    expect(list.searched).toBe(searches.length);

    const tmp = mkdtempSync(path.join(tmpdir(), 'recovered-'));
    try {
      const db = path.join(tmp, 'rebuilt.db');
      writeFileSync(db, new Uint8Array(await out!.blob.arrayBuffer()));
      const reports = searches.map((x) => s.deleted.byFile.value.get(x.key)!.result!);
      const want = oracle(db, 'messages', deletedJson(reports).files);
      const cols = table.columns.map((c) => c.name);
      const got = list.messages.map((m) => ({
        rowid: m.rowid, status: m.status, changed: m.changed.map((j) => cols[j]).sort(), found: m.found.length,
        known: Object.fromEntries(cols.flatMap((c, j) => (m.unknown.includes(j) ? [] : [[c, m.cells[j]]]))),
      }));
      expect(got.map(canon).sort()).toEqual(want.messages.map(canon).sort());
      expect(list.same).toBe(want.same);
      // The demo's history holds both kinds: messages deleted since, and messages moved or re-flagged since.
      expect(got.some((m) => m.status === 'absent')).toBe(true);
      expect(got.some((m) => m.status === 'changed')).toBe(true);
      // The downloads: the CSV read back by Python's csv module holds every message with its status, changed and
      // told values (the oracle's, as text); the JSON the same.
      const csvPath = path.join(tmp, 'messages.recovered.csv');
      writeFileSync(csvPath, recoveredCsv(table, list.messages, true));
      const py = 'import csv,json,sys\nrows=list(csv.DictReader(open(sys.argv[1], newline="")))\nprint(json.dumps(rows))';
      const parsed = JSON.parse(spawnSync('python3', ['-c', py, csvPath], { encoding: 'utf8' }).stdout) as Array<Record<string, string>>;
      const word: Record<string, string> = { absent: 'deleted', changed: 'other version', unknown: 'rowid lost' };
      const asText = (v: unknown) => (v === null ? '' : String(v));
      const fromCsv = parsed.map((r) => JSON.stringify([r.rowid, r.status, r.changed ? r.changed.split(';').sort() : [], r.found_at.split('; ').length,
        cols.filter((c) => !(r.unknown ? r.unknown.split(';') : []).includes(c)).map((c) => [c, r[c]]).sort()]));
      const fromOracle = want.messages.map((m) => JSON.stringify([asText(m.rowid), word[m.status], m.changed, m.found, Object.entries(m.known).map(([c, v]) => [c, asText(v)]).sort()]));
      expect(fromCsv.sort()).toEqual(fromOracle.sort());
      const json = JSON.parse(recoveredJson(table, list.messages, true)) as { table: string; rows: Array<{ status: string; rowid: number | null; changed: string[]; foundAt: unknown[]; values: Record<string, unknown>; current?: Record<string, unknown> }> };
      expect(json.table).toBe('messages');
      expect(json.rows.map((r) => canon({ rowid: r.rowid, status: Object.keys(word).find((k) => word[k] === r.status)!, changed: [...r.changed].sort(), found: r.foundAt.length, known: r.values })).sort()).toEqual(want.messages.map(canon).sort());
      expect(json.rows.filter((r) => r.status === 'other version').every((r) => Object.keys(r.current!).sort().join() === [...r.changed].sort().join())).toBe(true);
      // Every record the searches found for the table is a place of one listed message, or of a copy left out.
      const records = reports.flatMap((r) => r.records.filter((x) => x.table === 'messages')).length;
      expect(got.reduce((n, m) => n + m.found, 0) + want.sameFound).toBe(records);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps apart rows that differ, merges copies, and leaves unknown values out of the comparison', async () => {
    const table: TableInfo = {
      name: 'm', type: 'table', rowid: true, rows: 1, mail: null,
      columns: [{ name: 'id', type: 'INTEGER', pk: true }, { name: 'subject', type: 'TEXT', pk: false }, { name: 'flags', type: 'INTEGER', pk: false }],
    };
    const report: CarveReport = {
      file: 'x', pageSize: 4096, pageCount: 3, pagesSearched: 3, liveCopies: 0, duplicates: 0,
      tables: [{ name: 'm', root: 2, columns: ['id', 'subject', 'flags'], affinity: ['integer', 'text', 'integer'], notNull: [false, false, false], rowidAlias: 0, dropped: false }],
      records: [
        { table: 'm', alsoFits: [], page: 2, offset: 100, source: 'freeblock', rowid: 7, values: [7, 'a', 1], inferred: [], uncertain: [], lost: [] },
        { table: 'm', alsoFits: [], page: 3, offset: 200, source: 'freeblock', rowid: 7, values: [7, 'a', 1], inferred: [], uncertain: [], lost: [] },
        { table: 'm', alsoFits: [], page: 3, offset: 300, source: 'freeblock', rowid: 7, values: [7, 'a', 2], inferred: [], uncertain: [], lost: [] },
        { table: 'm', alsoFits: [], page: 3, offset: 400, source: 'unallocated', rowid: 9, values: [9, 'b', null], inferred: [2], uncertain: [2], lost: [] },
        { table: 'm', alsoFits: [], page: 3, offset: 500, source: 'unallocated', rowid: null, values: [null, 'c', 5n], inferred: [], uncertain: [], lost: [0] },
        { table: 'other', alsoFits: [], page: 3, offset: 600, source: 'freeblock', rowid: 1, values: [1], inferred: [], uncertain: [], lost: [] },
      ],
    };
    const search: RecoverySearch = { key: 0, file: 0, name: 'x.db', kind: 'wal', start: async () => undefined };
    const got = await collectRecords(table, [{ search, report }]);
    expect(got.map((g) => [g.rowid, g.found.length, g.unknown])).toEqual([[7, 2, []], [7, 1, []], [9, 1, [2]], [null, 1, [0]]]);
    // Live: rowid 7 with flags 2, rowid 9 with flags 4 (unknown in the record: not a difference).
    const live = new Map<number, unknown[]>([[7, [7, 'a', 2]], [9, [9, 'b', 4]]]);
    const compare = async (_t: string, items: Array<{ rowid: number; values: unknown[] }>) =>
      items.map((x) => {
        const row = live.get(x.rowid);
        if (!row) return { present: false, live: null, changed: [] };
        const changed = row.flatMap((v, i) => (x.values[i] === undefined || x.values[i] === v ? [] : [i]));
        return { present: true, live: changed.length ? (row as never) : null, changed };
      });
    const r = await classify(table, got, compare as never);
    expect(r.same).toBe(2);
    expect(r.messages.map((m) => [m.rowid, m.status, m.changed, m.cells])).toEqual([[7, 'changed', [2], [7, 'a', 1]], [null, 'unknown', [], [null, 'c', 5]]]);
  });

  it('compares values as SQLite stores them: 64-bit integers exactly, blobs byte for byte, REAL 1.0 = 1 (sql-service Q7)', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'recovered-q7-'));
    try {
      const db = path.join(tmp, 't.db');
      const py = `import sqlite3,sys\ncon=sqlite3.connect(sys.argv[1])\ncon.execute('CREATE TABLE t(id INTEGER PRIMARY KEY, big INTEGER, b BLOB, r REAL, s TEXT)')\ncon.execute('INSERT INTO t VALUES (1, ?, ?, 1.0, ?)', (2**62 + 1, bytes([1, 2, 3]), '7'))\ncon.commit()`;
      const g = spawnSync('python3', ['-c', py, db], { encoding: 'utf8' });
      expect(g.status, g.stderr).toBe(0);
      const sql = await localSqlClient();
      await sql.open(new Blob([readFileSync(db)]));
      const base = [1, 2n ** 62n + 1n, new Uint8Array([1, 2, 3]), 1, '7'];
      const alt = (i: number, v: unknown) => base.map((x, j) => (j === i ? v : x)) as never;
      const r = await sql.compareRows('t', [
        { rowid: 1, values: base as never },
        { rowid: 1, values: alt(1, 2n ** 62n) },
        { rowid: 1, values: alt(2, new Uint8Array([1, 2, 4])) },
        { rowid: 1, values: alt(3, 1.5) },
        { rowid: 1, values: alt(4, 7) },
        { rowid: 1, values: alt(4, undefined) },
        { rowid: 2, values: base as never },
      ]);
      expect(r.map((x) => x.changed)).toEqual([[], [1], [2], [3], [4], [], []]);
      expect(r.map((x) => x.present)).toEqual([true, true, true, true, true, true, false]);
      expect(r[0].live).toBeNull();
      expect(r[1].live).toEqual([1, String(2n ** 62n + 1n), { blob: 3, hex: '010203' }, 1, '7']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
