// Commit page counts (WalCommit.pageCount, counted without building the page list) against the page lists, on the
// real WAL files and the demo case (valid, dropped and stale commits); the web's timeline view (page lists left
// out) against the CLI's; and the count on a frame table with hostile page numbers (no array sized by them).
import { describe, it, expect } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { inspectCase } from '../../workers/engine/case/inspect';
import { timelineReport } from '../../workers/engine/report/report';
import { LocalRunner } from '../../workers/engine/runner';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import { mergeFrameBlocks, analyzeWal, type WalHeader } from '../../workers/engine/formats/sqlite/wal';
import { FIXTURES } from '../helpers';
import '../../workers/engine/plugins';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  }).filter((p) => !/\.(md|txt|json)$/.test(p));
}

const cases = [
  ...['dc3-chinook', 'plaso', 'dc3-version-history', 'litestream/wal-writer-static', 'litestream/wal-writer-live'].map((d) => path.join(FIXTURES, 'sqlite', d)),
  path.join(FIXTURES, 'demo'),
];

describe('commit page counts', () => {
  it.each(cases)('%s: every commit\'s count equals its page list, and the web timeline equals the CLI\'s without the lists', async (dir) => {
    const runner = new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 });
    const m = await inspectCase(filesUnder(dir).map((p) => ({ ref: { type: 'path' as const, path: p }, path: path.relative(dir, p) })), nodeOpener, runner, { hash: false });
    let commits = 0;
    for (const f of m.files) {
      const a = f.wal?.analysis;
      if (!a) continue;
      for (const c of [...a.commitList, ...a.droppedCommits, ...a.staleGenerations.flatMap((g) => g.commits)]) {
        commits++;
        expect(c.pageCount).toBe(c.pages.length);
      }
    }
    expect(commits).toBeGreaterThan(0);
    const full = timelineReport(m);
    const lite = timelineReport(m, { pageLists: false });
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'pages' ? undefined : v)));
    expect(lite).toEqual(strip(full));
    expect(JSON.stringify(lite)).not.toContain('"pages"');
  });

  it('counts a table with hostile page numbers without sizing an array by them', () => {
    const pgnos = [0xffffffff, 1, 0xffffffff, 7, 0x80000000, 1];
    const hdr = new Uint32Array(pgnos.length * 6);
    pgnos.forEach((p, i) => {
      hdr.set([p, i === pgnos.length - 1 ? 9 : 0, 5, 6, 0, 0], i * 6);
    });
    const table = mergeFrameBlocks(pgnos.length, [{ first: 1, count: pgnos.length, hdr, ok: new Uint8Array(pgnos.length).fill(1) }]);
    const header = { magic: 0x377f0682, version: 3007000, pageSize: 4096, checkpointSeq: 0, salt1: 5, salt2: 6, checksum1: 0, checksum2: 0, bigEndian: false } as WalHeader;
    const { analysis } = analyzeWal('x-wal', header, true, 32 + pgnos.length * 4120, table);
    expect(analysis.commitList.length).toBe(1);
    const c = analysis.commitList[0];
    expect(c.pageCount).toBe(4);
    expect(c.pages).toEqual([1, 7, 0x80000000, 0xffffffff]);
  });
});
