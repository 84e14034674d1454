// The in-memory model of a case: every input file with what was found in it, grouped into database families.
// Heavy per-frame and per-page tables stay here (for rebuild, timeline and the page map); reports are derived
// from it (report/json.ts, report/text.ts).

import type { FileKind, Issue, Verdict } from '../types';
import type { SourceRef } from '../io';
import type { DbHeader } from '../formats/sqlite/header';
import type { WalAnalysis, WalFrameTable, WalHeader, WalCommit } from '../formats/sqlite/wal';
import type { JournalAnalysis } from '../formats/sqlite/journal';
import type { DbPageTable, Classification } from '../formats/sqlite/dbscan';
import type { SchemaRow } from '../formats/sqlite/btree';
import type { SnapshotName } from '../formats/sqlite/folder';

export interface CaseInput {
  ref: SourceRef;
  /** Path as the user gave it (reports use it). */
  path: string;
}

export interface ProgressEvent {
  phase: 'open' | 'hash' | 'check' | 'rebuild';
  file?: string;
  done: number;
  total: number;
}

export interface CaseOptions {
  hash?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

export interface DbModel {
  header: DbHeader | null;
  pages: DbPageTable | null;
  classes: Classification | null;
  schema: SchemaRow[];
  schemaOk: boolean;
  snapshot: SnapshotName | null;
}

export interface WalModel {
  header: WalHeader | null;
  usable: boolean;
  analysis: WalAnalysis;
  table: WalFrameTable;
  /** Sequence in the archived name (<db>_<16 hex>.wal), when named so. */
  nameSequence: number | null;
}

export interface FileModel {
  path: string;
  ref: SourceRef;
  kind: FileKind;
  size: number;
  lastModified?: number;
  sha256: string | null;
  issues: Issue[];
  note?: string;
  family: string | null;
  db?: DbModel;
  wal?: WalModel;
  journal?: JournalAnalysis;
  /** Facts contributed by other format families (ESE), serialised as-is into the report. */
  ext?: Record<string, unknown>;
}

export interface Generation {
  sequence: number;
  salt1: number;
  salt2: number;
  file: FileModel;
  /** Other files holding the same generation (e.g. the live -wal and its archived copy). */
  copies: FileModel[];
  commits: WalCommit[];
  dropped: WalCommit[];
  /** Linked to the previous generation by the chain rule (seq + 1, salt-1 + 1); null for the first. */
  linked: boolean | null;
}

export interface PlanStep {
  generation: number;
  file: string;
  /** Apply frames 1..upToFrame of that file (the last applied commit frame). */
  upToFrame: number;
  upToCommit: number;
  dbSize: number;
  commitsAvailable: number;
}

export interface Plan {
  name: 'snapshot-chain' | 'live-database' | 'wal-only' | 'database';
  base: { file: string | null; kind: 'snapshot' | 'database' | 'empty'; sequence?: number };
  journal: { file: string; writes: number; dbSize: number } | null;
  steps: PlanStep[];
  /** Last commit applied, or null when only the base is used. */
  reached: { generation: number; commit: number } | null;
  /** Database size in pages of the result (never past the last page that has a source). */
  dbSize: number;
  /** Size the headers/commits claim, when larger than dbSize (pages with no source at the end are not written). */
  claimedDbSize: number;
  pageSize: number;
  notes: string[];
}

export interface FamilyModel {
  name: string;
  database: FileModel | null;
  snapshots: FileModel[];
  wals: FileModel[];
  journal: FileModel | null;
  generations: Generation[];
  /** Sequences missing between known generations. */
  gaps: number[];
  plan: Plan | null;
  verdict: Verdict;
  lost: string[];
  issues: Issue[];
}

export interface CaseModel {
  files: FileModel[];
  families: FamilyModel[];
  issues: Issue[];
  verdict: Verdict;
  elapsedMs: number;
  hashed: boolean;
  /** Results of other format families, keyed by their report field (e.g. eseLogSets, esePlan). */
  ext: Record<string, unknown>;
}
