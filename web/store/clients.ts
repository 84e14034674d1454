// What the stores need from the workers (the bridge's CaseClient and SqlClient; tests pass in-process twins).
import type { CarveReport } from '../../workers/engine/formats/sqlite/carve';
import type {
  CaseView, HexUnit, HexUnitKind, PageMapData, Progress, RebuildOut, TargetPreview, TargetRef, WireInput,
} from '../../workers/hosts/case-api';
import type { DbInfo, ViewSpec, ViewInfo, SqlCell, QueryResult, ExportSource, EseExportOut, EseExportProgress, CompareItem, CompareResult } from '../../workers/hosts/sql-service';
import { asPalimpsestError } from '../../workers/engine/errors';
import type { VerifyReport } from '../../workers/engine/report/report';

/** What can be cancelled: a deleted-record search is `deleted:<file index>` or `deleted:rebuilt`. */
export type CancelOp = 'inspect' | 'rebuild' | 'hash' | `deleted:${number}` | 'deleted:rebuilt';

export interface CaseClientLike {
  inspect(inputs: WireInput[], opts: { hash: boolean }, onProgress?: (e: Progress) => void): Promise<CaseView>;
  /** SHA-256 of the open case's files, after its verdict: the report again, with the hashes; each file's as it is done. */
  hash(onProgress?: (e: Progress) => void, onHashed?: (file: number, sha256: string) => void): Promise<VerifyReport>;
  pageMap(file: number): Promise<PageMapData>;
  unit(file: number, unit: HexUnitKind, index: number): Promise<HexUnit>;
  preview(family: string, target: TargetRef | null): Promise<TargetPreview>;
  rebuild(family: string, target: TargetRef | null, onProgress?: (e: Progress) => void): Promise<RebuildOut>;
  /** Deleted rows carved from a SQLite database or snapshot of the open case. */
  deleted(file: number, onProgress?: (e: Progress) => void): Promise<CarveReport>;
  /** The same for a database the page holds (a rebuilt database). */
  deletedIn(db: Blob, name: string, onProgress?: (e: Progress) => void): Promise<CarveReport>;
  cancel(op: CancelOp): void;
  forget(): void;
}

export type SqlView = ViewInfo & { gen: number };

export interface SqlClientLike {
  open(blob: Blob): Promise<DbInfo>;
  view(spec: ViewSpec): Promise<SqlView>;
  rows(view: SqlView, offset: number, limit: number): Promise<SqlCell[][]>;
  closeView(view: SqlView): Promise<void>;
  exec(sql: string, maxRows: number): Promise<QueryResult>;
  resetConsole(): Promise<void>;
  exportData(src: ExportSource, format: 'csv' | 'json'): Promise<Blob>;
  /** Recovered rows against the open database (sql-service Q7). */
  compareRows(table: string, items: CompareItem[]): Promise<CompareResult[]>;
  /** An ESE database exported to SQLite and opened for browsing. */
  exportEse(file: Blob, path: string, onProgress?: (p: EseExportProgress) => void, opts?: { deleted?: boolean }): Promise<EseExportOut>;
  cancelEse(): void;
  close(): void;
}

/** An error as the page shows it: a code (translated) and the detail (engine text). */
export interface AppError {
  code: string;
  message: string;
}

export function appError(e: unknown): AppError {
  const err = asPalimpsestError(e);
  return { code: err.code, message: err.message };
}
