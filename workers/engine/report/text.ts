// Text output for people (the CLI prints these; --json prints the reports themselves).

import type { Issue } from '../types';
import type { VerifyReport, TimelineReport, RebuildReport, FileReport } from './report';
import { kindsSummary } from './report';
import { eseFileSummary, eseCaseSummary } from '../formats/ese/eseutil';

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const u = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${u[i]}`;
}

/** `1 note`, `2 notes`: a count with its English noun. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const VERDICT_TEXT: Record<string, string> = {
  restorable: 'RESTORABLE',
  'restorable-with-loss': 'RESTORABLE WITH LOSS',
  'not-restorable': 'NOT RESTORABLE',
};

export function issueLine(i: Issue): string {
  const where = i.offset !== null && i.offset !== undefined ? ` @0x${i.offset.toString(16)}` : '';
  const ea = i.expected !== undefined || i.actual !== undefined ? ` [expected ${i.expected ?? '-'}, actual ${i.actual ?? '-'}]` : '';
  return `${i.severity.toUpperCase().padEnd(7)} ${i.code}${where}: ${i.message}${ea}`;
}

function fileLines(f: FileReport): string[] {
  const out: string[] = [];
  out.push(`${f.ok ? 'ok  ' : 'FAIL'} ${f.path}`);
  out.push(`     ${f.kind}, ${humanBytes(f.size)}${f.sha256 ? `, sha256 ${f.sha256}` : ''}${f.family ? `, database ${f.family}` : ''}`);
  const db = f.database as { header?: Record<string, unknown> | null; pages?: { count: number; kinds: Record<string, number> } | null } | undefined;
  if (db?.header) {
    const h = db.header;
    out.push(`     page size ${h.pageSize}, ${h.pageCount} pages, ${h.textEncoding}, ${h.journalMode} mode, change counter ${h.changeCounter}, written by SQLite ${h.sqliteVersion}`);
  }
  if (db?.pages) out.push(`     pages: ${kindsSummary(db.pages.kinds)}`);
  const s = f.snapshot as { sequence: number; label: string } | undefined;
  if (s) out.push(`     snapshot taken ${s.label}, holds generations < ${s.sequence}`);
  const w = f.wal as Record<string, unknown> | undefined;
  if (w) {
    out.push(
      `     WAL generation ${w.checkpointSeq} (salt-1 0x${(w.salt1 as number).toString(16)}), page size ${w.pageSize}, ${w.bigEndianChecksums ? 'big' : 'little'}-endian checksums`,
    );
    out.push(
      `     frames ${w.frames}: ${w.validFrames} valid, ${w.commits} commit(s), last commit frame ${w.lastCommitFrame ?? '-'}, ` +
        `${w.uncommittedFrames} uncommitted, ${w.afterBreakFrames} after a break, ${w.staleFrames} stale` +
        (w.firstInvalidFrame ? `; first invalid frame ${w.firstInvalidFrame} (${w.firstInvalidReason})` : ''),
    );
  }
  const j = f.journal as Record<string, unknown> | undefined;
  if (j) {
    const pb = j.playback as { dbSize: number; pages: number };
    out.push(`     rollback journal: ${(j.segments as unknown[]).length} segment(s), ${j.verifiedRecords}/${j.records} records verify; ${j.hot ? `hot: SQLite rolls back ${pb.pages} page(s), size ${pb.dbSize}` : `not hot (${j.notHotReason})`}`);
  }
  out.push(...eseFileSummary(f));
  for (const i of f.issues) out.push(`     ${issueLine(i)}`);
  return out;
}

export function verifyText(r: VerifyReport): string {
  const out: string[] = [];
  out.push(`Palimpsest verify: ${count(r.counts.files, 'file')}, ${humanBytes(r.counts.bytes)}, ${(r.elapsedMs / 1000).toFixed(2)} s${r.hashed ? '' : ' (no SHA-256: --no-hash)'}`);
  out.push('');
  for (const f of r.files) out.push(...fileLines(f), '');
  for (const fam of r.families) {
    out.push(`Database ${fam.name}: ${VERDICT_TEXT[fam.verdict]}`);
    const p = fam.plan;
    if (p) {
      const base = p.base.kind === 'empty' ? 'an empty base' : `${p.base.kind} ${p.base.file}`;
      const steps = p.steps.length ? p.steps.map((s) => `generation ${s.generation} up to commit ${s.upToCommit}/${s.commitsAvailable}`).join(', ') : 'no WAL';
      out.push(`  plan: ${base}${p.journal ? ` rolled back with ${p.journal.file} (${p.journal.writes} page(s))` : ''}; ${steps}; result ${p.dbSize} page(s) of ${p.pageSize} bytes${p.reached ? `, state after commit ${p.reached}` : ''}`);
      for (const n of p.notes) out.push(`  note: ${n}`);
    }
    if (fam.generations.length) {
      out.push(`  chain: ${fam.generations.map((g) => `${g.sequence}${g.linked === false ? '(unlinked)' : ''}[${g.commits}${g.dropped ? `+${g.dropped} dropped` : ''}]`).join(' → ')}${fam.gaps.length ? `; missing ${fam.gaps.join(', ')}` : ''}`);
    }
    for (const l of fam.lost) out.push(`  lost: ${l}`);
    for (const i of fam.issues) out.push(`  ${issueLine(i)}`);
    out.push('');
  }
  out.push(...eseCaseSummary(r));
  for (const [k, v] of Object.entries(r)) {
    if (['tool', 'ok', 'verdict', 'lost', 'files', 'families', 'issues', 'counts', 'hashed', 'elapsedMs', 'eseLogSets', 'esePlan'].includes(k)) continue;
    if (Array.isArray(v) && v.length) out.push(`${k}: ${JSON.stringify(v)}`);
  }
  out.push(`${count(r.counts.errors, 'error')}, ${count(r.counts.warnings, 'warning')}, ${count(r.counts.infos, 'note')}`);
  out.push(`Verdict: ${VERDICT_TEXT[r.verdict]}`);
  return out.join('\n');
}

export function timelineText(t: TimelineReport): string {
  const out: string[] = [];
  for (const fam of t.families) {
    out.push(`Timeline of ${fam.name}${fam.reached ? ` (latest rebuildable state: ${fam.reached})` : ''}`);
    for (const e of fam.entries) {
      if (e.type === 'snapshot') out.push(`  ◆ snapshot ${e.file} (${e.label}) — holds generations < ${e.sequence}`);
      else if (e.type === 'gap') out.push(`  ✗ missing generation(s) ${e.sequences.join(', ')}`);
      else if (e.type === 'stale-generation') {
        out.push(`  · stale frames in ${e.file}: salt-1 0x${e.salt1.toString(16)}${e.inferredSequence !== null ? ` (generation ${e.inferredSequence}?)` : ''}, ${e.frames} frame(s), ${e.verified} verified, ${e.commits.length} commit(s) — evidence, not applied`);
        for (const c of e.commits) out.push(`      stale commit at frame ${c.frame}: db ${c.dbSize} pages, pages ${(c.pages ?? []).join(',')}`);
      } else {
        out.push(`  ● generation ${e.sequence} — ${e.file}${e.copies.length ? ` (also in ${e.copies.join(', ')})` : ''}${e.linked === false ? ' [link not proven]' : ''}`);
        for (const c of e.commits) {
          const mark = c.status === 'applied' ? '+' : c.status === 'dropped' ? '!' : '-';
          out.push(`    ${mark} ${c.id.padEnd(8)} frame ${String(c.frame).padStart(6)}  db ${String(c.dbSize).padStart(6)} pages  touched ${c.pageCount}: ${(c.pages ?? []).slice(0, 16).join(',')}${c.pageCount > 16 ? ',…' : ''}${c.status === 'dropped' ? '  (after a damaged frame: SQLite drops it)' : c.status === 'not-applied' ? '  (not reachable)' : ''}`);
        }
        if (e.uncommittedFrames) out.push(`    … ${e.uncommittedFrames} uncommitted frame(s)`);
      }
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

export function rebuildText(r: RebuildReport): string {
  const out: string[] = [];
  if (r.output) {
    out.push(`Rebuilt ${r.family} → ${r.output.path}: ${r.output.pages} pages, ${humanBytes(r.output.bytes)}, sha256 ${r.output.sha256}`);
  }
  if (r.plan) {
    const p = r.plan;
    out.push(`  base: ${p.base.kind === 'empty' ? 'empty' : p.base.file}${p.journal ? `; hot journal ${p.journal.file} rolled back (${p.journal.writes} page(s))` : ''}`);
    for (const s of p.steps) out.push(`  applied generation ${s.generation} from ${s.file}: commits 1..${s.upToCommit} of ${s.commitsAvailable} (frames 1..${s.upToFrame})`);
    out.push(`  state: ${p.reached ? `after commit ${p.reached}` : 'the base as it is'}${r.target ? ` (requested --until ${r.target})` : ''}`);
    for (const n of p.notes) out.push(`  note: ${n}`);
  }
  if (r.sources) out.push(`  pages from: base ${r.sources.base}, journal ${r.sources.journal}, WAL ${r.sources.wal}, zero ${r.sources.zero}`);
  if (r.integrity) out.push(`  integrity: ${r.integrity}`);
  for (const l of r.lost) out.push(`  lost: ${l}`);
  for (const i of r.issues.filter((x) => x.severity !== 'info')) out.push(`  ${issueLine(i)}`);
  out.push(`Verdict: ${VERDICT_TEXT[r.verdict]}`);
  return out.join('\n');
}
