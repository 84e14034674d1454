// The case worker's service: inspects a case with the engine, keeps the CaseModel, and answers the page with
// plain view data (reports, page maps, hex units, rebuild previews) and the rebuilt database as a Blob.
// Host-agnostic: the browser's case.worker.ts exposes it over comlink with Web Worker jobs; tests call it directly
// with Node sources and an in-process runner.

import { packCarveReport } from '../engine/formats/sqlite/carve-pack';
import { inspectCase, hashFiles } from '../engine/case/inspect';
import type { CaseInput, CaseModel, FamilyModel, Plan, ProgressEvent } from '../engine/case/model';
import { readAt, type SourceOpener, type SourceRef } from '../engine/io';
import type { JobRunner } from '../engine/runner';
import type { Sha256Factory } from '../engine/jobs';
import { asPalimpsestError, PalimpsestError } from '../engine/errors';
import { verifyReport, timelineReport, planReport } from '../engine/report/report';
import { planForTarget, writeImage } from '../engine/rebuild/rebuild';
import { comparePoints, lossesFor } from '../engine/case/plan';
import { frameOffset } from '../engine/formats/sqlite/wal';
import { baseName } from '../engine/formats/sqlite/folder';
import { pageMapData, mapInfo, journalRecords } from '../../web/features/integrity/pagemap-data';
import { carveSource } from '../engine/formats/sqlite/carve';
import { carveWal } from '../engine/case/carve-wal';
import { pageFields, walFrameFields, walHeaderFields, journalHeaderFields, journalRecordFields } from '../../web/features/hex/fields';
import { eseUnit } from '../../web/features/ese/esemap-data';
import type {
  CaseApi, CaseView, Decision, SkipReason, FamilyView, HexUnit, HexUnitKind, PageMapData, Progress, RebuildOut, TargetPreview, TargetRef,
  Wire, WireInput,
} from './case-api';

export interface CaseServiceDeps {
  open: SourceOpener;
  runner: JobRunner & { warm?: () => Promise<void> };
  sha256: Sha256Factory;
  /** Milliseconds between progress messages (default 100). */
  progressEveryMs?: number;
}

async function wire<T>(fn: () => Promise<T>): Promise<Wire<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const err = asPalimpsestError(e);
    return { ok: false, error: { code: err.code, message: err.message } };
  }
}

function throttle(cb: ((e: Progress) => void) | undefined, everyMs: number): ((e: ProgressEvent) => void) | undefined {
  if (!cb) return undefined;
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (now - last < everyMs && e.done < e.total) return;
    last = now;
    cb({ phase: e.phase, file: e.file, done: e.done, total: e.total });
  };
}

/** Name of the rebuilt file: the database's own name (mailbox.db), never a path. */
export function outputName(family: string): string {
  const b = baseName(family).replace(/[\\/:*?"<>|]/g, '_');
  return b || 'rebuilt.db';
}

function familyView(fam: FamilyModel): FamilyView {
  const commits = fam.generations.flatMap((g) => [
    ...g.commits.map((c) => ({ id: `${g.sequence}:${c.index}`, generation: g.sequence, commit: c.index, pages: c.pageCount, dropped: false })),
    ...g.dropped.map((c) => ({ id: `${g.sequence}:${c.index}`, generation: g.sequence, commit: c.index, pages: c.pageCount, dropped: true })),
  ]);
  const r = fam.plan?.reached;
  return { name: fam.name, verdict: fam.verdict, reached: r ? `${r.generation}:${r.commit}` : null, commits, outputName: outputName(fam.name) };
}

/** What the plan applies, and what it leaves out and why (see case-api Decision). */
export function decisions(model: CaseModel, fam: FamilyModel, plan: Plan, target: TargetRef | null): Decision[] {
  const out: Decision[] = [];
  out.push({ applied: true, what: 'base', file: plan.base.file ?? '', kind: plan.base.kind });
  if (plan.journal) out.push({ applied: true, what: 'journal', file: plan.journal.file, pages: plan.journal.writes });
  for (const st of plan.steps) {
    if (st.upToCommit > 0) out.push({ applied: true, what: 'generation', generation: st.generation, file: st.file, upTo: st.upToCommit, of: st.commitsAvailable });
  }
  const baseSeq = plan.base.kind === 'snapshot' ? plan.base.sequence ?? 0 : null;
  for (const g of fam.generations) {
    const step = plan.steps.find((s) => s.generation === g.sequence && s.file === g.file.path);
    const all = [...g.commits.map((c) => ({ c, dropped: false })), ...g.dropped.map((c) => ({ c, dropped: true }))];
    const beyond = all.filter(({ c }) => comparePoints({ generation: g.sequence, commit: c.index }, plan.reached) > 0);
    if (!step && baseSeq !== null && g.sequence < baseSeq) {
      if (g.commits.length) out.push({ applied: false, what: 'generation', generation: g.sequence, file: g.file.path, reason: 'in-base' });
      continue;
    }
    if (!beyond.length) continue;
    const valid = beyond.filter((x) => !x.dropped);
    const dropped = beyond.filter((x) => x.dropped);
    const reasonFor = (): SkipReason => {
      const first = { generation: g.sequence, commit: valid[0]?.c.index ?? 1 };
      // Beyond the chosen point although the latest rebuild reaches it.
      if (target && fam.plan?.reached && comparePoints(first, fam.plan.reached) <= 0) return 'after-target';
      if (plan.notes.some((n) => /missing|damaged|stopped/.test(n))) return 'chain-broken';
      return 'not-reachable';
    };
    if (valid.length) {
      out.push({
        applied: false, what: 'commits', generation: g.sequence, first: valid[0].c.index, last: valid[valid.length - 1].c.index,
        count: valid.length, file: g.file.path, reason: reasonFor(),
      });
    }
    if (dropped.length) {
      out.push({
        applied: false, what: 'commits', generation: g.sequence, first: dropped[0].c.index, last: dropped[dropped.length - 1].c.index,
        count: dropped.length, file: g.file.path, reason: 'after-damage',
      });
    }
  }
  for (const f of model.files) {
    if (f.family !== fam.name || !f.wal) continue;
    const a = f.wal.analysis;
    if (a.staleFrames) out.push({ applied: false, what: 'frames', file: f.path, count: a.staleFrames, reason: 'stale' });
    if (a.uncommittedFrames) out.push({ applied: false, what: 'frames', file: f.path, count: a.uncommittedFrames, reason: 'uncommitted' });
    // The frame where valid data ends (a torn or damaged frame; FrameTier.Invalid = 2).
    let invalid = 0;
    for (let i = 0; i < f.wal.table.count; i++) if (f.wal.table.tier[i] === 2) invalid++;
    if (invalid) out.push({ applied: false, what: 'frames', file: f.path, count: invalid, reason: 'invalid' });
    if (a.afterBreakFrames) out.push({ applied: false, what: 'frames', file: f.path, count: a.afterBreakFrames, reason: 'after-break' });
    if (a.unstampedFrames) out.push({ applied: false, what: 'frames', file: f.path, count: a.unstampedFrames, reason: 'uncommitted' });
  }
  for (const f of model.files) {
    if (f.kind === 'unknown') out.push({ applied: false, what: 'file', file: f.path, reason: 'not-sqlite' });
    else if (f.family && f.family !== fam.name) out.push({ applied: false, what: 'file', file: f.path, reason: 'other-database' });
  }
  return out;
}

function lostCommitCount(fam: FamilyModel, plan: Plan): number {
  let n = 0;
  for (const g of fam.generations) {
    for (const c of [...g.commits, ...g.dropped]) if (comparePoints({ generation: g.sequence, commit: c.index }, plan.reached) > 0) n++;
  }
  return n;
}

export function createCaseService(deps: CaseServiceDeps): CaseApi & { model(): CaseModel | null } {
  let model: CaseModel | null = null;
  const ops = new Map<string, AbortController>();
  const maps = new Map<number, PageMapData>();
  const every = deps.progressEveryMs ?? 100;

  const needModel = (): CaseModel => {
    if (!model) throw new PalimpsestError('usage', 'no case is loaded');
    return model;
  };
  const family = (name: string): FamilyModel => {
    const fam = needModel().families.find((f) => f.name === name);
    if (!fam) throw new PalimpsestError('usage', `no database named ${name} in this case`);
    return fam;
  };
  const withOp = async <T>(op: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const ac = new AbortController();
    ops.get(op)?.abort();
    ops.set(op, ac);
    try {
      return await fn(ac.signal);
    } finally {
      if (ops.get(op) === ac) ops.delete(op);
    }
  };
  const carveRef = async (ref: SourceRef, path: string, signal: AbortSignal, progress?: (e: Progress) => void) => {
    const src = await deps.open(ref);
    try {
      const p = throttle(progress, every);
      return await carveSource(src, { signal, onProgress: (done, total) => p?.({ phase: 'check', file: path, done, total }) });
    } finally {
      await src.close?.();
    }
  };
  const previewFor = (fam: FamilyModel, target: TargetRef | null): TargetPreview => {
    const plan = planForTarget(fam, target);
    const m = needModel();
    return {
      family: fam.name, target: target ? `${target.generation}:${target.commit}` : null, plan: planReport(plan)!,
      decisions: decisions(m, fam, plan, target), lost: target ? lossesFor(fam, plan, m.files) : fam.lost,
      lostCommits: lostCommitCount(fam, plan), pages: plan.dbSize, pageSize: plan.pageSize,
    };
  };

  return {
    model: () => model,

    warm: async () => {
      await deps.runner.warm?.();
    },

    inspect: (op, inputs: WireInput[], opts, progress) =>
      wire(() =>
        withOp(op, async (signal) => {
          for (const [name, ac] of ops) if (name !== op) ac.abort();
          model = null;
          maps.clear();
          const ins: CaseInput[] = inputs.map((i) => ({ ref: i.ref, path: i.path }));
          const m = await inspectCase(ins, deps.open, deps.runner, { hash: opts.hash, signal, onProgress: throttle(progress, every) });
          model = m;
          const view: CaseView = {
            report: verifyReport(m),
            timeline: timelineReport(m, { pageLists: false }),
            maps: m.files.map(mapInfo),
            families: m.families.map(familyView),
          };
          return view;
        }),
      ),

    hash: (op, progress, hashed) =>
      wire(() =>
        withOp(op, async (signal) => {
          const m = needModel();
          await hashFiles(m.files, deps.runner, {
            signal, onProgress: throttle(progress, every), onHashed: (f) => void hashed?.(m.files.indexOf(f), f.sha256!),
          });
          // The case may have been replaced meanwhile (a new inspect aborts this op, but not a finished job).
          if (model !== m) throw new PalimpsestError('cancelled', 'another case was opened');
          m.hashed = true;
          return verifyReport(m);
        }),
      ),

    pageMap: (file) =>
      wire(async () => {
        const m = needModel();
        let d = maps.get(file);
        if (!d) {
          const x = pageMapData(m, file);
          if (!x) throw new PalimpsestError('usage', `file ${file} has no page map`);
          d = x;
          maps.set(file, d);
        }
        // A copy: the cached arrays stay here, the copy's buffers move to the page.
        return { ...d, type: d.type.slice(), status: d.status.slice(), pgno: d.pgno.slice(), owner: d.owner ? d.owner.slice() : null };
      }),

    unit: (file, unit: HexUnitKind, index) =>
      wire(async () => {
        const m = needModel();
        const f = m.files[file];
        if (!f) throw new PalimpsestError('usage', `no file ${file}`);
        const src = await deps.open(f.ref);
        try {
          let offset = 0;
          let length = 0;
          let count = 0;
          let first: number | undefined;
          let fields: (b: Uint8Array) => HexUnit['fields'] = () => [];
          const ese = f.kind.startsWith('ese-') ? eseUnit(f, unit, index) : null;
          if (ese) {
            ({ offset, length, count, first, fields } = ese);
          } else if (unit === 'page' && f.db?.header) {
            const h = f.db.header;
            count = Math.floor(f.size / h.pageSize);
            if (index < 1 || index > count) throw new PalimpsestError('usage', `page ${index} is outside ${f.path} (1..${count})`);
            offset = (index - 1) * h.pageSize;
            length = h.pageSize;
            const kind = f.db.classes && index <= f.db.classes.kind.length ? f.db.classes.kind[index - 1] : null;
            fields = (b) => pageFields(b, 0, index, h.pageSize, h.reservedBytes, kind);
          } else if (unit === 'frame' && f.wal?.header) {
            const ps = f.wal.header.pageSize;
            count = f.wal.table.count;
            if (index < 1 || index > count) throw new PalimpsestError('usage', `frame ${index} is outside ${f.path} (1..${count})`);
            offset = frameOffset(index, ps);
            length = ps + 24;
            const reserved = reservedFor(m, f.family);
            fields = (b) => walFrameFields(b, ps, reserved);
          } else if (unit === 'record' && f.journal) {
            const recs = journalRecords(f);
            count = recs.length;
            if (index < 1 || index > count) throw new PalimpsestError('usage', `record ${index} is outside ${f.path} (1..${count})`);
            const ps = f.journal.pageSize;
            offset = recs[index - 1].offset;
            length = ps + 8;
            const reserved = reservedFor(m, f.family);
            fields = (b) => journalRecordFields(b, ps, reserved);
          } else if (unit === 'header') {
            count = 1;
            length = f.kind === 'sqlite-wal' ? 32 : f.kind === 'sqlite-rollback-journal' ? 28 : Math.min(f.size, 512);
            fields = (b) => (f.kind === 'sqlite-wal' ? walHeaderFields(b) : f.kind === 'sqlite-rollback-journal' ? journalHeaderFields(b) : []);
          } else {
            throw new PalimpsestError('usage', `${f.path} has no ${unit}s`);
          }
          const bytes = await readAt(src, offset, length);
          const u: HexUnit = { file, path: f.path, unit, index, offset, bytes, fields: fields(bytes), count };
          if (first !== undefined) u.first = first;
          return u;
        } finally {
          await src.close?.();
        }
      }),

    preview: (name, target) => wire(async () => previewFor(family(name), target)),

    deleted: (op, file, progress) =>
      wire(() =>
        withOp(op, async (signal) => {
          const m = needModel();
          const f = m.files[file];
          if (f?.kind === 'sqlite-wal') {
            // K9: the WAL's page images against its database's latest state.
            const p = throttle(progress, every);
            return packCarveReport(await carveWal(m, f, deps.open, { signal, onProgress: (done, total) => p?.({ phase: 'check', file: f.path, done, total }) }));
          }
          if (!f || (f.kind !== 'sqlite-database' && f.kind !== 'sqlite-snapshot')) throw new PalimpsestError('usage', `file ${file} is not a SQLite database or WAL`);
          return packCarveReport(await carveRef(f.ref, f.path, signal, progress));
        }),
      ),

    deletedIn: (op, db, name, progress) => wire(() => withOp(op, async (signal) => packCarveReport(await carveRef({ type: 'blob', blob: db, name }, name, signal, progress)))),

    rebuild: (op, name, target, progress) =>
      wire(() =>
        withOp(op, async (signal) => {
          const t0 = Date.now();
          const m = needModel();
          const fam = family(name);
          const preview = previewFor(fam, target);
          const plan = planForTarget(fam, target);
          const chunks: Uint8Array[] = [];
          const sink = { write: async (b: Uint8Array) => void chunks.push(b) };
          const tick = throttle(progress, every);
          const res = await writeImage(m, fam, plan, deps.open, sink, {
            signal, sha256: await deps.sha256(), onProgress: (done, total) => tick?.({ phase: 'rebuild', done, total }),
            // The page holds the rebuilt database whole anyway: pages put together 256 MiB at a time are read in file
            // order (a Blob slice per read; page by page, a 733 MB rebuild from a 1.16 GB WAL took ~50 s).
            windowBytes: 256 << 20,
          });
          // The rebuilt database is the only thing held whole; a Blob lets the browser keep it off the JS heap.
          const blob = new Blob(chunks as BlobPart[], { type: 'application/vnd.sqlite3' });
          chunks.length = 0;
          const out: RebuildOut = {
            family: fam.name, target: preview.target, name: outputName(fam.name), blob, bytes: res.bytes, pages: res.pages,
            sha256: res.sha256 ?? '', sources: res.sources, preview, elapsedMs: Date.now() - t0,
          };
          return out;
        }),
      ),

    cancel: async (op) => {
      ops.get(op)?.abort();
    },
  };
}

function reservedFor(m: CaseModel, fam: string | null): number {
  const db = m.files.find((f) => f.family === fam && f.db?.header);
  return db?.db?.header?.reservedBytes ?? 0;
}
