// The case worker's service (what the page's case worker runs), in-process on the demo case: its report equals the
// CLI's, its pictures agree with the engine's facts, its hex fields name the right bytes, and its rebuilds equal
// what real SQLite's checkpoint writes (case.json, recorded by the generator with real SQLite).
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { cli } from '../helpers';
import { DEMO, localCaseService, pickedFrom, wireInputs } from './helpers';
import { CELL_STATUS, CELL_TYPE, type CaseView } from '../../workers/hosts/case-api';
import { unwire } from '../../web/bridge/worker-handle';
import { fieldAt } from '../../web/features/hex/fields';
import { FIXTURES } from '../helpers';

const expected = JSON.parse(readFileSync(path.join(DEMO, 'case.json'), 'utf8'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('case service on the demo case', () => {
  const svc = localCaseService();
  let view: CaseView;
  const progress: string[] = [];
  beforeAll(async () => {
    view = unwire(await svc.inspect('inspect', wireInputs(pickedFrom(DEMO)), { hash: true }, (e) => progress.push(e.phase)));
  });

  it('reports what the CLI reports (verdict, files, hashes, plan)', () => {
    const c = cli(['verify', DEMO, '--json']);
    const rel = (p: string) => path.relative(DEMO, p);
    expect(view.report.verdict).toBe(c.json.verdict);
    expect(view.report.counts.errors).toBe(c.json.counts.errors);
    expect(view.report.counts.warnings).toBe(c.json.counts.warnings);
    expect(view.report.families).toEqual(JSON.parse(JSON.stringify(c.json.families).replaceAll(DEMO + '/', '')));
    const ours = view.report.files.map((f) => [f.path, f.kind, f.size, f.sha256, f.ok, f.issues.map((i) => i.code)]);
    // The CLI was given the folder, so it also lists the fixture's notes (as unknown files).
    const theirs = c.json.files.filter((f: any) => !/(PROVENANCE\.md|case\.json)$/.test(f.path)).map((f: any) => [rel(f.path), f.kind, f.size, f.sha256, f.ok, f.issues.map((i: any) => i.code)]);
    expect(ours.sort()).toEqual(theirs.sort());
    expect(view.report.families[0].plan?.reached).toBe(expected.journalFolderCase.finalLiveCommit);
    expect(view.families[0].outputName).toBe('mailbox.db');
    expect(progress).toContain('hash');
    expect(progress).toContain('check');
  });

  it('draws the live WAL: applied frames, the torn frame, stale frames', async () => {
    const i = view.report.files.findIndex((f) => f.path === 'mbox/db/mailbox.db-wal');
    const m = unwire(await svc.pageMap(i));
    const w = view.report.files[i].wal as any;
    expect(m.unit).toBe('frame');
    expect(m.count).toBe(w.frames);
    expect(m.status[expected.tornFrame - 1]).toBe(CELL_STATUS.invalid);
    expect(m.statusCounts.stale ?? 0).toBe(w.staleFrames);
    const step = view.report.families[0].plan!.steps.find((s) => s.file === 'mbox/db/mailbox.db-wal')!;
    expect(m.statusCounts.applied).toBe(step.upToFrame);
    // Commit frames are the frames with nTruncate != 0 in the valid prefix.
    for (let k = 0; k < w.validFrames; k++) expect(m.type[k] === CELL_TYPE.commitFrame).toBe(view.timeline.families[0].entries.some((e) => e.type === 'generation' && e.file === 'mbox/db/mailbox.db-wal' && e.commits.some((c) => c.frame === k + 1)));
  });

  it('draws the base snapshot: pages the rebuild takes from the WAL are marked newer', async () => {
    const plan = view.report.families[0].plan!;
    const i = view.report.files.findIndex((f) => f.path === plan.base.file);
    const m = unwire(await svc.pageMap(i));
    expect(m.unit).toBe('page');
    const kinds = (view.report.files[i].database as any).pages.kinds;
    expect(m.typeCounts.tableLeaf ?? 0).toBe(kinds.tableLeaf);
    expect(m.typeCounts.indexLeaf ?? 0).toBe(kinds.indexLeaf);
    // Independent check: pages written by the applied frames (read from the WAL files themselves).
    const written = new Set<number>();
    for (const st of plan.steps) {
      const b = readFileSync(path.join(DEMO, st.file));
      const ps = plan.pageSize;
      for (let k = 1; k <= st.upToFrame; k++) written.add(b.readUInt32BE(32 + (k - 1) * (ps + 24)));
    }
    for (let p = 1; p <= m.count; p++) {
      const newer = m.status[p - 1] === CELL_STATUS.newerInWal;
      if (newer) expect(written.has(p), `page ${p}`).toBe(true);
      if (written.has(p) && p <= plan.dbSize) expect(newer, `page ${p}`).toBe(true);
    }
  });

  it('names hex fields: database header, b-tree header, WAL frame header', async () => {
    const db = view.report.files.findIndex((f) => f.path === 'mbox/db/mailbox.db');
    const u = unwire(await svc.unit(db, 'page', 1));
    expect(u.bytes.length).toBe(4096);
    expect(fieldAt(u.fields, 16)).toMatchObject({ key: 'f.pageSize', value: '4096' });
    expect(fieldAt(u.fields, 100)).toMatchObject({ key: 'f.pageType' });
    expect(fieldAt(u.fields, 0)).toMatchObject({ key: 'f.magic' });
    const wal = view.report.files.findIndex((f) => f.path === 'mbox/journal/mailbox.db_0000000000000002.wal');
    const m = unwire(await svc.pageMap(wal));
    const fr = unwire(await svc.unit(wal, 'frame', 3));
    expect(fr.offset).toBe(32 + 2 * (4096 + 24));
    expect(fieldAt(fr.fields, 0)).toMatchObject({ key: 'f.framePage', value: String(m.pgno[2]) });
    const raw = readFileSync(path.join(DEMO, 'mbox/journal/mailbox.db_0000000000000002.wal'));
    expect(fieldAt(fr.fields, 8)!.value).toBe('0x' + raw.readUInt32BE(16).toString(16).padStart(8, '0'));
    const h = unwire(await svc.unit(wal, 'header', 1));
    expect(fieldAt(h.fields, 12)).toMatchObject({ key: 'f.checkpointSeq', value: '2' });
    const bad = await svc.unit(wal, 'frame', m.count + 1);
    expect(bad.ok).toBe(false);
  });

  it('rebuilds the latest state byte for byte as SQLite checkpoints it', async () => {
    const r = unwire(await svc.rebuild('rebuild', 'mailbox.db', null));
    const bytes = new Uint8Array(await r.blob.arrayBuffer());
    expect(r.name).toBe('mailbox.db');
    expect(sha(bytes)).toBe(r.sha256);
    expect(r.sha256).toBe(expected.liveFilesExpected.checkpointed_db_sha256_rollback);
    expect(r.preview.decisions.filter((d) => d.applied).map((d) => d.what)).toEqual(['base', 'generation', 'generation', 'generation']);
    expect(r.preview.decisions.some((d) => !d.applied && d.what === 'frames' && d.reason === 'stale')).toBe(true);
  });

  it('rebuilds every point in time of case.json exactly, and says what it would lose', async () => {
    const total = view.families[0].commits.filter((c) => !c.dropped).length;
    const ids = view.families[0].commits.map((c) => c.id);
    for (const p of expected.journalFolderCase.points) {
      const [g, c] = p.until.split(':').map(Number);
      const pv = unwire(await svc.preview('mailbox.db', { generation: g, commit: c }));
      expect(pv.plan.reached).toBe(p.until);
      // Everything after the point is lost; dropped commits (after damage) are lost anyway.
      const after = ids.slice(ids.indexOf(p.until) + 1).length;
      expect(pv.lostCommits, p.until).toBe(after + view.families[0].commits.filter((x) => x.dropped && ids.indexOf(x.id) <= ids.indexOf(p.until)).length);
      if (p.until !== expected.journalFolderCase.finalLiveCommit) expect(pv.decisions.some((d) => !d.applied && d.what === 'commits' && d.reason === 'after-target')).toBe(true);
      const r = unwire(await svc.rebuild('rebuild', 'mailbox.db', { generation: g, commit: c }));
      expect(r.target).toBe(p.until);
      expect(r.sha256, p.until).toBe(p.expected.checkpointed_db_sha256_rollback);
    }
    expect(total).toBeGreaterThan(10);
  });

  it('refuses a point that does not exist, with the known range', async () => {
    const r = await svc.preview('mailbox.db', { generation: 9, commit: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('usage');
      expect(r.error.message).toMatch(/cannot be reached/);
    }
  });
});

describe('case service: journals, errors, cancel', () => {
  it('maps and names the records of a rollback journal', async () => {
    const svc = localCaseService();
    const dir = path.join(FIXTURES, 'sqlite', 'dc3-chinook');
    const files = pickedFrom(dir).filter((f) => /chinook\.sqlite(-journal)?$/.test(f.path));
    const view = unwire(await svc.inspect('inspect', wireInputs(files), { hash: false }));
    const j = view.report.files.findIndex((f) => f.kind === 'sqlite-rollback-journal');
    expect(view.maps[j]?.unit).toBe('record');
    const m = unwire(await svc.pageMap(j));
    const jf = view.report.files[j].journal as any;
    expect(m.count).toBe(jf.records);
    expect((m.statusCounts.played ?? 0) + (m.statusCounts.notPlayed ?? 0)).toBe(jf.verifiedRecords);
    const rec = unwire(await svc.unit(j, 'record', 1));
    expect(fieldAt(rec.fields, 0)).toMatchObject({ key: 'f.recordPage', value: String(m.pgno[0]) });
    expect(fieldAt(rec.fields, rec.bytes.length - 1)).toMatchObject({ key: 'f.recordChecksum' });
    const h = unwire(await svc.unit(j, 'header', 1));
    expect(fieldAt(h.fields, 0)).toMatchObject({ key: 'f.journalMagic' });
  });

  it('answers before a case is loaded with a usage error, not an exception', async () => {
    const svc = localCaseService();
    for (const r of [await svc.pageMap(0), await svc.unit(0, 'page', 1), await svc.preview('x', null), await svc.rebuild('r', 'x', null)]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('usage');
    }
  });

  it('cancels an inspection in flight', async () => {
    const svc = localCaseService();
    const big = new File([new Uint8Array(96 << 20)], 'big.bin');
    const p = svc.inspect('inspect', [{ ref: { type: 'blob', blob: big, name: 'big.bin' }, path: 'big.bin' }], { hash: true });
    await svc.cancel('inspect');
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
  });

  it('hashes after the verdict: the report again, with the SHA-256 of every file', async () => {
    const svc = localCaseService();
    const files = pickedFrom(DEMO);
    const v = unwire(await svc.inspect('inspect', wireInputs(files), { hash: false }));
    expect(v.report.hashed).toBe(false);
    expect(v.report.files.every((f) => f.sha256 === null)).toBe(true);
    const seen: Array<{ done: number; total: number }> = [];
    const each = new Map<number, string>();
    const r = unwire(await svc.hash('hash', (e) => seen.push({ done: e.done, total: e.total }), (i, h) => each.set(i, h)));
    expect(r.hashed).toBe(true);
    expect([...each.keys()].sort((a, b) => a - b)).toEqual(r.files.map((_, i) => i));
    for (const [i, h] of each) expect(h).toBe(r.files[i].sha256);
    const want = new Map(await Promise.all(files.map(async (f) => [f.path, sha(new Uint8Array(await f.file.arrayBuffer()))] as const)));
    expect(Object.fromEntries(r.files.map((f) => [f.path, f.sha256]))).toEqual(Object.fromEntries(want));
    // Nothing else in the report changes.
    expect({ ...r, hashed: false, files: r.files.map((f) => ({ ...f, sha256: null })) }).toEqual(v.report);
    const total = files.reduce((a, f) => a + f.file.size, 0);
    expect(seen.at(-1)).toEqual({ done: total, total });
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
  });

  it('a new case cancels the hashing of the last one', async () => {
    const svc = localCaseService();
    const big = new File([new Uint8Array(96 << 20)], 'big.bin');
    unwire(await svc.inspect('inspect', [{ ref: { type: 'blob', blob: big, name: 'big.bin' }, path: 'big.bin' }], { hash: false }));
    const p = svc.hash('hash');
    const v = unwire(await svc.inspect('inspect', wireInputs(pickedFrom(DEMO)), { hash: false }));
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    expect(v.report.verdict).toBe('restorable');
    expect(unwire(await svc.hash('hash')).files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256 ?? ''))).toBe(true);
  });
});
