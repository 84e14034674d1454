// The built-in demo case (test/fixtures/demo, see its PROVENANCE.md): the rebuild equals what real SQLite recovers
// from the torn live files, and verify reports the torn frame and the stale frames.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cli, tempDir, FIXTURES, ROOT } from '../helpers';

const DEMO = path.join(FIXTURES, 'demo');
const expected = JSON.parse(readFileSync(path.join(DEMO, 'case.json'), 'utf8'));

describe('demo case', () => {
  it('verify names the torn frame, the stale frames and the chain', () => {
    const r = cli(['verify', DEMO, '--json', '--no-hash']);
    expect(r.code).toBe(0);
    const live = r.json.files.find((f: any) => f.path.endsWith('mbox/db/mailbox.db-wal'));
    expect(live.wal.firstInvalidFrame).toBe(expected.tornFrame);
    expect(live.wal.validFrames).toBe(expected.liveWal.validFrames);
    expect(live.wal.staleFrames).toBe(expected.liveWal.staleFrames);
    expect(live.issues.map((i: any) => i.code)).toContain('sqlite.wal.torn-frame');
    const fam = r.json.families[0];
    expect(fam.generations.map((g: any) => g.sequence)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(fam.plan.base.kind).toBe('snapshot');
    expect(fam.plan.reached).toBe(expected.journalFolderCase.finalLiveCommit);
  });

  it('rebuild holds exactly what real SQLite recovers from the live files', () => {
    const t = tempDir();
    try {
      const out = path.join(t.dir, 'mailbox.db');
      const r = cli(['rebuild', DEMO, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const d = JSON.parse(spawnSync('python3', [path.join(ROOT, 'test/generators/oracle.py'), 'describe', out], { encoding: 'utf8' }).stdout);
      expect(d.integrity_check).toBe('ok');
      expect(d.logical_sha256).toBe(expected.liveFilesExpected.logical_sha256);
      expect(d.tables).toEqual(expected.liveFilesExpected.tables);
    } finally {
      t.cleanup();
    }
  });
});
