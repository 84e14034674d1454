// The ESE facts a verify report carries (FileReport.ese, and the report's eseLogSets): one definition, written by
// plugin.ts (checked there with `satisfies`) and read by the eseutil text (eseutil.ts), the JSON contract and the web
// app's ESE panels. Plain data only: they cross worker boundaries and go into JSON.
import type { DbFileHeader } from './header';
import type { LogFileHeader } from './log';
import type { CheckpointHeader, FlushMapHeader, CopyCheck } from './chk';
import type { AttachInfo, Lgpos } from './structs';
import type { LogLink, LogNameKind } from './logset';

/** `ese` of an `ese-database` file. */
export interface EseDbFacts {
  pageSize: number | null;
  /** eseutil's words: "Clean Shutdown", "Dirty Shutdown", ... (null when no header copy is usable). */
  state: string | null;
  lastConsistent: Lgpos | null;
  dbSignature: string | null;
  logSignature: string | null;
  fileType: number;
  /** A temporary database (dbid 0, FORMAT.md D8): its pages are never read back by ESE. */
  temporary?: boolean;
  headerStatus: 'ok' | 'primary-bad' | 'secondary-bad' | 'corrupt';
  headerChecksum: {
    primary: { expected: number; actual: number; bytes: number; pageSize: number | null };
    shadow: { expected: number; actual: number; bytes: number; pageSize: number | null };
    identical: boolean;
    electedCopy: 0 | 1;
  };
  header: DbFileHeader;
  pages: null | {
    seen: number; bad: number; correctable: number; uninitialized: number; wrongPageNumber: number; badPages: number[];
    correctablePages: Array<{ pgno: number; bit: number }>; wrongPages: Array<{ pgno: number; claimedPgno: number }>;
    highestDbtime: string; highestDbtimePgno: number;
    /** Worst status per cell, run-length coded (status, count, ...), for a page map without the whole table. */
    map: { statuses: readonly string[]; pagesPerCell: number; cells: number; runs: number[] };
  };
  pagesNote: string | null;
}

/** `ese` of an `ese-log` file. */
export interface EseLogFacts {
  generation: number | null;
  logSignature: string | null;
  segments: { seen: number; bad: number; shadow: number; empty: number } | null;
  segmentDetail: { good: number; correctable: number; badSegments: number[] } | null;
  role: LogNameKind;
  baseName: string | null;
  nameGeneration: number | null;
  headerOk: boolean;
  headerChecksum: { expected: number; actual: number };
  header: LogFileHeader | null;
  attachments: AttachInfo[];
  damage: { isec: number; reason: string } | null;
  patchable: { isec: number } | null;
  lastLgpos: Lgpos | null;
  accumulatedChecksum: string | null;
  legacy: boolean;
  /** Legacy logs (format <= 7): the LRCHECKSUM chain (log-legacy.ts L10-L17); null for v8 logs. */
  lrck: {
    records: number; good: number; bad: number; shadow: 'valid' | 'missing' | null; end: number; problem: string | null;
    /** L15/L16: a torn last flush that soft recovery repairs (from its shadow, or by ending the log before it). */
    torn: 'shadow-patch' | 'torn-write' | null;
    /** L17: sectors after the data that hold ESE's fill pattern. */
    fill: number;
    /** File offsets of the records walked (at most 4096) and of the verified shadow record. */
    offsets: number[]; shadowOffset: number | null;
  } | null;
  allZero: boolean;
  /** Every byte is ESE's log fill pattern (a pre-allocated log never written, e.g. a legacy reserve log). */
  allFill: boolean;
}

/** `ese` of an `ese-checkpoint` file. */
export interface EseCheckpointFacts {
  checkpoint: Lgpos | null;
  status: 'ok' | 'primary-bad' | 'secondary-bad' | 'corrupt';
  copies: { primary: CopyCheck; shadow: CopyCheck; identical: boolean; electedCopy: 0 | 1 };
  header: CheckpointHeader | null;
  logSignature: string | null;
}

/** `ese` of an `ese-flush-map` file. */
export interface EseFlushMapFacts {
  headerOk: boolean;
  header: FlushMapHeader | null;
  clean: boolean | null;
  dataPages: { seen: number; good: number; bad: number; uninitialized: number; badPages: number[] };
}

/** One entry of the report's `eseLogSets`. */
export interface EseLogSetFacts {
  base: string;
  folder: string;
  low: number | null;
  high: number | null;
  missing: number[];
  ok: boolean;
  current: { path: string; generation: number | null } | null;
  members: Array<{ generation: number; path: string; current: boolean; damaged: boolean }>;
  excluded: Array<{ path: string; kind: string; generation: number | null; reason: string }>;
  links: LogLink[];
  signature: string | null;
  problems: string[];
}
