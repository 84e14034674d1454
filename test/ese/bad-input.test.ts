// Bad input is normal input: truncated, zeroed, bit-flipped and hostile ESE files give typed issues, never a
// crash or a hang (seeded mutations of every fixture kind, plus hand-made hostile headers with valid checksums).
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { rng } from '../helpers';
import { caseDir, verifyInProcess, restamp, ESE } from './ese-helpers';

const SEVERITIES = new Set(['error', 'warning', 'info']);

function wellFormed(r: any): void {
  const all = [...r.issues, ...r.files.flatMap((f: any) => f.issues)];
  for (const i of all) {
    expect(typeof i.code).toBe('string');
    expect(SEVERITIES.has(i.severity)).toBe(true);
    expect(typeof i.message).toBe('string');
    expect(i.offset === null || Number.isSafeInteger(i.offset)).toBe(true);
  }
  JSON.stringify(r);
}

describe('ESE bad input', () => {
  it('survives seeded mutations of databases, logs, checkpoints and flush maps', async () => {
    const r = rng(2024);
    const srcs: Array<[string, number]> = [['SRUDB.dat', 16384], ['SRU.log', 8192], ['SRU.chk', 8192], ['SRUDB.jfm', 16384]];
    const t = caseDir([]);
    try {
      let n = 0;
      for (const [name, span] of srcs) {
        const orig = new Uint8Array(readFileSync(path.join(ESE, 'srum-rathbun', name)));
        for (let k = 0; k < 30; k++) {
          const b = orig.slice();
          const mode = k % 5;
          if (mode === 0) for (let f = 0; f < 1 + Math.floor(r() * 8); f++) b[Math.floor(r() * span)] ^= 1 << Math.floor(r() * 8);
          else if (mode === 1) b.fill(Math.floor(r() * 256), Math.floor(r() * span), Math.floor(r() * span));
          else if (mode === 2) { const off = Math.floor(r() * span); for (let i = off; i < Math.min(b.length, off + 64); i++) b[i] = Math.floor(r() * 256); }
          const cut = mode === 3 ? Math.floor(r() * b.length) : mode === 4 ? Math.floor(r() * 700) : b.length;
          // Keep the names: the mutated files must still be recognised as what they were.
          const dir = path.join(t.dir, `m${n++}`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(path.join(dir, name), b.subarray(0, cut));
        }
      }
      const t0 = Date.now();
      const rep = await verifyInProcess([t.dir]);
      expect(Date.now() - t0).toBeLessThan(60_000);
      expect(rep.files).toHaveLength(n);
      wellFormed(rep);
      // Damage was actually seen (the mutations are not no-ops).
      expect(rep.counts.errors).toBeGreaterThan(50);
    } finally {
      t.cleanup();
    }
  });

  it('hostile headers with valid checksums: absurd log geometry, attachment list overflow, page size field', async () => {
    const t = caseDir([['srum-rathbun/SRU.log', 'E00.log'], ['srum-rathbun/SRU00003.log', 'E0000003.log'], ['srum-rathbun/SRUDB.dat', 'odd.edb'], ['srum-rathbun/SRU.chk', 'E00.chk']]);
    try {
      const edit = (f: string, fn: (b: Uint8Array, dv: DataView) => void) => {
        const b = new Uint8Array(readFileSync(t.p(f)));
        fn(b, new DataView(b.buffer));
        writeFileSync(t.p(f), b);
      };
      // csecLGFile = 65535 sectors in a 64 KiB file, cbSec 4096.
      edit('E00.log', (b, dv) => { dv.setUint16(12, 0xffff, true); restamp(b, 0, 4096); });
      // An attachment whose names run far past the 2048-byte list.
      edit('E0000003.log', (b, dv) => { dv.setUint16(671 + 2, 0xfff0, true); restamp(b, 0, 4096); });
      // A database header declaring a 64 KiB page (not a valid size) with valid checksums over 4 KiB.
      edit('odd.edb', (b, dv) => { for (const c of [0, 4096]) { dv.setUint32(c + 236, 65536, true); restamp(b, c, 4096); } });
      // A checkpoint attachment list that never ends.
      edit('E00.chk', (b) => { for (const c of [0, 4096]) { for (let i = 679; i < 4096; i += 64) b[c + i] = 1; restamp(b, c, 4096); } });
      writeFileSync(t.p('empty.edb'), new Uint8Array(0));
      writeFileSync(t.p('E01.log'), new Uint8Array(10));
      writeFileSync(t.p('E01.chk'), new Uint8Array(8192).fill(0xee));
      writeFileSync(t.p('x.jfm'), new Uint8Array(100));
      const rep = await verifyInProcess([t.dir]);
      wellFormed(rep);
      const f = (n: string) => rep.files.find((x: any) => path.basename(x.path) === n)!;
      expect(f('E00.log').issues.map((i: any) => i.code)).toContain('ese.log.size-mismatch');
      expect(f('E0000003.log').issues.map((i: any) => i.code)).toContain('ese.log.attach-list');
      expect(f('odd.edb').ese.headerStatus).toBe('corrupt');
      expect(f('E00.chk').ese.status).toBe('ok');
      expect(f('empty.edb').issues.map((i: any) => i.code)).toContain('ese.db.header-corrupt');
      expect(f('E01.log').issues.map((i: any) => i.code)).toContain('ese.log.truncated');
      expect(f('E01.chk').issues.map((i: any) => i.code)).toContain('ese.chk.corrupt');
      expect(f('x.jfm').issues.map((i: any) => i.code)).toContain('ese.fm.truncated');
    } finally {
      t.cleanup();
    }
  });
});

describe('ESE detection by name', () => {
  it('claims zeroed or damaged logs by their ESE names, but not a text file called app.log', async () => {
    const t = caseDir([['srum-rathbun/SRU00003.log', 'SRU00003.log']]);
    try {
      writeFileSync(t.p('app.log'), 'started\nstopped\n'.repeat(500));
      writeFileSync(t.p('E00.log'), new Uint8Array(65536));
      const b = new Uint8Array(readFileSync(t.p('SRU00003.log')));
      b.fill(0x20, 600, 700); // damages the header, filetype @667 included
      writeFileSync(t.p('SRU00003.log'), b);
      const rep = await verifyInProcess([t.dir]);
      const f = (n: string) => rep.files.find((x: any) => path.basename(x.path) === n)!;
      expect(f('app.log').kind).toBe('unknown');
      expect(f('E00.log').kind).toBe('ese-log');
      expect(f('SRU00003.log').kind).toBe('ese-log');
      expect(f('SRU00003.log').issues.map((i: any) => i.code)).toEqual(expect.arrayContaining(['case.kind-by-name', 'ese.log.header-checksum']));
    } finally {
      t.cleanup();
    }
  });
});
