// Export: the rebuilt database, any table as CSV/JSON, the hash list, and the case report (JSON and printable HTML).
import { useState } from 'preact/hooks';
import { useStore, useT, caseTitle } from '../../store/store';
import { Empty } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { saveBlob, saveText } from '../../ui/download';
import { caseReport, hashCsv, hashList, reportHtml, type DeletedSearchFacts } from './report';
import { safe } from '../evidence/Evidence';

export function Export() {
  const s = useStore();
  const t = useT();
  const view = s.case.view.value;
  const res = s.rebuild.result.value;
  const info = s.browse.info.value;
  const ese = s.ese.result.value;
  const [table, setTable] = useState('');
  if (!view) return <Empty icon="export" title={t.t('No case is open')}>{t.t('Open files, a folder or the demo case on the Start page.')}</Empty>;
  const name = safe(s.case.name.value);
  const deleted = (): DeletedSearchFacts[] =>
    [...s.deleted.byFile.value].flatMap(([key, st]): DeletedSearchFacts[] => {
      if (st.phase !== 'done' || !st.result) return [];
      if (typeof key === 'number') {
        const f = view.report.files[key];
        return f ? [{ searched: 'evidence' as const, name: f.path, sha256: f.sha256, report: st.result }] : [];
      }
      return res && key === `rebuilt:${res.sha256}` ? [{ searched: 'rebuilt' as const, name: res.name, sha256: res.sha256, report: st.result }] : [];
    });
  const report = () => caseReport(view, caseTitle(s.case.name.value, s.case.demo.value, t), s.case.demo.value, res ? { out: res, integrity: info?.integrity ?? null } : null, new Date(), s.ese.result.value, deleted());
  const tbl = table || info?.tables[0]?.name || '';
  return (
    <section class="view" aria-labelledby="ex-title">
      <header class="view-head">
        <h1 id="ex-title">{t.t('Export')}</h1>
      </header>
      <div class="export-grid">
        {view.families.length || !ese ? (
        <div class="card">
          <h2><Icon name="browse" /> {t.t('Rebuilt database')}</h2>
          {res ? (
            <>
              <p class="muted">{res.name} · {t.bytes(res.bytes)} · <code class="small">{res.sha256.slice(0, 16)}…</code></p>
              <button type="button" class="btn btn-primary" onClick={() => saveBlob(res.blob, res.name)}><Icon name="export" /> {t.t('Download {name}', { name: res.name })}</button>
            </>
          ) : (
            <>
              <p class="muted">{t.t('Not rebuilt yet.')}</p>
              <button type="button" class="btn" onClick={() => s.ui.show('rebuild')}>{t.t('Go to Rebuild')}</button>
            </>
          )}
        </div>
        ) : null}
        {ese ? (
          <div class="card">
            <h2><Icon name="table" /> {t.t('ESE database as SQLite')}</h2>
            <p class="muted">{ese.name} · {t.bytes(ese.bytes)}{ese.sha256 ? <> · <code class="small">{ese.sha256.slice(0, 16)}…</code></> : null}</p>
            <button type="button" class="btn btn-primary" data-testid="export-sqlite" onClick={() => saveBlob(ese.blob, ese.name)}><Icon name="export" /> {t.t('Download {name}', { name: ese.name })}</button>
          </div>
        ) : null}
        <div class="card">
          <h2><Icon name="table" /> {t.t('Tables')}</h2>
          {info && s.browse.source.value ? <p class="muted small">{s.browse.source.value.name}</p> : null}
          {info ? (
            <div class="row-gap">
              <label class="inline">
                {t.t('Table')}
                <select value={tbl} onChange={(e) => setTable((e.currentTarget as HTMLSelectElement).value)}>
                  {info.tables.map((x) => <option key={x.name} value={x.name}>{x.name}</option>)}
                </select>
              </label>
              <button type="button" class="btn" onClick={() => void s.browse.exportTable(tbl, 'csv').then((b) => saveBlob(b, `${safe(tbl)}.csv`))}>CSV</button>
              <button type="button" class="btn" onClick={() => void s.browse.exportTable(tbl, 'json').then((b) => saveBlob(b, `${safe(tbl)}.json`))}>JSON</button>
            </div>
          ) : (
            <p class="muted">{t.t('Rebuild the database first; the result opens here.')}</p>
          )}
          <p class="muted small">{t.t('Query results can be exported from the SQL console.')}</p>
        </div>
        <div class="card">
          <h2><Icon name="evidence" /> {t.t('Case report')}</h2>
          <p class="muted small">{t.t('Inputs and outputs with SHA-256, verdicts, issues, what was applied and what was skipped and why.')}</p>
          {s.case.hashing.value.status === 'running' ? (
            <p class="small warn-text" role="status">{t.t('The SHA-256 of the inputs is still being computed; a report saved now lists them as not computed.')}</p>
          ) : null}
          <div class="row-gap">
            <button type="button" class="btn" data-testid="report-json" onClick={() => saveText(JSON.stringify(report(), null, 2), `${name}-report.json`, 'application/json')}>JSON</button>
            <button type="button" class="btn" data-testid="report-html" onClick={() => saveText(reportHtml(report(), t), `${name}-report.html`, 'text/html;charset=utf-8')}>{t.t('Printable HTML')}</button>
          </div>
        </div>
        <div class="card">
          <h2><Icon name="integrity" /> {t.t('Hash list')}</h2>
          <div class="row-gap">
            <button type="button" class="btn" disabled={!view.report.files.some((f) => f.sha256)} onClick={() => saveText(hashList(view), `${name}.sha256`)}>sha256sum</button>
            <button type="button" class="btn" onClick={() => saveText(hashCsv(view), `${name}-hashes.csv`, 'text/csv;charset=utf-8')}>CSV</button>
          </div>
        </div>
      </div>
    </section>
  );
}
