// The sql worker's service (sql.js) against the real sqlite3 CLI on the same files: table counts, sorted and
// filtered views, row windows at 100,000 rows, the console's copy, and CSV/JSON exports.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { localSqlService } from './helpers';
import { unwire } from '../../web/bridge/worker-handle';
import { tempDir } from '../helpers';
import type { SqlApi } from '../../workers/hosts/sql-service';
import { cellText } from '../../web/features/browse/DataTable';

const sqlite = (db: string, sql: string): string[][] => {
  const r = spawnSync('sqlite3', ['-readonly', '-separator', '\u001f', '-newline', '\u001e', db, sql], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\u001e').filter((l, i, a) => i < a.length - 1 || l).map((l) => l.split('\u001f'));
};
const asText = (v: unknown) => (v === null ? '' : typeof v === 'object' ? 'BLOB' : String(v));

describe('sql service', () => {
  const t = tempDir();
  const db = path.join(t.dir, 'mail.db');
  let s: SqlApi;
  beforeAll(async () => {
    const setup = `
      PRAGMA page_size=4096;
      CREATE TABLE messages (id INTEGER PRIMARY KEY, msg_from TEXT, subject TEXT, date_hdr TEXT, size INTEGER, body BLOB);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
        INSERT INTO messages SELECT i, 'user' || (i % 97) || '@example.com', 'Subject ' || (i * 7919 % 100003), '2025-03-' || printf('%02d', 1 + i % 28),
          (i * 31) % 5000, CASE WHEN i % 1000 = 0 THEN x'00ff10' ELSE NULL END FROM n;
      CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
      INSERT INTO kv VALUES ('b', 'two'), ('a', 'one, "quoted"'), ('c', 'line
break');
      CREATE VIEW big AS SELECT id, size FROM messages WHERE size > 4990;
      CREATE TABLE other (id INTEGER PRIMARY KEY, note TEXT);
      INSERT INTO other VALUES (1, 'x'), (2, 'y');`;
    const r = spawnSync('sqlite3', [db], { input: setup, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    s = await localSqlService();
  });
  afterAll(() => t.cleanup());

  const open = async () => unwire(await s.open(new Blob([readFileSync(db)])));

  it('opens the database: tables, views, row counts, mail detection, integrity', async () => {
    const info = await open();
    expect(info.integrity).toBe('ok');
    expect(info.pageSize).toBe(4096);
    const byName = Object.fromEntries(info.tables.map((x) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(['big', 'kv', 'messages', 'other']);
    for (const n of ['messages', 'kv', 'big', 'other']) expect(byName[n].rows).toBe(Number(sqlite(db, `SELECT count(*) FROM "${n}"`)[0][0]));
    expect(byName.messages.rowid).toBe(true);
    expect(byName.kv.rowid).toBe(false);
    expect(byName.big.type).toBe('view');
    expect(byName.messages.mail).toMatchObject({ subject: 'subject', from: 'msg_from', date: 'date_hdr', body: 'body' });
    expect(byName.other.mail).toBeNull();
  });

  it('sorts and filters like SQLite, and fetches any window of 100,000 rows by rowid', async () => {
    await open();
    const v = unwire(await s.view({ table: 'messages', sort: { column: 'subject', desc: true }, filter: '@example.com' }));
    expect(v.total).toBe(100000);
    const want = sqlite(db, `SELECT id, subject FROM messages ORDER BY subject DESC, rowid`);
    for (const at of [0, 12345, 90000, 99990]) {
      const t0 = performance.now();
      const got = unwire(await s.rows(v.id, at, 200));
      expect(performance.now() - t0).toBeLessThan(250);
      expect(got.length).toBe(Math.min(200, 100000 - at));
      got.forEach((r, i) => expect([String(r[0]), String(r[2])]).toEqual(want[at + i]));
    }
    const f = unwire(await s.view({ table: 'messages', sort: { column: 'size', desc: false }, filter: 'Subject 42' }));
    const wantF = sqlite(db, `SELECT id FROM messages WHERE CAST(id AS TEXT) LIKE '%Subject 42%' OR msg_from LIKE '%Subject 42%' OR subject LIKE '%Subject 42%' OR date_hdr LIKE '%Subject 42%' OR CAST(size AS TEXT) LIKE '%Subject 42%' OR CAST(body AS TEXT) LIKE '%Subject 42%' ORDER BY size, rowid`);
    expect(f.total).toBe(wantF.length);
    const all = unwire(await s.rows(f.id, 0, 5000));
    expect(all.map((r) => String(r[0]))).toEqual(wantF.slice(0, 5000).map((r) => r[0]));
  });

  it('treats the filter as text, never as SQL or a LIKE pattern', async () => {
    await open();
    const v = unwire(await s.view({ table: 'kv', sort: null, filter: `%' OR 1=1 --` }));
    expect(v.total).toBe(0);
    const q = unwire(await s.view({ table: 'kv', sort: null, filter: '"quoted"' }));
    expect(q.total).toBe(1);
  });

  it('pages tables without rowid and views with OFFSET', async () => {
    await open();
    const kv = unwire(await s.view({ table: 'kv', sort: { column: 'k', desc: false }, filter: '' }));
    expect(unwire(await s.rows(kv.id, 0, 10)).map((r) => r[0])).toEqual(['a', 'b', 'c']);
    const big = unwire(await s.view({ table: 'big', sort: { column: 'id', desc: true }, filter: '' }));
    const want = sqlite(db, 'SELECT id, size FROM big ORDER BY id DESC');
    expect(big.total).toBe(want.length);
    expect(unwire(await s.rows(big.id, 5, 3)).map((r) => r.map(asText))).toEqual(want.slice(5, 8));
  });

  it('runs the console on a copy: the browsed database and the exports keep every row', async () => {
    await open();
    const del = unwire(await s.exec('DELETE FROM messages WHERE id > 10; SELECT count(*) AS n FROM messages;', 1000));
    expect(del.changes).toBe(99990);
    expect(del.columns).toEqual(['n']);
    expect(del.rows).toEqual([[10]]);
    const v = unwire(await s.view({ table: 'messages', sort: null, filter: '' }));
    expect(v.total).toBe(100000);
    const csv = await unwire(await s.exportData({ table: 'messages' }, 'csv')).text();
    expect(csv.split('\r\n').length - 2).toBe(100000);
    unwire(await s.resetConsole());
    expect(unwire(await s.exec('SELECT count(*) FROM messages', 10)).rows).toEqual([[100000]]);
  });

  it('keeps at most maxRows of a result and reports SQL errors as values', async () => {
    await open();
    const r = unwire(await s.exec('SELECT id FROM messages', 1000));
    expect(r.rows.length).toBe(1000);
    expect(r.truncated).toBe(true);
    const bad = await s.exec('SELECT nope FROM messages', 10);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('sql');
      expect(bad.error.message).toMatch(/no such column/);
    }
  });

  it('exports CSV and JSON that read back to the same rows', async () => {
    await open();
    const csv = await unwire(await s.exportData({ table: 'kv' }, 'csv')).text();
    expect(csv).toBe('k,v\r\na,"one, ""quoted"""\r\nb,two\r\nc,"line\nbreak"\r\n');
    const json = JSON.parse(await unwire(await s.exportData({ table: 'messages' }, 'json')).text());
    expect(json.length).toBe(100000);
    expect(json[999]).toMatchObject({ id: 1000, body: { $hex: '00ff10' } });
    const join = JSON.parse(await unwire(await s.exportData({ sql: 'SELECT m.id, o.id FROM messages m JOIN other o ON o.id = m.id', db: 'console' }, 'json')).text());
    expect(join).toEqual([{ id: 1, id_2: 1 }, { id: 2, id_2: 2 }]);
    const rows = unwire(await s.rows(unwire(await s.view({ table: 'messages', sort: null, filter: '' })).id, 999, 1));
    expect(cellText(rows[0][5])).toBe('BLOB 3 B');
  });

  it('refuses bytes that are not a database, as a value', async () => {
    const r = await s.open(new Blob([new Uint8Array(8192).fill(7)]));
    if (r.ok) {
      // SQLite opens lazily: the first read reports the damage.
      expect(r.value.integrity).toMatch(/error|not a database/i);
    } else {
      expect(r.error.message).toMatch(/not a database|cannot open/i);
    }
    writeFileSync(path.join(t.dir, 'x'), '');
  });
});
