// `palimpsest export` end to end through the built CLI: exit statuses, the --json contract, the SQLite file as real
// SQLite (Debian's sqlite3) reads it, CSV files, --table, and the evidence left untouched.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { cli, tempDir, FIXTURES } from '../helpers';
import { fixtureBytes, fixtureFile, tempFile } from './fixtures';
import { stampShortChecksum } from '../../workers/engine/formats/ese/checksum';

const sqlite3 = (db: string, sql: string) => {
  const r = spawnSync('sqlite3', ['-batch', '-noheader', db, sql], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.trim();
};
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('palimpsest export', () => {
  it('--deleted recovers the deleted records of a real SRUM database into <table>__deleted, as real SQLite reads it', () => {
    const input = fixtureFile('srum-rathbun/SRUDB.dat');
    const before = sha(input);
    const t = tempDir();
    try {
      const out = path.join(t.dir, 'SRUDB.sqlite');
      const r = cli(['export', input, '--out', out, '--deleted', '--json']);
      expect(r.code).toBe(0);
      const rec = r.json.tables.filter((x: { deletedRows?: number }) => x.deletedRows).map((x: { name: string; deletedRows: number; deletedTable: string }) => [x.name, x.deletedRows, x.deletedTable]);
      expect(rec).toEqual([['MSysObjects', 20, 'MSysObjects__deleted'], ['MSysObjectsShadow', 20, 'MSysObjectsShadow__deleted'], ['MSysObjids', 1, 'MSysObjids__deleted']]);
      expect(sqlite3(out, 'SELECT count(*) FROM MSysObjects__deleted')).toBe('20');
      expect(sqlite3(out, 'SELECT count(*) FROM _palimpsest_deleted')).toBe('41');
      expect(sqlite3(out, "SELECT deleted_table, deleted_rows FROM _palimpsest_tables WHERE name = 'MSysObjids'")).toBe('MSysObjids__deleted|1');
      const text = cli(['export', input, '--out', path.join(t.dir, 'b.sqlite'), '--deleted']).stdout;
      expect(text).toMatch(/MSysObjects +195 +20 deleted records recovered into "MSysObjects__deleted"/);
      // Without --deleted they are only counted, and the text says how to get them.
      const plain = cli(['export', input, '--out', path.join(t.dir, 'c.sqlite')]).stdout;
      expect(plain).toMatch(/MSysObjects +195 +20 deleted records not exported \(--deleted recovers them\)/);
      expect(sha(input)).toBe(before);
    } finally {
      t.cleanup();
    }
  });

  it('exports a real 16 KiB-page database (Windows 11 BITS qmgr.db): live records and long values across 16 KiB pages', () => {
    const t = tempDir();
    try {
      const input = path.join(t.dir, 'qmgr.db');
      writeFileSync(input, gunzipSync(readFileSync(path.join(FIXTURES, 'ese', 'go-ese', 'qmgr.db.gz'))));
      const before = sha(input);
      const out = path.join(t.dir, 'qmgr.sqlite');
      const r = cli(['export', input, '--out', out, '--json']);
      expect(r.code).toBe(1); // Dirty Shutdown: the export warns that log changes are not in it
      expect(r.json.issues.map((i: { code: string }) => i.code)).toEqual(['ese.export.dirty-shutdown']);
      expect(r.json.tables.map((x: { name: string; rows: number }) => [x.name, x.rows])).toEqual([
        ['MSysObjects', 86], ['MSysObjectsShadow', 86], ['MSysObjids', 10], ['MSysLocales', 7], ['Jobs', 1], ['Files', 1],
      ]);
      expect(sqlite3(out, 'PRAGMA integrity_check')).toBe('ok');
      // The Jobs and Files roots (pages 31 and 32) are leaf pages with one record each; the record's GUID key is
      // stored at the offsets named here (little-endian GUID bytes), and its long value lives in the LV trees.
      const raw = readFileSync(input);
      const guidAt = (pg: number, off: number) => raw.subarray((pg + 1) * 16384 + off, (pg + 1) * 16384 + off + 16);
      const leGuid = (g: string) => {
        const h = Buffer.from(g.replace(/-/g, ''), 'hex');
        return Buffer.concat([h.subarray(0, 4).reverse(), h.subarray(4, 6).reverse(), h.subarray(6, 8).reverse(), h.subarray(8)]);
      };
      const job = sqlite3(out, 'SELECT Id, length(Blob) FROM Jobs');
      const file = sqlite3(out, 'SELECT Id, length(Blob) FROM Files');
      expect(job).toBe('d387e452-e2b3-472d-b3b3-85c2be33cbb3|2212');
      expect(file).toBe('3f4a8b1a-98e5-4aa8-a2e7-c0bf1bc6f48d|1132');
      expect(guidAt(31, 172).equals(leGuid('d387e452-e2b3-472d-b3b3-85c2be33cbb3'))).toBe(true);
      expect(guidAt(32, 119).equals(leGuid('3f4a8b1a-98e5-4aa8-a2e7-c0bf1bc6f48d'))).toBe(true);
      const path16 = sqlite3(out, "SELECT hex(substr(Blob, 21, 64)) FROM Files");
      expect(Buffer.from(path16, 'hex').toString('utf16le')).toBe('C:\\Users\\bob\\AppData\\Local\\Temp\\');
      expect(sha(input)).toBe(before);
    } finally {
      t.cleanup();
    }
  });

  it('exports a clean database: exit 0, the --json report, a file real SQLite reads', () => {
    const input = fixtureFile('dissect/multi.edb');
    const before = sha(input);
    const t = tempDir();
    try {
      const out = path.join(t.dir, 'multi.sqlite');
      const r = cli(['export', input, '--out', out, '--json']);
      expect(r.code).toBe(0);
      const j = r.json;
      expect(j).toMatchObject({ ok: true, exitCode: 0, source: { pageSize: 4096, dbState: 'Clean Shutdown' }, output: { path: out, integrity: 'ok' } });
      expect(j.tables.map((x: { name: string }) => x.name)).toEqual(['MSysObjects', 'MSysObjectsShadow', 'MSysObjids', 'MSysLocales', 'multi']);
      expect(j.output.bytes).toBe(readFileSync(out).length);
      expect(j.output.sha256).toBe(sha(out));
      expect(sqlite3(out, 'PRAGMA integrity_check')).toBe('ok');
      expect(sqlite3(out, 'SELECT count(*) FROM multi')).toBe('2');
      expect(sqlite3(out, "SELECT group_concat(value, '|') FROM multi, json_each(multi.ASCII) WHERE multi.Id = 1")).toBe(
        [1, 2, 3].map((n) => `Some ASCII text that has multiple values, this is value ${n}`).join('|'),
      );
      const total = j.tables.reduce((n: number, x: { rows: number }) => n + x.rows, 0);
      expect(Number(sqlite3(out, 'SELECT count(*) FROM _palimpsest_provenance'))).toBe(total);
      expect(sqlite3(out, "SELECT page, tag, page_checksum, via FROM _palimpsest_provenance WHERE source_table = 'multi' AND row_id = 1")).toMatch(/^\d+\|\d+\|ok\|tree$/);
      expect(sha(input)).toBe(before);
    } finally {
      t.cleanup();
    }
  });

  it('writes CSV per table (--csv) and only the named tables (--table)', () => {
    const input = fixtureFile('dissect/basic.edb');
    const t = tempDir();
    try {
      const out = path.join(t.dir, 'b.sqlite');
      const csv = path.join(t.dir, 'csv');
      const r = cli(['export', input, '--out', out, '--csv', csv, '--table', 'basic', '--json']);
      expect(r.code).toBe(0);
      expect(r.json.tables.map((x: { name: string }) => x.name)).toEqual(['basic']);
      expect(readdirSync(csv).sort()).toEqual(['_palimpsest_columns.csv', '_palimpsest_export.csv', '_palimpsest_indexes.csv', '_palimpsest_issues.csv', '_palimpsest_provenance.csv', '_palimpsest_tables.csv', 'basic.csv']);
      const lines = readFileSync(path.join(csv, 'basic.csv'), 'utf8').split('\r\n');
      expect(lines[0]).toBe('Id,Bit,UnsignedByte,Short,Long,Currency,IEEESingle,IEEEDouble,DateTime,DateTime__raw,UnsignedLong,LongLong,GUID,UnsignedShort');
      expect(lines[1]).toBe('1,0,213,-1337,-13371337,1337133713371337,1,13371337.13371337,1999-03-01T00:00:00.000,4675210852477960192,13371337,-13371337,3f360af1-6766-46dc-9af2-0dacf295c2a1,1337');
      expect(lines[2]).toBe('2,1,255,1339,13391339,-1339133913391339,-2,-13391339.13391339,1337-06-09T00:00:00.000,-4537072128574357504,,,,');
      expect(r.json.csv.files.find((f: { table: string }) => f.table === 'basic').bytes).toBe(readFileSync(path.join(csv, 'basic.csv')).length);
      expect(sqlite3(out, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_palimpsest\\_%' ESCAPE '\\'")).toBe('1');
    } finally {
      t.cleanup();
    }
  });

  it('exit 1 when damage is found, with the output written; text report lists the issues', () => {
    const bytes = fixtureBytes('dissect/basic.edb').slice();
    for (const off of [0, 4096]) {
      bytes[off + 52] = 2; // dirty shutdown, in the header and its shadow, both re-checksummed
      stampShortChecksum(bytes, off, 4096);
    }
    const input = tempFile('dirty.edb', bytes);
    const t = tempDir();
    try {
      const out = path.join(t.dir, 'd.sqlite');
      const r = cli(['export', input, '--out', out]);
      expect(r.code).toBe(1);
      expect(existsSync(out)).toBe(true);
      expect(r.stdout).toMatch(/WARNING ese\.export\.dirty-shutdown/);
      expect(r.stdout).toMatch(/^basic +2 *$/m);
      expect(sqlite3(out, "SELECT value FROM _palimpsest_export WHERE key = 'db_state'")).toBe('Dirty Shutdown');
    } finally {
      t.cleanup();
    }
  });

  it('exit 2 for nothing usable or a usage error; nothing is written and evidence is never the output', () => {
    const t = tempDir();
    try {
      const junk = tempFile('junk.bin', new Uint8Array(40000).fill(0x55));
      const out = path.join(t.dir, 'x.sqlite');
      const r = cli(['export', junk, '--out', out, '--json']);
      expect(r.code).toBe(2);
      expect(r.json).toMatchObject({ ok: false, exitCode: 2, output: null });
      expect(r.json.issues.map((i: { code: string }) => i.code)).toEqual(['ese.export.not-ese']);
      expect(existsSync(out)).toBe(false);
      const input = fixtureFile('dissect/basic.edb');
      expect(cli(['export', input]).code).toBe(2);
      const same = cli(['export', input, '--out', input]);
      expect(same.code).toBe(2);
      expect(same.stderr).toMatch(/evidence is never overwritten/);
      expect(cli(['export', input, fixtureFile('dissect/multi.edb'), '--out', out]).code).toBe(2);
    } finally {
      t.cleanup();
    }
  });
});
