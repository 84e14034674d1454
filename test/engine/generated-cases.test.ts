// Cases written by real SQLite (test/generators/make_sqlite_cases.py drives python3's sqlite3 through a mail workload
// and crash scenarios). For every case: the WAL/journal facts agree with the generator's independent parsers, the
// rebuilt database holds exactly what real SQLite recovers from the same files (every row of every table and the
// schema, via oracle.py), PRAGMA integrity_check is ok, the image is byte-identical to SQLite's own checkpoint, and
// every recorded point in time is reproduced by --until.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ROOT, tempDir } from '../helpers';

const GEN = path.join(ROOT, 'test', 'generators');
let work: { dir: string; cleanup: () => void };
let casesDir = '';

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
const palimpsest = (args: string[]) => run(process.execPath, [path.join(ROOT, 'bin', 'palimpsest.mjs'), ...args]);
async function describeDb(file: string): Promise<any> {
  const r = await run('python3', [path.join(GEN, 'oracle.py'), 'describe', file]);
  return JSON.parse(r.stdout);
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(() => {
  work = tempDir('palimpsest-cases-');
  casesDir = path.join(work.dir, 'cases');
  const r = spawnSync('python3', [path.join(GEN, 'make_sqlite_cases.py'), '--out', casesDir, '--seed', '7'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generator failed: ${r.stdout}\n${r.stderr}`);
}, 300_000);
afterAll(() => work?.cleanup());

const caseNames = [
  'wal-basic', 'journal-folder', 'journal-folder-gap', 'torn-last-frame', 'torn-last-frame-garbage', 'bitflip-mid-wal',
  'uncommitted-spill', 'uncommitted-spill-rewritten', 'stale-frames', 'big-endian',
  'page-size-512', 'page-size-1024', 'page-size-8192', 'page-size-16384', 'page-size-32768', 'page-size-65536',
  'hot-journal', 'hot-journal-nosync', 'hot-journal-persist', 'db-only-clean', 'cksumvfs', 'cksumvfs-flipped',
];

function loadCase(name: string): any {
  return JSON.parse(readFileSync(path.join(casesDir, name, 'case.json'), 'utf8'));
}

describe('cases written by real SQLite', () => {
  it('the generator wrote every case', () => {
    expect(readdirSync(casesDir).sort()).toEqual([...caseNames].sort());
  });

  for (const name of caseNames) {
    describe(name, () => {
      it('verify: facts agree with the independent parsers', async () => {
        const c = loadCase(name);
        const inputs = path.join(casesDir, name, 'inputs');
        const r = await palimpsest(['verify', inputs, '--json', '--no-hash']);
        const rep = JSON.parse(r.stdout);
        for (const [rel, w] of Object.entries<any>(c.wal ?? {})) {
          const f = rep.files.find((x: any) => x.path.endsWith(rel.replace(/^inputs\//, '')));
          expect(f, rel).toBeTruthy();
          expect(f.kind).toBe('sqlite-wal');
          const ours = f.wal;
          expect({
            frames: ours.frames, validFrames: ours.validFrames, commits: ours.commits, lastCommitFrame: ours.lastCommitFrame ?? 0,
            firstInvalidFrame: ours.firstInvalidFrame, uncommittedFrames: ours.uncommittedFrames, staleFrames: ours.staleFrames,
            unstamped: ours.unstampedFrames, bigEndian: ours.bigEndianChecksums, trailingBytes: ours.trailingBytes, checkpointSeq: ours.checkpointSeq,
          }, rel).toEqual({
            frames: w.frames, validFrames: w.validFrames, commits: w.commits, lastCommitFrame: w.lastCommitFrame ?? 0,
            firstInvalidFrame: w.firstInvalidFrame ?? null, uncommittedFrames: w.uncommittedFrames, staleFrames: w.staleFrames,
            unstamped: w.zeroSaltFrames ?? 0, bigEndian: w.bigEndian, trailingBytes: w.trailingBytes, checkpointSeq: w.ckptSeq,
          });
        }
        if (c.journal) {
          const f = rep.files.find((x: any) => x.kind === 'sqlite-rollback-journal');
          expect(f.journal.segments.length).toBe(c.journal.segmentCount);
          expect(f.journal.segments.filter((s: any) => s.magic === 'zeroed').length).toBe(c.journal.zeroedMagicSegments);
          expect(f.journal.records).toBe(c.journal.totalRecords);
          expect(f.journal.verifiedRecords).toBe(c.journal.totalVerified);
          expect(f.journal.hot).toBe(c.journal.hot);
          expect(f.journal.playback.pages).toBe(c.journal.playbackRecords);
          expect(f.journal.playback.dbSize).toBe(c.journal.originalDbSize);
        }
        if (c.cksumvfs) {
          const f = rep.files.find((x: any) => x.kind === 'sqlite-database');
          const bad = f.issues.find((i: any) => i.code === 'sqlite.page.cksumvfs-mismatch');
          if (c.cksumvfs.badPages.length) {
            expect(bad?.page).toBe(c.cksumvfs.badPages[0]);
            expect(bad?.actual).toBe(c.cksumvfs.badPages.length);
          } else {
            expect(bad).toBeUndefined();
            expect(f.database.pages.cksumvfs.checked).toBeGreaterThan(0);
          }
        }
        // Damage that costs committed data must not pass as clean, and clean cases must.
        const clean = ['wal-basic', 'db-only-clean', 'cksumvfs', 'big-endian', 'journal-folder'].includes(name) || name.startsWith('page-size-');
        if (clean) expect(r.code, r.stdout).toBe(0);
        if (name === 'bitflip-mid-wal') {
          expect(r.code).toBe(1);
          expect(rep.verdict).toBe('restorable-with-loss');
        }
      });

      it('rebuild: what real SQLite recovers, byte for byte', async () => {
        const c = loadCase(name);
        const inputs = path.join(casesDir, name, 'inputs');
        const out = path.join(work.dir, `${name}.db`);
        const r = await palimpsest(['rebuild', inputs, '--out', out, '--json']);
        expect(existsSync(out), r.stderr + r.stdout).toBe(true);
        const rep = JSON.parse(r.stdout);
        // With the live files intact, a gap in the archived generations costs only points in time (see the test
        // below); the newest state is the live database's, which is what SQLite itself recovers from mbox/db.
        const want = name === 'journal-folder-gap' ? c.liveFilesState : c.expected;
        const got = await describeDb(out);
        expect(got.integrity_check).toBe('ok');
        expect(got.schema).toEqual(want.schema);
        expect(got.tables).toEqual(want.tables);
        expect(got.logical_sha256).toBe(want.logical_sha256);
        expect(rep.integrity).toBe('ok');
        if (want.checkpointed_db_sha256_rollback) expect(sha(out)).toBe(want.checkpointed_db_sha256_rollback);
        // Evidence untouched.
        for (const [rel, h] of Object.entries<string>(c.inputSha256)) expect(sha(path.join(casesDir, name, rel)), rel).toBe(h);
      });

      it('rebuild --until: every recorded point in time', async () => {
        const c = loadCase(name);
        const inputs = path.join(casesDir, name, 'inputs');
        for (const p of c.points ?? []) {
          const out = path.join(work.dir, `${name}-${p.until.replace(':', '_')}.db`);
          const r = await palimpsest(['rebuild', inputs, '--out', out, '--until', p.until]);
          expect(r.code, `${p.until}: ${r.stderr}${r.stdout}`).toBeLessThan(2);
          const got = await describeDb(out);
          expect(got.integrity_check, p.until).toBe('ok');
          expect(got.logical_sha256, p.until).toBe(p.expected.logical_sha256);
        }
        for (const u of c.unreachablePoints ?? []) {
          // Unreachable from the snapshots; the live generation is still reachable from the live database.
          const out = path.join(work.dir, `unreachable-${u.until.replace(':', '_')}.db`);
          const r = await palimpsest(['rebuild', inputs, '--out', out, '--until', u.until, '--json']);
          const liveGen = Number(String(c.finalLiveCommit).split(':')[0]);
          if (Number(u.until.split(':')[0]) === liveGen) {
            expect(r.code, `${u.until}: ${r.stderr}`).toBeLessThan(2);
            const rep = JSON.parse(r.stdout);
            expect(rep.plan.base.kind).toBe('database');
            expect(rep.plan.notes.join(' ')).toMatch(/assumes no checkpoint/);
            const got = await describeDb(out);
            expect(got.integrity_check).toBe('ok');
            if (u.until === c.finalLiveCommit) expect(got.logical_sha256).toBe(c.liveFilesState.logical_sha256);
          } else {
            expect(r.code, u.until).toBe(2);
          }
        }
      });
    });
  }

  it('journal-folder: the timeline shows snapshots, every generation in chain order and the stale frames', async () => {
    const c = loadCase('journal-folder');
    const r = await palimpsest(['timeline', path.join(casesDir, 'journal-folder', 'inputs'), '--json']);
    const fam = JSON.parse(r.stdout).families[0];
    const gens = fam.entries.filter((e: any) => e.type === 'generation');
    expect(gens.map((g: any) => g.sequence)).toEqual(c.generations.map((g: any) => g.seq));
    expect(gens.slice(1).every((g: any) => g.linked)).toBe(true);
    expect(fam.entries.filter((e: any) => e.type === 'snapshot').map((s: any) => s.sequence)).toEqual(c.snapshots.map((s: any) => s.seq));
    expect(fam.entries.some((e: any) => e.type === 'stale-generation')).toBe(true);
    const total = gens.reduce((n: number, g: any) => n + g.commits.length, 0);
    expect(fam.reached).toBe(c.finalLiveCommit ?? `${gens[gens.length - 1].sequence}:${gens[gens.length - 1].commits.length}`);
    expect(total).toBeGreaterThan(10);
  });

  it('journal-folder-gap: the missing generation is reported', async () => {
    const r = await palimpsest(['verify', path.join(casesDir, 'journal-folder-gap', 'inputs'), '--json', '--no-hash']);
    const rep = JSON.parse(r.stdout);
    expect(rep.families[0].gaps).toEqual([4]);
    expect(rep.families[0].issues.map((i: any) => i.code)).toContain('sqlite.case.generation-gap');
  });
});
