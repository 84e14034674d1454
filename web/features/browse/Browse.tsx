// Browse: the rebuilt database in sql.js — tables with row counts, a virtualized sortable and filterable table
// view, a mail view for mail-like tables, and an SQL console that works on a copy.
import { useState } from 'preact/hooks';
import { useStore, useT } from '../../store/store';
import { Empty, ErrorBox } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { saveBlob } from '../../ui/download';
import { DataTable } from './DataTable';
import { recoveredCsv, recoveredJson } from './recovered-export';
import { MailView } from './MailView';
import { safe } from '../evidence/Evidence';
import { eseDatabases } from '../ese/EseExport';

export function Browse() {
  const s = useStore();
  const t = useT();
  const b = s.browse;
  const info = b.info.value;
  const [pane, setPane] = useState<'data' | 'console'>('data');
  if (!info) {
    if (b.opening.value) return <Empty icon="browse" title={t.t('Opening the rebuilt database…')} />;
    if (b.error.value) return <section class="view"><ErrorBox error={b.error.value} /></section>;
    const ese = s.case.view.value ? eseDatabases(s.case.view.value.report.files) : [];
    return (
      <Empty icon="browse" title={t.t('Nothing to browse yet')}>
        <p>{ese.length ? t.t('Open an ESE database as SQLite, or rebuild a SQLite database; the result opens here.') : t.t('Rebuild the database first; the result opens here.')}</p>
        {s.case.view.value?.families.length ? (
          <button type="button" class="btn btn-primary" onClick={() => { s.ui.show('rebuild'); void s.rebuildNow(); }}>
            <Icon name="rebuild" /> {t.t('Rebuild')}
          </button>
        ) : null}
        {ese.length ? (
          <button type="button" class="btn btn-primary" onClick={() => { s.ui.show('rebuild'); void s.openEseAsSqlite(ese[0]); }}>
            <Icon name="table" /> {t.t('Open {file} as SQLite', { file: s.case.view.value!.report.files[ese[0]].path })}
          </button>
        ) : null}
      </Empty>
    );
  }
  const ti = b.tableInfo();
  // While the mail view shows recovered messages, the downloads are of those (as filtered).
  const rl = s.recovered.list.value;
  const recoveredShown = !!ti?.mail && b.mode.value === 'mail' && s.recovered.showing.value && rl?.table === ti.name && rl.messages.length > 0;
  const shownRecovered = () => s.recovered.visible.value.map((i) => rl!.messages[i]);
  const latest = !s.rebuild.result.value?.target;
  return (
    <section class="view browse" aria-labelledby="br-title">
      <header class="view-head">
        <div>
          <h1 id="br-title">{t.t('Browse')}</h1>
          <p class="muted">
            {b.source.value?.name ?? ''} · {t.bytes(info.bytes)} · {t.tp(info.pages, '{n} page', '{n} pages')} · {t.t('integrity check: {r}', { r: info.integrity })}
          </p>
        </div>
        <div class="seg" role="tablist" aria-label={t.t('Browse')}>
          <button type="button" role="tab" aria-selected={pane === 'data'} class={pane === 'data' ? 'on' : ''} onClick={() => setPane('data')}>
            <Icon name="table" size={15} /> {t.t('Tables')}
          </button>
          <button type="button" role="tab" aria-selected={pane === 'console'} class={pane === 'console' ? 'on' : ''} onClick={() => setPane('console')}>
            <Icon name="terminal" size={15} /> {t.t('SQL console')}
          </button>
        </div>
      </header>
      {b.error.value ? <ErrorBox error={b.error.value} /> : null}
      {pane === 'console' ? (
        <Console />
      ) : (
        <div class="browse-grid">
          <nav class="card tables" aria-label={t.t('Tables')}>
            <h2>{t.t('Tables')}</h2>
            <ul class="plain">
              {info.tables.map((x) => (
                <li key={x.name}>
                  <button type="button" class={`tbl-btn${x.name === b.table.value ? ' on' : ''}`} aria-current={x.name === b.table.value ? 'true' : undefined} onClick={() => void b.selectTable(x.name)}>
                    <Icon name={x.mail ? 'mail' : x.type === 'view' ? 'evidence' : 'table'} size={15} />
                    <span class="tbl-name mono" title={x.name}>{x.name}</span>
                    <span class="muted small tbl-count">{x.rows === null ? '?' : t.num(x.rows)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div class="card table-pane">
            {ti ? (
              <>
                <div class="table-bar">
                  <h2 class="mono">{ti.name}</h2>
                  <span class="muted small">{b.view.value ? t.tp(b.view.value.total, '{n} row', '{n} rows') : '…'}</span>
                  {ti.mail ? (
                    <div class="seg" role="group" aria-label={t.t('View')}>
                      <button type="button" class={b.mode.value === 'table' ? 'on' : ''} aria-pressed={b.mode.value === 'table'} onClick={() => b.setMode('table')}><Icon name="table" size={14} /> {t.t('Table')}</button>
                      <button type="button" class={b.mode.value === 'mail' ? 'on' : ''} aria-pressed={b.mode.value === 'mail'} onClick={() => b.setMode('mail')}><Icon name="mail" size={14} /> {t.t('Messages')}</button>
                    </div>
                  ) : null}
                  <input type="search" class="input" placeholder={t.t('Filter rows…')} aria-label={t.t('Filter rows…')} value={b.filter.value} onInput={(e) => void b.setFilter((e.currentTarget as HTMLInputElement).value)} />
                  {recoveredShown ? (
                    <>
                      <button type="button" class="btn btn-small" data-testid="recovered-csv" title={t.t('The recovered messages shown, with what each is and where it was found')} onClick={() => saveBlob(new Blob([recoveredCsv(ti, shownRecovered(), latest)], { type: 'text/csv;charset=utf-8' }), `${safe(ti.name)}.recovered.csv`)}>CSV</button>
                      <button type="button" class="btn btn-small" data-testid="recovered-json" title={t.t('The recovered messages shown, with what each is and where it was found')} onClick={() => saveBlob(new Blob([recoveredJson(ti, shownRecovered(), latest)], { type: 'application/json' }), `${safe(ti.name)}.recovered.json`)}>JSON</button>
                    </>
                  ) : (
                    <>
                      <button type="button" class="btn btn-small" onClick={() => void b.exportTable(ti.name, 'csv').then((x) => saveBlob(x, `${safe(ti.name)}.csv`))}>CSV</button>
                      <button type="button" class="btn btn-small" onClick={() => void b.exportTable(ti.name, 'json').then((x) => saveBlob(x, `${safe(ti.name)}.json`))}>JSON</button>
                    </>
                  )}
                </div>
                {ti.mail && b.mode.value === 'mail' ? (
                  <MailView table={ti} />
                ) : b.view.value ? (
                  <DataTable
                    columns={b.view.value.columns}
                    count={b.view.value.total}
                    row={(i) => b.row(i)}
                    version={b.rowsVersion.value}
                    onRange={(a, z) => void b.need(a, z)}
                    sort={b.sort.value}
                    onSort={(c) => void b.setSort(c)}
                    selected={b.selectedRow.value}
                    onSelect={(i) => b.selectRow(i)}
                    label={t.t('Rows of {table}', { table: ti.name })}
                  />
                ) : (
                  <p class="muted pad">…</p>
                )}
              </>
            ) : (
              <p class="muted pad">{t.t('Choose a table.')}</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function Console() {
  const s = useStore();
  const t = useT();
  const b = s.browse;
  const r = b.result.value;
  return (
    <div class="console">
      <div class="card">
        <label for="sql" class="label">{t.t('SQL')}</label>
        <textarea
          id="sql"
          class="input mono sql"
          rows={5}
          spellcheck={false}
          value={b.sql.value}
          onInput={(e) => b.setSql((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void b.run();
            }
          }}
        />
        <div class="console-bar">
          <button type="button" class="btn btn-primary" data-testid="run-sql" disabled={b.running.value} onClick={() => void b.run()}>
            <Icon name="play" /> {t.t('Run')} <kbd>Ctrl+Enter</kbd>
          </button>
          <button type="button" class="btn" onClick={() => void b.resetConsole()}>{t.t('Reset the copy')}</button>
          <span class="muted small"><Icon name="lock" size={14} /> {t.t('Runs on a copy: the rebuilt file you download never changes.')}</span>
          <span class="spacer" />
          <button type="button" class="btn btn-small" disabled={!r?.columns.length} onClick={() => void b.exportQuery('csv').then((x) => saveBlob(x, 'query.csv'))}>CSV</button>
          <button type="button" class="btn btn-small" disabled={!r?.columns.length} onClick={() => void b.exportQuery('json').then((x) => saveBlob(x, 'query.json'))}>JSON</button>
        </div>
      </div>
      {b.consoleError.value ? <ErrorBox error={b.consoleError.value} /> : null}
      {r ? (
        <div class="card table-pane">
          <p class="muted small" data-testid="query-status">
            {r.columns.length ? t.tp(r.rows.length, '{n} row', '{n} rows') : t.t('No rows returned.')}
            {r.truncated ? ` · ${t.t('only the first {n} rows are shown', { n: r.rows.length })}` : ''}
            {r.changes ? ` · ${t.tp(r.changes, '{n} change (on the copy)', '{n} changes (on the copy)')}` : ''}
            {` · ${t.num(r.ms, { maximumFractionDigits: 1 })} ms`}
          </p>
          {r.columns.length ? <DataTable columns={r.columns} count={r.rows.length} row={(i) => r.rows[i]} label={t.t('Query result')} /> : null}
        </div>
      ) : null}
    </div>
  );
}
