// The issues list: every issue of the case (files and families), filtered by severity, file and text, and where
// each issue points (the page, frame, record or header the hex view opens).
import type { Issue, Severity } from '../../../workers/engine/types';
import type { VerifyReport } from '../../../workers/engine/report/report';
import type { HexUnitKind } from '../../../workers/hosts/case-api';

export interface IssueFilter {
  severities: Severity[];
  /** Path of one file, or '' for all. */
  file: string;
  text: string;
}

export const ALL_SEVERITIES: Severity[] = ['error', 'warning', 'info'];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every issue once: file issues, then family and case issues; most severe first, then by file and offset. */
export function caseIssues(r: VerifyReport): Issue[] {
  const seen = new Set<Issue>();
  const all: Issue[] = [];
  for (const i of [...r.files.flatMap((f) => f.issues), ...r.families.flatMap((f) => f.issues), ...r.issues]) {
    if (seen.has(i)) continue;
    seen.add(i);
    all.push(i);
  }
  return all
    .map((i, n) => ({ i, n }))
    .sort((a, b) => RANK[a.i.severity] - RANK[b.i.severity] || a.i.file.localeCompare(b.i.file) || (a.i.offset ?? -1) - (b.i.offset ?? -1) || a.n - b.n)
    .map((x) => x.i);
}

export function filterIssues(issues: Issue[], f: IssueFilter, title: (code: string) => string = (c) => c): Issue[] {
  const text = f.text.trim().toLowerCase();
  return issues.filter(
    (i) =>
      f.severities.includes(i.severity) &&
      (!f.file || i.file === f.file) &&
      (!text || i.code.toLowerCase().includes(text) || i.message.toLowerCase().includes(text) || title(i.code).toLowerCase().includes(text)),
  );
}

export function severityCounts(issues: Issue[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const i of issues) c[i.severity]++;
  return c;
}

/** Where the hex view should open for an issue, from the file's layout in the report. */
export function issueTarget(r: VerifyReport, i: Issue): { file: number; unit: HexUnitKind; index: number; byte: number } | null {
  const file = r.files.findIndex((f) => f.path === i.file);
  if (file < 0) return null;
  const f = r.files[file];
  const off = i.offset;
  const db = f.database as { header?: { pageSize: number } | null } | undefined;
  const wal = f.wal as { pageSize: number } | undefined;
  if (db?.header) {
    const ps = db.header.pageSize;
    const page = i.page ?? (off !== null ? Math.floor(off / ps) + 1 : null);
    if (!page) return null;
    return { file, unit: 'page', index: page, byte: off !== null ? off - (page - 1) * ps : 0 };
  }
  if (wal && f.kind === 'sqlite-wal') {
    const fs = wal.pageSize + 24;
    if (i.frame) return { file, unit: 'frame', index: i.frame, byte: off !== null ? off - (32 + (i.frame - 1) * fs) : 0 };
    if (off === null) return null;
    if (off < 32) return { file, unit: 'header', index: 1, byte: off };
    return { file, unit: 'frame', index: Math.floor((off - 32) / fs) + 1, byte: (off - 32) % fs };
  }
  if (f.kind === 'sqlite-rollback-journal' || f.kind === 'sqlite-wal') {
    if (off !== null && off < 28) return { file, unit: 'header', index: 1, byte: off };
  }
  return null;
}
