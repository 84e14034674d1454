// The valid-prefix hint: walFrames jobs given the header's salts count their leading valid frames (block.lead), and
// analyzeWal skips those frames. On the real WAL files and on thousands of damaged copies (salts, page numbers,
// checksums and commit sizes flipped, page numbers zeroed, at random frames), split into blocks at random places, the analysis and issues
// with the hint equal those of the full scan without it.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walFramesJob } from '../../workers/engine/jobs';
import { parseWalHeader, frameCount, mergeFrameBlocks, analyzeWal, walChecksumTs, type WalFrameBlock } from '../../workers/engine/formats/sqlite/wal';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import { FIXTURES, rng } from '../helpers';

const ctx = { open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 };
const WALS = ['sqlite/plaso/wal_database.db-wal', 'sqlite/dc3-chinook/chinook.sqlite-wal', 'sqlite/litestream/wal-writer-live/db-wal', 'sqlite/dc3-version-history/version_history_test.sqlite-wal'];

async function analyses(name: string, bytes: Uint8Array, cuts: number[]) {
  const hc = parseWalHeader(name, bytes.subarray(0, 32), bytes.length);
  const h = hc.header!;
  const frames = frameCount(bytes.length, h.pageSize);
  const ref = { type: 'bytes' as const, bytes, name };
  const bounds = [1, ...cuts.filter((c) => c > 1 && c <= frames).sort((a, b) => a - b), frames + 1].filter((x, i, a) => i === 0 || x !== a[i - 1]);
  const blocks: WalFrameBlock[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const first = bounds[i];
    blocks.push(await walFramesJob(ctx, { ref, pageSize: h.pageSize, bigEndian: h.bigEndian, first, count: bounds[i + 1] - first, seed: first === 1 ? [h.checksum1, h.checksum2] : null, salts: [h.salt1, h.salt2] }));
  }
  const hinted = mergeFrameBlocks(frames, blocks);
  const plain = mergeFrameBlocks(frames, blocks.map(({ lead: _, ...b }) => b));
  expect(plain.validLead).toBeUndefined();
  const strip = (x: ReturnType<typeof analyzeWal>) => JSON.parse(JSON.stringify(x, (k, v) => (typeof v === 'function' ? undefined : v)));
  return { hinted: strip(analyzeWal(name, h, hc.usable, bytes.length, hinted)), plain: strip(analyzeWal(name, h, hc.usable, bytes.length, plain)), lead: hinted.validLead ?? -1, frames };
}

/** Recomputes the checksums of frames from..end (0-based) so each chains from the one before, as a writer would. */
function reseal(bytes: Uint8Array, pageSize: number, bigEndian: boolean, from: number): void {
  const fs = pageSize + 24;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = Math.floor((bytes.length - 32) / fs);
  for (let k = from; k < frames; k++) {
    const at = 32 + k * fs;
    const prev = k === 0 ? 24 : at - fs + 16;
    const c1 = walChecksumTs(bytes.subarray(at, at + 8), bigEndian, dv.getUint32(prev, false), dv.getUint32(prev + 4, false));
    const c2 = walChecksumTs(bytes.subarray(at + 24, at + fs), bigEndian, c1[0], c1[1]);
    dv.setUint32(at + 16, c2[0], false);
    dv.setUint32(at + 20, c2[1], false);
  }
}

describe('valid-prefix hint', () => {
  it.each(WALS)('%s: the same analysis with and without the hint', async (rel) => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, rel)));
    const r = await analyses(rel, bytes, [3, 7]);
    expect(r.hinted).toEqual(r.plain);
    expect(r.lead).toBeGreaterThan(0);
  });

  it('damaged copies: the same analysis with and without the hint (1,500 cases)', async () => {
    const r = rng(99);
    let hintUsed = 0;
    for (let t = 0; t < 1500; t++) {
      const rel = WALS[t % WALS.length];
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, rel)));
      const h = parseWalHeader(rel, bytes.subarray(0, 32), bytes.length).header!;
      const fs = h.pageSize + 24;
      const frames = frameCount(bytes.length, h.pageSize);
      for (let m = 0, n = 1 + Math.floor(r() * 3); m < n; m++) {
        const fr = Math.floor(r() * frames);
        if (r() < 0.2) {
          bytes.fill(0, 32 + fr * fs, 32 + fr * fs + 4); // page number 0
          continue;
        }
        const field = [0, 4, 8, 12, 16, 20, 24 + Math.floor(r() * h.pageSize)][Math.floor(r() * 7)];
        bytes[32 + fr * fs + field] ^= 1 << Math.floor(r() * 8);
      }
      // Half the time the damaged frames are resealed: their checksums verify, so only the other tests catch them.
      if (r() < 0.5) reseal(bytes, h.pageSize, h.bigEndian, 0);
      const cuts = Array.from({ length: Math.floor(r() * 5) }, () => 1 + Math.floor(r() * frames));
      const a = await analyses(rel, bytes, cuts);
      expect(a.hinted, `${rel} case ${t}`).toEqual(a.plain);
      if (a.lead > 0 && a.lead < a.frames) hintUsed++;
    }
    expect(hintUsed).toBeGreaterThan(300);
  }, 120_000);
});
