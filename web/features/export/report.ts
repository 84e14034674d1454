// The case report: what went in (with SHA-256), what came out (with SHA-256: the rebuilt database, an ESE database
// exported to SQLite), verdicts, issues, what the rebuild applied and skipped and why, and for ESE evidence the log
// sets and each database's restore plan. As JSON (for tools) and as a printable HTML page (for people). Pure.

import type { CaseView, Decision, RebuildOut } from '../../../workers/hosts/case-api';
import type { Issue } from '../../../workers/engine/types';
import { TOOL } from '../../../workers/engine/report/report';
import type { I18n } from '../../i18n/i18n';
import { caseIssues } from '../integrity/issues';
import { issueCounts } from '../../ui/counts';
import { deletedJson, type DeletedJsonFile } from '../../../workers/engine/formats/sqlite/carve-report';
import type { CarveReport } from '../../../workers/engine/formats/sqlite/carve';
import type { EseExportOut } from '../../../workers/hosts/sql-service';
import type { EsePlan } from '../../../workers/engine/formats/ese/restore';
import type { EseLogSetFacts } from '../../../workers/engine/formats/ese/facts';

export interface RebuildFacts {
  out: RebuildOut;
  integrity: string | null;
}

export interface CaseReport {
  tool: typeof TOOL;
  generatedAt: string;
  case: string;
  demo: boolean;
  verdict: string;
  counts: CaseView['report']['counts'];
  inputs: Array<{ path: string; kind: string; size: number; modified: string | null; sha256: string | null; ok: boolean; issues: number }>;
  families: Array<{ name: string; verdict: string; reached: string | null; lost: string[]; plan: CaseView['report']['families'][number]['plan'] }>;
  rebuild: null | {
    family: string;
    target: string | null;
    output: { name: string; bytes: number; pages: number; sha256: string };
    integrityCheck: string | null;
    sources: RebuildOut['sources'];
    applied: Decision[];
    skipped: Decision[];
    lost: string[];
  };
  /** An ESE database exported to SQLite in this session (Open as SQLite). */
  eseExport: null | {
    source: string;
    output: { name: string; bytes: number; sha256: string | null };
    exitCode: 0 | 1 | 2;
    dbState: string | null;
    pageSize: number | null;
    tables: Array<{ name: string; rows: number; failedRecords: number; partialRecords: number; deletedNodes: number; deletedRows: number | null; deletedTable: string | null }>;
    pages: EseExportOut['pages'];
    issueCounts: EseExportOut['issueCounts'];
  };
  eseLogSets: EseLogSetFacts[];
  esePlans: EsePlan[];
  /** Deleted-record searches done in this session (Integrity → Deleted records, Rebuild → …): every carved row. */
  deletedRecords: Array<{ searched: 'evidence' | 'rebuilt'; name: string; sha256: string | null } & DeletedJsonFile>;
  issues: Issue[];
  verify: CaseView['report'];
}

/** A finished deleted-record search, for the report. */
export interface DeletedSearchFacts {
  searched: 'evidence' | 'rebuilt';
  name: string;
  sha256: string | null;
  report: CarveReport;
}

export function caseReport(view: CaseView, name: string, demo: boolean, rebuild: RebuildFacts | null, now: Date, ese: EseExportOut | null = null, deleted: DeletedSearchFacts[] = []): CaseReport {
  const r = view.report;
  return {
    tool: TOOL,
    generatedAt: now.toISOString(),
    case: name,
    demo,
    verdict: r.verdict,
    counts: r.counts,
    inputs: r.files.map((f) => ({ path: f.path, kind: f.kind, size: f.size, modified: f.modified, sha256: f.sha256, ok: f.ok, issues: f.issues.length })),
    families: r.families.map((f) => ({ name: f.name, verdict: f.verdict, reached: f.plan?.reached ?? null, lost: f.lost, plan: f.plan })),
    rebuild: rebuild
      ? {
          family: rebuild.out.family,
          target: rebuild.out.target,
          output: { name: rebuild.out.name, bytes: rebuild.out.bytes, pages: rebuild.out.pages, sha256: rebuild.out.sha256 },
          integrityCheck: rebuild.integrity,
          sources: rebuild.out.sources,
          applied: rebuild.out.preview.decisions.filter((d) => d.applied),
          skipped: rebuild.out.preview.decisions.filter((d) => !d.applied),
          lost: rebuild.out.preview.lost,
        }
      : null,
    eseExport: ese
      ? {
          source: ese.source,
          output: { name: ese.name, bytes: ese.bytes, sha256: ese.sha256 },
          exitCode: ese.exitCode,
          dbState: ese.dbState,
          pageSize: ese.pageSize,
          tables: ese.tables.map((x) => ({
            name: x.name, rows: x.rows, failedRecords: x.failedRecords, partialRecords: x.partialRecords,
            deletedNodes: x.deletedNodes, deletedRows: x.deletedRows, deletedTable: x.deletedTable,
          })),
          pages: ese.pages,
          issueCounts: ese.issueCounts,
        }
      : null,
    eseLogSets: (r.eseLogSets as EseLogSetFacts[] | undefined) ?? [],
    esePlans: (r.esePlan as EsePlan[] | undefined) ?? [],
    deletedRecords: deleted.map((d) => ({ searched: d.searched, name: d.name, sha256: d.sha256, ...deletedJson([d.report]).files[0] })),
    issues: caseIssues(r),
    verify: r,
  };
}

/** `sha256sum` format (two spaces, path), hashed files only: `sha256sum -c` can check it. */
export function hashList(view: CaseView): string {
  return view.report.files.filter((f) => f.sha256).map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export function hashCsv(view: CaseView): string {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['path,kind,size,modified,sha256\r\n', ...view.report.files.map((f) => [f.path, f.kind, String(f.size), f.modified ?? '', f.sha256 ?? ''].map(q).join(',') + '\r\n')].join('');
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What a decision says, in the page's language. */
export function decisionText(d: Decision, t: I18n): string {
  if (d.applied) {
    if (d.what === 'base') {
      if (d.kind === 'empty') return t.t('Start from an empty database');
      return d.kind === 'snapshot' ? t.t('Start from snapshot {file}', { file: d.file }) : t.t('Start from database {file}', { file: d.file });
    }
    if (d.what === 'journal') return t.t('Roll back {n} pages from the journal {file}', { n: d.pages, file: d.file });
    return t.t('Apply generation {g} up to commit {c} of {of} from {file}', { g: d.generation, c: d.upTo, of: d.of, file: d.file });
  }
  const why = t.term(`reason.${d.reason}`);
  if (d.what === 'commits') {
    const ids = d.first === d.last ? `${d.generation}:${d.first}` : `${d.generation}:${d.first}…${d.generation}:${d.last}`;
    return t.tp(d.count, 'Commit {ids} not applied: {why}', '{n} commits ({ids}) not applied: {why}', { ids, why });
  }
  if (d.what === 'generation') return t.t('Generation {g} ({file}) not applied: {why}', { g: d.generation, file: d.file, why });
  if (d.what === 'frames') return t.tp(d.count, '{n} frame of {file} not applied: {why}', '{n} frames of {file} not applied: {why}', { file: d.file, why });
  return t.t('{file} not used: {why}', { file: d.file, why });
}

export function reportHtml(rep: CaseReport, t: I18n): string {
  const e = escapeHtml;
  const verdict = (v: string) => `<span class="v v-${e(v)}">${e(t.term(`verdict.${v}`))}</span> <code>${e(v)}</code>`;
  const rows = (cells: unknown[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="${e(t.lang)}"><head><meta charset="utf-8">`);
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  parts.push(`<title>${e(t.t('Case report'))} — ${e(rep.case)}</title><style>${REPORT_CSS}</style></head><body>`);
  parts.push(`<header><h1>${e(t.t('Case report'))}: ${e(rep.case)}</h1>`);
  parts.push(`<p>${e(t.t('Generated by {tool} {version} at {when}', { tool: rep.tool.name, version: rep.tool.version, when: rep.generatedAt }))}${rep.demo ? ` — ${e(t.t('demo case'))}` : ''}</p>`);
  parts.push(`<p class="big">${e(t.t('Verdict'))}: ${verdict(rep.verdict)}</p>`);
  parts.push(`<p>${e(issueCounts(t, rep.counts.errors, rep.counts.warnings, rep.counts.infos))}</p></header>`);
  parts.push(`<h2>${e(t.t('Inputs'))}</h2><table><thead><tr><th>${e(t.t('File'))}</th><th>${e(t.t('Kind'))}</th><th>${e(t.t('Size'))}</th><th>${e(t.t('Modified'))}</th><th>SHA-256</th><th>${e(t.t('Check'))}</th></tr></thead><tbody>`);
  parts.push(rows(rep.inputs.map((f) => [e(f.path), e(t.term(`kind.${f.kind}`)), e(t.bytes(f.size)), e(f.modified ?? '—'), `<code>${e(f.sha256 ?? t.t('not computed'))}</code>`, f.ok ? e(t.t('ok')) : `<b>${e(t.tp(f.issues, '{n} issue', '{n} issues'))}</b>`])));
  parts.push('</tbody></table>');
  parts.push(`<h2>${e(t.t('Outputs'))}</h2>`);
  if (rep.rebuild) {
    const b = rep.rebuild;
    parts.push(`<table><thead><tr><th>${e(t.t('File'))}</th><th>${e(t.t('Size'))}</th><th>${e(t.t('Pages'))}</th><th>SHA-256</th><th>${e(t.t('Integrity check'))}</th></tr></thead><tbody>`);
    parts.push(rows([[e(b.output.name), e(t.bytes(b.output.bytes)), e(t.num(b.output.pages)), `<code>${e(b.output.sha256)}</code>`, e(b.integrityCheck ?? '—')]]));
    parts.push('</tbody></table>');
    parts.push(`<p>${e(t.t('Database {family}, rebuilt at {target}', { family: b.family, target: b.target ?? t.t('the latest state') }))}</p>`);
    parts.push(`<h3>${e(t.t('Applied'))}</h3><ul>${b.applied.map((d) => `<li>${e(decisionText(d, t))}</li>`).join('')}</ul>`);
    parts.push(`<h3>${e(t.t('Skipped, and why'))}</h3>${b.skipped.length ? `<ul>${b.skipped.map((d) => `<li>${e(decisionText(d, t))}</li>`).join('')}</ul>` : `<p>${e(t.t('Nothing was skipped.'))}</p>`}`);
    if (b.lost.length) parts.push(`<h3>${e(t.t('Losses (engine detail)'))}</h3><ul>${b.lost.map((l) => `<li>${e(l)}</li>`).join('')}</ul>`);
  } else {
    parts.push(`<p>${e(t.t('No database was rebuilt in this session.'))}</p>`);
  }
  if (rep.eseExport) {
    const x = rep.eseExport;
    const rowsTotal = x.tables.reduce((a, b) => a + b.rows, 0);
    const failed = x.tables.reduce((a, b) => a + b.failedRecords, 0);
    parts.push(`<h3>${e(t.t('ESE database exported to SQLite'))}</h3>`);
    parts.push(`<table><thead><tr><th>${e(t.t('File'))}</th><th>${e(t.t('Source'))}</th><th>${e(t.t('Size'))}</th><th>SHA-256</th><th>${e(t.t('Tables'))}</th><th>${e(t.t('Rows'))}</th><th>${e(t.t('Issues'))}</th></tr></thead><tbody>`);
    parts.push(rows([[e(x.output.name), e(x.source), e(t.bytes(x.output.bytes)), `<code>${e(x.output.sha256 ?? t.t('not computed'))}</code>`, e(t.num(x.tables.length)), e(t.num(rowsTotal)), e(issueCounts(t, x.issueCounts.error, x.issueCounts.warning, x.issueCounts.info))]]));
    parts.push('</tbody></table>');
    const recovered = x.tables.reduce((a, b) => a + (b.deletedRows ?? 0), 0);
    if (recovered) parts.push(`<p>${e(t.tp(recovered, '{n} deleted record recovered', '{n} deleted records recovered'))}: ${x.tables.filter((b) => b.deletedRows).map((b) => `<code>${e(b.deletedTable)}</code> (${e(t.num(b.deletedRows!))})`).join(', ')}</p>`);
    if (failed) parts.push(`<p>${e(t.tp(failed, '{n} record could not be decoded; each is listed with its page and tag in the export.', '{n} records could not be decoded; each is listed with its page and tag in the export.'))}</p>`);
  }
  if (rep.esePlans.length || rep.eseLogSets.length) {
    parts.push(`<h2>${e(t.t('ESE restore planning'))}</h2>`);
    if (rep.eseLogSets.length) {
      parts.push(`<table><thead><tr><th>${e(t.t('Log set'))}</th><th>${e(t.t('Generations'))}</th><th>${e(t.t('Missing'))}</th><th>${e(t.t('Check'))}</th></tr></thead><tbody>`);
      const g = (n: number | null) => (n === null ? '—' : `0x${n.toString(16).toUpperCase()}`);
      parts.push(rows(rep.eseLogSets.map((ls) => [`<code>${e(ls.base)}</code> ${e(ls.folder || '.')}`, e(`${g(ls.low)}–${g(ls.high)}`), e(ls.missing.length ? ls.missing.map(g).join(', ') : '—'), ls.ok ? e(t.t('ok')) : `<b>${e(t.tp(ls.problems.length || 1, '{n} issue', '{n} issues'))}</b>`])));
      parts.push('</tbody></table>');
    }
    for (const p of rep.esePlans) {
      parts.push(`<h3><code>${e(p.database)}</code>: ${e(t.term(`eseVerdict.${p.verdict}`))}</h3>`);
      parts.push(`<p>${e(p.state)}${p.expectedError ? ` — ${e(t.t('Recovery as things stand would end in {code} ({name}).', { code: String(p.expectedError.code), name: p.expectedError.name }))}` : ''}</p>`);
      if (p.missing.length) parts.push(`<p>${e(t.t('Missing log generations: {g}', { g: p.missing.map((n) => `0x${n.toString(16).toUpperCase()}`).join(', ') }))}</p>`);
      if (p.problems.length) parts.push(`<ul>${p.problems.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`);
      parts.push(`<h4>${e(t.t('Steps'))}</h4><ol>${p.steps.map((st) => `<li>${e(st.text)}</li>`).join('')}</ol>`);
    }
  }
  if (rep.deletedRecords.length) {
    parts.push(`<h2>${e(t.t('Deleted records'))}</h2>`);
    parts.push(`<table><thead><tr><th>${e(t.t('Searched'))}</th><th>SHA-256</th><th>${e(t.t('Pages'))}</th><th>${e(t.t('Records'))}</th></tr></thead><tbody>`);
    parts.push(rows(rep.deletedRecords.map((d) => {
      const data = d.records.filter((x) => x.table !== 'sqlite_schema');
      const per = new Map<string, number>();
      for (const x of data) per.set(x.table ?? '?', (per.get(x.table ?? '?') ?? 0) + 1);
      return [
        `${e(d.name)}${d.searched === 'rebuilt' ? ` <i>(${e(t.t('rebuilt'))})</i>` : ''}`,
        `<code>${e(d.sha256 ?? t.t('not computed'))}</code>`,
        e(d.frames ? t.tp(d.pagesSearched, '{n} frame searched', '{n} frames searched') : t.t('{p} of {total} pages searched', { p: d.pagesSearched, total: d.pageCount })),
        data.length ? [...per].map(([k, n]) => `<code>${e(k)}</code> ${e(t.num(n))}`).join(', ') : e(t.t('No deleted records found.')),
      ];
    })));
    parts.push('</tbody></table>');
    parts.push(`<p>${e(t.t('Every record, with where it was found, is in the JSON report.'))}</p>`);
  }
  parts.push(`<h2>${e(t.t('Databases'))}</h2>`);
  for (const f of rep.families) {
    parts.push(`<h3>${e(f.name)}: ${verdict(f.verdict)}</h3>`);
    parts.push(`<p>${e(t.t('Latest rebuildable state'))}: <code>${e(f.reached ?? '—')}</code></p>`);
    if (f.lost.length) parts.push(`<ul>${f.lost.map((l) => `<li>${e(l)}</li>`).join('')}</ul>`);
  }
  parts.push(`<h2>${e(t.t('Issues'))}</h2>`);
  if (rep.issues.length) {
    parts.push(`<table><thead><tr><th>${e(t.t('Severity'))}</th><th>${e(t.t('Issue'))}</th><th>${e(t.t('File'))}</th><th>${e(t.t('Offset'))}</th><th>${e(t.t('Detail'))}</th></tr></thead><tbody>`);
    parts.push(rows(rep.issues.map((i) => [e(t.term(`severity.${i.severity}`)), `${e(t.term(`issue.${i.code}`))}<br><code>${e(i.code)}</code>`, e(i.file), i.offset === null ? '—' : `<code>0x${i.offset.toString(16)}</code>`, e(i.message)])));
    parts.push('</tbody></table>');
  } else {
    parts.push(`<p>${e(t.t('No issues.'))}</p>`);
  }
  parts.push(`<footer>${e(t.t('Inputs were only read; nothing left this computer.'))}</footer></body></html>`);
  return parts.join('\n');
}

const REPORT_CSS = `
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:1.6rem}
h3{font-size:1rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}code{font:12px ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}.big{font-size:1.15rem}
.v{font-weight:600;padding:.05rem .4rem;border-radius:.25rem}.v-restorable{background:#d8f0dd}.v-restorable-with-loss{background:#fbe7c2}.v-not-restorable{background:#f6d0d0}
footer{margin-top:2rem;color:#555;font-size:12px}@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}`;
