// An ESE database opened as SQLite in the sql worker's service (Q6): the same bytes-level facts as `palimpsest
// export` on the same file (tables, row counts, every table's CSV byte for byte), integrity_check by the sqlite3 CLI,
// browse views and the console over the result, exact 64-bit integers, cancel, and a file that is not ESE.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { localSqlService } from './helpers';
import { unwire } from '../../web/bridge/worker-handle';
import { FIXTURES, tempDir, cli } from '../helpers';
import { sqliteNameFor, type EseExportProgress } from '../../workers/hosts/sql-service';
import { csvFileName } from '../../workers/engine/formats/ese/edb/csv';

const sqlite3 = (db: string, sql: string): string => {
  const r = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

describe('ESE database opened as SQLite (sql service)', () => {
  const t = tempDir('palimpsest-ese-sql-');
  afterAll(() => t.cleanup());
  const srum = path.join(FIXTURES, 'ese', 'srum-rathbun', 'SRUDB.dat');

  it('names the download after the source', () => {
    expect(sqliteNameFor('srum/SRUDB.dat')).toBe('SRUDB.sqlite');
    expect(sqliteNameFor('C:\\evidence\\Windows.edb')).toBe('Windows.sqlite');
    expect(sqliteNameFor('noext')).toBe('noext.sqlite');
    expect(sqliteNameFor('a/we:ird?.edb')).toBe('we_ird_.sqlite');
  });

  it('exports the real SRUM database as `palimpsest export` does: same tables, rows and CSV bytes; sqlite3 finds it intact', async () => {
    const s = await localSqlService();
    const seen: EseExportProgress[] = [];
    // The path the CLI is given, so that _palimpsest_export.source_name agrees too.
    const out = unwire(await s.exportEse('ese-export', new Blob([readFileSync(srum)]), srum, (p) => seen.push(p)));
    expect(out.name).toBe('SRUDB.sqlite');
    expect(out.source).toBe(srum);
    expect(seen.length).toBeGreaterThan(0);
    expect(out.info.integrity).toBe('ok');
    const mine = path.join(t.dir, 'web.sqlite');
    const bytes = new Uint8Array(await out.blob.arrayBuffer());
    writeFileSync(mine, bytes);
    expect(out.bytes).toBe(bytes.length);
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sqlite3(mine, 'PRAGMA integrity_check')).toBe('ok');

    // The CLI on the same file.
    const cliOut = path.join(t.dir, 'cli.sqlite');
    const csvDir = path.join(t.dir, 'csv');
    const r = cli(['export', srum, '--out', cliOut, '--csv', csvDir, '--json']);
    expect(r.code, r.stderr).toBeLessThan(2);
    const names = (db: string) => sqlite3(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split('\n');
    expect(names(mine)).toEqual(names(cliOut));
    for (const n of names(cliOut)) {
      const q = `SELECT count(*) FROM "${n.replace(/"/g, '""')}"`;
      expect(sqlite3(mine, q), n).toBe(sqlite3(cliOut, q));
    }
    expect(out.tables.map((x) => [x.sqlName, x.rows])).toEqual(r.json.tables.map((x: any) => [x.sqlName, x.rows]));
    // _palimpsest_provenance is a table like any other.
    const prov = out.info.tables.find((x) => x.name === '_palimpsest_provenance')!;
    expect(prov.rows).toBe(out.tables.reduce((a, x) => a + x.rows, 0));

    // Every table's CSV is the CLI's, byte for byte (E7).
    const used = new Set<string>();
    const files = readdirSync(csvDir);
    let compared = 0;
    for (const n of sqlite3(cliOut, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").split('\n')) {
      const file = csvFileName(n, used);
      expect(files).toContain(file);
      const web = Buffer.from(await unwire(await s.exportData({ table: n }, 'csv')).arrayBuffer());
      expect(web.equals(readFileSync(path.join(csvDir, file))), n).toBe(true);
      compared++;
    }
    expect(compared).toBe(files.length);
  });

  it('browses the result: views, exact 64-bit integers (FILETIME raw values), the console on a copy', async () => {
    const s = await localSqlService();
    const out = unwire(await s.exportEse('ese-export', new Blob([readFileSync(srum)]), 'SRUDB.dat'));
    // A DateTime column's __raw value is a 64-bit integer beyond 2^53: it must arrive exactly.
    const raw = unwire(await s.exec("SELECT sqlite_table, sqlite_raw_column FROM _palimpsest_columns WHERE sqlite_raw_column IS NOT NULL AND filetime_hint IS NOT NULL ORDER BY rowid LIMIT 1", 10));
    expect(raw.rows.length).toBe(1);
    const [tbl, col] = raw.rows[0] as string[];
    const mine = path.join(t.dir, 'browse.sqlite');
    writeFileSync(mine, new Uint8Array(await out.blob.arrayBuffer()));
    const want = sqlite3(mine, `SELECT "${col}" FROM "${tbl}" WHERE "${col}" IS NOT NULL ORDER BY rowid LIMIT 1`);
    expect(BigInt(want) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const got = unwire(await s.exec(`SELECT "${col}" FROM "${tbl}" WHERE "${col}" IS NOT NULL ORDER BY rowid LIMIT 1`, 10));
    expect(String(got.rows[0][0])).toBe(want);
    const v = unwire(await s.view({ table: tbl, sort: null, filter: '' }));
    expect(v.total).toBe(Number(sqlite3(mine, `SELECT count(*) FROM "${tbl}"`)));
    const rows = unwire(await s.rows(v.id, 0, 5));
    expect(rows.length).toBe(Math.min(5, v.total));
    // The console changes its copy only.
    unwire(await s.exec(`DELETE FROM "${tbl}"`, 10));
    const again = unwire(await s.view({ table: tbl, sort: null, filter: '' }));
    expect(again.total).toBe(v.total);
  });

  it('exports a 32 KiB-page database (Windows Search) and a damaged one (the catalog root page of SRUDB.dat hit) with its issues counted', async () => {
    const s = await localSqlService();
    const ws = gunzipSync(readFileSync(path.join(FIXTURES, 'ese', 'windows-search', 'Windows.edb.gz')));
    const a = unwire(await s.exportEse('ese-export', new Blob([ws]), 'Windows.edb'));
    expect(a.pageSize).toBe(32768);
    expect(a.info.integrity).toBe('ok');
    expect(a.tables.length).toBeGreaterThan(5);
    const hit = new Uint8Array(readFileSync(srum));
    // Logical page 4 (MSysObjects' root) is physical page 5; two bytes: beyond what the ECC corrects.
    hit[5 * 4096 + 2000] ^= 0x01;
    hit[5 * 4096 + 3001] ^= 0x10;
    const bad = unwire(await s.exportEse('ese-export', new Blob([hit]), 'SRUDB.dat'));
    expect(bad.exitCode).toBe(1);
    expect(bad.pages.bad).toBeGreaterThan(0);
    expect(bad.issueCounts.error).toBeGreaterThan(0);
    expect(bad.info.integrity).toBe('ok');
  });

  it('cancels an export, and refuses a file that is not an ESE database as a value', async () => {
    const s = await localSqlService();
    const p = s.exportEse('ese-export', new Blob([readFileSync(srum)]), 'SRUDB.dat');
    await s.cancel('ese-export');
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    const junk = await s.exportEse('ese-export', new Blob([new Uint8Array(65536).fill(7)]), 'junk.edb');
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.error.code).toBe('unsupported');
  });
});
