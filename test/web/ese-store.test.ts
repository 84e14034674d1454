// The store on ESE cases, with the workers' services in-process: the real SRUM folder (database, logs, checkpoint,
// flush map, reserve logs) and copies of it damaged at known offsets. Page and sector maps against the report's own
// counts, hex units and their field maps, the plan checklist, Open as SQLite (browse, CSV, cancel), closing.
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pickedFrom, testStore, localCaseService, wireInputs } from './helpers';
import { FIXTURES, tempDir } from '../helpers';
import { unwire } from '../../web/bridge/worker-handle';
import { stepKey } from '../../web/store/ese';
import { shortChecksum } from '../../workers/engine/formats/ese/checksum';
import { ESE_FIELD_KEYS, esePageFields, eseDbHeaderFields, eseLogHeaderFields, eseLogSegmentFields, eseLegacySectorFields, eseCheckpointFields, eseFlushMapHeaderFields } from '../../web/features/ese/ese-fields';
import { TERMS } from '../../web/i18n/terms';
import { fieldAt } from '../../web/features/hex/fields';
import { CELL_STATUS } from '../../workers/hosts/case-api';
import { rng, randomBytes } from '../helpers';

const SRUM = path.join(FIXTURES, 'ese', 'srum-rathbun');
const settle = () => new Promise((r) => setTimeout(r, 30));
const tmp = tempDir('palimpsest-ese-store-');
afterAll(() => tmp.cleanup());

/** A copy of the SRUM folder; `edit` changes it (the fixture itself is never touched). */
function srumCopy(name: string, edit: (dir: string) => void = () => undefined): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(SRUM)) if (f !== 'PROVENANCE.md') copyFileSync(path.join(SRUM, f), path.join(dir, f));
  edit(dir);
  return dir;
}

/** Sets a u32 in both database header copies and restamps their checksums (4 KiB pages). */
function editHeader(file: string, off: number, value: number): void {
  const b = new Uint8Array(readFileSync(file));
  const dv = new DataView(b.buffer);
  for (const c of [0, 4096]) {
    dv.setInt32(c + off, value, true);
    dv.setUint32(c, shortChecksum(b, c, 4096), true);
  }
  writeFileSync(file, b);
}

describe('store on an ESE case', () => {
  it('opens the SRUM folder: verdict, the database first, its page map and the log sector map agree with the report', async () => {
    const s = await testStore();
    await s.openFiles(pickedFrom(SRUM));
    expect(s.case.verdict.value).toBe('restorable');
    await settle();
    const r = s.case.view.value!.report;
    const db = r.files.findIndex((f) => f.path === 'SRUDB.dat');
    expect(s.integrity.selected.value).toBe(db);
    const m = s.integrity.map.value!;
    const pages = (r.files[db].ese as any).pages;
    expect([m.unit, m.count, m.firstIndex]).toEqual(['page', pages.seen, -1]);
    expect(m.statusCounts).toEqual({ ok: pages.seen - pages.uninitialized, uninitialized: pages.uninitialized });
    // Types from PGHDR flags: two header pages, no unknown among verified pages, leaves and branches of tables.
    expect(m.typeCounts.eseHeader).toBe(2);
    expect(m.typeCounts.zero).toBe(pages.uninitialized);
    expect(m.typeCounts.unknown ?? 0).toBe(0);
    expect((m.typeCounts.eseDataLeaf ?? 0) + (m.typeCounts.eseSpaceTree ?? 0)).toBeGreaterThan(10);

    const log = r.files.findIndex((f) => f.path === 'SRU.log');
    await s.integrity.selectFile(log);
    const lm = s.integrity.map.value!;
    const e = r.files[log].ese as any;
    expect([lm.unit, lm.count, lm.firstIndex]).toEqual(['segment', 65536 / 4096, 0]);
    // Header sector(s) + the segments the scan found good; empty and shadow as counted; the last sector unscanned.
    expect(lm.statusCounts.ok).toBe(e.header.csecHeader + e.segmentDetail.good - e.segmentDetail.correctable);
    expect(lm.statusCounts.empty ?? 0).toBe(e.segments.empty);
    expect(lm.statusCounts.shadow ?? 0).toBe(e.segments.shadow);
    expect(lm.statusCounts.unscanned).toBe(lm.count - e.header.csecHeader - e.segments.seen);
    expect(lm.status[0]).toBe(CELL_STATUS.ok);
  });

  it('opens ESE hex units with their field maps: header page -1, a data page, a log sector, both checkpoint copies', async () => {
    const s = await testStore();
    await s.openFiles(pickedFrom(SRUM));
    const r = s.case.view.value!.report;
    const db = r.files.findIndex((f) => f.path === 'SRUDB.dat');
    await s.integrity.openHex(db, 'page', -1);
    let h = s.integrity.hex.value!;
    expect([h.index, h.first, h.count, h.offset, h.bytes.length]).toEqual([-1, -1, 190, 0, 4096]);
    expect(fieldAt(h.fields, 4)).toMatchObject({ key: 'f.ese.magic', value: '0x89abcdef' });
    expect(fieldAt(h.fields, 52)?.value).toBe('3 (Clean Shutdown)');
    expect(fieldAt(h.fields, 56)?.value).toBe('(0x9,6,36)');
    await s.integrity.stepHex(-1);
    expect(s.integrity.hex.value!.index).toBe(-1);
    await s.integrity.stepHex(1);
    h = s.integrity.hex.value!;
    expect([h.index, h.offset]).toEqual([0, 4096]);
    expect(h.fields[0].key).toBe('f.ese.shadowHeader');
    await s.integrity.openHex(db, 'page', 4);
    h = s.integrity.hex.value!;
    expect(h.offset).toBe(5 * 4096);
    // MSysObjects' root page: objidFDP 2, root flag, nodes and the tag array named.
    expect(fieldAt(h.fields, 24)).toMatchObject({ key: 'f.ese.objidFDP', value: '2' });
    expect(fieldAt(h.fields, 36)?.value).toMatch(/root/);
    expect(h.fields.some((f) => f.key === 'f.ese.node')).toBe(true);
    expect(fieldAt(h.fields, 4095)?.key).toBe('f.ese.tag');
    const log = r.files.findIndex((f) => f.path === 'SRU.log');
    await s.integrity.openHex(log, 'segment', 0);
    h = s.integrity.hex.value!;
    expect(fieldAt(h.fields, 4)).toMatchObject({ key: 'f.ese.generation', value: '9 (0x9)' });
    await s.integrity.openHex(log, 'segment', 2);
    expect(fieldAt(s.integrity.hex.value!.fields, 8)?.value).toBe('(0x9,2,0)');
    const chk = r.files.findIndex((f) => f.path === 'SRU.chk');
    for (const copy of [1, 2]) {
      await s.integrity.openHex(chk, 'header', copy);
      h = s.integrity.hex.value!;
      expect([h.offset, h.count, h.first]).toEqual([(copy - 1) * 4096, 2, 1]);
      expect(fieldAt(h.fields, 12)).toMatchObject({ key: 'f.ese.lgposCheckpoint', value: '(0x9,9,0)' });
    }
    await s.integrity.openHex(db, 'page', 191);
    expect(s.integrity.hexError.value?.code).toBe('usage');
  });

  it('keeps the plan checklist ticks per step, and forgets them with the case', async () => {
    const s = await testStore();
    await s.openFiles(pickedFrom(SRUM));
    const p = (s.case.view.value!.report.esePlan as any[])[0];
    expect(p.verdict).toBe('point-in-time-ready');
    const k0 = stepKey(p.database, 0, p.steps[0].text);
    s.ese.toggle(k0);
    expect(s.ese.ticks.value[k0]).toBe(true);
    s.ese.toggle(k0);
    expect(s.ese.ticks.value[k0]).toBe(false);
    s.ese.toggle(k0);
    s.closeCase();
    expect(s.ese.ticks.value).toEqual({});
  });

  it('opens the database as SQLite: result, browse source and first table, CSV of a table; the evidence is unchanged', async () => {
    const dir = srumCopy('export');
    const before = readFileSync(path.join(dir, 'SRUDB.dat'));
    const s = await testStore();
    await s.openFiles(pickedFrom(dir));
    const db = s.case.view.value!.report.files.findIndex((f) => f.path === 'SRUDB.dat');
    const out = await s.openEseAsSqlite(db);
    expect(out?.name).toBe('SRUDB.sqlite');
    expect(s.ese.phase.value).toBe('done');
    expect(s.ese.result.value?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.browse.source.value).toEqual({ kind: 'ese', name: 'SRUDB.sqlite' });
    expect(s.browse.info.value?.integrity).toBe('ok');
    expect(s.browse.table.value?.startsWith('_palimpsest_')).toBe(false);
    expect(s.browse.info.value!.tables.some((t) => t.name === '_palimpsest_provenance')).toBe(true);
    const csv = await (await s.browse.exportTable('_palimpsest_export', 'csv')).text();
    expect(csv.startsWith('key,value\r\n')).toBe(true);
    expect(csv).toContain('source_name,SRUDB.dat\r\n');
    await s.browse.selectTable('SruDbIdMapTable');
    expect(s.browse.view.value?.total).toBe(out!.tables.find((t) => t.name === 'SruDbIdMapTable')!.rows);
    expect(readFileSync(path.join(dir, 'SRUDB.dat')).equals(before)).toBe(true);
    // A file that is not an ESE database of the case is refused with a notice.
    expect(await s.openEseAsSqlite(0)).toBeNull();
    expect(s.ui.notices.value.some((n) => n.kind === 'error')).toBe(true);
  });

  it('cancels Open as SQLite without a notice', async () => {
    const s = await testStore();
    await s.openFiles(pickedFrom(SRUM));
    const db = s.case.view.value!.report.files.findIndex((f) => f.path === 'SRUDB.dat');
    const p = s.openEseAsSqlite(db);
    s.ese.cancel();
    expect(await p).toBeNull();
    expect(s.ese.phase.value).toBe('error');
    expect(s.ese.error.value?.code).toBe('cancelled');
    expect(s.ui.notices.value).toEqual([]);
  });

  it('a broken chain: the plan is not ready, names the missing generation and the -1216 recovery would end in', async () => {
    const dir = srumCopy('broken', (d) => {
      unlinkSync(path.join(d, 'SRU.chk'));
      unlinkSync(path.join(d, 'SRU00006.log'));
      // Last Consistent generation 5: the chain from 5 to the newest log (9) needs 6.
      editHeader(path.join(d, 'SRUDB.dat'), 60, 5);
    });
    const s = await testStore();
    await s.openFiles(pickedFrom(dir));
    expect(s.case.verdict.value).toBe('restorable-with-loss');
    const r = s.case.view.value!.report;
    const p = (r.esePlan as any[])[0];
    expect(p).toMatchObject({ verdict: 'not-ready', missing: [6], expectedError: { code: -1216 } });
    expect((r.eseLogSets as any[])[0].missing).toEqual([6]);
  });
});

describe('ESE hex field maps', () => {
  it('name every field they produce in both languages, inside the bytes and in order, on real pages', () => {
    const b = readFileSync(path.join(SRUM, 'SRUDB.dat'));
    const log = readFileSync(path.join(SRUM, 'SRU.log'));
    const chk = readFileSync(path.join(SRUM, 'SRU.chk'));
    const fm = readFileSync(path.join(SRUM, 'SRUDB.jfm'));
    const all: Array<[ReturnType<typeof esePageFields>, number]> = [
      [eseDbHeaderFields(b.subarray(0, 4096), false), 4096], [eseDbHeaderFields(b.subarray(4096, 8192), true), 4096],
      [eseLogHeaderFields(log.subarray(0, 4096)), 4096], [eseLogSegmentFields(log.subarray(8192, 12288)), 4096],
      [eseCheckpointFields(chk.subarray(0, 4096)), 4096], [eseFlushMapHeaderFields(fm.subarray(0, 8192)), 8192],
    ];
    for (let k = 2; k < b.length / 4096; k++) all.push([esePageFields(b.subarray(k * 4096, (k + 1) * 4096)), 4096]);
    const keys = new Set<string>();
    for (const [fields, len] of all) {
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        keys.add(f.key);
        expect(f.start).toBeGreaterThanOrEqual(0);
        expect(f.end).toBeLessThanOrEqual(len);
        if (i) expect(f.start >= fields[i - 1].start).toBe(true);
      }
    }
    for (const k of keys) expect(ESE_FIELD_KEYS, k).toContain(k);
    for (const k of ESE_FIELD_KEYS) expect(k in TERMS, k).toBe(true);
    expect(keys.size).toBeGreaterThan(40);
  });

  it('never throw and stay inside the bytes on random, truncated and zero input (4 to 32 KiB)', () => {
    const r = rng(7);
    for (const size of [0, 3, 40, 100, 4096, 8192, 16384, 32768]) {
      for (let n = 0; n < 12; n++) {
        const bytes = n === 0 ? new Uint8Array(size) : randomBytes(size, r);
        const legacy = (x: Uint8Array) => eseLegacySectorFields(x, 0, [0, 5, 100, 490, 4090, -3], 200);
        for (const fn of [esePageFields, (x: Uint8Array) => eseDbHeaderFields(x, false), eseLogHeaderFields, eseLogSegmentFields, eseCheckpointFields, eseFlushMapHeaderFields, legacy]) {
          const fields = fn(bytes);
          for (const f of fields) {
            expect(f.start).toBeGreaterThanOrEqual(0);
            expect(f.end).toBeLessThanOrEqual(size);
            expect(f.end).toBeGreaterThan(f.start);
          }
        }
      }
    }
  });

  it('names the LRCHECKSUM records of a legacy log sector where the chain walk found them, the shadow included', async () => {
    const dir = path.join(tmp.dir, 'legacy');
    mkdirSync(dir, { recursive: true });
    for (const f of ['edb.log', 'edb00001.log']) writeFileSync(path.join(dir, f), gunzipSync(readFileSync(path.join(FIXTURES, 'ese', 'legacy-windows-mail', `${f}.gz`))));
    const svc = localCaseService();
    unwire(await svc.inspect('inspect', wireInputs(pickedFrom(dir)), { hash: false }));
    const log = svc.model()!.files.findIndex((f) => f.path === 'edb.log');
    const at = async (sector: number) => {
      const u = await svc.unit(log, 'segment', sector);
      expect(u.ok).toBe(true);
      return (u as any).value as { offset: number; bytes: Uint8Array; fields: Array<{ start: number; end: number; key: string; value: string }> };
    };
    // Sector 8 (0x1000) starts with the first record: short checksum on, cbForwards 2026.
    const s8 = await at(8);
    expect(s8.offset).toBe(0x1000);
    expect(s8.bytes.length).toBe(512);
    const f8 = s8.fields.filter((f) => f.key.startsWith('f.ese.lr')).map((f) => [f.start, f.key, f.value]);
    expect(f8).toEqual([
      [0, 'f.ese.lrck', 'LRCHECKSUM'], [0, 'f.ese.lrtyp', '42'], [1, 'f.ese.lrckBackwards', '0 B'], [5, 'f.ese.lrckForwards', '2026 B'],
      [9, 'f.ese.lrckNext', '2128 B (next record at 6246)'], [13, 'f.ese.lrckChecksum', '0x51bf7610'], [17, 'f.ese.lrckShortChecksum', '0x7ba40b7a'],
      [21, 'f.ese.lrckUseShort', '0x9A (on)'],
    ]);
    expect(fieldAt(s8.fields as any, 14)?.key).toBe('f.ese.lrckChecksum');
    // Sector 0x4c holds the shadow copy of the last record, at the same place in its sector (0x9f).
    const shadow = (await at(0x4c)).fields.find((f) => f.key === 'f.ese.lrck')!;
    expect([shadow.start, shadow.value]).toEqual([0x9f, 'LRCHECKSUM (shadow)']);
    // A sector with no record names only the log records.
    expect((await at(0x20)).fields.map((f) => f.key)).toEqual(['f.ese.logRecords']);
    // After the data and its shadow: ESE's fill pattern, named as such.
    expect((await at(0x4d)).fields.map((f) => [f.key, f.value])).toEqual([['f.ese.logFill', '512 B of 0xDA']]);
  });

  it('the case service refuses units outside a file, and a unit of an ESE file without one', async () => {
    const svc = localCaseService();
    unwire(await svc.inspect('inspect', wireInputs(pickedFrom(SRUM)), { hash: false }));
    const files = svc.model()!.files;
    const db = files.findIndex((f) => f.path === 'SRUDB.dat');
    const chk = files.findIndex((f) => f.path === 'SRU.chk');
    expect((await svc.unit(db, 'page', -2)).ok).toBe(false);
    expect((await svc.unit(chk, 'header', 3)).ok).toBe(false);
    expect((await svc.unit(db, 'page', 189)).ok).toBe(true);
  });
});
