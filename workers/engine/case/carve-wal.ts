// Rows in a WAL's page images that the latest state no longer holds (FORMAT.md Deleted records, K9): the case-level
// glue between the inspected case (its family's latest plan, the WAL's frames) and the carver.
import type { CaseModel, FileModel } from './model';
import { resolvePages } from './plan';
import { readAt, readRuns, type ByteSource, type SourceOpener } from '../io';
import { PalimpsestError } from '../errors';
import { frameOffset } from '../formats/sqlite/wal';
import { blockReader, carveFrames, type CarveOptions, type CarveReport, type PageBatchReader } from '../formats/sqlite/carve';

const RUN_SPAN = 4 << 20;
const RUN_GAP = 128 << 10;

/** Carves every frame of `wal` (a file of the inspected case), leaving out the rows of its family's latest state. */
export async function carveWal(model: CaseModel, wal: FileModel, open: SourceOpener, opts: CarveOptions = {}): Promise<CarveReport> {
  const h = wal.wal?.header;
  if (wal.kind !== 'sqlite-wal' || !h) throw new PalimpsestError('usage', `${wal.path} is not a WAL with a readable header`);
  const fam = model.families.find((f) => f.name === wal.family);
  const plan = fam?.plan;
  if (!fam || !plan || plan.dbSize <= 0) throw new PalimpsestError('usage', `${wal.path}: its database has no state to compare with (nothing to rebuild)`);
  const ps = h.pageSize;
  if (plan.pageSize !== ps) throw new PalimpsestError('usage', `${wal.path}: page size ${ps} differs from its database's ${plan.pageSize}`);
  const src = resolvePages(fam, plan, model.files);
  const sources: ByteSource[] = [];
  const walSrc = await open(wal.ref);
  try {
    for (const f of src.files) sources.push(await open(f.ref));
    // Pages of the latest state one at a time (schema pages, overflow chains) through block caches: a row's overflow
    // pages were written by one commit, so they sit side by side in the WAL as in a database file.
    const cached = sources.map((s) => blockReader(s));
    const read = async (p: number): Promise<Uint8Array | null> => {
      if (p < 1 || p > plan.dbSize) return null;
      if (src.kind[p - 1] === 0) return new Uint8Array(ps);
      const b = await cached[src.file[p - 1]](src.offset[p - 1], ps);
      return b.length === ps ? b : null;
    };
    // Many pages at once (the walk of the latest state's b-trees, overflow chains read ahead): sorted by where they
    // are and read in runs (readRuns: up to RUN_SPAN, gaps of up to RUN_GAP read through). A browser pays a Blob slice per read:
    // one page at a time, the latest state of a 1.16 GB WAL took minutes.
    const readMany: PageBatchReader = async (pages, visit) => {
      const want: number[] = [];
      for (const p of pages) {
        if (p < 1 || p > plan.dbSize) continue;
        if (src.kind[p - 1] === 0) await visit(p, new Uint8Array(ps));
        else want.push(p);
      }
      const at = want.map((p) => ({ file: src.file[p - 1], offset: src.offset[p - 1] }));
      await readRuns(sources, at, ps, { gap: RUN_GAP, span: RUN_SPAN, signal: opts.signal }, (i, b) => (b.length === ps ? visit(want[i], b) : undefined));
    };
    // Pages in file order, for "the pages stored right after this one" (the read-ahead of overflow chains).
    let order: Int32Array | null = null;
    let rank: Int32Array | null = null;
    const neighbours = (pg: number, n: number): number[] => {
      if (!order || !rank) {
        const ids: number[] = [];
        for (let p = 1; p <= plan.dbSize; p++) if (src.kind[p - 1] !== 0) ids.push(p);
        ids.sort((a, b) => src.file[a - 1] - src.file[b - 1] || src.offset[a - 1] - src.offset[b - 1]);
        order = Int32Array.from(ids);
        rank = new Int32Array(plan.dbSize + 1).fill(-1);
        order.forEach((p, i) => (rank![p] = i));
      }
      const out: number[] = [];
      if (pg < 1 || pg > plan.dbSize) return out;
      // Side by side: the same file, and at most a WAL frame (page and frame header) further on each time.
      for (let i = rank[pg]; i >= 0 && i + 1 < order.length && out.length < n; i++) {
        const a = order[i] - 1;
        const b = order[i + 1] - 1;
        if (src.file[b] !== src.file[a] || src.offset[b] - src.offset[a] > ps + 24) break;
        out.push(b + 1);
      }
      return out;
    };
    const p1 = await read(1);
    const usable = ps - (p1 ? p1[20] : 0);
    const count = Math.floor(Math.max(0, wal.size - 32) / (ps + 24));
    // Frames are read in runs of ~1 MiB (one read instead of two per frame: in a browser each small read is a slice).
    const fs = ps + 24;
    const perRun = Math.max(1, Math.floor((1 << 20) / fs));
    let runAt = -1;
    let run: Uint8Array = new Uint8Array(0);
    const frame = async (i: number): Promise<Uint8Array | null> => {
      const r = Math.floor((i - 1) / perRun);
      if (r !== runAt) {
        const first = r * perRun + 1;
        run = await readAt(walSrc, frameOffset(first, ps), Math.min(perRun, count - first + 1) * fs);
        runAt = r;
      }
      const at = ((i - 1) % perRun) * fs;
      return at + fs <= run.length ? run.subarray(at, at + fs) : null;
    };
    const res = await carveFrames({ read, readMany, neighbours, usable, pageCount: plan.dbSize, pageSize: ps }, {
      count,
      frameSize: fs,
      pgno: async (i) => {
        const b = await frame(i);
        return b ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : null;
      },
      image: async (i) => (await frame(i))?.subarray(24) ?? null,
    }, opts);
    return { file: wal.path, pageSize: ps, pageCount: count, frames: true, ...res };
  } finally {
    for (const s of sources) await s.close?.();
    await walSrc.close?.();
  }
}
