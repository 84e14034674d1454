// The `export` report: plain JSON-safe data (the `export --json` contract) and its text rendering.
import type { Issue } from '../../../types';
import type { ExportResult, TableExport } from './export';
import { count } from '../../../report/text';

export interface ExportReport {
  tool: { name: string; version: string };
  ok: boolean;
  exitCode: 0 | 1 | 2;
  source: ExportResult['file'];
  output: { path: string; bytes: number; sha256: string | null; integrity: string | null } | null;
  csv: { dir: string; files: Array<{ table: string; file: string; bytes: number }> } | null;
  tables: Array<Omit<TableExport, 'tree'> & TableExport['tree']>;
  pages: ExportResult['pages'];
  issueCounts: ExportResult['issueCounts'];
  issues: Issue[];
}

export function exportReport(
  tool: ExportReport['tool'], r: ExportResult, output: ExportReport['output'], csv: ExportReport['csv'],
): ExportReport {
  const integrityOk = !output?.integrity || output.integrity === 'ok';
  return {
    tool, ok: r.exitCode === 0 && integrityOk, exitCode: r.exitCode, source: r.file, output, csv,
    tables: r.tables.map(({ tree, ...t }) => ({ ...t, ...tree })),
    pages: r.pages, issueCounts: r.issueCounts, issues: r.issues,
  };
}

export function exportText(rep: ExportReport): string {
  const s = rep.source;
  const lines: string[] = [];
  lines.push(`${s.name}: ESE database, ${s.size} bytes${s.pageSize ? `, ${s.pageSize}-byte pages (${s.pageCount})` : ''}${s.dbState ? `, ${s.dbState}` : ''}`);
  if (rep.output) lines.push(`wrote ${rep.output.path} (${rep.output.bytes} bytes${rep.output.sha256 ? `, sha256 ${rep.output.sha256}` : ''})${rep.output.integrity ? `, integrity_check: ${rep.output.integrity}` : ''}`);
  else lines.push('nothing written: the file holds no usable ESE database');
  if (rep.csv) lines.push(`wrote ${rep.csv.files.length} CSV files to ${rep.csv.dir}`);
  if (rep.tables.length) {
    const w = Math.max(5, ...rep.tables.map((t) => t.name.length));
    lines.push('', `${'table'.padEnd(w)}  ${'rows'.padStart(9)}  notes`);
    for (const t of rep.tables) {
      const notes: string[] = [];
      if (t.failedRecords) notes.push(`${t.failedRecords} records not decodable`);
      if (t.partialRecords) notes.push(`${t.partialRecords} rows with issues`);
      if (t.lostSubtrees) notes.push(`${t.lostSubtrees} subtrees lost`);
      if (t.recoveredLeaves) notes.push(`${t.recoveredLeaves} leaf pages recovered along the leaf chain`);
      if (t.deletedNodes && t.deletedRows === undefined) notes.push(`${t.deletedNodes} deleted records not exported (--deleted recovers them)`);
      if (t.deletedRows) notes.push(`${t.deletedRows} deleted records recovered into "${t.deletedTable}"`);
      if (t.deletedFailed) notes.push(`${t.deletedFailed} deleted records not decodable`);
      if (t.sqlName !== t.name) notes.push(`exported as "${t.sqlName}"`);
      lines.push(`${t.name.padEnd(w)}  ${String(t.rows).padStart(9)}  ${notes.join('; ')}`);
    }
  }
  const p = rep.pages;
  lines.push('', `pages read: ${p.read} (ok ${p.ok}, corrected ${p.corrected}, bad checksum ${p.bad}, uninitialized ${p.uninitialized}, unchecked ${p.unchecked}, missing ${p.missing})`);
  const c = rep.issueCounts;
  lines.push(`issues: ${count(c.error, 'error')}, ${count(c.warning, 'warning')}, ${count(c.info, 'note')}${c.omitted ? ` (${c.omitted} more in _palimpsest_issues)` : ''}`);
  for (const i of rep.issues.filter((x) => x.severity !== 'info').slice(0, 50)) lines.push(`  ${i.severity.toUpperCase()} ${i.code}: ${i.message}`);
  const more = rep.issues.filter((x) => x.severity !== 'info').length - 50;
  if (more > 0) lines.push(`  … ${more} more (see --json or the _palimpsest_issues table)`);
  return lines.join('\n');
}
