// Inspecting a case: detect every file, check it in parallel jobs, group files into database families and decide
// what can be rebuilt. Host-agnostic: sources come from a SourceOpener, parallel work goes through a JobRunner.

import type { Issue, Verdict } from '../types';
import { readAt, type ByteSource, type SourceOpener, type SourceRef } from '../io';
import { throwIfAborted } from '../errors';
import { DEFAULT_LANE_JOBS, type JobRunner, type LaneJobSizes } from '../runner';
import { detectKind, DETECT_BYTES } from '../detect';
import { parseDbHeader } from '../formats/sqlite/header';
import { parseWalHeader, frameCount, mergeFrameBlocks, analyzeWal, isValidPageSize, WAL_FRAME_HDR_SIZE, type WalFrameBlock } from '../formats/sqlite/wal';
import { analyzeJournal } from '../formats/sqlite/journal';
import { mergePageBlocks, classifyPages, PAGE_KIND, PAGE_FLAG_CKSUM_BAD, PAGE_FLAG_CKSUM_OK } from '../formats/sqlite/dbscan';
import { readSchema } from '../formats/sqlite/btree';
import { familyOf, baseName, parseSnapshotName, parseArchivedWalName } from '../formats/sqlite/folder';
import { buildFamilies } from './plan';
import type { CaseInput, CaseModel, CaseOptions, FileModel, DbModel } from './model';

/** Hooks for other format families: analyse their files and add case-level results. */
export interface FormatPlugin {
  kinds: string[];
  /** ctx.progress: bytes of the file checked so far, as jobs finish (the rest counts when analyzeFile returns). */
  analyzeFile(f: FileModel, src: ByteSource, ctx: { runner: JobRunner; signal?: AbortSignal; progress?: (bytes: number) => void }): Promise<void>;
  analyzeCase?(files: FileModel[], model: CaseModel): Promise<void> | void;
}
const plugins: FormatPlugin[] = [];
export function registerFormatPlugin(p: FormatPlugin): void {
  if (!plugins.includes(p)) plugins.push(p);
}

/**
 * Job sizes in items of `itemBytes` for runLanes: the host's (JobRunner.laneJobs, then lanes) or the default (then
 * all jobs are queued at once: about 4 per executor, 1 to 64 MiB each).
 */
export function laneChunks(total: number, itemBytes: number, sizes?: LaneJobSizes): { chunk: number; minChunk: number; queueAll: boolean } {
  const ib = Math.max(1, itemBytes);
  const sz = sizes ?? DEFAULT_LANE_JOBS;
  const minBytes = Math.max(Math.min(1 << 20, sz.minBytes), Math.min(sz.minBytes, Math.ceil((total * ib) / 64)));
  return { chunk: Math.max(1, Math.floor(Math.max(sz.maxBytes, minBytes) / ib)), minChunk: Math.max(1, Math.ceil(minBytes / ib)), queueAll: !sizes };
}

export interface LaneOptions {
  /** Number of lanes (normally the runner's concurrency). */
  lanes: number;
  /** Most items per job. */
  chunk: number;
  /** Fewest items per job (but a lane's last): jobs shrink from `chunk` to this as a lane nears its end. */
  minChunk: number;
  /** Ranges start on multiples of this (counted from item 1); default 1. */
  align?: number;
  /** Names the lanes for the runner's affinity (e.g. the file path); lane i is `${key}#${i}`. */
  key: string;
  /**
   * No lanes: every job is queued at once (about 4 per lane, between minChunk and chunk items), for hosts whose
   * sources cost nothing to reopen; executors take jobs as they free up. Jobs get no affinity and no prev.
   */
  queueAll?: boolean;
}

/**
 * Runs items [1, total] as jobs in contiguous lanes, one lane per worker: a lane runs its jobs in order, one at a
 * time, each starting where the last ended, and asks the runner for the same worker (affinity), so a worker reading
 * a stream (browser Blob streams: restarting one costs several ms) goes on from where its last job stopped. A lane
 * that runs out takes the second half of the largest part no lane has started yet, so the lanes end together.
 * `run` gets the previous job's result when it ended exactly where this job starts (same lane), else null.
 * With queueAll there are no lanes (see LaneOptions). Results come back ordered by their first item.
 */
export async function runLanes<R>(
  total: number,
  opts: LaneOptions,
  run: (first: number, count: number, affinity: string | undefined, prev: R | null) => Promise<R>,
): Promise<Array<{ first: number; count: number; result: R }>> {
  const out: Array<{ first: number; count: number; result: R }> = [];
  if (total <= 0) return out;
  const align = Math.max(1, Math.floor(opts.align ?? 1));
  const minChunk = Math.max(align, Math.ceil(Math.max(1, opts.minChunk) / align) * align);
  const chunk = Math.max(minChunk, Math.floor(Math.max(1, opts.chunk) / align) * align);
  if (opts.queueAll) {
    const per = Math.max(minChunk, Math.min(chunk, Math.ceil(total / Math.max(1, opts.lanes * 4) / align) * align));
    const ranges: Array<[number, number]> = [];
    for (let first = 1; first <= total; first += per) ranges.push([first, Math.min(per, total - first + 1)]);
    return Promise.all(ranges.map(async ([first, count]) => ({ first, count, result: await run(first, count, undefined, null) })));
  }
  const n = Math.max(1, Math.min(opts.lanes, Math.ceil(total / minChunk)));
  // Lane i owns the unstarted items [next, end].
  const lanes: Array<{ next: number; end: number }> = [];
  const per = Math.ceil(total / n / align) * align;
  for (let i = 0, first = 1; i < n && first <= total; i++, first += per) lanes.push({ next: first, end: Math.min(total, first + per - 1) });
  let failed = false;
  const lane = async (i: number): Promise<void> => {
    const me = lanes[i];
    const affinity = `${opts.key}#${i}`;
    let prev: { first: number; count: number; result: R } | null = null;
    while (!failed) {
      if (me.next > me.end) {
        // Out of work: take the second half of the largest unstarted part (on an aligned item).
        let victim: { next: number; end: number } | null = null;
        for (const l of lanes) if (l !== me && l.end - l.next + 1 >= 2 * minChunk && (!victim || l.end - l.next > victim.end - victim.next)) victim = l;
        if (!victim) return;
        const half = Math.ceil((victim.end - victim.next + 1) / 2);
        const mid = 1 + Math.ceil((victim.next + half - 1) / align) * align;
        if (mid > victim.end) return;
        me.next = mid;
        me.end = victim.end;
        victim.end = mid - 1;
      }
      const first = me.next;
      // Two thirds of what the lane has left, within [minChunk, chunk], and no remainder under minChunk: few jobs
      // (each one a round trip through this thread, 2-5 ms when the CPUs are busy), smaller ones at the end so the
      // lanes finish together.
      const left = me.end - first + 1;
      let count = Math.min(left, Math.max(minChunk, Math.min(chunk, Math.ceil((left * 2) / 3 / align) * align)));
      if (left - count < minChunk) count = left;
      me.next += count;
      const result: R = await run(first, count, affinity, prev && prev.first + prev.count === first ? prev.result : null);
      prev = { first, count, result };
      out.push(prev);
    }
  };
  await Promise.all(
    lanes.map((_, i) =>
      lane(i).catch((e) => {
        failed = true; // the other lanes start no new job
        throw e;
      }),
    ),
  );
  return out.sort((a, b) => a.first - b.first);
}

async function analyzeWalFile(f: FileModel, src: ByteSource, runner: JobRunner, signal?: AbortSignal, progress?: (bytes: number) => void): Promise<void> {
  const head = await readAt(src, 0, 32);
  const hc = parseWalHeader(f.path, head, f.size);
  f.issues.push(...hc.issues);
  const h = hc.header;
  const nameSeq = parseArchivedWalName(f.path)?.sequence ?? null;
  const canScan = h !== null && ((h.magic & 0xfffffffe) >>> 0) === 0x377f0682 && isValidPageSize(h.pageSize);
  const frames = canScan ? frameCount(f.size, h!.pageSize) : 0;
  const blocks = [];
  if (canScan && frames > 0) {
    const fs = h!.pageSize + WAL_FRAME_HDR_SIZE;
    const headerSeed: [number, number] = [h!.checksum1, h!.checksum2];
    const done = await runLanes<WalFrameBlock>(frames, { lanes: runner.concurrency, ...laneChunks(frames, fs, runner.laneJobs), key: f.path }, (first, count, affinity, prev) => {
      // Per-frame seeding: a job starts from the stored checksum of the frame before it, which the lane's previous
      // job has already read (else the worker reads it).
      const last = prev ? (prev.count - 1) * 6 : -1;
      const seed: [number, number] | null = first === 1 ? headerSeed : prev ? [prev.hdr[last + 4], prev.hdr[last + 5]] : null;
      return runner.run('walFrames', { ref: f.ref, pageSize: h!.pageSize, bigEndian: h!.bigEndian, first, count, seed, salts: [h!.salt1, h!.salt2] }, { signal, affinity }).then((b) => {
        progress?.(count * fs);
        return b;
      });
    });
    blocks.push(...done.map((d) => d.result));
  }
  const table = mergeFrameBlocks(frames, blocks);
  const { analysis, issues } = analyzeWal(f.path, h, hc.usable, f.size, table);
  f.issues.push(...issues);
  f.wal = { header: h, usable: hc.usable, analysis, table, nameSequence: nameSeq };
  if (nameSeq !== null && h && hc.usable && nameSeq !== h.checkpointSeq) {
    f.issues.push({
      code: 'sqlite.folder.name-mismatch', severity: 'warning', file: f.path, offset: 12, expected: nameSeq, actual: h.checkpointSeq,
      message: `file name says checkpoint sequence ${nameSeq}, the WAL header says ${h.checkpointSeq}; the header is used`,
    });
  }
}

async function analyzeDbFile(f: FileModel, src: ByteSource, runner: JobRunner, signal?: AbortSignal, progress?: (bytes: number) => void): Promise<void> {
  const head = await readAt(src, 0, 100);
  const { header, issues } = parseDbHeader(f.path, head, f.size);
  f.issues.push(...issues);
  const db: DbModel = { header, pages: null, classes: null, schema: [], schemaOk: false, snapshot: parseSnapshotName(f.path) };
  f.db = db;
  if (f.kind === 'sqlite-snapshot' && !header) {
    f.issues.push({ code: 'sqlite.snapshot.not-a-database', severity: 'error', file: f.path, offset: 0, message: 'snapshot is not a readable SQLite database image' });
  }
  if (!header) return;
  const ps = header.pageSize;
  const filePages = Math.floor(f.size / ps);
  const n = Math.min(header.pageCount, filePages);
  if (n <= 0) return;
  const cksumvfs = header.reservedBytes === 8;
  const blocks = (
    await runLanes(n, { lanes: runner.concurrency, ...laneChunks(n, ps, runner.laneJobs), key: f.path }, (first, count, affinity) =>
      runner.run('dbPages', { ref: f.ref, pageSize: ps, reserved: header.reservedBytes, first, count, cksumvfs }, { signal, affinity }).then((b) => {
        progress?.(count * ps);
        return b;
      }),
    )
  ).map((d) => d.result);
  throwIfAborted(signal);
  const table = mergePageBlocks(n, blocks);
  db.pages = table;
  const read = async (pg: number) => (pg >= 1 && pg <= n ? readAt(src, (pg - 1) * ps, ps) : null);
  const schema = await readSchema(read, header.usableSize, n);
  db.schema = schema.rows;
  db.schemaOk = schema.ok;
  if (!schema.ok) {
    f.issues.push({ code: 'sqlite.db.schema-unreadable', severity: 'error', file: f.path, offset: 100, message: 'sqlite_schema (page 1 b-tree) could not be read completely' });
  }
  const roots = new Map<number, string>([[1, 'sqlite_schema']]);
  for (const r of schema.rows) if (r.rootpage > 0 && !roots.has(r.rootpage)) roots.set(r.rootpage, `${r.type} ${r.name}`);
  const classes = await classifyPages(table, {
    pageSize: ps, usable: header.usableSize, roots, firstTrunk: header.firstFreelistTrunk, freelistCount: header.freelistCount,
    autoVacuum: header.largestRootPage !== 0, readTrunk: read,
  });
  db.classes = classes;
  // Structural problems count only on live b-tree pages (freelist leaves keep stale bytes by design).
  const live = new Set<number>([PAGE_KIND.tableInterior, PAGE_KIND.tableLeaf, PAGE_KIND.indexInterior, PAGE_KIND.indexLeaf]);
  for (const p of table.problems) {
    if (!live.has(classes.kind[p.page - 1])) continue;
    f.issues.push({
      code: p.code, severity: 'error', file: f.path, offset: (p.page - 1) * ps + p.offset, page: p.page,
      expected: p.expected, actual: p.actual, message: `page ${p.page}: ${p.message}`,
    });
  }
  if (table.problemsDropped) {
    f.issues.push({ code: 'sqlite.page.more-problems', severity: 'error', file: f.path, offset: null, actual: table.problemsDropped, message: `${table.problemsDropped} more page problems not listed` });
  }
  for (const p of classes.problems) {
    f.issues.push({
      code: p.code, severity: p.code.startsWith('sqlite.freelist') ? 'warning' : 'error', file: f.path,
      offset: p.page >= 1 && p.page <= n ? (p.page - 1) * ps + p.offset : null, page: p.page,
      expected: p.expected, actual: p.actual, message: p.message,
    });
  }
  if (cksumvfs) {
    const bad: number[] = [];
    let checked = 0;
    for (let i = 0; i < n; i++) {
      if (table.flags[i] & (PAGE_FLAG_CKSUM_OK | PAGE_FLAG_CKSUM_BAD)) checked++;
      // Never-written pages (all zero) carry no checksum.
      if (table.flags[i] & PAGE_FLAG_CKSUM_BAD && classes.kind[i] !== PAGE_KIND.zero && classes.kind[i] !== PAGE_KIND.lockByte) bad.push(i + 1);
    }
    if (bad.length) {
      f.issues.push({
        code: 'sqlite.page.cksumvfs-mismatch', severity: 'error', file: f.path, offset: (bad[0] - 1) * ps + ps - 8, page: bad[0], actual: bad.length,
        message: `${bad.length} of ${checked} page(s) fail their cksumvfs checksum (reserved bytes = 8): pages ${bad.slice(0, 20).join(', ')}${bad.length > 20 ? ', …' : ''}`,
      });
    }
  }
  if (classes.counts.orphanBtree > 0) {
    f.issues.push({
      code: 'sqlite.page.orphans', severity: 'info', file: f.path, offset: null, actual: classes.counts.orphanBtree,
      message: `${classes.counts.orphanBtree} page(s) look like b-tree pages but belong to no tree or freelist (carving candidates)`,
    });
  }
}

async function analyzeJournalFile(f: FileModel, src: ByteSource, files: FileModel[]): Promise<void> {
  const fam = f.family;
  const db = files.find((x) => x.kind === 'sqlite-database' && x.family === fam && x.db?.header);
  const h = db?.db?.header ?? null;
  const dbPages = db ? Math.floor(db.size / (h?.pageSize || 1)) : null;
  const { analysis, issues } = await analyzeJournal(f.path, src, h?.pageSize ?? null, db ? dbPages : null);
  f.journal = analysis;
  f.issues.push(...issues);
  if (db && h && analysis.pageSize && analysis.pageSize !== h.pageSize) {
    f.issues.push({ code: 'sqlite.journal.page-size-mismatch', severity: 'error', file: f.path, offset: 24, expected: h.pageSize, actual: analysis.pageSize, message: `journal page size ${analysis.pageSize} differs from the database's ${h.pageSize}` });
  }
}

function assignFamilies(files: FileModel[]): void {
  for (const f of files) {
    if (!f.kind.startsWith('sqlite-')) continue;
    f.family = familyOf(f.path) ?? (f.kind === 'sqlite-database' ? baseName(f.path) : null);
  }
  const known = new Set(files.filter((f) => f.family && (f.kind === 'sqlite-database' || f.kind === 'sqlite-snapshot')).map((f) => f.family!));
  const allFamilies = new Set(files.filter((f) => f.family).map((f) => f.family!));
  // A WAL or journal whose name says nothing joins the only database present; with no database at all, every
  // such file joins the only named family, or one shared family (e.g. a folder of bare WAL generations).
  for (const f of files) {
    if (!f.kind.startsWith('sqlite-') || f.family) continue;
    if (known.size === 1) f.family = [...known][0];
    else if (known.size === 0 && allFamilies.size === 1) f.family = [...allFamilies][0];
    else if (known.size === 0 && allFamilies.size === 0) f.family = UNNAMED_FAMILY;
    else f.family = baseName(f.path);
  }
}

/** Family name for WAL files whose names name no database. */
export const UNNAMED_FAMILY = 'database';

/** A source whose first bytes (already read) are served from memory. */
function withHead(src: ByteSource, head: Uint8Array): ByteSource {
  return {
    name: src.name,
    size: src.size,
    lastModified: src.lastModified,
    readInto: async (offset, dst) => {
      if (offset >= 0 && offset + dst.length <= head.length) {
        dst.set(head.subarray(offset, offset + dst.length));
        return dst.length;
      }
      return src.readInto(offset, dst);
    },
    close: () => src.close?.(),
  };
}

/** Numbers each inspection, so its files' source keys are unique to it. */
let inspections = 0;

/**
 * Inspects a case: every input file, then families, chain, plan and verdict.
 * `inputs` must be files (hosts expand folders).
 */
export async function inspectCase(inputs: CaseInput[], open: SourceOpener, runner: JobRunner, opts: CaseOptions = {}): Promise<CaseModel> {
  const t0 = Date.now();
  const files: FileModel[] = [];
  const sources = new Map<FileModel, ByteSource>();
  try {
    const run = `${Date.now().toString(36)}.${++inspections}`;
    // Opened 8 at a time (each first read is a round trip to the browser's file reader); the first bytes stay in
    // memory, since every analyser starts by reading its header again.
    const opened: Array<FileModel | undefined> = new Array(inputs.length);
    let nextInput = 0;
    const opener = async () => {
      for (let i = nextInput++; i < inputs.length; i = nextInput++) {
        const inp = inputs[i];
        throwIfAborted(opts.signal);
        const ref: SourceRef = inp.ref.type === 'blob' ? { ...inp.ref, key: `${run}/${i}` } : inp.ref;
        const raw = await open(ref);
        let head: Uint8Array;
        try {
          head = await readAt(raw, 0, DETECT_BYTES);
        } catch (e) {
          await raw.close?.();
          throw e;
        }
        const src = withHead(raw, head);
        const d = detectKind(inp.path, head, src.size);
        const f: FileModel = { path: inp.path, ref, kind: d.kind, size: src.size, lastModified: src.lastModified, sha256: null, issues: [], note: d.note, family: null };
        if (d.note && d.kind !== 'unknown') {
          f.issues.push({ code: 'case.kind-by-name', severity: 'warning', file: f.path, offset: 0, message: `kind ${d.kind} ${d.note}` });
        }
        opened[i] = f;
        sources.set(f, src);
        opts.onProgress?.({ phase: 'open', file: inp.path, done: sources.size, total: inputs.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, inputs.length) }, opener));
    for (const f of opened) files.push(f!);
    assignFamilies(files);

    const totalBytes = files.reduce((s, f) => s + f.size, 0);
    const hashing = opts.hash === false ? Promise.resolve() : hashFiles(files, runner, { signal: opts.signal, onProgress: opts.onProgress });
    // Awaited after the checks; a failure meanwhile (a cancel) must not count as unhandled if a check fails first.
    hashing.catch(() => undefined);

    // Check progress in bytes: as each job of a file finishes, and the rest of the file when its analysis ends.
    let checked = 0;
    const checks = files.map(async (f) => {
      const src = sources.get(f)!;
      let fileDone = 0;
      const progress = (bytes: number) => {
        const n = Math.max(0, Math.min(bytes, f.size - fileDone));
        fileDone += n;
        checked += n;
        opts.onProgress?.({ phase: 'check', file: f.path, done: checked, total: totalBytes });
      };
      if (f.kind === 'sqlite-wal') await analyzeWalFile(f, src, runner, opts.signal, progress);
      else if (f.kind === 'sqlite-database' || f.kind === 'sqlite-snapshot') await analyzeDbFile(f, src, runner, opts.signal, progress);
      else {
        const p = plugins.find((pl) => pl.kinds.includes(f.kind));
        if (p) await p.analyzeFile(f, src, { runner, signal: opts.signal, progress });
      }
      progress(f.size - fileDone);
    });
    await Promise.all(checks);
    // Journals need their database's header (page size, size in pages).
    for (const f of files) if (f.kind === 'sqlite-rollback-journal') await analyzeJournalFile(f, sources.get(f)!, files);
    await hashing;

    for (const f of files) {
      if (f.kind === 'unknown') {
        f.issues.push({ code: 'case.unknown-file', severity: 'info', file: f.path, offset: null, message: f.note ?? 'not a SQLite or ESE file; ignored' });
      }
    }

    const model: CaseModel = { files, families: [], issues: [], verdict: 'not-restorable', elapsedMs: 0, hashed: opts.hash !== false, ext: {} };
    model.families = buildFamilies(files);
    for (const p of plugins) await p.analyzeCase?.(files, model);
    model.verdict = worstVerdict([
      ...model.families.map((fm) => fm.verdict),
      ...((model.ext.verdicts as Verdict[] | undefined) ?? []),
    ]);
    model.elapsedMs = Date.now() - t0;
    return model;
  } finally {
    for (const s of sources.values()) await s.close?.();
  }
}

/**
 * SHA-256 of every file not hashed yet, one engine job per file (a file's hash is one stream), filling
 * `f.sha256`. Progress (phase 'hash') counts the bytes of all the given files, those already hashed included.
 */
export async function hashFiles(
  files: FileModel[], runner: JobRunner,
  opts: { signal?: AbortSignal; onProgress?: CaseOptions['onProgress']; onHashed?: (f: FileModel) => void } = {},
): Promise<void> {
  const total = files.reduce((s, f) => s + f.size, 0);
  let hashedBytes = files.reduce((s, f) => s + (f.sha256 ? f.size : 0), 0);
  const done = new Map<FileModel, number>();
  const tell = (f: FileModel) => opts.onProgress?.({ phase: 'hash', file: f.path, done: hashedBytes, total });
  await Promise.all(files.filter((f) => !f.sha256).map((f) =>
    runner.run('sha256', { ref: f.ref }, {
      signal: opts.signal,
      onProgress: (n) => {
        hashedBytes += n - (done.get(f) ?? 0);
        done.set(f, n);
        tell(f);
      },
    }).then((r) => {
      f.sha256 = r.sha256;
      hashedBytes += r.bytes - (done.get(f) ?? 0);
      done.set(f, r.bytes);
      tell(f);
      opts.onHashed?.(f);
    }),
  ));
}

export function worstVerdict(vs: Verdict[]): Verdict {
  if (vs.length === 0) return 'not-restorable';
  if (vs.includes('not-restorable')) return 'not-restorable';
  if (vs.includes('restorable-with-loss')) return 'restorable-with-loss';
  return 'restorable';
}

/** Warnings that advise rather than report damage (they do not make a file "not ok"). */
export const ADVISORY_CODES = new Set(['sqlite.db.wal-reset-bug-writer', 'sqlite.journal.hot']);

export function fileOk(f: FileModel): boolean {
  return !f.issues.some((i: Issue) => i.severity === 'error' || (i.severity === 'warning' && !ADVISORY_CODES.has(i.code)));
}
