// Plain data shared by every part of the engine and across worker boundaries (no classes, no functions).

export type Severity = 'error' | 'warning' | 'info';

/** A data problem is a value, never an exception (STYLE.md). */
export interface Issue {
  /** Dotted code, e.g. `sqlite.wal.checksum-mismatch`. */
  code: string;
  severity: Severity;
  /** File the issue is about (its path or name as given). */
  file: string;
  /** Byte offset in that file, or null when the issue is about the file as a whole. */
  offset: number | null;
  page?: number;
  frame?: number;
  expected?: string | number;
  actual?: string | number;
  message: string;
}

export type FileKind =
  | 'sqlite-database'
  | 'sqlite-snapshot'
  | 'sqlite-wal'
  | 'sqlite-rollback-journal'
  | 'ese-database'
  | 'ese-log'
  | 'ese-checkpoint'
  | 'ese-flush-map'
  | 'unknown';

export type Verdict = 'restorable' | 'restorable-with-loss' | 'not-restorable';
