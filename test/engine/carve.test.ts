// Deleted-record recovery against the SQLite Forensic Corpus (Nemetz, Schmitt, Freiling; DFRWS EU 2018), whose
// answer keys (.xml) list every row of every table, live or deleted, with its contents. Categories 0A-0E: deleted and
// overwritten tables, records and overflow pages (test/fixtures/sqlite/forensic-corpus, provenance in
// test/fixtures/sqlite/PROVENANCE.md). Every carved row must be one of the key's deleted rows (no invented rows), and
// recall per category must stay at least what is recorded below.
import { packCarveReport, unpackCarveReport } from '../../workers/engine/formats/sqlite/carve-pack';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { carveDeleted, carveFrames, carveSource, blockReader, parseCreateTable, type CarvedRecord } from '../../workers/engine/formats/sqlite/carve';
import { carveWal } from '../../workers/engine/case/carve-wal';
import { inspectCase } from '../../workers/engine/case/inspect';
import { LocalRunner } from '../../workers/engine/runner';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import '../../workers/engine/plugins';
import { MemorySource, type SourceOpener } from '../../workers/engine/io';
import { isPalimpsestError } from '../../workers/engine/errors';
import type { SqlValue } from '../../workers/engine/formats/sqlite/btree';
import { FIXTURES, ROOT, tempDir, rng, cli } from '../helpers';
import { createHash } from 'node:crypto';

const DIR = path.join(FIXTURES, 'sqlite', 'forensic-corpus');

interface KeyRow { table: string; values: string[]; deleted: boolean }

/** The answer key: every row with its table, contents (as text) and whether it was deleted (or its table dropped). */
function answerKey(xml: string): KeyRow[] {
  const rows: KeyRow[] = [];
  for (const el of xml.split('<element>').slice(1)) {
    const meta = /<meta>([\s\S]*?)<\/meta>/.exec(el)![1];
    if (/<type>([^<]*)<\/type>/.exec(meta)?.[1] !== 'table') continue;
    const table = /<name>([^<]*)<\/name>/.exec(meta)![1];
    const dropped = /<deleted>True<\/deleted>/.test(meta);
    for (const m of el.matchAll(/<row(?: deleted="(\d)")?>([\s\S]*?)<\/row>/g)) {
      const values = [...m[2].matchAll(/<content>([\s\S]*?)<\/content>|<content\s*\/>/g)].map((c) => unescape(c[1] ?? ''));
      rows.push({ table, values, deleted: dropped || m[1] === '1' });
    }
  }
  return rows;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Does a carved value equal the key's text? Numbers numerically (the key prints floats with Python's repr). */
function same(v: SqlValue, key: string, uncertain: boolean): boolean {
  if (uncertain) return key === '' || key === '0' || key === '1' || key === 'None';
  if (v === null) return key === '' || key === 'None';
  if (typeof v === 'number' || typeof v === 'bigint') {
    const k = Number(key);
    if (Number.isNaN(k)) return false;
    const n = Number(v);
    return n === k || Math.abs(n - k) <= Math.abs(k) * 1e-12;
  }
  if (typeof v === 'string') return v === key;
  return Buffer.from(v).toString('hex') === key.toLowerCase();
}

/** Same values (whatever the table); `attributed` when the table is the record's table or one it also fits. */
function matches(r: CarvedRecord, k: KeyRow): boolean {
  if (r.values.length !== k.values.length) return false;
  return r.values.every((v, i) => same(v, k.values[i], r.uncertain.includes(i)));
}
const attributed = (r: CarvedRecord, k: KeyRow) => r.table === k.table || r.alsoFits.includes(k.table);

async function carve(file: string) {
  const b = new Uint8Array(readFileSync(file));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ps = dv.getUint16(16) === 1 ? 65536 : dv.getUint16(16);
  const usable = ps - b[20];
  const pageCount = Math.floor(b.length / ps);
  return carveDeleted(async (n) => (n >= 1 && n <= pageCount ? b.subarray((n - 1) * ps, n * ps) : null), { usable, pageCount, firstTrunk: dv.getUint32(32) });
}

const dbs = readdirSync(DIR).filter((f) => f.endsWith('.db')).sort();

describe('carving deleted SQLite records (SQLite Forensic Corpus 0A-0E)', () => {
  it('parses CREATE TABLE columns, affinities and the rowid alias', () => {
    expect(parseCreateTable(`CREATE TABLE users (\n\t'id' INT UNSIGNED NOT NULL,\n\t'name' TEXT NOT NULL,\n\t'codeB' FLOAT NULL\n)`)).toEqual({ columns: ['id', 'name', 'codeB'], affinity: ['integer', 'text', 'real'], notNull: [true, true, false], rowidAlias: -1 });
    expect(parseCreateTable('CREATE TABLE m(id INTEGER PRIMARY KEY, "a b" VARCHAR(20), c, d DECIMAL(10,2), UNIQUE(c))')).toEqual({ columns: ['id', 'a b', 'c', 'd'], affinity: ['integer', 'text', 'blob', 'numeric'], notNull: [false, false, false, false], rowidAlias: 0 });
    expect(parseCreateTable("CREATE TABLE n(a TEXT DEFAULT 'not null', b INT CONSTRAINT nn NOT NULL)")?.notNull).toEqual([false, true]);
    expect(parseCreateTable('CREATE TABLE m(k INTEGER, v TEXT, PRIMARY KEY(k))')?.rowidAlias).toBe(0);
    expect(parseCreateTable('CREATE TABLE m(k INTEGER PRIMARY KEY DESC, v)')?.rowidAlias).toBe(-1);
    expect(parseCreateTable('CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID')).toBeNull();
  });

  // otherTable: found, but given to another table (unlisted: and not among the tables it also fits).
  const perCategory: Record<string, { expected: number; found: number; wrong: string[]; otherTable: number; unlisted: number }> = {};
  for (const db of dbs) {
    it(`${db}: every carved row is a deleted row of the answer key`, async () => {
      const key = answerKey(readFileSync(path.join(DIR, db.replace(/\.db$/, '.xml')), 'utf8'));
      const deleted = key.filter((k) => k.deleted);
      const live = key.filter((k) => !k.deleted);
      const res = await carve(path.join(DIR, db));
      const recs = res.records.filter((r) => r.table !== 'sqlite_schema');
      const cat = db.slice(0, 2);
      const c = (perCategory[cat] ??= { expected: 0, found: 0, wrong: [], otherTable: 0, unlisted: 0 });
      c.expected += deleted.length;
      const hit = new Set<number>();
      for (const r of recs) {
        const i = deleted.findIndex((k, j) => !hit.has(j) && matches(r, k));
        if (i >= 0) {
          hit.add(i);
          if (r.table !== deleted[i].table) c.otherTable++;
          if (!attributed(r, deleted[i])) c.unlisted++;
        }
        else if (!live.some((k) => matches(r, k))) c.wrong.push(`${db} page ${r.page} @${r.offset} ${r.source} ${r.table}: ${JSON.stringify(r.values, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      }
      c.found += hit.size;
      console.log(`${db}: ${hit.size} of ${deleted.length} deleted rows; ${recs.length} carved; live copies ${res.liveCopies}`);
    });
  }

  it('recovers the deleted rows of each category without inventing any', () => {
    console.log(JSON.stringify(perCategory, null, 1));
    for (const [cat, c] of Object.entries(perCategory)) expect(c.wrong, cat).toEqual([]);
    // What FORMAT.md (Deleted records) records; recall may grow, never shrink.
    const floor: Record<string, number> = { '0A': 100, '0B': 8, '0C': 101, '0D': 13, '0E': 4 };
    for (const [cat, n] of Object.entries(floor)) expect(perCategory[cat].found, cat).toBeGreaterThanOrEqual(n);
    // Deleted tables and deleted records go to their own table; the 0B rows go to the table that reused their page
    // (the dropped table's schema row was overwritten too, so nothing names it).
    expect([perCategory['0A'].otherTable, perCategory['0C'].otherTable, perCategory['0D'].otherTable, perCategory['0E'].otherTable]).toEqual([0, 0, 0, 0]);
    expect(perCategory['0B'].otherTable).toBe(perCategory['0B'].found);
  });
});

// A mailbox.db written by real SQLite (test/generators/make_deleted_case.py): deliveries, flag changes, moves, then a
// quarter of the messages expunged by DELETE, a table dropped and more deliveries. The generator records every row
// version that ever existed; a carved row must be one of them (and not a live row), and most deleted messages come back.
describe('carving a mailbox.db written by real SQLite', () => {
  let work: ReturnType<typeof tempDir>;
  let truth: { deleted: { messages: unknown[][] }; history: Record<string, unknown[][]>; live: Record<string, unknown[][]>; integrity: string };
  let db: string;
  beforeAll(() => {
    work = tempDir('palimpsest-carve-');
    const r = spawnSync('python3', [path.join(ROOT, 'test/generators/make_deleted_case.py'), '--out', work.dir, '--seed', '11'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generator failed: ${r.stdout}\n${r.stderr}`);
    db = path.join(work.dir, 'mailbox.db');
    truth = JSON.parse(readFileSync(path.join(work.dir, 'truth.json'), 'utf8'));
  }, 120_000);
  afterAll(() => work?.cleanup());

  const eq = (r: CarvedRecord, row: unknown[]) =>
    r.values.length === row.length &&
    r.values.every((v, i) => r.lost.includes(i) || (r.uncertain.includes(i) ? row[i] === null || row[i] === 0 || row[i] === 1 : v === row[i] || (typeof v === 'bigint' && String(v) === String(row[i]))));

  it('reports only rows that existed, none live, and most of the deleted messages', async () => {
    expect(truth.integrity).toBe('ok');
    const res = await carve(db);
    const recs = res.records.filter((r) => r.table !== 'sqlite_schema');
    const invented = recs.filter((r) => ![r.table!, ...r.alsoFits].some((t) => (truth.history[t] ?? []).some((row) => eq(r, row))));
    expect(invented.map((r) => `${r.table} p${r.page}@${r.offset} ${r.source} ${JSON.stringify(r.values)}`)).toEqual([]);
    const live = recs.filter((r) => r.lost.length === 0 && r.uncertain.length === 0 && (truth.live[r.table!] ?? []).some((row) => eq(r, row)));
    expect(live).toEqual([]);
    const msgs = recs.filter((r) => r.table === 'messages');
    const found = truth.deleted.messages.filter((row) => msgs.some((r) => eq(r, row)));
    console.log(`mailbox.db: ${found.length} of ${truth.deleted.messages.length} deleted messages carved; ${recs.length} records in all; ${res.liveCopies} old copies of live rows left out`);
    expect(found.length).toBeGreaterThanOrEqual(Math.ceil(truth.deleted.messages.length * 0.8));
    // Where the start of a cell was overwritten, its INTEGER PRIMARY KEY (the rowid) is reported lost, never made up.
    expect(msgs.some((r) => r.lost.length === 1 && r.values[r.lost[0]] === null)).toBe(true);
  });

  it('in WAL mode: the rows deleted by the WAL transactions are in the rebuilt database, not in the database file', async () => {
    const dir = path.join(work.dir, 'wal');
    const r = spawnSync('python3', [path.join(ROOT, 'test/generators/make_deleted_case.py'), '--out', dir, '--seed', '11', '--wal'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const t = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as typeof truth;
    const rebuilt = path.join(dir, 'rebuilt.db');
    const rb = cli(['rebuild', path.join(dir, 'mailbox.db'), path.join(dir, 'mailbox.db-wal'), '--out', rebuilt]);
    expect(rb.code, rb.stderr).toBe(0);
    // The CLI says where those rows are when it is given the database and its WAL.
    expect(cli(['deleted', path.join(dir, 'mailbox.db'), path.join(dir, 'mailbox.db-wal')]).stderr).toMatch(/has a WAL: rows its transactions deleted are in the rebuilt database/);
    const inFile = (await carve(path.join(dir, 'mailbox.db'))).records.filter((x) => x.table === 'messages');
    expect(t.deleted.messages.filter((row) => inFile.some((x) => eq(x, row)))).toEqual([]);
    const res = await carve(rebuilt);
    const recs = res.records.filter((x) => x.table !== 'sqlite_schema');
    const invented = recs.filter((x) => ![x.table!, ...x.alsoFits].some((n) => (t.history[n] ?? []).some((row) => eq(x, row))));
    expect(invented).toEqual([]);
    const found = t.deleted.messages.filter((row) => recs.some((x) => x.table === 'messages' && eq(x, row)));
    console.log(`WAL mailbox.db: ${found.length} of ${t.deleted.messages.length} deleted messages carved from the rebuilt database, ${inFile.length} records from the database file alone`);
    expect(found.length).toBeGreaterThanOrEqual(Math.ceil(t.deleted.messages.length * 0.8));

    // K9: the WAL's own frames hold the deleted messages as whole cells (with their rowid) in the page images of the
    // commits before each DELETE. Every row they give is a row version that existed and is not live.
    const j = cli(['deleted', path.join(dir, 'mailbox.db'), path.join(dir, 'mailbox.db-wal'), '--json']);
    expect(j.code, j.stderr).toBe(0);
    const walRep = (j.json as { files: Array<{ frames: boolean; records: Array<{ table: string; alsoFits: string[]; frame: number | null; values: unknown[]; lost: number[]; uncertain: number[] }> }> }).files.find((f) => f.frames)!;
    const asRec = (x: (typeof walRep.records)[number]) => ({ ...x, values: x.values as SqlValue[], inferred: [], rowid: null, page: 0, offset: 0, source: 'frame' }) as unknown as CarvedRecord;
    const fromFrames = walRep.records.filter((x) => x.table !== 'sqlite_schema').map(asRec);
    expect(fromFrames.every((x) => x.frame! >= 1)).toBe(true);
    const inventedF = fromFrames.filter((x) => ![x.table!, ...x.alsoFits].some((n) => (t.history[n] ?? []).some((row) => eq(x, row))));
    expect(inventedF.map((x) => JSON.stringify(x.values))).toEqual([]);
    const liveF = fromFrames.filter((x) => x.lost.length === 0 && x.uncertain.length === 0 && (t.live[x.table!] ?? []).some((row) => eq(x, row)));
    expect(liveF).toEqual([]);
    const foundF = t.deleted.messages.filter((row) => fromFrames.some((x) => x.table === 'messages' && x.lost.length === 0 && eq(x, row)));
    console.log(`WAL mailbox.db-wal: ${foundF.length} of ${t.deleted.messages.length} deleted messages whole (rowid included) in the WAL's frames; ${fromFrames.length} row versions the latest state does not hold`);
    // Only a message whose page was written by an earlier commit of this WAL has an image that still holds it (the
    // WAL starts empty after the checkpoint): 34 of 65 with SQLite 3.40.1.
    expect(foundF.length).toBeGreaterThanOrEqual(30);
  });
});

describe('progress of a search', () => {
  it('goes forward in bytes of the file, through finding the live pages and the search, to the file size', async () => {
    const work = tempDir('palimpsest-carve-progress-');
    try {
      const db = path.join(work.dir, 'p.db');
      const py = `import sqlite3\nc=sqlite3.connect(${JSON.stringify(db)})\nc.execute('pragma page_size=512')\nc.execute('pragma secure_delete=off')\nc.execute('create table t(a integer primary key, b text)')\nc.executemany('insert into t(b) values(?)', [('row %d ' % i * 9,) for i in range(20000)])\nc.execute('delete from t where a % 3 = 0')\nc.commit()\nc.close()\n`;
      const g = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
      expect(g.status, g.stderr).toBe(0);
      const bytes = new Uint8Array(readFileSync(db));
      const seen: Array<[number, number]> = [];
      const res = await carveSource(new MemorySource('p.db', bytes), { onProgress: (d, t) => seen.push([d, t]) });
      expect(res.records.length).toBeGreaterThan(1000);
      expect(seen.every(([d, t], i) => t === bytes.length && d <= t && (i === 0 || d >= seen[i - 1][0]))).toBe(true);
      expect(seen.some(([d]) => d > 0 && d < bytes.length / 2)).toBe(true); // while finding the live pages
      expect(seen.at(-1)![0]).toBe(bytes.length);
    } finally {
      work.cleanup();
    }
  });
});

describe('reading a WAL\'s latest state for K9', () => {
  it('block reads give the bytes asked for, across block edges and at the end of the file', async () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
    let reads = 0;
    const src = new MemorySource('f', bytes);
    const counting = { name: 'f', size: bytes.length, readInto: (o: number, d: Uint8Array) => (reads++, src.readInto(o, d)) };
    const read = blockReader(counting, 4096, 4);
    const r = rng(5);
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(r() * (bytes.length + 50)) - 10;
      const len = Math.floor(r() * 5000);
      const got = await read(at, len);
      const want = at < 0 ? new Uint8Array(0) : bytes.subarray(at, Math.min(bytes.length, at + len));
      expect(Buffer.from(got).equals(Buffer.from(want)), `${at}+${len}`).toBe(true);
    }
    reads = 0;
    for (let o = 0; o < bytes.length; o += 512) await read(o, 512);
    expect(reads).toBe(Math.ceil(bytes.length / 4096));
  });

  it('finds the same rows as page by page from the rebuilt database, in far fewer reads', async () => {
    const work = tempDir('palimpsest-carve-wal-');
    try {
      const g = spawnSync('python3', [path.join(ROOT, 'test/generators/make_deleted_case.py'), '--out', work.dir, '--seed', '23', '--wal'], { encoding: 'utf8' });
      expect(g.status, g.stderr).toBe(0);
      const progress: Array<[number, number]> = [];
      const { res, reads } = await carveWalCounting(work.dir, { onProgress: (d, t) => progress.push([d, t]) });
      // The reference: the same frames against the rebuilt database read one page at a time.
      const pair = walPair(work.dir);
      const { pages, count } = pair;
      const ref = await carveFrames({ read: pair.read, usable: pair.usable, pageCount: pages }, pair.frames);
      expect(stable(res.records)).toBe(stable(ref.records));
      expect([res.liveCopies, res.duplicates]).toEqual([ref.liveCopies, ref.duplicates]);
      expect(res.records.length).toBeGreaterThan(30);
      // Frames are read in runs of ~1 MiB, the latest state in sorted runs: far fewer reads than pages and frames.
      console.log(`K9 on a ${pair.walSize} B WAL (${count} frames, latest state ${pages} pages): ${reads} reads`);
      expect(reads).toBeLessThan((pages + count) / 8);
      // Progress in bytes, never backwards, ending at its total.
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.every(([d, t], i) => d <= t && (i === 0 || d >= progress[i - 1][0]))).toBe(true);
      expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
    } finally {
      work.cleanup();
    }
  }, 120_000);
});

// ---- K9 test cases: a db + WAL pair written by real SQLite, rebuilt by the CLI ------------------------------------

/** Values as stable text (bigints and blobs too) for comparing carved results whole. */
const stable = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));

/** `dir`/mailbox.db + mailbox.db-wal, rebuilt by the CLI: the WAL's frames and the rebuilt image read page by page. */
function walPair(dir: string) {
  const db = path.join(dir, 'mailbox.db');
  const wal = `${db}-wal`;
  const out = path.join(dir, 'rebuilt.db');
  const rb = cli(['rebuild', db, wal, '--out', out]);
  expect(rb.code, rb.stderr).toBe(0);
  const img = new Uint8Array(readFileSync(out));
  const w = new Uint8Array(readFileSync(wal));
  const ps = ((w[8] << 24) | (w[9] << 16) | (w[10] << 8) | w[11]) >>> 0;
  const pages = img.length / ps;
  const fs = ps + 24;
  const count = Math.floor((w.length - 32) / fs);
  const frame = (i: number) => (i >= 1 && i <= count ? w.subarray(32 + (i - 1) * fs, 32 + i * fs) : null);
  const frames = {
    count,
    pgno: async (i: number) => { const f = frame(i); return f ? ((f[0] << 24) | (f[1] << 16) | (f[2] << 8) | f[3]) >>> 0 : null; },
    image: async (i: number) => frame(i)?.subarray(24) ?? null,
  };
  const read = async (n: number) => (n >= 1 && n <= pages ? img.subarray((n - 1) * ps, n * ps) : null);
  return { dir, walSize: w.length, ps, pages, count, frames, read, usable: ps - img[20] };
}

/**
 * Python's sqlite3 (real SQLite) writes `dir`/mailbox.db and its WAL: 1 KiB pages, WAL mode with no checkpoints and
 * secure_delete off, a table m(id integer primary key, ...), then `body` (Python lines with `c` the connection and `r`
 * a seeded random); the pair is copied while the connection is still open (closing would checkpoint the WAL).
 */
function sqliteWal(dir: string, columns: string, body: string[]): void {
  const py = [
    'import sqlite3, random, shutil, sys',
    'src, db = sys.argv[1], sys.argv[2]',
    'r = random.Random(7)',
    'c = sqlite3.connect(src, isolation_level=None)',
    "for p in ('page_size=1024', 'journal_mode=wal', 'wal_autocheckpoint=0', 'secure_delete=off'): c.execute('pragma ' + p)",
    `c.execute('create table m(id integer primary key, ${columns})')`,
    ...body,
    "shutil.copyfile(src, db); shutil.copyfile(src + '-wal', db + '-wal')",
  ].join('\n');
  const g = spawnSync('python3', ['-c', py, path.join(dir, 'src.db'), path.join(dir, 'mailbox.db')], { encoding: 'utf8' });
  expect(g.status, g.stderr).toBe(0);
}

/** K9 as the app runs it (the pair inspected as a case, carveWal), counting the reads of its sources. */
async function carveWalCounting(dir: string, opts: Parameters<typeof carveWal>[3] = {}) {
  const inputs = ['mailbox.db', 'mailbox.db-wal'].map((f) => ({ ref: { type: 'path' as const, path: path.join(dir, f) }, path: f }));
  const model = await inspectCase(inputs, nodeOpener, new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 }), { hash: false });
  let reads = 0;
  const counting: SourceOpener = async (ref) => {
    const s = await nodeOpener(ref);
    return { name: s.name, size: s.size, readInto: (o, d) => (reads++, s.readInto(o, d)), close: () => s.close?.() };
  };
  const res = await carveWal(model, model.files.find((f) => f.path === 'mailbox.db-wal')!, counting, opts);
  return { res, reads };
}

describe('K9 with long overflow chains', () => {
  // Rows of 1–10 KB on 1 KiB pages (chains of up to ~10 pages), inserted, rewritten and deleted over many commits,
  // all in the WAL: the live rows' chains are read ahead a batch at a time (carve.ts readAhead), pages reused from the
  // freelist put them anywhere. The rows found must be exactly those of the same frames against the rebuilt database
  // read page by page.
  it('finds the same rows as page by page, chains read ahead in batches', async () => {
    const work = tempDir('palimpsest-carve-chains-');
    try {
      sqliteWal(work.dir, 'subject text, body text', [
        'for k in range(6):',
        "    c.execute('begin')",
        '    for i in range(120):',
        "        c.execute('insert into m(subject, body) values(?, ?)', ('s%d-%d' % (k, i), ('x%d ' % i) * r.randint(250, 2500)))",
        "    c.execute('commit')",
        "    c.execute('begin')",
        '    for i in range(40):',
        "        c.execute('update m set body = ? where id = ?', (('y%d ' % i) * r.randint(250, 2500), r.randint(1, 120 * (k + 1))))",
        "    c.execute('delete from m where id % 13 = ?', (k,))",
        "    c.execute('commit')",
      ]);
      const { res, reads } = await carveWalCounting(work.dir);
      const pair = walPair(work.dir);
      const { pages, count } = pair;
      const ref = await carveFrames({ read: pair.read, usable: pair.usable, pageCount: pages }, pair.frames);
      expect(stable(res.records)).toBe(stable(ref.records));
      expect([res.liveCopies, res.duplicates]).toEqual([ref.liveCopies, ref.duplicates]);
      expect(res.records.filter((x) => x.table === 'm').length).toBeGreaterThan(20);
      console.log(`K9 with chains: ${pair.walSize} B WAL (${count} frames, latest state ${pages} pages), ${res.records.length} rows, ${reads} reads`);
      expect(reads).toBeLessThan((pages + count) / 8);
    } finally {
      work.cleanup();
    }
  }, 120_000);
});

describe('K9 read-ahead of overflow chains', () => {
  // Chains written by one commit sit side by side: taking the pages stored after each chain's first page with it
  // reads most chains in one sorted pass. Same rows either way; far fewer passes (readMany calls) with it.
  it('takes the pages stored after a chain\'s first page along: same rows, fewer passes', async () => {
    const work = tempDir('palimpsest-carve-ahead-');
    try {
      sqliteWal(work.dir, 'body text', [
        "c.execute('begin')",
        'for i in range(300):',
        "    c.execute('insert into m(body) values(?)', (('row %d ' % i) * (400 + 7 * i),))",
        "c.execute('commit')",
        "c.execute('delete from m where id % 5 = 0')",
      ]);
      const pair = walPair(work.dir);
      const { pages } = pair;
      const run = async (withNeighbours: boolean) => {
        let passes = 0;
        const res = await carveFrames({
          read: pair.read, usable: pair.usable, pageCount: pages,
          readMany: async (list, visit) => {
            passes++;
            for (const pg of [...list].sort((a, b) => a - b)) { const b = await pair.read(pg); if (b) await visit(pg, b); }
          },
          // In a database file the page stored after page p is page p + 1.
          neighbours: withNeighbours ? (pg, n) => Array.from({ length: Math.max(0, Math.min(n, pages - pg)) }, (_, k) => pg + 1 + k) : undefined,
        }, pair.frames);
        return { res, passes };
      };
      const a = await run(false);
      const b = await run(true);
      expect(stable(b.res)).toBe(stable(a.res));
      expect(a.res.records.filter((x) => x.table === 'm').length).toBeGreaterThan(30);
      console.log(`chain read-ahead: ${a.passes} passes without the pages stored after, ${b.passes} with them`);
      expect(b.passes).toBeLessThan(a.passes / 2);
    } finally {
      work.cleanup();
    }
  }, 120_000);
});

// Bad input is normal input: damaged copies of the corpus files end in records or a typed error, never a crash or a
// hang, and a page of anything is searched in bounded time.
describe('carving damaged databases', () => {
  const seeds = dbs.slice(0, 12).map((f) => new Uint8Array(readFileSync(path.join(DIR, f))));
  it('survives bit flips, zeroed ranges, truncation, random pages and hostile headers (2,000 cases)', async () => {
    const r = rng(Number(process.env.FUZZ_SEED ?? 20261122));
    let typed = 0;
    let carved = 0;
    const t0 = performance.now();
    for (let n = 0; n < 2000; n++) {
      const src = seeds[Math.floor(r() * seeds.length)];
      const b = src.slice();
      const kind = n % 5;
      if (kind === 0) for (let i = 0; i < 1 + Math.floor(r() * 16); i++) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
      else if (kind === 1) b.fill(0, Math.floor(r() * b.length), Math.floor(r() * b.length));
      else if (kind === 2) for (let i = 4096; i < b.length; i++) b[i] = Math.floor(r() * 256);
      else if (kind === 3) for (let i = 0; i < 8; i++) new DataView(b.buffer).setUint32(4 * Math.floor(r() * (b.length / 4 - 1)), r() < 0.5 ? 0xffffffff : Math.floor(r() * 65536));
      else for (let i = 0; i < 6; i++) b[Math.floor(r() * 112)] = Math.floor(r() * 256);
      const cut = kind === 1 && r() < 0.5 ? b.subarray(0, Math.floor(r() * b.length)) : b;
      try {
        const res = await carveSource(new MemorySource('x.db', cut));
        carved += res.records.length;
        // What the case worker sends the page (carve-pack.ts) gives back the same records, whatever bytes they hold.
        expect(await unpackCarveReport(packCarveReport(res), async () => undefined)).toEqual(res);
      } catch (e) {
        if (!isPalimpsestError(e)) throw e;
        typed++;
      }
    }
    const ms = performance.now() - t0;
    console.log(`2,000 damaged databases carved in ${ms.toFixed(0)} ms: ${carved} records, ${typed} typed errors`);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);

  it('searches damaged WALs against their database (K9): rows or typed errors, 300 cases', async () => {
    const demo = path.join(FIXTURES, 'demo', 'mbox', 'db');
    const dbBytes = new Uint8Array(readFileSync(path.join(demo, 'mailbox.db')));
    const walBytes = new Uint8Array(readFileSync(path.join(demo, 'mailbox.db-wal')));
    const runner = new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 });
    const r = rng(Number(process.env.FUZZ_SEED ?? 20261122) + 9);
    let typed = 0;
    let rows = 0;
    let searched = 0;
    const t0 = performance.now();
    for (let n = 0; n < 300; n++) {
      const d = dbBytes.slice();
      const w = walBytes.slice();
      const t = r() < 0.7 ? w : d;
      const kind = n % 4;
      if (kind === 0) for (let i = 0; i < 1 + Math.floor(r() * 24); i++) t[Math.floor(r() * t.length)] ^= 1 << Math.floor(r() * 8);
      else if (kind === 1) t.fill(0, Math.floor(r() * t.length), Math.floor(r() * t.length));
      else if (kind === 2) for (let i = 0; i < 12; i++) new DataView(t.buffer).setUint32(4 * Math.floor(r() * (t.length / 4 - 1)), r() < 0.5 ? 0xffffffff : Math.floor(r() * 65536));
      else t.fill(0xa5, Math.floor(r() * t.length), Math.floor(r() * t.length));
      const cutWal = r() < 0.3 ? w.subarray(0, Math.floor(r() * w.length)) : w;
      const inputs = [
        { path: 'mailbox.db', ref: { type: 'bytes' as const, name: 'mailbox.db', bytes: d } },
        { path: 'mailbox.db-wal', ref: { type: 'bytes' as const, name: 'mailbox.db-wal', bytes: cutWal } },
      ];
      try {
        const model = await inspectCase(inputs, nodeOpener, runner, { hash: false });
        const wal = model.files.find((f) => f.path === 'mailbox.db-wal');
        if (!wal) continue;
        const res = await carveWal(model, wal, nodeOpener);
        rows += res.records.length;
        expect(await unpackCarveReport(packCarveReport(res), async () => undefined)).toEqual(res);
        searched++;
      } catch (e) {
        if (!isPalimpsestError(e)) throw new Error(`case ${n}: ${(e as Error).stack}`);
        typed++;
      }
    }
    const ms = performance.now() - t0;
    console.log(`300 damaged WAL cases in ${ms.toFixed(0)} ms: ${searched} searched (${rows} rows), ${typed} typed errors`);
    expect(searched).toBeGreaterThan(100);
    expect(ms).toBeLessThan(90_000);
  }, 180_000);
});

describe('palimpsest deleted (CLI)', () => {
  it('prints the carved rows, the same as JSON and as CSV, and leaves the evidence as it was', () => {
    const db = path.join(DIR, '0C-05.db');
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');
    const text = cli(['deleted', db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/users: 5 records/);
    expect(text.stdout).toMatch(/members: 5 records/);
    const js = cli(['deleted', db, '--json']);
    expect(js.code).toBe(0);
    const j = JSON.parse(js.stdout) as { files: Array<{ records: Array<{ table: string; columns: string[]; values: unknown[]; page: number; source: string }> }> };
    const recs = j.files[0].records.filter((r) => r.table !== 'sqlite_schema');
    expect(recs).toHaveLength(10);
    expect(recs[0].columns).toHaveLength(recs[0].values.length);
    const t = tempDir();
    try {
      expect(cli(['deleted', db, '--csv', t.dir]).code).toBe(0);
      const csv = readFileSync(path.join(t.dir, '0C-05.db.users.deleted.csv'), 'utf8').trim().split('\r\n');
      expect(csv[0]).toBe('frame,page,offset,source,rowid,table,also_fits,inferred,uncertain,lost,id,name,surname,codeA,codeB');
      expect(csv).toHaveLength(6);
      // A second run does not overwrite what the first wrote.
      expect(cli(['deleted', db, '--csv', t.dir]).code).toBe(2);
    } finally {
      t.cleanup();
    }
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
    expect(cli(['deleted', path.join(FIXTURES, 'ese/PROVENANCE.md')]).code).toBe(2);
    // A folder: its SQLite databases are searched, the other files left out (and named).
    const all = cli(['deleted', DIR]);
    expect(all.code).toBe(0);
    expect(all.stdout.match(/^Deleted records: /gm)).toHaveLength(dbs.length);
    expect(all.stderr).toMatch(/left out: .*0A-01\.sql/);
  });
});
