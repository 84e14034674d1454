// Rebuild: run the plan in the case worker (progress, cancel), then open the result in sql.js and offer it for
// download under its own name. The evidence is never changed; the result is a new file.
import { useStore, useT } from '../../store/store';
import { Empty, ErrorBox, Hash, ProgressBar } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { DeletedSearch } from '../sqlite/DeletedPanel';
import { saveBlob } from '../../ui/download';
import { Preview } from '../timeline/Timeline';
import { EseExportSection, eseDatabases } from '../ese/EseExport';

export function Rebuild() {
  const s = useStore();
  const t = useT();
  const view = s.case.view.value;
  if (!view) return <Empty icon="rebuild" title={t.t('No case is open')}>{t.t('Open files, a folder or the demo case on the Start page.')}</Empty>;
  const ese = eseDatabases(view.report.files).length > 0;
  if (!view.families.length && !ese) return <Empty icon="rebuild" title={t.t('Nothing to rebuild')}>{t.t('This case has no SQLite database, snapshot or WAL.')}</Empty>;
  if (!view.families.length) {
    return (
      <section class="view" aria-labelledby="rb-title">
        <header class="view-head">
          <div>
            <h1 id="rb-title">{t.t('Rebuild')}</h1>
            <p class="muted">{t.t('Writes a new, standalone database from the evidence. The inputs are only read.')}</p>
          </div>
        </header>
        <EseExportSection />
      </section>
    );
  }
  const rb = s.rebuild;
  const target = rb.target.value;
  const res = rb.result.value;
  const info = s.browse.source.value?.kind === 'rebuild' ? s.browse.info.value : null;
  const running = rb.phase.value === 'running';
  return (
    <section class="view" aria-labelledby="rb-title">
      <header class="view-head">
        <div>
          <h1 id="rb-title">{t.t('Rebuild')}</h1>
          <p class="muted">{t.t('Writes a new, standalone database from the evidence. The inputs are only read.')}</p>
        </div>
        <div class="view-actions">
          {view.families.length > 1 ? (
            <label class="inline">
              {t.t('Database')}
              <select value={rb.family.value ?? ''} onChange={(e) => void rb.selectFamily((e.currentTarget as HTMLSelectElement).value)}>
                {view.families.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
              </select>
            </label>
          ) : null}
          <button type="button" class="btn" onClick={() => s.ui.show('timeline')}>
            <Icon name="timeline" /> {target ? t.t('Point: {id}', { id: `${target.generation}:${target.commit}` }) : t.t('Point: latest state')}
          </button>
          <button type="button" class="btn btn-primary" data-testid="rebuild" disabled={running || !rb.family.value} onClick={() => void s.rebuildNow()}>
            <Icon name="rebuild" /> {t.t('Rebuild')}
          </button>
        </div>
      </header>
      {running ? <ProgressBar progress={rb.progress.value} onCancel={() => rb.cancel()} /> : null}
      {rb.error.value ? <ErrorBox error={rb.error.value} /> : null}
      {res ? (
        <div class="card result" aria-live="polite">
          <div class="result-head">
            <Icon name="browse" size={26} />
            <div>
              <h2 class="mono">{res.name}</h2>
              <p class="muted">
                {t.bytes(res.bytes)} · {t.tp(res.pages, '{n} page', '{n} pages')} · {res.target ? t.t('state after commit {id}', { id: res.target }) : res.preview.plan.reached ? t.t('state after commit {id}', { id: res.preview.plan.reached }) : t.t('base only')} · {t.t('{s} s', { s: (res.elapsedMs / 1000).toFixed(2) })}
              </p>
            </div>
            <button type="button" class="btn btn-primary" data-testid="download-db" onClick={() => saveBlob(res.blob, res.name)}>
              <Icon name="export" /> {t.t('Download {name}', { name: res.name })}
            </button>
          </div>
          <dl class="facts">
            <div class="fact"><dt>SHA-256</dt><dd><Hash value={res.sha256} /></dd></div>
            <div class="fact">
              <dt>{t.t('Integrity check (SQLite)')}</dt>
              <dd>{s.browse.opening.value ? <span class="muted">{t.t('checking…')}</span> : info ? <span class={info.integrity === 'ok' ? 'pill pill-ok' : 'pill pill-bad'} data-testid="integrity">{info.integrity}</span> : s.browse.error.value ? <span class="pill pill-bad">{s.browse.error.value.message}</span> : '—'}</dd>
            </div>
          </dl>
          <SourcesBar sources={res.sources} pages={res.pages} />
          {info ? (
            <button type="button" class="btn" onClick={() => s.ui.show('browse')}>
              <Icon name="table" /> {t.t('Browse the rebuilt database')}
            </button>
          ) : null}
          <details class="kind-panel" data-testid="rebuilt-deleted">
            <summary>{t.t('Deleted records in the rebuilt database')}</summary>
            <DeletedSearch
              stateKey={`rebuilt:${res.sha256}`}
              fileName={`rebuilt-${res.name}`}
              start={() => void s.deleted.searchRebuilt(res.blob, `rebuilt-${res.name}`, res.sha256)}
              intro={t.t('The pages this state was rebuilt from keep rows deleted before it (in WAL mode, the rows the replayed transactions deleted) until SQLite reuses their space.')}
            />
          </details>
        </div>
      ) : null}
      <Preview />
      <EseExportSection />
    </section>
  );
}

function SourcesBar({ sources, pages }: { sources: { base: number; journal: number; wal: number; zero: number }; pages: number }) {
  const t = useT();
  const parts: Array<[string, number, string]> = [
    ['base', sources.base, t.t('from the base')],
    ['wal', sources.wal, t.t('from WAL frames')],
    ['journal', sources.journal, t.t('from the journal')],
    ['zero', sources.zero, t.t('zero-filled')],
  ];
  return (
    <div class="sources">
      <div class="sources-bar" role="img" aria-label={parts.filter((p) => p[1]).map((p) => `${p[2]}: ${p[1]}`).join(', ')}>
        {parts.map(([k, n]) => (n ? <span key={k} class={`src-${k}`} style={{ width: `${(100 * n) / Math.max(1, pages)}%` }} /> : null))}
      </div>
      <ul class="legend">
        {parts.map(([k, n, label]) => (n ? <li key={k}><span class={`swatch src-${k}`} />{label} <span class="muted">{t.tp(n, '{n} page', '{n} pages')}</span></li> : null))}
      </ul>
    </div>
  );
}
