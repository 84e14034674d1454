// Journal folder naming (mail-store.md §5; FORMAT.md §Journal folder). Names are hints; content decides.
//   snapshot:  <db>_DD-MM_HH-MM-SS_<16 hex>.snapshot   hex = checkpoint sequence of the first WAL generation
//                                                       the snapshot does NOT contain
//   archived:  <db>_<16 hex>.wal                        hex = the generation's checkpoint sequence (by convention)
//   live:      <db>, <db>-wal, <db>-journal, <db>-shm (ignored)

export interface SnapshotName {
  db: string;
  day: number;
  month: number;
  hour: number;
  minute: number;
  second: number;
  sequence: number;
  /** "DD-MM HH:MM:SS" (the name holds no year). */
  label: string;
}

const SNAP_RE = /^(.+)_(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})_([0-9A-Fa-f]{16})\.snapshot$/;
const ARCH_RE = /^(.+)_([0-9A-Fa-f]{16})\.wal$/;

export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

function hex64(h: string): number {
  // Sequences beyond 2^53 are not meaningful checkpoint counts; clamp to keep ordering sane.
  const v = BigInt('0x' + h);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

export function parseSnapshotName(path: string): SnapshotName | null {
  const m = SNAP_RE.exec(baseName(path));
  if (!m) return null;
  const [day, month, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  return { db: m[1], day, month, hour, minute, second, sequence: hex64(m[7]), label: `${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` };
}

export function parseArchivedWalName(path: string): { db: string; sequence: number } | null {
  const m = ARCH_RE.exec(baseName(path));
  return m ? { db: m[1], sequence: hex64(m[2]) } : null;
}

/** The database a file belongs to, by name alone (null when the name says nothing). */
export function familyOf(path: string): string | null {
  const b = baseName(path);
  const s = parseSnapshotName(b);
  if (s) return s.db;
  const a = parseArchivedWalName(b);
  if (a) return a.db;
  for (const suf of ['-wal', '-journal', '-shm']) if (b.endsWith(suf) && b.length > suf.length) return b.slice(0, -suf.length);
  return null;
}

/** Orders snapshots: sequence first, then the (yearless) date as a tie-breaker. */
export function compareSnapshots(a: SnapshotName, b: SnapshotName): number {
  return a.sequence - b.sequence || a.month - b.month || a.day - b.day || a.hour - b.hour || a.minute - b.minute || a.second - b.second;
}

export function formatCommitId(g: number, c: number): string {
  return `${g}:${c}`;
}

export function parseCommitId(s: string): { generation: number; commit: number } | null {
  const m = /^(\d+):(\d+)$/.exec(s.trim());
  if (!m) return null;
  const generation = Number(m[1]);
  const commit = Number(m[2]);
  if (!Number.isSafeInteger(generation) || !Number.isSafeInteger(commit) || commit < 1) return null;
  return { generation, commit };
}
