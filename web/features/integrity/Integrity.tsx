// Integrity: the case verdict and each database's, every file's verdict, the page map of the selected file with its
// kind panels, the hex view, and the issues list.
import { useStore, useT } from '../../store/store';
import { VerdictBadge, ProgressBar, ErrorBox, Empty, midEllipsis } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { issueCounts } from '../../ui/counts';
import { PageMap } from './PageMap';
import { Issues } from './Issues';
import { HexView } from '../hex/HexView';
import { panelsFor, casePanelsFor } from '../registry';
import type { PlanReport } from '../../../workers/engine/report/report';
import type { I18n } from '../../i18n/i18n';

export function planText(p: PlanReport | null, t: I18n): string {
  if (!p) return t.t('nothing to rebuild from');
  const base = p.base.kind === 'empty' ? t.t('an empty database') : p.base.kind === 'snapshot' ? t.t('snapshot {file}', { file: short(p.base.file) }) : t.t('database {file}', { file: short(p.base.file) });
  const steps = p.steps.filter((s) => s.upToCommit > 0).map((s) => `${s.generation}:1…${s.generation}:${s.upToCommit}`);
  const parts = [t.t('base: {base}', { base })];
  if (p.journal) parts.push(t.t('rolls back {n} pages from the journal', { n: p.journal.writes }));
  if (steps.length) parts.push(t.t('applies {steps}', { steps: steps.join(', ') }));
  parts.push(t.t('{n} pages of {size} bytes', { n: p.dbSize, size: p.pageSize }));
  return parts.join(' · ');
}

export function short(path: string | null): string {
  if (!path) return '—';
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

export function Integrity() {
  const s = useStore();
  const t = useT();
  const kase = s.case;
  const view = kase.view.value;
  if (kase.phase.value === 'empty') return <Empty icon="integrity" title={t.t('No case is open')}>{t.t('Open files, a folder or the demo case on the Start page.')}</Empty>;
  if (kase.phase.value === 'loading') {
    return (
      <section class="view" aria-busy="true">
        <header class="view-head"><h1>{t.t('Verifying {name}…', { name: kase.name.value })}</h1></header>
        <ProgressBar progress={kase.progress.value} onCancel={() => kase.cancel()} />
        <p class="muted">{t.t('Files are read in chunks by background workers; the page stays responsive and nothing is uploaded.')}</p>
      </section>
    );
  }
  if (!view) return kase.error.value ? <section class="view"><ErrorBox error={kase.error.value} /></section> : null;
  const r = view.report;
  const sel = s.integrity.selected.value;
  const selFile = sel !== null ? r.files[sel] : null;
  const map = s.integrity.map.value;
  return (
    <section class="view" aria-labelledby="int-title">
      <header class="view-head">
        <h1 id="int-title">{t.t('Integrity')}</h1>
      </header>
      <div class="summary card">
        <div class="summary-main">
          <VerdictBadge verdict={r.verdict} large />
          <p class="muted">
            {issueCounts(t, r.counts.errors, r.counts.warnings, r.counts.infos)} · {t.tp(r.counts.files, '{n} file', '{n} files')} · {t.bytes(r.counts.bytes)} · {t.t('checked in {s} s', { s: (r.elapsedMs / 1000).toFixed(2) })}
          </p>
        </div>
        {r.families.map((f) => (
          <div class="family" key={f.name}>
            <div class="family-line">
              <Icon name="browse" />
              <strong class="mono">{f.name}</strong>
              <VerdictBadge verdict={f.verdict} />
              {f.plan?.reached ? <span class="muted">{t.t('latest state: commit {id}', { id: f.plan.reached })}</span> : null}
            </div>
            <p class="small">{planText(f.plan, t)}</p>
            {f.generations.length ? (
              <p class="small muted">
                {t.t('Chain')}: {f.generations.map((g) => `${g.sequence}[${g.commits}]`).join(' → ')}
                {f.gaps.length ? ` · ${t.t('missing generations: {g}', { g: f.gaps.join(', ') })}` : ''}
              </p>
            ) : null}
            {f.lost.length ? (
              <details class="lost">
                <summary>{t.tp(f.lost.length, '{n} loss (engine detail)', '{n} losses (engine detail)')}</summary>
                <ul class="small">{f.lost.map((l, i) => <li key={i}>{l}</li>)}</ul>
              </details>
            ) : null}
          </div>
        ))}
      </div>
      {casePanelsFor(view).map((P) => (
        <details key={P.id} class="card case-panel" open={P.open ?? true} data-testid={`case-panel-${P.id}`}>
          <summary><h2>{P.title(t)}</h2></summary>
          <P.component view={view} />
        </details>
      ))}
      <div class="int-grid">
        <nav class="filelist card" aria-label={t.t('Files')}>
          <h2>{t.t('Files')}</h2>
          <ul class="plain">
            {r.files.map((f, i) => {
              const e = f.issues.filter((x) => x.severity === 'error').length;
              const w = f.issues.filter((x) => x.severity === 'warning').length;
              return (
                <li key={f.path}>
                  <button type="button" class={`file-btn${sel === i ? ' on' : ''}`} aria-current={sel === i ? 'true' : undefined} onClick={() => void s.integrity.selectFile(i)}>
                    <span class={`dot ${f.kind === 'unknown' ? 'dot-muted' : f.ok ? 'dot-ok' : e ? 'dot-bad' : 'dot-warn'}`} aria-hidden="true" />
                    <span class="file-name" title={f.path}>{midEllipsis(short(f.path), 22)}</span>
                    <span class="file-kind muted small">{t.term(`kind.${f.kind}`)}</span>
                    <span class="file-verdict small">
                      {f.kind === 'unknown' ? t.t('ignored') : [f.ok ? t.t('ok') : '', e ? t.tp(e, '{n} error', '{n} errors') : '', w ? t.tp(w, '{n} warning', '{n} warnings') : ''].filter(Boolean).join(', ')}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </nav>
        <div class="file-detail">
          {selFile ? (
            <div class="card">
              <header class="detail-head">
                <h2 class="mono">{selFile.path}</h2>
                <span class="muted">{t.term(`kind.${selFile.kind}`)} · {t.bytes(selFile.size)}</span>
                {selFile.kind === 'sqlite-wal' || selFile.kind === 'sqlite-rollback-journal' ? (
                  <button type="button" class="btn btn-small" onClick={() => void s.integrity.openHex(sel!, 'header', 1)}>{t.t('Header in hex')}</button>
                ) : null}
              </header>
              {s.integrity.mapError.value ? <ErrorBox error={s.integrity.mapError.value} /> : null}
              {map && map.file === sel ? <PageMap map={map} /> : view.maps[sel!] ? <p class="muted">{t.t('Drawing the page map…')}</p> : <p class="muted">{t.t('This file has no pages to draw.')}</p>}
              {panelsFor(selFile.kind).map((P) => (
                <details key={P.id} class="kind-panel" open>
                  <summary>{P.title(t)}</summary>
                  <P.component file={selFile} index={sel!} report={r} view={view} />
                </details>
              ))}
            </div>
          ) : (
            <div class="card"><p class="muted">{t.t('Choose a file to see its page map.')}</p></div>
          )}
          {s.integrity.hex.value || s.integrity.hexError.value ? <div class="card"><HexView /></div> : null}
        </div>
      </div>
      <Issues report={r} />
    </section>
  );
}
