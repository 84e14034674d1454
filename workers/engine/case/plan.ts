// Families, the generation chain and rebuild plans (mail-store.md §5; FORMAT.md §Journal folder).
//
// Chain rules:
//   C1 a generation is identified by its WAL header (checkpoint sequence, salt-1, salt-2); copies are merged
//   C2 generation k+1 follows k when its sequence is k's + 1 and its salt-1 is k's + 1 (walRestartHdr)
//   C3 a snapshot named with sequence S holds every generation < S and none >= S
//   C4 a rebuild takes a base (snapshot, live database, or nothing), applies generations in order, each up to its last
//      valid commit (or the target commit), and stops at the first missing generation or at a generation whose
//      committed data is cut by a damaged frame
//   C5 the live database is followed only by the generation in its own -wal (earlier ones are already in it)
//   C6 among plans that reach the same point the snapshot chain wins (it does not depend on the live files)

import type { Issue, Verdict } from '../types';
import { hex } from '../io';
import { FrameTier, type WalFrameTable } from '../formats/sqlite/wal';
import { compareSnapshots, baseName } from '../formats/sqlite/folder';
import { PAGE_FLAG_CKSUM_BAD, PAGE_FLAG_STRUCTURE, PAGE_KIND } from '../formats/sqlite/dbscan';
import type { FamilyModel, FileModel, Generation, Plan, PlanStep } from './model';

export interface Target {
  generation: number;
  commit: number;
}

type Point = { generation: number; commit: number } | null;

export function comparePoints(a: Point, b: Point): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  return a.generation - b.generation || a.commit - b.commit;
}

function isLiveWal(f: FileModel, family: string): boolean {
  return baseName(f.path) === `${family}-wal`;
}

function genKey(f: FileModel): string {
  const h = f.wal!.header!;
  return `${h.checkpointSeq}:${h.salt1}:${h.salt2}`;
}

/** C1: one Generation per distinct WAL header; the copy with the most valid commits wins. */
function buildGenerations(fam: FamilyModel): Generation[] {
  const byKey = new Map<string, FileModel[]>();
  for (const f of fam.wals) {
    if (!f.wal?.usable || !f.wal.header) continue;
    const k = genKey(f);
    byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const gens: Generation[] = [];
  for (const list of byKey.values()) {
    const sorted = [...list].sort((a, b) => b.wal!.analysis.commits - a.wal!.analysis.commits || a.issues.length - b.issues.length);
    const best = sorted[0];
    const a = best.wal!.analysis;
    for (const other of sorted.slice(1)) {
      // A copy must agree with the chosen file on every commit it has.
      const oc = other.wal!.analysis.commitList;
      const agree = oc.every((c, i) => a.commitList[i] && a.commitList[i].frame === c.frame && a.commitList[i].dbSize === c.dbSize &&
        other.wal!.table.hdr[(c.frame - 1) * 6 + 4] === best.wal!.table.hdr[(c.frame - 1) * 6 + 4] &&
        other.wal!.table.hdr[(c.frame - 1) * 6 + 5] === best.wal!.table.hdr[(c.frame - 1) * 6 + 5]);
      if (!agree) {
        fam.issues.push({
          code: 'sqlite.case.generation-conflict', severity: 'error', file: other.path, offset: 0,
          message: `${other.path} and ${best.path} both hold WAL generation ${a.checkpointSeq} (salt-1 ${hex(a.salt1, 8)}) but their commits differ; ${best.path} is used`,
        });
      }
    }
    gens.push({
      sequence: a.checkpointSeq, salt1: a.salt1, salt2: a.salt2, file: best, copies: sorted.slice(1),
      commits: a.commitList, dropped: a.droppedCommits, linked: null,
    });
  }
  gens.sort((x, y) => x.sequence - y.sequence || x.salt1 - y.salt1);
  // C2
  for (let i = 1; i < gens.length; i++) {
    const p = gens[i - 1];
    const g = gens[i];
    if (g.sequence === p.sequence) {
      fam.issues.push({
        code: 'sqlite.case.generation-conflict', severity: 'error', file: g.file.path, offset: 12,
        message: `two different WAL generations carry checkpoint sequence ${g.sequence} (${p.file.path}, ${g.file.path}); they cannot both belong to one chain`,
      });
      g.linked = false;
    } else if (g.sequence === p.sequence + 1) {
      g.linked = ((p.salt1 + 1) >>> 0) === g.salt1;
      if (!g.linked) {
        fam.issues.push({
          code: 'sqlite.case.chain-unproven', severity: 'warning', file: g.file.path, offset: 16,
          expected: hex((p.salt1 + 1) >>> 0, 8), actual: hex(g.salt1, 8),
          message: `generation ${g.sequence} does not carry salt-1 = previous + 1; its link to generation ${p.sequence} cannot be proven`,
        });
      }
    } else {
      g.linked = false;
    }
  }
  return gens;
}

/** A generation is complete when no committed data is cut by a damaged frame (torn uncommitted tails are fine). */
function complete(g: Generation): boolean {
  return g.dropped.length === 0;
}

function stepFor(g: Generation, upToCommit?: number): PlanStep | null {
  const list = g.commits;
  if (!list.length) return { generation: g.sequence, file: g.file.path, upToFrame: 0, upToCommit: 0, dbSize: 0, commitsAvailable: 0 };
  const c = upToCommit === undefined ? list.length : upToCommit;
  if (c < 1 || c > list.length) return null;
  const cm = list[c - 1];
  return { generation: g.sequence, file: g.file.path, upToFrame: cm.frame, upToCommit: c, dbSize: cm.dbSize, commitsAvailable: list.length };
}

/** Applies C4 from generation index `from`, to the target or as far as the chain goes. */
function chainFrom(gens: Generation[], from: number, target: Target | null, notes: string[]): { steps: PlanStep[]; reached: Point; ok: boolean } {
  const steps: PlanStep[] = [];
  let reached: Point = null;
  for (let i = from; i < gens.length; i++) {
    const g = gens[i];
    if (i > from) {
      const prev = gens[i - 1];
      if (g.sequence !== prev.sequence + 1) {
        notes.push(`generation ${prev.sequence + 1} is missing: stopped after generation ${prev.sequence}`);
        break;
      }
      if (!complete(prev)) {
        notes.push(`generation ${prev.sequence} has committed frames cut by a damaged frame: stopped there`);
        break;
      }
    }
    const isTarget = target && g.sequence === target.generation;
    const st = stepFor(g, isTarget ? target!.commit : undefined);
    if (!st) return { steps, reached, ok: false };
    steps.push(st);
    if (st.upToCommit > 0) reached = { generation: g.sequence, commit: st.upToCommit };
    if (isTarget) return { steps, reached, ok: true };
    if (target && g.sequence > target.generation) break;
  }
  return { steps, reached, ok: target === null };
}

function pageSizeOf(f: FileModel | null): number {
  return f?.db?.header?.pageSize ?? 0;
}

function dbUsable(f: FileModel): boolean {
  return !!f.db?.header && f.db.header.readVersion <= 2;
}

function snapshotPlans(fam: FamilyModel, target: Target | null): Plan[] {
  const gens = fam.generations;
  const plans: Plan[] = [];
  const snaps = [...fam.snapshots].filter(dbUsable).sort((a, b) => compareSnapshots(b.db!.snapshot!, a.db!.snapshot!));
  for (const s of snaps) {
    const seq = s.db!.snapshot!.sequence;
    if (target && seq > target.generation) continue;
    const notes: string[] = [];
    const start = gens.findIndex((g) => g.sequence >= seq);
    let steps: PlanStep[] = [];
    let reached: Point = null;
    let ok = target === null;
    if (start >= 0 && gens[start].sequence === seq) {
      const r = chainFrom(gens, start, target, notes);
      steps = r.steps;
      reached = r.reached;
      ok = r.ok;
    } else if (start >= 0 || gens.length) {
      if (gens.some((g) => g.sequence > seq)) notes.push(`generation ${seq} (the first after snapshot ${baseName(s.path)}) is missing`);
    }
    if (!reached) {
      // The snapshot itself stands for the end of generation seq-1 when that generation is known (C3).
      const prev = gens.find((g) => g.sequence === seq - 1);
      if (prev && prev.commits.length && complete(prev)) reached = { generation: prev.sequence, commit: prev.commits.length };
      if (target && reached && comparePoints(reached, target) === 0) ok = true;
    }
    if (target && !ok) continue;
    const last = steps.filter((x) => x.upToCommit > 0).pop();
    plans.push({
      name: 'snapshot-chain', base: { file: s.path, kind: 'snapshot', sequence: seq }, journal: null, steps, reached,
      dbSize: last ? last.dbSize : s.db!.header!.pageCount, claimedDbSize: 0, pageSize: pageSizeOf(s), notes,
    });
  }
  return plans;
}

function livePlan(fam: FamilyModel, target: Target | null): Plan | null {
  const db = fam.database;
  if (!db || !dbUsable(db)) return null;
  const notes: string[] = [];
  const h = db.db!.header!;
  const j = fam.journal?.journal;
  const journal = j && j.hot ? { file: fam.journal!.path, writes: j.playback.writes.length, dbSize: j.playback.dbSize } : null;
  let dbSize = journal ? journal.dbSize : h.pageCount;
  const live = fam.wals.find((w) => isLiveWal(w, fam.name) && w.wal?.usable);
  const gen = live ? fam.generations.find((g) => g.file === live || g.copies.includes(live)) : undefined;
  const steps: PlanStep[] = [];
  let reached: Point = null;
  if (gen) {
    if (live!.wal!.header!.pageSize !== h.pageSize) {
      notes.push(`the -wal page size ${live!.wal!.header!.pageSize} differs from the database's ${h.pageSize}; the WAL cannot be applied`);
    } else {
      if (target && target.generation !== gen.sequence) return null;
      const st = stepFor(gen, target ? target.commit : undefined);
      if (!st) return null;
      steps.push(st);
      if (st.upToCommit > 0) {
        reached = { generation: gen.sequence, commit: st.upToCommit };
        dbSize = st.dbSize;
      }
      if (target) notes.push('point-in-time from the live database assumes no checkpoint had copied later commits into it');
    }
  } else if (target) {
    return null;
  }
  return { name: steps.length || !fam.snapshots.length ? (steps.length ? 'live-database' : 'database') : 'database', base: { file: db.path, kind: 'database' }, journal, steps, reached, dbSize, claimedDbSize: 0, pageSize: h.pageSize, notes };
}

function walOnlyPlan(fam: FamilyModel, target: Target | null): Plan | null {
  if (fam.database || fam.snapshots.length || !fam.generations.length) return null;
  const notes = ['no database or snapshot: the WAL is applied to an empty base'];
  const r = chainFrom(fam.generations, 0, target, notes);
  if (target && !r.ok) return null;
  const last = r.steps.filter((x) => x.upToCommit > 0).pop();
  return {
    name: 'wal-only', base: { file: null, kind: 'empty' }, journal: null, steps: r.steps, reached: r.reached,
    dbSize: last ? last.dbSize : 0, claimedDbSize: 0, pageSize: fam.generations[0].file.wal!.header!.pageSize, notes,
  };
}

/**
 * Bounds a plan's size by its sources: a header or commit may claim more pages than any file supplies (a truncated
 * database, or hostile input claiming billions of pages). SQLite reads such pages as zeros; the result stops at the
 * last page that has a source and the claimed size is kept for the report.
 */
/** Highest page number <= dbSize among frames 1..upTo (0 when none); remembered per table (plans share steps). */
const highest = new WeakMap<WalFrameTable, Map<string, number>>();
function highestPage(t: WalFrameTable, upTo: number, dbSize: number): number {
  let m = highest.get(t);
  if (!m) highest.set(t, (m = new Map()));
  const key = `${upTo}:${dbSize}`;
  let best = m.get(key);
  if (best === undefined) {
    best = 0;
    for (let k = 1; k <= upTo; k++) {
      const pg = t.hdr[(k - 1) * 6];
      if (pg <= dbSize && pg > best) best = pg;
    }
    m.set(key, best);
  }
  return best;
}

function boundBySources(fam: FamilyModel, plan: Plan, all: FileModel[]): Plan {
  const ps = plan.pageSize;
  let last = 0;
  const base = plan.base.file ? all.find((f) => f.path === plan.base.file) : undefined;
  if (base && ps) last = Math.floor(base.size / ps);
  if (plan.journal) {
    last = Math.min(last, plan.journal.dbSize);
    for (const w of fam.journal?.journal?.playback.writes ?? []) if (w.pgno <= plan.journal.dbSize) last = Math.max(last, w.pgno);
  }
  for (const st of plan.steps) {
    if (!st.upToFrame) continue;
    const g = fam.generations.find((x) => x.sequence === st.generation && x.file.path === st.file);
    const t = g?.file.wal?.table;
    if (!t) continue;
    last = Math.max(Math.min(last, st.dbSize), highestPage(t, st.upToFrame, st.dbSize));
  }
  const claimed = plan.dbSize;
  plan.claimedDbSize = claimed;
  if (claimed > last) plan.dbSize = last;
  return plan;
}

/** The best plan for the target (null = latest state). C6 breaks ties. */
export function choosePlan(fam: FamilyModel, target: Target | null): Plan | null {
  const all = [fam.database, fam.journal, ...fam.snapshots, ...fam.wals].filter((f): f is FileModel => !!f);
  const cands: Plan[] = [...snapshotPlans(fam, target)];
  const lp = livePlan(fam, target);
  if (lp) cands.push(lp);
  const wp = walOnlyPlan(fam, target);
  if (wp) cands.push(wp);
  for (const c of cands) boundBySources(fam, c, all);
  if (!cands.length) return null;
  let best = cands[0];
  for (const c of cands.slice(1)) if (comparePoints(c.reached, best.reached) > 0) best = c;
  return best;
}

/** Every commit id the family knows of, for --until validation and messages. */
export function knownCommits(fam: FamilyModel): Array<{ generation: number; commit: number; dropped: boolean }> {
  const out: Array<{ generation: number; commit: number; dropped: boolean }> = [];
  for (const g of fam.generations) {
    for (const c of g.commits) out.push({ generation: g.sequence, commit: c.index, dropped: false });
    for (const c of g.dropped) out.push({ generation: g.sequence, commit: c.index, dropped: true });
  }
  return out;
}

/** Pages of the final image and where each comes from: used by verify (loss) and rebuild (writing). */
export interface PageSource {
  /** 0 = none (zero page), 1 = base, 2 = journal pre-image, 3 = WAL frame. */
  kind: Uint8Array;
  /** File index in `files` and byte offset of the page data. */
  file: Uint16Array;
  offset: Float64Array;
  files: FileModel[];
}

export function resolvePages(fam: FamilyModel, plan: Plan, all: FileModel[]): PageSource {
  const n = plan.dbSize;
  const ps = plan.pageSize;
  const src: PageSource = { kind: new Uint8Array(n), file: new Uint16Array(n), offset: new Float64Array(n), files: [] };
  const idx = (f: FileModel) => {
    let i = src.files.indexOf(f);
    if (i < 0) i = src.files.push(f) - 1;
    return i;
  };
  // Base (C4). Pages past the base's end are zero until a frame supplies them.
  const base = plan.base.file ? all.find((f) => f.path === plan.base.file) ?? null : null;
  let size = n;
  if (base) {
    const bi = idx(base);
    const basePages = Math.floor(base.size / ps);
    for (let p = 1; p <= Math.min(n, basePages); p++) {
      src.kind[p - 1] = 1;
      src.file[p - 1] = bi;
      src.offset[p - 1] = (p - 1) * ps;
    }
  }
  if (plan.journal && fam.journal?.journal) {
    const ji = idx(fam.journal);
    const jn = plan.journal.dbSize;
    // J5: truncate (or zero-extend) to the journal's size, then the pre-images.
    for (let p = jn + 1; p <= n; p++) src.kind[p - 1] = 0;
    for (const w of fam.journal.journal.playback.writes) {
      if (w.pgno > n) continue;
      src.kind[w.pgno - 1] = 2;
      src.file[w.pgno - 1] = ji;
      src.offset[w.pgno - 1] = w.dataOffset;
    }
    size = jn;
  }
  // Generations in order; after each generation the image is cut to that generation's final size (a checkpoint
  // truncates the database file), within a generation the newest frame of each page wins (reader rule).
  for (const st of plan.steps) {
    if (st.upToFrame === 0) continue;
    const g = fam.generations.find((x) => x.sequence === st.generation && x.file.path === st.file)!;
    const f = g.file;
    const fi = idx(f);
    const t = f.wal!.table;
    const fsz = ps + 24;
    for (let k = 1; k <= st.upToFrame; k++) {
      const pg = t.hdr[(k - 1) * 6];
      if (pg < 1 || pg > n) continue;
      src.kind[pg - 1] = 3;
      src.file[pg - 1] = fi;
      src.offset[pg - 1] = 32 + (k - 1) * fsz + 24;
    }
    for (let p = st.dbSize + 1; p <= n; p++) src.kind[p - 1] = 0;
    size = st.dbSize;
  }
  void size;
  return src;
}

export function lossesFor(fam: FamilyModel, plan: Plan, all: FileModel[]): string[] {
  const lost: string[] = [];
  // Commits beyond the reached point.
  for (const g of fam.generations) {
    const beyond = [...g.commits, ...g.dropped].filter((c) => comparePoints({ generation: g.sequence, commit: c.index }, plan.reached) > 0);
    if (!beyond.length) continue;
    const first = beyond[0].index;
    const lastC = beyond[beyond.length - 1].index;
    let why: string;
    if (g.dropped.length && beyond.every((c) => g.dropped.includes(c))) {
      const a = g.file.wal!.analysis;
      why = `they follow damaged frame ${a.firstInvalidFrame} of ${g.file.path} (SQLite would drop them too)`;
    } else if (plan.reached && g.sequence > plan.reached.generation) {
      why = plan.notes.find((x) => /missing|damaged|stopped/.test(x)) ?? 'the chain does not reach this generation';
    } else {
      why = 'not reachable from the chosen base';
    }
    lost.push(`generation ${g.sequence}: commit${beyond.length > 1 ? 's' : ''} ${g.sequence}:${first}${lastC !== first ? `..${g.sequence}:${lastC}` : ''} (${beyond.length}) cannot be applied: ${why}`);
  }
  // Journal rollback stopped by a bad record inside a synced segment.
  const j = fam.journal?.journal;
  if (plan.journal && j?.playback.stop?.reason === 'record checksum mismatch') {
    const stopAt = j.playback.stop.offset;
    if (j.segments.some((s) => s.offset > stopAt && s.magic === 'valid')) {
      lost.push(`rollback journal ${fam.journal!.path}: playback stops at a corrupt record (${hex(stopAt)}) although later segments were synced; the database may keep changes of the interrupted transaction`);
    }
  }
  if (plan.claimedDbSize > plan.dbSize) {
    lost.push(`the database claims ${plan.claimedDbSize} pages but only ${plan.dbSize} have a source; pages ${plan.dbSize + 1}..${plan.claimedDbSize} are missing (SQLite would read them as zeros)`);
  }
  // Pages with no source, and damaged base pages that survive into the result.
  if (plan.dbSize > 0) {
    const src = resolvePages(fam, plan, all);
    const none: number[] = [];
    const damaged: number[] = [];
    // Native scans for the two kinds that matter (most pages of a WAL-based plan come from frames).
    const kinds = src.kind.subarray(0, plan.dbSize);
    for (let i = kinds.indexOf(0); i >= 0; i = kinds.indexOf(0, i + 1)) none.push(i + 1);
    for (let i = kinds.indexOf(1); i >= 0; i = kinds.indexOf(1, i + 1)) {
      const p = i + 1;
      const f = src.files[src.file[p - 1]];
      const t = f.db?.pages;
      const cls = f.db?.classes;
      if (t && p <= t.count && cls) {
        const kind = cls.kind[p - 1];
        const liveBtree = kind >= PAGE_KIND.tableInterior && kind <= PAGE_KIND.indexLeaf;
        if ((t.flags[p - 1] & PAGE_FLAG_STRUCTURE && liveBtree) || (t.flags[p - 1] & PAGE_FLAG_CKSUM_BAD && kind !== PAGE_KIND.zero)) damaged.push(p);
      }
    }
    if (none.length && plan.base.kind !== 'empty') {
      lost.push(`${none.length} page(s) of the result have no source (beyond the end of ${plan.base.file} and in no applied frame): ${none.slice(0, 12).join(', ')}${none.length > 12 ? ', …' : ''}; they will be zero`);
    } else if (none.length) {
      lost.push(`${none.length} page(s) are in no applied WAL frame and there is no database to supply them: ${none.slice(0, 12).join(', ')}${none.length > 12 ? ', …' : ''}`);
    }
    if (damaged.length) {
      lost.push(`${damaged.length} damaged page(s) of ${plan.base.file} have no newer version and pass into the result: ${damaged.slice(0, 12).join(', ')}${damaged.length > 12 ? ', …' : ''}`);
    }
  }
  return lost;
}

export function buildFamilies(files: FileModel[]): FamilyModel[] {
  const byName = new Map<string, FileModel[]>();
  for (const f of files) {
    if (!f.family || !f.kind.startsWith('sqlite-')) continue;
    byName.set(f.family, [...(byName.get(f.family) ?? []), f]);
  }
  const out: FamilyModel[] = [];
  for (const [name, list] of byName) {
    const dbs = list.filter((f) => f.kind === 'sqlite-database');
    const fam: FamilyModel = {
      name, database: dbs[0] ?? null, snapshots: list.filter((f) => f.kind === 'sqlite-snapshot'),
      wals: list.filter((f) => f.kind === 'sqlite-wal'), journal: list.find((f) => f.kind === 'sqlite-rollback-journal') ?? null,
      generations: [], gaps: [], plan: null, verdict: 'not-restorable', lost: [], issues: [],
    };
    for (const extra of dbs.slice(1)) {
      fam.issues.push({ code: 'sqlite.case.duplicate-database', severity: 'warning', file: extra.path, offset: null, message: `${extra.path} has the same name as ${dbs[0].path}; only the first is used as the live database` });
    }
    fam.generations = buildGenerations(fam);
    for (let i = 1; i < fam.generations.length; i++) {
      const a = fam.generations[i - 1].sequence;
      const b = fam.generations[i].sequence;
      for (let s = a + 1; s < b && fam.gaps.length < 1000; s++) fam.gaps.push(s);
    }
    if (fam.gaps.length) {
      fam.issues.push({
        code: 'sqlite.case.generation-gap', severity: 'warning', file: name, offset: null, actual: fam.gaps.length,
        message: `WAL generation(s) ${fam.gaps.slice(0, 10).join(', ')}${fam.gaps.length > 10 ? ', …' : ''} are missing from the chain`,
      });
    }
    const ps = new Set<number>([...fam.snapshots, ...(fam.database ? [fam.database] : [])].map(pageSizeOf).filter(Boolean));
    for (const w of fam.wals) if (w.wal?.header && w.wal.usable) ps.add(w.wal.header.pageSize);
    if (ps.size > 1) {
      fam.issues.push({ code: 'sqlite.case.page-size-mismatch', severity: 'error', file: name, offset: null, actual: [...ps].join(', '), message: `files of ${name} use different page sizes: ${[...ps].join(', ')}` });
    }
    fam.plan = choosePlan(fam, null);
    if (!fam.plan) {
      fam.verdict = 'not-restorable';
      fam.lost = ['no usable base: no readable database or snapshot, and no WAL to start from'];
      fam.issues.push({ code: 'sqlite.case.no-base', severity: 'error', file: name, offset: null, message: `${name}: nothing to rebuild from (no readable database, snapshot or WAL)` });
    } else if (fam.plan.base.kind === 'empty' && !fam.plan.reached) {
      fam.verdict = 'not-restorable';
      fam.lost = ['no committed transaction in any WAL and no database or snapshot: nothing to rebuild', ...lossesFor(fam, fam.plan, files)];
      fam.issues.push({ code: 'sqlite.case.no-base', severity: 'error', file: name, offset: null, message: `${name}: no database or snapshot, and no WAL commit can be applied` });
    } else {
      fam.lost = lossesFor(fam, fam.plan, files);
      fam.verdict = fam.lost.length ? 'restorable-with-loss' : 'restorable';
      // A WAL that is not linked into the plan (stale copies, other chains) is reported, never mixed in.
      for (const g of fam.generations) {
        const used = fam.plan.steps.some((s) => s.generation === g.sequence);
        const covered = fam.plan.reached && g.sequence <= fam.plan.reached.generation;
        if (!used && !covered && g.commits.length) {
          fam.issues.push({
            code: 'sqlite.case.generation-unused', severity: 'warning', file: g.file.path, offset: 0,
            message: `generation ${g.sequence} (${g.commits.length} commit(s)) is not part of the rebuild`,
          });
        }
      }
    }
    out.push(fam);
  }
  return out;
}

/** Frames of a WAL that the plan applies (for the page map "newer version in the WAL"). */
export function appliedFrames(fam: FamilyModel, plan: Plan, f: FileModel): number {
  const st = plan.steps.find((s) => s.file === f.path);
  return st ? st.upToFrame : 0;
}

export function tierName(t: number): string {
  return ['committed', 'uncommitted', 'invalid', 'after-break', 'stale', 'unstamped'][t] ?? 'unknown';
}
export { FrameTier };

export function familyIssues(fam: FamilyModel): Issue[] {
  return fam.issues;
}

export function verdictOf(fams: FamilyModel[]): Verdict {
  if (!fams.length) return 'not-restorable';
  if (fams.some((f) => f.verdict === 'not-restorable')) return 'not-restorable';
  return fams.some((f) => f.verdict === 'restorable-with-loss') ? 'restorable-with-loss' : 'restorable';
}
