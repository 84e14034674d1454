// Recovered messages of a mail-like table (store/recovered.ts): the rows the deleted-record searches found — in the
// rebuilt database's free space and in its WAL files' older page versions — that the browsed state does not hold, as a
// message list and a reading pane that says where each was found, whether its rowid is gone or holds another version
// (and which columns differ), and which values the record no longer tells.
import type { TableInfo } from '../../../workers/hosts/sql-service';
import type { RecoveredMessage, FoundAt, StatusFilter } from '../../store/recovered';
import { useStore, useT } from '../../store/store';
import type { I18n } from '../../i18n/i18n';
import { VirtualList } from '../../ui/VirtualList';
import { ErrorBox, ProgressBar } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { cellText } from './DataTable';
import { displayName, MailHeaders, OtherColumns } from './MailView';
import { showInHex } from '../sqlite/DeletedPanel';

function statusLabel(m: RecoveredMessage, t: I18n, latest: boolean): string {
  if (m.status === 'changed') return t.t('other version');
  if (m.status === 'unknown') return t.t('rowid lost');
  return latest ? t.t('deleted') : t.t('not in this state');
}

function whereText(f: FoundAt, t: I18n): string {
  const how = f.where === 'frame' ? t.t('cell') : f.where === 'freeblock' ? t.t('freeblock') : f.where === 'unallocated' ? t.t('unallocated space') : t.t('freelist page');
  return `${f.frame ? `${t.t('frame {f}', { f: f.frame })}, ` : ''}${t.t('page {p} at byte {o}', { p: f.page, o: f.offset })} (${how})`;
}

export function RecoveredMail({ table }: { table: TableInfo }) {
  const s = useStore();
  const t = useT();
  const r = s.recovered;
  const searches = r.searches.value;
  const searched = r.searched.value;
  const list = r.list.value;
  const byFile = s.deleted.byFile.value;
  if (!searches.length) {
    return <p class="muted pad" data-testid="recovered-none">{t.t('Recovered messages come from searches of a rebuilt SQLite database and its WAL files. For an ESE database, export it with its deleted records: they become tables of their own.')}</p>;
  }
  const runningOne = searches.find((x) => byFile.get(x.key)?.phase === 'running');
  const missing = searches.length - searched;
  const latest = !s.rebuild.result.value?.target;
  const mail = table.mail!;
  const ix = (c: string | null) => (c ? table.columns.findIndex((x) => x.name === c) : -1);
  const [iSubj, iFrom, iDate] = [ix(mail.subject), ix(mail.from), ix(mail.date)];
  const msgs = list && list.table === table.name ? list.messages : [];
  const shown = msgs.length ? r.visible.value : [];
  const sel = r.selected.value;
  const pos = sel !== null ? shown.indexOf(sel) : -1;
  const m = pos >= 0 ? msgs[sel!] : undefined;
  const changedCount = msgs.reduce((n, x) => n + (x.status === 'changed' ? 1 : 0), 0);
  const filters: Array<[StatusFilter, string, number]> = [
    ['all', t.t('All'), msgs.length],
    ['gone', latest ? t.t('Deleted') : t.t('Not in this state'), msgs.length - changedCount],
    ['changed', t.t('Other versions'), changedCount],
  ];
  return (
    <div class="recovered" data-testid="recovered">
      <div class="recovered-bar">
        {runningOne ? (
          <ProgressBar progress={byFile.get(runningOne.key)?.progress ?? null} label={t.t('Searching {file} for deleted records…', { file: runningOne.name })} onCancel={() => r.cancel()} />
        ) : (
          <>
            <p class="muted small" data-testid="recovered-summary">
              {r.comparing.value
                ? t.t('Comparing the recovered rows with this state…')
                : list && list.table === table.name
                ? `${t.tp(msgs.length, '{n} recovered message', '{n} recovered messages')} · ${t.t('{done} of {all} sources searched', { done: list.searched, all: searches.length })}${list.same ? ` · ${t.tp(list.same, '{n} copy identical to a message of this state left out', '{n} copies identical to messages of this state left out')}` : ''}`
                : t.t('The rebuilt database\'s free space and the older page versions in its WAL files can still hold messages this state does not: deleted ones, and earlier versions of changed ones. The search reads them only.')}
            </p>
            {missing ? (
              <button type="button" class="btn btn-small" data-testid="recover" onClick={() => void r.searchAll()}>
                <Icon name="trash" /> {searched ? t.t('Search the other {n} sources', { n: missing }) : t.tp(searches.length, 'Search {n} source', 'Search {n} sources')}
              </button>
            ) : null}
          </>
        )}
      </div>
      {r.error.value ? <ErrorBox error={r.error.value} /> : null}
      {list && list.table === table.name && !msgs.length ? <p class="muted pad">{t.t('No recovered messages in this table.')}</p> : null}
      {msgs.length ? (
        <div class="seg" role="group" aria-label={t.t('Show')} data-testid="recovered-filter">
          {filters.map(([f, label, n]) => (
            <button key={f} type="button" class={r.statusFilter.value === f ? 'on' : ''} aria-pressed={r.statusFilter.value === f} onClick={() => r.setStatusFilter(f)}>
              {label} <span class="count">{t.num(n)}</span>
            </button>
          ))}
        </div>
      ) : null}
      {msgs.length && !shown.length ? <p class="muted pad">{t.t('No recovered message matches.')}</p> : null}
      {shown.length ? (
        <div class="mail">
          <VirtualList
            class="mail-list"
            count={shown.length}
            rowHeight={58}
            role="listbox"
            label={t.t('Recovered messages')}
            tabIndex={0}
            scrollToIndex={pos >= 0 ? pos : null}
            onKeyDown={(e) => {
              const d: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
              if (e.key in d) {
                e.preventDefault();
                r.select(shown[Math.max(0, Math.min(shown.length - 1, pos + d[e.key]))]);
              }
            }}
            render={(i, style) => {
              const x = msgs[shown[i]];
              return (
                <div key={i} role="option" aria-selected={i === pos} class={`mail-item${i === pos ? ' sel' : ''}`} style={style} onClick={() => r.select(shown[i])} data-testid="recovered-item">
                  <div class="mail-top">
                    <span class="mail-from" title={cellText(x.cells[iFrom])}>{displayName(cellText(x.cells[iFrom]))}</span>
                    {x.rowid !== null ? <span class="muted small mono">#{x.rowid}</span> : null}
                    <span class="spacer" />
                    <span class={`pill ${x.status === 'changed' ? 'pill-warn' : 'pill-bad'}`}>{statusLabel(x, t, latest)}</span>
                  </div>
                  <div class="mail-subj">{cellText(x.cells[iSubj]) || <span class="muted">{t.t('(no subject)')}</span>} <span class="muted small">· {cellText(x.cells[iDate])}</span></div>
                </div>
              );
            }}
          />
          <article class="mail-pane" aria-label={t.t('Recovered message')} aria-live="polite" data-testid="recovered-pane">
            {m ? <RecoveredPane m={m} table={table} latest={latest} versions={msgs.map((x, i) => (x.rowid !== null && x.rowid === m.rowid ? i : -1)).filter((i) => i >= 0)} /> : <p class="muted pad">{t.t('Choose a message to read it.')}</p>}
          </article>
        </div>
      ) : null}
    </div>
  );
}

function RecoveredPane({ m, table, latest, versions }: { m: RecoveredMessage; table: TableInfo; latest: boolean; versions: number[] }) {
  const s = useStore();
  const t = useT();
  const mail = table.mail!;
  const cols = table.columns.map((c) => c.name);
  const ix = (c: string | null) => (c ? cols.indexOf(c) : -1);
  const val = (j: number) => (m.unknown.includes(j) ? <span class="muted" title={t.t('The record no longer tells this value')}>?</span> : cellText(m.cells[j]));
  return (
    <>
      <h2>{cellText(m.cells[ix(mail.subject)]) || t.t('(no subject)')}</h2>
      <div class={`recovered-note ${m.status === 'changed' ? 'warn' : 'bad'}`} data-testid="recovered-status">
        <strong>{statusLabel(m, t, latest)}</strong>{' '}
        {m.status === 'absent'
          ? latest
            ? t.t('No row of this table has rowid {id} now.', { id: m.rowid ?? '?' })
            : t.t('No row of this table has rowid {id} in this state (deleted before it, or written after it).', { id: m.rowid ?? '?' })
          : m.status === 'changed'
            ? t.t('Row {id} of this state holds other values in {cols}.', { id: m.rowid ?? '?', cols: m.changed.map((j) => cols[j]).join(', ') })
            : t.t('The rowid was overwritten: this record cannot be matched with a row.')}
      </div>
      {versions.length > 1 ? (
        <p class="small" data-testid="recovered-versions">
          {t.t('Recovered versions of rowid {id}:', { id: m.rowid ?? '?' })}{' '}
          {versions.map((i, k) => (
            <button key={i} type="button" class={`btn btn-small${s.recovered.selected.value === i ? ' on' : ''}`} aria-pressed={s.recovered.selected.value === i} onClick={() => s.recovered.select(i)}>
              {k + 1}
            </button>
          ))}
        </p>
      ) : null}
      <MailHeaders mail={mail} cols={cols} value={val} />
      {m.status === 'changed' && m.live ? (
        <>
          <h3 class="small muted">{t.t('What changed')}</h3>
          <table class="grid small" data-testid="recovered-changes">
            <thead>
              <tr>
                <th scope="col">{t.t('Column')}</th>
                <th scope="col">{t.t('Recovered')}</th>
                <th scope="col">{t.t('In this state')}</th>
              </tr>
            </thead>
            <tbody>
              {m.changed.map((j) => (
                <tr key={j}>
                  <td class="mono">{cols[j]}</td>
                  <td>{val(j)}</td>
                  <td>{cellText(m.live![j])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3 class="small muted">{t.t('Found at')}</h3>
      <ul class="plain found-list">
        {m.found.map((f, k) => (
          <li key={k}>
            <span class="mono small">{f.search}</span>: {whereText(f, t)}{' '}
            {f.file !== undefined ? (
              <button type="button" class="btn-link" onClick={() => void showInHex(s, f.file!, f)}>{t.t('show in hex')}</button>
            ) : null}
          </li>
        ))}
      </ul>
      <OtherColumns mail={mail} cols={cols} value={val} />
    </>
  );
}
