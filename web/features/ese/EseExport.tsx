// "Open as SQLite" for ESE databases: the engine's export runs in the sql worker (progress, cancel); the result is
// browsed like a rebuilt database and downloaded under the source's name (SRUDB.dat -> SRUDB.sqlite).
import { useStore, useT } from '../../store/store';
import { ErrorBox, Hash, ProgressBar } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { issueCounts } from '../../ui/counts';
import { saveBlob } from '../../ui/download';
import { fileOf } from './model';

/** Report file indexes of the case's ESE databases. */
export function eseDatabases(files: Array<{ kind: string }>): number[] {
  return files.map((f, i) => (f.kind === 'ese-database' ? i : -1)).filter((i) => i >= 0);
}

/** What happened to the records flagged deleted: recovered (with the option) or only counted. */
function deletedNote(tables: Array<{ deletedNodes: number; deletedRows: number | null }>, t: ReturnType<typeof useT>): string {
  const flagged = tables.reduce((a, x) => a + x.deletedNodes, 0);
  if (!flagged) return '';
  const recovered = tables.reduce((a, x) => a + (x.deletedRows ?? 0), 0);
  const on = tables.some((x) => x.deletedRows !== null);
  return ' · ' + (on ? t.tp(recovered, '{n} deleted record recovered', '{n} deleted records recovered') : t.tp(flagged, '{n} deleted record not recovered', '{n} deleted records not recovered'));
}

/** The export option for deleted records (FORMAT.md E8), shared by every "Open as SQLite" button. */
export function RecoverDeleted({ testId }: { testId: string }) {
  const s = useStore();
  const t = useT();
  const ex = s.ese;
  return (
    <label class="check">
      <input type="checkbox" data-testid={testId} checked={ex.recoverDeleted.value} disabled={ex.phase.value === 'running'} onChange={(e) => ex.setRecoverDeleted((e.currentTarget as HTMLInputElement).checked)} />
      <span>{t.t('Also recover deleted records still on their pages (into <table>__deleted)')}</span>
    </label>
  );
}

export function EseExportSection() {
  const s = useStore();
  const t = useT();
  const view = s.case.view.value;
  if (!view) return null;
  const dbs = eseDatabases(view.report.files);
  if (!dbs.length) return null;
  const ex = s.ese;
  const running = ex.phase.value === 'running';
  const res = ex.result.value;
  const info = s.browse.source.value?.kind === 'ese' ? s.browse.info.value : null;
  const p = ex.progress.value;
  const pages = p ? t.t('{done} of {total} pages read', { done: t.num(p.done), total: t.num(p.total) }) : '';
  return (
    <section class="card ese-export" aria-labelledby="ese-ex-title">
      <h2 id="ese-ex-title"><Icon name="table" /> {t.t('ESE databases as SQLite')}</h2>
      <p class="muted small">{t.t('Every table of the ESE database becomes a SQLite table, with where each row came from in _palimpsest_provenance. The evidence is only read.')}</p>
      <RecoverDeleted testId="ese-recover-deleted" />
      <ul class="plain ese-dbs">
        {dbs.map((i) => {
          const f = view.report.files[i];
          return (
            <li key={f.path} class="row-gap">
              <span class="mono">{f.path}</span>
              <span class="muted small">{t.bytes(f.size)}</span>
              <button type="button" class="btn btn-primary" data-testid="ese-export" disabled={running} onClick={() => void s.openEseAsSqlite(i)}>
                <Icon name="table" /> {t.t('Open as SQLite')}
              </button>
            </li>
          );
        })}
      </ul>
      {running ? (
        <div class="ese-progress">
          <ProgressBar
            progress={p ? { phase: 'open', file: p.table ?? '', done: p.done, total: p.total } : null}
            label={p?.phase === 'tables' ? t.t('Exporting tables') : t.t('Reading the catalog')}
            onCancel={() => ex.cancel()}
          />
          <p class="muted small">{pages}</p>
        </div>
      ) : null}
      {ex.error.value ? <ErrorBox error={ex.error.value} /> : null}
      {res ? (
        <div class="result" aria-live="polite" data-testid="ese-result">
          <div class="result-head">
            <Icon name="browse" size={26} />
            <div>
              <h3 class="mono">{res.name}</h3>
              <p class="muted">
                {t.t('from {file}', { file: fileOf(res.source) })} · {t.bytes(res.bytes)} · {t.tp(res.tables.length, '{n} table', '{n} tables')} · {t.tp(res.tables.reduce((a, x) => a + x.rows, 0), '{n} row', '{n} rows')} · {t.t('{s} s', { s: (res.elapsedMs / 1000).toFixed(2) })}
                {deletedNote(res.tables, t)}
              </p>
            </div>
            <button type="button" class="btn btn-primary" data-testid="download-sqlite" onClick={() => saveBlob(res.blob, res.name)}>
              <Icon name="export" /> {t.t('Download {name}', { name: res.name })}
            </button>
          </div>
          <dl class="facts">
            <div class="fact"><dt>SHA-256</dt><dd><Hash value={res.sha256} /></dd></div>
            <div class="fact">
              <dt>{t.t('Integrity check (SQLite)')}</dt>
              <dd>{info ? <span class={info.integrity === 'ok' ? 'pill pill-ok' : 'pill pill-bad'} data-testid="ese-integrity">{info.integrity}</span> : '—'}</dd>
            </div>
            <div class="fact"><dt>{t.t('Pages read')}</dt><dd class="mono">{t.t('{read} ({ok} ok, {corrected} corrected, {bad} failing)', { read: res.pages.read, ok: res.pages.ok, corrected: res.pages.corrected, bad: res.pages.bad })}</dd></div>
            <div class="fact"><dt>{t.t('Issues')}</dt><dd>{issueCounts(t, res.issueCounts.error, res.issueCounts.warning, res.issueCounts.info)}</dd></div>
          </dl>
          {res.issues.length ? (
            <details class="small">
              <summary>{t.tp(res.issues.length, '{n} issue (engine detail; all are in _palimpsest_issues)', '{n} issues (engine detail; all are in _palimpsest_issues)')}</summary>
              <ul>{res.issues.map((x, i) => <li key={i}><span class="mono">{x.code}</span> — {x.message}</li>)}</ul>
            </details>
          ) : null}
          {info ? (
            <button type="button" class="btn" data-testid="ese-browse" onClick={() => s.ui.show('browse')}>
              <Icon name="table" /> {t.t('Browse {name}', { name: res.name })}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
