// Plain-data reports derived from a CaseModel: the `verify --json` contract, the timeline, and the rebuild
// summary. Everything here is JSON-safe (no typed arrays, no bigint) and crosses worker boundaries as is.

import type { FileKind, Issue, Verdict } from '../types';
import type { CaseModel, FamilyModel, FileModel, Plan } from '../case/model';
import { fileOk } from '../case/inspect';
import { versionString } from '../formats/sqlite/header';
import { PAGE_KIND_NAMES, PAGE_FLAG_CKSUM_BAD, PAGE_FLAG_CKSUM_OK } from '../formats/sqlite/dbscan';
import type { WalCommit } from '../formats/sqlite/wal';
import type { RebuildResult } from '../rebuild/rebuild';

export const TOOL = { name: 'palimpsest', version: '0.1.0' };

export interface FileReport {
  path: string;
  kind: FileKind;
  size: number;
  modified: string | null;
  sha256: string | null;
  ok: boolean;
  family: string | null;
  issues: Issue[];
  [extra: string]: unknown;
}

export interface VerifyReport {
  tool: typeof TOOL;
  ok: boolean;
  verdict: Verdict;
  lost: string[];
  files: FileReport[];
  families: FamilyReport[];
  issues: Issue[];
  counts: { files: number; bytes: number; errors: number; warnings: number; infos: number };
  hashed: boolean;
  elapsedMs: number;
  [extra: string]: unknown;
}

export interface FamilyReport {
  name: string;
  verdict: Verdict;
  lost: string[];
  plan: PlanReport | null;
  generations: Array<{ sequence: number; file: string; copies: string[]; salt1: number; salt2: number; commits: number; dropped: number; linked: boolean | null }>;
  snapshots: Array<{ file: string; sequence: number; label: string }>;
  gaps: number[];
  issues: Issue[];
}

export interface PlanReport {
  name: Plan['name'];
  base: Plan['base'];
  journal: Plan['journal'];
  steps: Plan['steps'];
  reached: string | null;
  dbSize: number;
  claimedDbSize: number;
  pageSize: number;
  notes: string[];
}

export function planReport(p: Plan | null): PlanReport | null {
  if (!p) return null;
  return {
    name: p.name, base: p.base, journal: p.journal, steps: p.steps,
    reached: p.reached ? `${p.reached.generation}:${p.reached.commit}` : null, dbSize: p.dbSize, claimedDbSize: p.claimedDbSize, pageSize: p.pageSize, notes: p.notes,
  };
}

function dbFacts(f: FileModel): Record<string, unknown> | undefined {
  const d = f.db;
  if (!d) return undefined;
  const h = d.header;
  const pages = d.pages && d.classes
    ? {
        count: d.pages.count,
        kinds: d.classes.counts,
        cksumvfs: h?.reservedBytes === 8
          ? {
              checked: countFlags(d.pages.flags, PAGE_FLAG_CKSUM_OK | PAGE_FLAG_CKSUM_BAD),
              bad: f.issues.find((i) => i.code === 'sqlite.page.cksumvfs-mismatch')?.actual ?? 0,
            }
          : null,
        objects: d.classes.owners,
      }
    : null;
  return {
    header: h
      ? {
          pageSize: h.pageSize, writeVersion: h.writeVersion, readVersion: h.readVersion, journalMode: h.journalMode,
          reservedBytes: h.reservedBytes, changeCounter: h.changeCounter, pageCount: h.pageCount, headerPageCount: h.headerPageCount,
          headerPageCountValid: h.headerPageCountValid, firstFreelistTrunk: h.firstFreelistTrunk, freelistCount: h.freelistCount,
          schemaCookie: h.schemaCookie, schemaFormat: h.schemaFormat, textEncoding: ['?', 'UTF-8', 'UTF-16le', 'UTF-16be'][h.textEncoding] ?? String(h.textEncoding),
          userVersion: h.userVersion, applicationId: h.applicationId, autoVacuum: h.largestRootPage !== 0, incrementalVacuum: h.incrementalVacuum !== 0,
          versionValidFor: h.versionValidFor, sqliteVersion: versionString(h.sqliteVersion), sqliteVersionNumber: h.sqliteVersion,
        }
      : null,
    pages,
    schema: d.schema.map((r) => ({ type: r.type, name: r.name, table: r.tblName, rootpage: r.rootpage })),
  };
}

function countFlags(a: Uint8Array, mask: number): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] & mask) n++;
  return n;
}

const commitLite = (c: WalCommit) => ({ index: c.index, firstFrame: c.firstFrame, frame: c.frame, dbSize: c.dbSize });

function walFacts(f: FileModel): Record<string, unknown> | undefined {
  const w = f.wal;
  if (!w) return undefined;
  const a = w.analysis;
  return {
    pageSize: a.pageSize,
    checkpointSeq: a.checkpointSeq,
    salt1: a.salt1,
    salt2: a.salt2,
    bigEndianChecksums: a.bigEndianChecksums,
    frames: a.frames,
    validFrames: a.validFrames,
    commits: a.commits,
    lastCommitFrame: a.lastCommitFrame,
    firstInvalidFrame: a.firstInvalidFrame,
    uncommittedFrames: a.uncommittedFrames,
    staleFrames: a.staleFrames,
    unstampedFrames: a.unstampedFrames,
    version: a.version,
    headerOk: a.headerOk,
    firstInvalidReason: a.firstInvalidReason,
    afterBreakFrames: a.afterBreakFrames,
    trailingBytes: a.trailingBytes,
    dbSize: a.dbSize,
    nameSequence: w.nameSequence,
    droppedCommits: a.droppedCommits.map(commitLite),
    staleGenerations: a.staleGenerations.map((g) => ({
      salt1: g.salt1, salt2: g.salt2, inferredCheckpointSeq: g.inferredCheckpointSeq, firstFrame: g.firstFrame, lastFrame: g.lastFrame,
      frames: g.frames, verified: g.verified, commits: g.commits.length,
    })),
  };
}

function journalFacts(f: FileModel): Record<string, unknown> | undefined {
  const j = f.journal;
  if (!j) return undefined;
  return {
    pageSize: j.pageSize, sectorSize: j.sectorSize, records: j.records, verifiedRecords: j.verifiedRecords,
    hot: j.hot, notHotReason: j.notHotReason, superJournal: j.superJournal,
    playback: { dbSize: j.playback.dbSize, pages: j.playback.writes.length, stop: j.playback.stop },
    extraPreImages: j.extraPreImages,
    segments: j.segments.map((s) => ({
      offset: s.offset, magic: s.magic, nRec: s.nRec, nonce: s.nonce, nonceRecovered: s.nonceRecovered, dbSize: s.dbSize,
      sectorSize: s.sectorSize, pageSize: s.pageSize, records: s.records.length, verified: s.records.filter((r) => r.ok).length,
    })),
  };
}

export function fileReport(f: FileModel): FileReport {
  const r: FileReport = {
    path: f.path, kind: f.kind, size: f.size, modified: f.lastModified ? new Date(f.lastModified).toISOString() : null,
    sha256: f.sha256, ok: fileOk(f), family: f.family, issues: f.issues,
  };
  if (f.note) r.note = f.note;
  const db = dbFacts(f);
  if (db) r.database = db;
  if (f.db?.snapshot) r.snapshot = { sequence: f.db.snapshot.sequence, label: f.db.snapshot.label };
  const w = walFacts(f);
  if (w) r.wal = w;
  const j = journalFacts(f);
  if (j) r.journal = j;
  if (f.ext) Object.assign(r, f.ext);
  return r;
}

export function familyReport(fam: FamilyModel): FamilyReport {
  return {
    name: fam.name,
    verdict: fam.verdict,
    lost: fam.lost,
    plan: planReport(fam.plan),
    generations: fam.generations.map((g) => ({
      sequence: g.sequence, file: g.file.path, copies: g.copies.map((c) => c.path), salt1: g.salt1, salt2: g.salt2,
      commits: g.commits.length, dropped: g.dropped.length, linked: g.linked,
    })),
    snapshots: fam.snapshots.filter((s) => s.db?.snapshot).map((s) => ({ file: s.path, sequence: s.db!.snapshot!.sequence, label: s.db!.snapshot!.label })),
    gaps: fam.gaps,
    issues: fam.issues,
  };
}

export function allIssues(m: CaseModel): Issue[] {
  return [...m.files.flatMap((f) => f.issues), ...m.families.flatMap((f) => f.issues), ...m.issues];
}

export function verifyReport(m: CaseModel): VerifyReport {
  const issues = allIssues(m);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const rep: VerifyReport = {
    tool: TOOL,
    ok: m.verdict === 'restorable' && errors === 0,
    verdict: m.verdict,
    lost: m.families.flatMap((f) => f.lost.map((l) => `${f.name}: ${l}`)),
    files: m.files.map(fileReport),
    families: m.families.map(familyReport),
    issues: [...m.families.flatMap((f) => f.issues), ...m.issues],
    counts: {
      files: m.files.length, bytes: m.files.reduce((s, f) => s + f.size, 0), errors,
      warnings: issues.filter((i) => i.severity === 'warning').length, infos: issues.filter((i) => i.severity === 'info').length,
    },
    hashed: m.hashed,
    elapsedMs: m.elapsedMs,
  };
  for (const [k, v] of Object.entries(m.ext)) if (k !== 'verdicts') rep[k] = v;
  return rep;
}

/** Exit status of the CLI contract: 0 clean, 1 damage or loss found, 2 nothing usable. */
export function exitCodeFor(r: { verdict: Verdict; counts: { errors: number } }): number {
  if (r.verdict === 'not-restorable') return 2;
  return r.verdict === 'restorable' && r.counts.errors === 0 ? 0 : 1;
}

// ---- Timeline -----------------------------------------------------------------------------------------------

export interface TimelineCommit {
  id: string;
  generation: number;
  commit: number;
  frame: number;
  dbSize: number;
  /** Distinct pages written, ascending (left out of the web app's view, which shows only their number). */
  pages?: number[];
  pageCount: number;
  status: 'applied' | 'not-applied' | 'dropped';
}

export type TimelineEntry =
  | { type: 'snapshot'; sequence: number; file: string; label: string }
  | { type: 'generation'; sequence: number; file: string; copies: string[]; salt1: number; linked: boolean | null; commits: TimelineCommit[]; uncommittedFrames: number }
  | { type: 'gap'; sequences: number[] }
  | { type: 'stale-generation'; file: string; salt1: number; inferredSequence: number | null; frames: number; verified: number; commits: Array<{ index: number; frame: number; dbSize: number; pages?: number[]; pageCount: number }> };

export interface TimelineReport {
  tool: typeof TOOL;
  families: Array<{ name: string; reached: string | null; entries: TimelineEntry[] }>;
}

/** pageLists: false leaves each commit's page list out (its count stays): the web app needs only the count. */
export function timelineReport(m: CaseModel, opts: { pageLists?: boolean } = {}): TimelineReport {
  const lists = opts.pageLists !== false;
  const pagesOf = (c: WalCommit) => (lists ? { pages: c.pages, pageCount: c.pages.length } : { pageCount: c.pageCount });
  return {
    tool: TOOL,
    families: m.families.map((fam) => {
      const entries: Array<TimelineEntry & { _k: number }> = [];
      const reached = fam.plan?.reached ?? null;
      for (const s of fam.snapshots) {
        if (s.db?.snapshot) entries.push({ type: 'snapshot', sequence: s.db.snapshot.sequence, file: s.path, label: s.db.snapshot.label, _k: s.db.snapshot.sequence - 0.5 });
      }
      for (const g of fam.generations) {
        const status = (c: number, dropped: boolean): TimelineCommit['status'] =>
          dropped ? 'dropped' : reached && (g.sequence < reached.generation || (g.sequence === reached.generation && c <= reached.commit)) && fam.plan?.steps.some((st) => st.generation === g.sequence) ? 'applied' : 'not-applied';
        const commits: TimelineCommit[] = [
          ...g.commits.map((c) => ({ id: `${g.sequence}:${c.index}`, generation: g.sequence, commit: c.index, frame: c.frame, dbSize: c.dbSize, ...pagesOf(c), status: status(c.index, false) })),
          ...g.dropped.map((c) => ({ id: `${g.sequence}:${c.index}`, generation: g.sequence, commit: c.index, frame: c.frame, dbSize: c.dbSize, ...pagesOf(c), status: 'dropped' as const })),
        ];
        entries.push({
          type: 'generation', sequence: g.sequence, file: g.file.path, copies: g.copies.map((c) => c.path), salt1: g.salt1, linked: g.linked,
          commits, uncommittedFrames: g.file.wal!.analysis.uncommittedFrames, _k: g.sequence,
        });
        for (const sg of g.file.wal!.analysis.staleGenerations) {
          entries.push({
            type: 'stale-generation', file: g.file.path, salt1: sg.salt1, inferredSequence: sg.inferredCheckpointSeq, frames: sg.frames, verified: sg.verified,
            commits: sg.commits.map((c) => ({ index: c.index, frame: c.frame, dbSize: c.dbSize, ...pagesOf(c) })), _k: (sg.inferredCheckpointSeq ?? g.sequence) + 0.25,
          });
        }
      }
      if (fam.gaps.length) {
        // One gap entry per run of missing sequences.
        let run: number[] = [];
        const flush = () => { if (run.length) entries.push({ type: 'gap', sequences: run, _k: run[0] }); run = []; };
        for (const s of fam.gaps) { if (run.length && s !== run[run.length - 1] + 1) flush(); run.push(s); }
        flush();
      }
      entries.sort((a, b) => a._k - b._k);
      return { name: fam.name, reached: reached ? `${reached.generation}:${reached.commit}` : null, entries: entries.map(({ _k, ...e }) => e as TimelineEntry) };
    }),
  };
}

export interface RebuildReport {
  tool: typeof TOOL;
  ok: boolean;
  verdict: Verdict;
  output: { path: string; bytes: number; pages: number; sha256: string | null } | null;
  family: string;
  target: string | null;
  plan: PlanReport | null;
  sources: RebuildResult['sources'] | null;
  lost: string[];
  issues: Issue[];
  integrity?: string;
}

export function kindsSummary(counts: Record<string, number>): string {
  return PAGE_KIND_NAMES.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`).join(', ');
}
