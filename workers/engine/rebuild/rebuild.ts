// Writing the rebuilt database: every page of the plan's result, read from its source (base page, journal
// pre-image or WAL frame), streamed to a sink in page order. The output is a standalone rollback-mode database
// (header bytes 18/19 = 1) so sql.js and sqlite3 open it without a WAL. Inputs are only read. Deterministic.

import { PalimpsestError, throwIfAborted } from '../errors';
import { readFully, readRuns, type ByteSource, type SourceOpener } from '../io';
import type { Sha256 } from '../jobs';
import type { CaseModel, FamilyModel, Plan } from '../case/model';
import { resolvePages, choosePlan, knownCommits, type Target } from '../case/plan';
import { hasSqliteMagic } from '../formats/sqlite/header';

export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

export interface RebuildResult {
  family: string;
  plan: Plan;
  pages: number;
  bytes: number;
  sha256: string | null;
  /** How many pages came from each kind of source. */
  sources: { base: number; journal: number; wal: number; zero: number };
}

/** Picks the family to rebuild: the only one, or the one named. */
export function pickFamily(model: CaseModel, name?: string): FamilyModel {
  const fams = model.families;
  if (name) {
    const f = fams.find((x) => x.name === name);
    if (!f) throw new PalimpsestError('usage', `no database named ${name} in the inputs (found: ${fams.map((x) => x.name).join(', ') || 'none'})`);
    return f;
  }
  if (fams.length === 0) throw new PalimpsestError('usage', 'no SQLite database, snapshot or WAL found in the inputs');
  if (fams.length > 1) throw new PalimpsestError('usage', `several databases in the inputs (${fams.map((x) => x.name).join(', ')}); choose one with --db NAME`);
  return fams[0];
}

/** The plan for a target, or a usage error that lists what exists. */
export function planForTarget(fam: FamilyModel, target: Target | null): Plan {
  const plan = target ? choosePlan(fam, target) : fam.plan;
  if (plan) return plan;
  if (!target) throw new PalimpsestError('usage', `${fam.name}: nothing to rebuild from`);
  const known = knownCommits(fam);
  const k = known.find((c) => c.generation === target.generation && c.commit === target.commit);
  const ranges = fam.generations.map((g) => `${g.sequence}:1..${g.sequence}:${g.commits.length}`).join(', ');
  if (k?.dropped) {
    throw new PalimpsestError('usage', `commit ${target.generation}:${target.commit} follows a damaged frame and cannot be applied (valid commits: ${ranges || 'none'})`);
  }
  throw new PalimpsestError('usage', `commit ${target.generation}:${target.commit} cannot be reached from the inputs (known commits: ${ranges || 'none'})`);
}

const BATCH_BYTES = 8 << 20;
/** Sorted reads: a run goes on across gaps of up to RUN_GAP bytes, up to RUN_SPAN bytes in all. */
const RUN_GAP = 256 << 10;
const RUN_SPAN = 4 << 20;

/** Pages first..first+m-1 into `buf`, read in file order in runs (writeImage's windows). */
async function readSorted(
  src: ReturnType<typeof resolvePages>, sources: ByteSource[], first: number, m: number, ps: number, buf: Uint8Array,
  counts: RebuildResult['sources'], signal?: AbortSignal, placed?: (pages: number) => void,
): Promise<void> {
  const idx: number[] = [];
  for (let i = 0; i < m; i++) {
    const k = src.kind[first + i - 1];
    if (k === 0) counts.zero++;
    else {
      idx.push(i);
      if (k === 1) counts.base++; else if (k === 2) counts.journal++; else counts.wal++;
    }
  }
  const at = idx.map((i) => ({ file: src.file[first + i - 1], offset: src.offset[first + i - 1] }));
  let done = 0;
  // Past a short read a page stays zero, as in page order.
  await readRuns(sources, at, ps, { gap: RUN_GAP, span: RUN_SPAN, signal }, (q, b) => {
    buf.set(b, idx[q] * ps);
    if (++done % 1024 === 0) placed?.(done);
  });
}

/** Pages first..first+m-1 into `buf` in page order; runs at a fixed stride in one file are one read. */
async function readInOrder(
  src: ReturnType<typeof resolvePages>, sources: ByteSource[], first: number, m: number, ps: number, buf: Uint8Array,
  counts: RebuildResult['sources'],
): Promise<void> {
  let i = 0;
  while (i < m) {
    const p = first + i;
    const k = src.kind[p - 1];
    if (k === 0) { counts.zero++; i++; continue; }
    // Coalesce runs of pages that sit at a fixed stride in the same file: contiguous pages (stride = page
    // size) or consecutive WAL frames (stride = page size + 24): one read instead of one per page.
    const fi = src.file[p - 1];
    const off = src.offset[p - 1];
    const stride = i + 1 < m && src.kind[p] === k && src.file[p] === fi ? src.offset[p] - off : 0;
    let run = 1;
    if (stride === ps || stride === ps + 24) {
      while (i + run < m && run < 256 && src.kind[p + run - 1] === k && src.file[p + run - 1] === fi && src.offset[p + run - 1] === off + run * stride) run++;
    }
    const dst = buf.subarray(i * ps, (i + run) * ps);
    if (run === 1 || stride === ps) {
      const got = await readFully(sources[fi], off, dst);
      if (got < dst.length) dst.fill(0, got);
    } else {
      const span = new Uint8Array((run - 1) * stride + ps);
      const got = await readFully(sources[fi], off, span);
      if (got < span.length) span.fill(0, got);
      for (let r = 0; r < run; r++) dst.set(span.subarray(r * stride, r * stride + ps), r * ps);
    }
    if (k === 1) counts.base += run; else if (k === 2) counts.journal += run; else counts.wal += run;
    i += run;
  }
}

export async function writeImage(
  model: CaseModel,
  fam: FamilyModel,
  plan: Plan,
  open: SourceOpener,
  sink: ByteSink,
  opts: {
    signal?: AbortSignal; sha256?: Sha256; onProgress?: (done: number, total: number) => void;
    /**
     * Pages put together at a time, in bytes (default 8 MiB, in page order). With more, the pages of a window are read
     * in the order they sit in their files, in runs: a host that pays for every read (a browser slices a Blob per
     * read) and holds the output anyway reads a WAL whose latest frames are scattered in a few passes instead of a
     * read per page.
     */
    windowBytes?: number;
  } = {},
): Promise<RebuildResult> {
  const n = plan.dbSize;
  const ps = plan.pageSize;
  if (n <= 0 || !ps) throw new PalimpsestError('usage', `${fam.name}: the result would be empty (no committed pages)`);
  const src = resolvePages(fam, plan, model.files);
  const sources: ByteSource[] = [];
  try {
    for (const f of src.files) sources.push(await open(f.ref));
    const per = Math.max(1, Math.floor(Math.max(BATCH_BYTES, opts.windowBytes ?? 0) / ps));
    const sorted = (opts.windowBytes ?? 0) > BATCH_BYTES;
    const counts = { base: 0, journal: 0, wal: 0, zero: 0 };
    let written = 0;
    for (let first = 1; first <= n; first += per) {
      throwIfAborted(opts.signal);
      const m = Math.min(per, n - first + 1);
      const buf = new Uint8Array(m * ps);
      if (sorted) await readSorted(src, sources, first, m, ps, buf, counts, opts.signal, (k) => opts.onProgress?.(written + k * ps, n * ps));
      else await readInOrder(src, sources, first, m, ps, buf, counts);
      if (first === 1 && hasSqliteMagic(buf)) {
        // Rollback mode: write and read format versions = 1 (sqlite-formats.md §2.12). A page 1 without a header
        // (no source for it) is left as it is rather than given a fabricated one.
        buf[18] = 1;
        buf[19] = 1;
      }
      await sink.write(buf);
      written += buf.length;
      await opts.sha256?.update(buf); // last use of buf: the hasher may take it
      opts.onProgress?.(written, n * ps);
    }
    return { family: fam.name, plan, pages: n, bytes: written, sha256: opts.sha256 ? await opts.sha256.digestHex() : null, sources: counts };
  } finally {
    for (const s of sources) await s.close?.();
  }
}
