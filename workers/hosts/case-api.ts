// What the case worker (case.worker.ts) tells the page. Plain data only: the CaseModel with its per-page and
// per-frame tables stays in the worker; the page gets reports, compact typed arrays for pictures, and bytes on demand.

import type { SourceRef } from '../engine/io';
import type { ProgressEvent } from '../engine/case/model';
import type { VerifyReport, TimelineReport, PlanReport } from '../engine/report/report';
import type { RebuildResult } from '../engine/rebuild/rebuild';
import type { PackedCarveReport } from '../engine/formats/sqlite/carve-pack';

export interface WireInput {
  ref: SourceRef;
  path: string;
}

export type Wire<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** A picture of one file: one cell per page (database), frame (WAL), record (rollback journal) or sector (ESE log). */
export type MapUnit = 'page' | 'frame' | 'record' | 'segment';

export interface MapInfo {
  unit: MapUnit;
  count: number;
}

export interface CaseView {
  report: VerifyReport;
  timeline: TimelineReport;
  /** Parallel to report.files: what picture each file has (null: none, e.g. an unknown file). */
  maps: Array<MapInfo | null>;
  families: FamilyView[];
}

export interface CommitRef {
  id: string;
  generation: number;
  commit: number;
  /** Pages the commit writes. */
  pages: number;
  dropped: boolean;
}

export interface FamilyView {
  name: string;
  verdict: VerifyReport['verdict'];
  /** The latest state a rebuild reaches, `G:C`, or null (base only). */
  reached: string | null;
  /** Every commit of the family's generations, in order (for the target picker). */
  commits: CommitRef[];
  /** File name for the rebuilt database (e.g. mailbox.db). */
  outputName: string;
}

/** Cell codes of the page map: one type byte and one status byte per cell (each with its own palette). */
export const CELL_TYPE = {
  unknown: 0, zero: 1, tableInterior: 2, tableLeaf: 3, indexInterior: 4, indexLeaf: 5, overflow: 6, freelistTrunk: 7,
  freelistLeaf: 8, ptrmap: 9, lockByte: 10, orphanBtree: 11,
  frame: 20, commitFrame: 21,
  record: 30,
  // ESE database pages (by PGHDR.fFlags) and log sectors.
  eseHeader: 40, eseTrailer: 41, eseEmpty: 42, eseSpaceTree: 43, eseLvLeaf: 44, eseLvBranch: 45, eseIndexLeaf: 46, eseIndexBranch: 47,
  eseDataLeaf: 48, eseDataBranch: 49, logHeader: 50, logSegment: 51,
} as const;
export type CellTypeName = keyof typeof CELL_TYPE;

export const CELL_STATUS = {
  ok: 0, badChecksum: 1, damaged: 2, zero: 3, free: 4, newerInWal: 5, rolledBack: 6,
  applied: 10, committed: 11, uncommitted: 12, invalid: 13, afterBreak: 14, stale: 15, unstamped: 16,
  played: 20, notPlayed: 21, recordBad: 22,
  // ESE page checksums (esefile's verdicts) and log sectors.
  correctable: 30, wrongPgno: 31, uninitialized: 32, empty: 33, shadow: 34, logDamaged: 35, torn: 36, unscanned: 37, fill: 38,
} as const;
export type CellStatusName = keyof typeof CELL_STATUS;

export interface PageMapData {
  file: number;
  path: string;
  unit: MapUnit;
  count: number;
  type: Uint8Array;
  status: Uint8Array;
  /** Database page number a frame or record holds (0 for database pages: the cell index is the page). */
  pgno: Uint32Array;
  /** Object (table/index) owning each database page: index into owners, 0xffff = none. */
  owner: Uint16Array | null;
  owners: string[];
  /** Unit index (hex view, labels) of cell 0: 1 by default; -1 for ESE pages (page -1 is the header), 0 for log sectors. */
  firstIndex?: number;
  /** How many cells have each status. */
  statusCounts: Partial<Record<CellStatusName, number>>;
  typeCounts: Partial<Record<CellTypeName, number>>;
}

const STATUS_NAMES = Object.fromEntries(Object.entries(CELL_STATUS).map(([k, v]) => [v, k])) as Record<number, CellStatusName>;
const TYPE_NAMES = Object.fromEntries(Object.entries(CELL_TYPE).map(([k, v]) => [v, k])) as Record<number, CellTypeName>;

/** How many cells of a page map have each status and each type (PageMapData.statusCounts / typeCounts). */
export function cellCounts(type: Uint8Array, status: Uint8Array): Pick<PageMapData, 'statusCounts' | 'typeCounts'> {
  const s = new Uint32Array(256);
  const t = new Uint32Array(256);
  for (let i = 0; i < status.length; i++) {
    s[status[i]]++;
    t[type[i]]++;
  }
  const statusCounts: PageMapData['statusCounts'] = {};
  const typeCounts: PageMapData['typeCounts'] = {};
  for (let i = 0; i < 256; i++) {
    if (s[i] && STATUS_NAMES[i]) statusCounts[STATUS_NAMES[i]] = s[i];
    if (t[i] && TYPE_NAMES[i]) typeCounts[TYPE_NAMES[i]] = t[i];
  }
  return { statusCounts, typeCounts };
}

export type HexUnitKind = MapUnit | 'header';

export interface HexField {
  start: number;
  end: number;
  /** Message key of the field name (web/i18n); `n` fills {n} (a cell or column index). */
  key: string;
  n?: number;
  value: string;
  /** Nesting depth (a cell's fields sit inside the cell). */
  depth: number;
}

export interface HexUnit {
  file: number;
  path: string;
  unit: HexUnitKind;
  index: number;
  /** Byte offset of bytes[0] in the file. */
  offset: number;
  bytes: Uint8Array;
  fields: HexField[];
  /** Pages/frames/records in the file (for stepping): the highest index. */
  count: number;
  /** The lowest index (1 unless said otherwise: ESE pages start at -1, log sectors at 0, checkpoint copies at 1). */
  first?: number;
}

export interface TargetRef {
  generation: number;
  commit: number;
}

/** What the rebuild does, and what it leaves out and why (reason codes are translated by the page). */
export type Decision =
  | { applied: true; what: 'base'; file: string; kind: 'snapshot' | 'database' | 'empty' }
  | { applied: true; what: 'journal'; file: string; pages: number }
  | { applied: true; what: 'generation'; generation: number; file: string; upTo: number; of: number }
  | { applied: false; what: 'commits'; generation: number; first: number; last: number; count: number; file: string; reason: SkipReason }
  | { applied: false; what: 'generation'; generation: number; file: string; reason: SkipReason }
  | { applied: false; what: 'frames'; file: string; count: number; reason: SkipReason }
  | { applied: false; what: 'file'; file: string; reason: SkipReason };

export type SkipReason =
  | 'after-target'
  | 'after-damage'
  | 'chain-broken'
  | 'in-base'
  | 'not-reachable'
  | 'stale'
  | 'uncommitted'
  | 'after-break'
  | 'invalid'
  | 'not-sqlite'
  | 'other-database';

export interface TargetPreview {
  family: string;
  target: string | null;
  plan: PlanReport;
  decisions: Decision[];
  /** Engine's own account of losses for this plan (English prose, shown as detail). */
  lost: string[];
  /** Commits that exist in the evidence but would not be in the result. */
  lostCommits: number;
  pages: number;
  pageSize: number;
}

export interface RebuildOut {
  family: string;
  target: string | null;
  name: string;
  blob: Blob;
  bytes: number;
  pages: number;
  sha256: string;
  sources: RebuildResult['sources'];
  preview: TargetPreview;
  elapsedMs: number;
}

export type Progress = ProgressEvent;

export interface CaseApi {
  /** Starts the engine workers and loads their kernels now, so the first case starts at full speed. */
  warm(): Promise<void>;
  inspect(op: string, inputs: WireInput[], opts: { hash: boolean }, progress?: (e: Progress) => void): Promise<Wire<CaseView>>;
  /**
   * SHA-256 of every file of the loaded case not hashed yet (a case inspected with `hash: false`), after its verdict;
   * answers with the report again, now with the hashes. `hashed` hears of each file's hash as it is done (index in
   * report.files). A new inspect cancels it.
   */
  hash(op: string, progress?: (e: Progress) => void, hashed?: (file: number, sha256: string) => void): Promise<Wire<VerifyReport>>;
  pageMap(file: number): Promise<Wire<PageMapData>>;
  unit(file: number, unit: HexUnitKind, index: number): Promise<Wire<HexUnit>>;
  preview(family: string, target: TargetRef | null): Promise<Wire<TargetPreview>>;
  rebuild(op: string, family: string, target: TargetRef | null, progress?: (e: Progress) => void): Promise<Wire<RebuildOut>>;
  /**
   * Deleted rows carved from one SQLite database or snapshot of the case (formats/sqlite/carve.ts); for a WAL, the rows
   * in its frames' page images that its database's latest state does not hold (K9).
   */
  deleted(op: string, file: number, progress?: (e: Progress) => void): Promise<Wire<PackedCarveReport>>;
  /** The same for a database the page holds (a rebuilt database): what it still keeps of rows deleted before that state. */
  deletedIn(op: string, db: Blob, name: string, progress?: (e: Progress) => void): Promise<Wire<PackedCarveReport>>;
  cancel(op: string): Promise<void>;
}
