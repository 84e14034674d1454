// Page map data, derived in the case worker from the CaseModel (pure; no DOM). One cell per page of a database or
// snapshot, per frame of a WAL, per record of a rollback journal; each cell gets a type and a status byte.
//
// Status rules (first that holds wins):
//   database page   bad-checksum  cksumvfs checksum fails (not on zero or lock-byte pages)
//                   damaged       structural problem on a live b-tree page
//                   newer-in-wal  the rebuild takes this page from a WAL frame (base file), or a committed frame of a
//                                 generation the file does not contain writes it (live database: its -wal;
//                                 snapshot S: generations >= S)
//                   rolled-back   the rebuild takes this page from a rollback-journal pre-image
//                   zero          all zero bytes
//                   free          freelist trunk/leaf (stale content by design)
//                   ok
//   WAL frame       by tier: committed frames the rebuild uses are `applied`, other committed ones `committed`;
//                   uncommitted, invalid (the first frame SQLite rejects), after-break, stale (older generation),
//                   unstamped (frames of an open transaction SQLite stamps only at commit)
//   journal record  played (SQLite's playback writes it), not-played (verifies, outside playback), record-bad

import type { CaseModel, FamilyModel, FileModel } from '../../../workers/engine/case/model';
import { resolvePages } from '../../../workers/engine/case/plan';
import { PAGE_KIND, PAGE_FLAG_CKSUM_BAD, PAGE_FLAG_STRUCTURE } from '../../../workers/engine/formats/sqlite/dbscan';
import {
  CELL_STATUS, CELL_TYPE, cellCounts, type MapInfo, type PageMapData,
} from '../../../workers/hosts/case-api';
import { eseMapInfo, eseMapData } from '../ese/esemap-data';

// FrameTier values (a const enum in wal.ts; repeated here because const enums do not cross isolated modules).
const TIER_COMMITTED = 0;
const TIER_UNCOMMITTED = 1;
const TIER_INVALID = 2;
const TIER_AFTER_BREAK = 3;
const TIER_STALE = 4;

export function mapInfo(f: FileModel): MapInfo | null {
  if ((f.kind === 'sqlite-database' || f.kind === 'sqlite-snapshot') && f.db?.pages) return { unit: 'page', count: f.db.pages.count };
  if (f.kind === 'sqlite-wal' && f.wal && f.wal.table.count > 0) return { unit: 'frame', count: f.wal.table.count };
  if (f.kind === 'sqlite-rollback-journal' && f.journal) {
    const n = f.journal.segments.reduce((s, g) => s + g.records.length, 0);
    return n > 0 ? { unit: 'record', count: n } : null;
  }
  if (f.kind.startsWith('ese-')) return eseMapInfo(f);
  return null;
}

/** Pages written by committed frames of the given generations' files (1-based page numbers, up to `limit`). */
function pagesWrittenBy(fam: FamilyModel, minSequence: number, onlyFile: FileModel | null, limit: number): Uint8Array {
  const out = new Uint8Array(limit + 1);
  for (const g of fam.generations) {
    if (g.sequence < minSequence) continue;
    if (onlyFile && g.file !== onlyFile && !g.copies.includes(onlyFile)) continue;
    const t = g.file.wal!.table;
    const last = g.commits.length ? g.commits[g.commits.length - 1].frame : 0;
    for (let k = 1; k <= last; k++) {
      const pg = t.hdr[(k - 1) * 6];
      if (pg >= 1 && pg <= limit) out[pg] = 1;
    }
  }
  return out;
}

function dbMap(model: CaseModel, index: number, f: FileModel): PageMapData {
  const t = f.db!.pages!;
  const cls = f.db!.classes;
  const n = t.count;
  const type = new Uint8Array(n);
  const status = new Uint8Array(n);
  const fam = model.families.find((x) => x.name === f.family) ?? null;
  // Where the rebuild takes each page from, when this file is the plan's base.
  let fromWal: Uint8Array | null = null;
  let fromJournal: Uint8Array | null = null;
  if (fam?.plan && fam.plan.base.file === f.path && fam.plan.dbSize > 0) {
    const src = resolvePages(fam, fam.plan, model.files);
    fromWal = new Uint8Array(n + 1);
    fromJournal = new Uint8Array(n + 1);
    for (let p = 1; p <= Math.min(n, fam.plan.dbSize); p++) {
      if (src.kind[p - 1] === 3) fromWal[p] = 1;
      else if (src.kind[p - 1] === 2) fromJournal[p] = 1;
    }
  } else if (fam && f.kind === 'sqlite-database') {
    const live = fam.wals.find((w) => /-wal$/.test(w.path) && w.wal?.usable) ?? null;
    if (live) fromWal = pagesWrittenBy(fam, 0, live, n);
  } else if (fam && f.db?.snapshot) {
    fromWal = pagesWrittenBy(fam, f.db.snapshot.sequence, null, n);
  }
  const live = new Set<number>([PAGE_KIND.tableInterior, PAGE_KIND.tableLeaf, PAGE_KIND.indexInterior, PAGE_KIND.indexLeaf]);
  for (let i = 0; i < n; i++) {
    const k = cls ? cls.kind[i] : PAGE_KIND.unknown;
    type[i] = k;
    const fl = t.flags[i];
    let s: number = CELL_STATUS.ok;
    if (fl & PAGE_FLAG_CKSUM_BAD && k !== PAGE_KIND.zero && k !== PAGE_KIND.lockByte) s = CELL_STATUS.badChecksum;
    else if (fl & PAGE_FLAG_STRUCTURE && live.has(k)) s = CELL_STATUS.damaged;
    else if (fromWal?.[i + 1]) s = CELL_STATUS.newerInWal;
    else if (fromJournal?.[i + 1]) s = CELL_STATUS.rolledBack;
    else if (k === PAGE_KIND.zero) s = CELL_STATUS.zero;
    else if (k === PAGE_KIND.freelistLeaf || k === PAGE_KIND.freelistTrunk) s = CELL_STATUS.free;
    status[i] = s;
  }
  return {
    file: index, path: f.path, unit: 'page', count: n, type, status, pgno: new Uint32Array(0),
    owner: cls ? cls.owner.slice() : null, owners: cls ? cls.owners : [], ...cellCounts(type, status),
  };
}

function walMap(model: CaseModel, index: number, f: FileModel): PageMapData {
  const t = f.wal!.table;
  const n = t.count;
  const type = new Uint8Array(n);
  const status = new Uint8Array(n);
  const pgno = new Uint32Array(n);
  const fam = model.families.find((x) => x.name === f.family) ?? null;
  const step = fam?.plan?.steps.find((s) => s.file === f.path);
  const applied = step ? step.upToFrame : 0;
  for (let i = 0; i < n; i++) {
    pgno[i] = t.hdr[i * 6];
    type[i] = t.hdr[i * 6 + 1] !== 0 ? CELL_TYPE.commitFrame : CELL_TYPE.frame;
    const tier = t.tier[i];
    status[i] =
      tier === TIER_COMMITTED ? (i + 1 <= applied ? CELL_STATUS.applied : CELL_STATUS.committed)
        : tier === TIER_UNCOMMITTED ? CELL_STATUS.uncommitted
          : tier === TIER_INVALID ? CELL_STATUS.invalid
            : tier === TIER_AFTER_BREAK ? CELL_STATUS.afterBreak
              : tier === TIER_STALE ? CELL_STATUS.stale
                : CELL_STATUS.unstamped;
  }
  return { file: index, path: f.path, unit: 'frame', count: n, type, status, pgno, owner: null, owners: [], ...cellCounts(type, status) };
}

/** Journal records in file order, with their byte offsets (records of every segment). */
export function journalRecords(f: FileModel): Array<{ offset: number; pgno: number; ok: boolean }> {
  return f.journal ? f.journal.segments.flatMap((s) => s.records) : [];
}

function journalMap(index: number, f: FileModel): PageMapData {
  const recs = journalRecords(f);
  const n = recs.length;
  const type = new Uint8Array(n).fill(CELL_TYPE.record);
  const status = new Uint8Array(n);
  const pgno = new Uint32Array(n);
  const played = new Set(f.journal!.playback.writes.map((w) => w.dataOffset - 4));
  for (let i = 0; i < n; i++) {
    pgno[i] = recs[i].pgno;
    status[i] = !recs[i].ok ? CELL_STATUS.recordBad : played.has(recs[i].offset) ? CELL_STATUS.played : CELL_STATUS.notPlayed;
  }
  return { file: index, path: f.path, unit: 'record', count: n, type, status, pgno, owner: null, owners: [], ...cellCounts(type, status) };
}

export function pageMapData(model: CaseModel, index: number): PageMapData | null {
  const f = model.files[index];
  if (!f) return null;
  const info = mapInfo(f);
  if (!info) return null;
  if (f.kind.startsWith('ese-')) return eseMapData(index, f);
  if (info.unit === 'page') return dbMap(model, index, f);
  if (info.unit === 'frame') return walMap(model, index, f);
  return journalMap(index, f);
}
