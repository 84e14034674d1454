// Mail view for tables that look like mail (mail.ts): a message list (virtualized) and a reading pane.
import { useEffect } from 'preact/hooks';
import type { ComponentChild } from 'preact';
import type { MailColumns } from './mail';
import type { TableInfo } from '../../../workers/hosts/sql-service';
import { useStore, useT } from '../../store/store';
import { VirtualList } from '../../ui/VirtualList';
import { cellText } from './DataTable';
import { RecoveredMail } from './RecoveredMail';
import { Icon } from '../../ui/icons';

/** `"Ana Silva" <ana@example.com>` → Ana Silva (the list shows names; the pane shows the whole header). */
export function displayName(from: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]+>\s*$/.exec(from);
  return m && m[1].trim() ? m[1].trim() : from;
}

/** The browsed state's messages, or the recovered ones (deleted, other versions) when the case has searches for them. */
export function MailView({ table }: { table: TableInfo }) {
  const s = useStore();
  const t = useT();
  const r = s.recovered;
  const searched = r.searched.value;
  useEffect(() => {
    if (searched) void r.refresh(table);
  }, [table.name, searched]);
  if (!r.searches.value.length && !r.showing.value) return <LiveMail table={table} />;
  const list = r.list.value;
  const n = list && list.table === table.name ? list.messages.length : null;
  return (
    <div class="mail-wrap">
      <div class="seg" role="group" aria-label={t.t('Messages')}>
        <button type="button" class={!r.showing.value ? 'on' : ''} aria-pressed={!r.showing.value} onClick={() => r.show(false)}>
          <Icon name="mail" size={14} /> {t.t('In this state')} <span class="count">{t.num(s.browse.view.value?.total ?? 0)}</span>
        </button>
        <button type="button" data-testid="show-recovered" class={r.showing.value ? 'on' : ''} aria-pressed={r.showing.value} onClick={() => r.show(true)}>
          <Icon name="trash" size={14} /> {t.t('Recovered')} <span class="count">{n === null ? '…' : t.num(n)}</span>
        </button>
      </div>
      {r.showing.value ? <RecoveredMail table={table} /> : <LiveMail table={table} />}
    </div>
  );
}

function LiveMail({ table }: { table: TableInfo }) {
  const s = useStore();
  const t = useT();
  const b = s.browse;
  const v = b.view.value;
  void b.rowsVersion.value;
  const mail = table.mail!;
  const cols = v?.columns ?? [];
  const ix = (c: string | null) => (c ? cols.indexOf(c) : -1);
  const [iSubj, iFrom, iDate] = [ix(mail.subject), ix(mail.from), ix(mail.date)];
  const sel = b.selectedRow.value;
  const row = sel !== null ? b.row(sel) : undefined;
  return (
    <div class="mail">
      <VirtualList
        class="mail-list"
        count={v?.total ?? 0}
        rowHeight={58}
        role="listbox"
        label={t.t('Messages')}
        tabIndex={0}
        scrollToIndex={sel}
        onRange={(a, z) => void b.need(a, z)}
        onKeyDown={(e) => {
          const d: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
          if (e.key in d && v) {
            e.preventDefault();
            b.selectRow(Math.max(0, Math.min(v.total - 1, (sel ?? -1) + d[e.key])));
          }
        }}
        render={(i, style) => {
          const r = b.row(i);
          return (
            <div key={i} role="option" aria-selected={i === sel} class={`mail-item${i === sel ? ' sel' : ''}`} style={style} onClick={() => b.selectRow(i)}>
              {r ? (
                <>
                  <div class="mail-top">
                    <span class="mail-from" title={cellText(r[iFrom])}>{displayName(cellText(r[iFrom]))}</span>
                    <span class="mail-date muted small">{cellText(r[iDate])}</span>
                  </div>
                  <div class="mail-subj">{cellText(r[iSubj]) || <span class="muted">{t.t('(no subject)')}</span>}</div>
                </>
              ) : (
                <span class="loading-cell" />
              )}
            </div>
          );
        }}
      />
      <article class="mail-pane" aria-label={t.t('Message')} aria-live="polite">
        {row ? (
          <>
            <h2>{cellText(row[iSubj]) || t.t('(no subject)')}</h2>
            <MailHeaders mail={mail} cols={cols} value={(j) => cellText(row[j])} />
            <OtherColumns mail={mail} cols={cols} value={(j) => cellText(row[j])} />
          </>
        ) : (
          <p class="muted pad">{t.t('Choose a message to read it.')}</p>
        )}
      </article>
    </div>
  );
}

/** A message's headers (from, to, cc, date) and body, the columns mail.ts found; `value` renders column j. */
export function MailHeaders({ mail, cols, value }: { mail: MailColumns; cols: string[]; value: (j: number) => ComponentChild }) {
  const t = useT();
  const ix = (c: string | null) => (c ? cols.indexOf(c) : -1);
  return (
    <>
      <dl class="mail-headers">
        {[[t.t('From'), mail.from], [t.t('To'), mail.to], [t.t('Cc'), mail.cc], [t.t('Date'), mail.date]].map(([label, c]) =>
          c && ix(c) >= 0 ? (
            <div key={c}>
              <dt>{label}</dt>
              <dd>{value(ix(c))}</dd>
            </div>
          ) : null,
        )}
      </dl>
      {mail.body && ix(mail.body) >= 0 ? <pre class="mail-body">{value(ix(mail.body))}</pre> : null}
    </>
  );
}

/** The message's other columns (those not shown as headers, subject or body). */
export function OtherColumns({ mail, cols, value }: { mail: MailColumns; cols: string[]; value: (j: number) => ComponentChild }) {
  const t = useT();
  const shown = [mail.subject, mail.from, mail.to, mail.cc, mail.date, mail.body];
  return (
    <>
      <h3 class="small muted">{t.t('All columns')}</h3>
      <dl class="facts">
        {cols.map((c, j) => (shown.includes(c) ? null : (
          <div class="fact" key={c}>
            <dt>{c}</dt>
            <dd class="mono">{value(j)}</dd>
          </div>
        )))}
      </dl>
    </>
  );
}
