// File kind detection by content (names only break ties, e.g. a zeroed journal or a snapshot).

import type { FileKind } from './types';
import { hasSqliteMagic } from './formats/sqlite/header';
import { hasJournalMagic } from './formats/sqlite/journal';
import { WAL_MAGIC_LE } from './formats/sqlite/wal';
import { parseSnapshotName, baseName } from './formats/sqlite/folder';

/** Bytes of the file head detection looks at. */
export const DETECT_BYTES = 4096;

export interface Detected {
  kind: FileKind;
  /** Extra naming facts (e.g. '-shm' files). */
  note?: string;
}

export type Detector = (name: string, head: Uint8Array, size: number) => Detected | null;

const extraDetectors: Detector[] = [];

/** Lets other format families (ESE) add detectors without the SQLite code knowing them. */
export function registerDetector(d: Detector): void {
  if (!extraDetectors.includes(d)) extraDetectors.push(d);
}

export function detectKind(name: string, head: Uint8Array, size: number): Detected {
  const b = baseName(name);
  if (hasSqliteMagic(head)) return { kind: parseSnapshotName(b) ? 'sqlite-snapshot' : 'sqlite-database' };
  if (head.length >= 4) {
    const m = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
    if ((m & 0xfffffffe) >>> 0 === WAL_MAGIC_LE) return { kind: 'sqlite-wal' };
  }
  if (hasJournalMagic(head)) return { kind: 'sqlite-rollback-journal' };
  for (const d of extraDetectors) {
    const r = d(name, head, size);
    if (r) return r;
  }
  // Names decide only where content cannot: a journal whose header was zeroed, a damaged WAL or snapshot.
  if (/-journal$/.test(b)) return { kind: 'sqlite-rollback-journal', note: 'identified by name (no journal magic)' };
  if (/-wal$/.test(b) || /_[0-9A-Fa-f]{16}\.wal$/.test(b)) return { kind: 'sqlite-wal', note: 'identified by name (no WAL magic)' };
  if (parseSnapshotName(b)) return { kind: 'sqlite-snapshot', note: 'identified by name (no SQLite magic)' };
  if (/-shm$/.test(b)) return { kind: 'unknown', note: 'WAL index (-shm): not needed, SQLite rebuilds it from the WAL' };
  return { kind: 'unknown' };
}
