// Restore planning (KB 296788, FORMAT.md §R) on the real SRUM set and on variants that remove or change files the
// way the article's failure cases do.
import { describe, it, expect } from 'vitest';
import { unlinkSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { caseDir, folderFiles, verifyInProcess, editFile, restamp, ESE } from './ese-helpers';

const SET = () => caseDir(folderFiles('srum-rathbun'));
const base = (p: string | null | undefined) => (p ? path.basename(p) : p);

/** Patches both header copies of a 4 KiB-page database and recomputes their checksums. */
function editDbHeader(file: string, fn: (dv: DataView, copy: number) => void): void {
  editFile(file, (b, dv) => {
    for (const copy of [0, 4096]) { fn(dv, copy); restamp(b, copy, 4096); }
  });
}

describe('ESE restore plan', () => {
  it('the real set is ready for a point-in-time restore (checkpoint = SRU.log generation 9)', async () => {
    const r = await verifyInProcess([path.join(ESE, 'srum-rathbun')]);
    expect(r.esePlan).toHaveLength(1);
    const p = r.esePlan[0];
    expect(p).toMatchObject({
      state: 'Clean Shutdown', consistent: true, logSignatureMatches: true, chainComplete: true, currentLogIsHighAnchor: true,
      verdict: 'point-in-time-ready', caseVerdict: 'restorable', expectedError: null,
    });
    expect([p.lowAnchor.generation, base(p.lowAnchor.log), p.highAnchor.generation, base(p.highAnchor.log)]).toEqual([9, 'SRU.log', 9, 'SRU.log']);
    expect(p.checkpoint).toMatchObject({ generation: 9, validForPointInTime: true });
    expect(p.steps.map((s: any) => s.action)).toEqual(['keep', 'keep', 'keep', 'run']);
    expect(r.verdict).toBe('restorable');
  });

  it('without the checkpoint it is a roll-forward restore from the low anchor', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.verdict).toBe('roll-forward-ready');
      expect(p.pointInTime.reasons).toEqual(['no checkpoint file']);
      expect(p.steps.some((s: any) => s.action === 'delete')).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('a checkpoint that points at an older log is not valid for point in time: roll forward, and delete it', async () => {
    const t = SET();
    try {
      editFile(t.p('SRU.chk'), (b, dv) => { for (const c of [0, 4096]) { dv.setInt32(c + 16, 5, true); restamp(b, c, 4096); } });
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.checkpoint).toMatchObject({ generation: 5, validForPointInTime: false });
      expect(p.checkpoint.reason).toMatch(/points at generation 0x5, but SRU\.log is generation 0x9/);
      expect(p.verdict).toBe('roll-forward-ready');
      expect(p.steps.find((s: any) => s.action === 'delete')).toMatchObject({ file: t.p('SRU.chk') });
    } finally {
      t.cleanup();
    }
  });

  it('an older Last Consistent makes an older low anchor; the chain 5..9 is complete', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => dv.setInt32(c + 60, 5, true));
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect([p.lowAnchor.generation, base(p.lowAnchor.log)]).toEqual([5, 'SRU00005.log']);
      expect(p.currentLogIsHighAnchor).toBe(false);
      expect(p.verdict).toBe('roll-forward-ready');
      expect(p.steps.map((s: any) => s.text)).toContain('Keep logs 0x5 (low anchor) through 0x9 (SRU.log)');
    } finally {
      t.cleanup();
    }
  });

  it('a missing log between the low anchor and the newest log ends in -1216; the remedy is in the steps', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      unlinkSync(t.p('SRU00006.log'));
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => dv.setInt32(c + 60, 5, true));
      const r = await verifyInProcess([t.dir]);
      const p = r.esePlan[0];
      expect(p).toMatchObject({ verdict: 'not-ready', chainComplete: false, missing: [6], caseVerdict: 'restorable-with-loss' });
      expect(p.expectedError).toEqual({ code: -1216, name: 'JET_errAttachedDatabaseMismatch' });
      expect(p.steps.some((s: any) => /remove all logs and the checkpoint/.test(s.text))).toBe(true);
      expect(r.verdict).toBe('restorable-with-loss');
    } finally {
      t.cleanup();
    }
  });

  it('without <base>.log the newest archived log is renamed to it', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      unlinkSync(t.p('SRU.log'));
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => dv.setInt32(c + 60, 5, true));
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.verdict).toBe('roll-forward-ready');
      expect(p.currentLog).toBeNull();
      expect(p.steps.find((s: any) => s.action === 'rename')).toMatchObject({ file: t.p('SRU00008.log'), to: 'SRU.log' });
    } finally {
      t.cleanup();
    }
  });

  it('a missing low anchor log (the current log removed) is not ready', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.log'));
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.verdict).toBe('not-ready');
      expect(p.missing).toEqual([9]);
      expect(p.lowAnchor).toEqual({ generation: 9, log: null });
      expect(p.checkpoint.validForPointInTime).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('a database with another log signature does not match the logs', async () => {
    const t = SET();
    try {
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => dv.setUint32(c + 108, dv.getUint32(c + 108, true) ^ 0xffff, true));
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.logSignatureMatches).toBe(false);
      expect(p.verdict).toBe('not-ready');
      expect(p.checkpoint.validForPointInTime).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('a dirty database with its required logs present is ready for soft recovery (roll forward), not point in time', async () => {
    const t = SET();
    try {
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => { dv.setUint32(c + 52, 2, true); dv.setInt32(c + 296, 7, true); dv.setInt32(c + 300, 9, true); });
      const r = await verifyInProcess([t.dir]);
      const p = r.esePlan[0];
      expect(p.state).toBe('Dirty Shutdown');
      expect([p.lowAnchor.generation, p.highAnchor.generation]).toEqual([7, 9]);
      expect(p.verdict).toBe('roll-forward-ready');
      expect(p.pointInTime.ready).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('a dirty database whose required logs are missing ends in -543', async () => {
    const t = SET();
    try {
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => { dv.setUint32(c + 52, 2, true); dv.setInt32(c + 296, 1, true); dv.setInt32(c + 300, 9, true); });
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.verdict).toBe('not-ready');
      expect(p.missing).toEqual([1, 2]);
      expect(p.expectedError).toEqual({ code: -543, name: 'JET_errRequiredLogFilesMissing' });
    } finally {
      t.cleanup();
    }
  });

  it('two databases with one log signature form a group: low and high anchors across both', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      copyFileSync(t.p('SRUDB.dat'), t.p('Second.dat'));
      editDbHeader(t.p('Second.dat'), (dv, c) => dv.setInt32(c + 60, 4, true));
      const r = await verifyInProcess([t.dir]);
      expect(r.esePlan).toHaveLength(2);
      for (const p of r.esePlan) {
        expect(p.group.map(base).sort()).toEqual(['SRUDB.dat', 'Second.dat']);
        expect([p.lowAnchor.generation, p.highAnchor.generation]).toEqual([4, 9]);
        expect(p.verdict).toBe('roll-forward-ready');
      }
    } finally {
      t.cleanup();
    }
  });

  it('a lone clean database is consistent without logs; a lone dirty one is not', async () => {
    const t = caseDir([['srum-rathbun/SRUDB.dat'], ['srum-rathbun/SRUDB.dat', 'dirty.dat']]);
    try {
      editDbHeader(t.p('dirty.dat'), (dv, c) => { dv.setUint32(c + 52, 2, true); dv.setInt32(c + 296, 7, true); dv.setInt32(c + 300, 9, true); });
      dirtyOnlySignature(t.p('dirty.dat'));
      const r = await verifyInProcess([t.dir]);
      const by = Object.fromEntries(r.esePlan.map((p: any) => [base(p.database), p]));
      expect(by['SRUDB.dat']).toMatchObject({ verdict: 'consistent-no-logs', caseVerdict: 'restorable' });
      expect(by['dirty.dat']).toMatchObject({ verdict: 'not-ready', caseVerdict: 'restorable-with-loss', expectedError: { code: -543 } });
    } finally {
      t.cleanup();
    }
  });
});

describe('ESE restore plan: logs with another signature', () => {
  it('a log of the chain with another log signature must be removed, which breaks the chain', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      editDbHeader(t.p('SRUDB.dat'), (dv, c) => dv.setInt32(c + 60, 5, true));
      editFile(t.p('SRU00007.log'), (b) => { b[44] ^= 0xff; restamp(b, 0, 4096); });
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.logSignatureMatches).toBe(true);
      expect(p.chainComplete).toBe(false);
      expect(p.verdict).toBe('not-ready');
      expect(p.steps.filter((s: any) => s.action === 'remove' && s.file).map((s: any) => base(s.file))).toEqual(['SRU00007.log']);
    } finally {
      t.cleanup();
    }
  });

  it('a log with another signature below the low anchor is removed and the roll forward stays ready', async () => {
    const t = SET();
    try {
      unlinkSync(t.p('SRU.chk'));
      editFile(t.p('SRU00004.log'), (b) => { b[44] ^= 0xff; restamp(b, 0, 4096); });
      const p = (await verifyInProcess([t.dir])).esePlan[0];
      expect(p.verdict).toBe('roll-forward-ready');
      expect(p.steps.find((s: any) => s.action === 'remove')).toMatchObject({ file: t.p('SRU00004.log') });
    } finally {
      t.cleanup();
    }
  });
});

/** Gives the dirty copy its own log signature so that it is not grouped with the clean one. */
function dirtyOnlySignature(file: string): void {
  editDbHeader(file, (dv, c) => dv.setUint32(c + 108, dv.getUint32(c + 108, true) ^ 0x1234, true));
}
