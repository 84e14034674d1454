// The issues list: severity chips, a file filter and a text filter over a virtualized list; an issue with a place
// opens the hex view there.
import { useMemo } from 'preact/hooks';
import { useStore, useT } from '../../store/store';
import { VirtualList } from '../../ui/VirtualList';
import { SeverityIcon } from '../../ui/widgets';
import { ALL_SEVERITIES, caseIssues, filterIssues, issueTarget, severityCounts } from './issues';
import type { VerifyReport } from '../../../workers/engine/report/report';

export function Issues({ report }: { report: VerifyReport }) {
  const s = useStore();
  const t = useT();
  const f = s.integrity.filter.value;
  const all = useMemo(() => caseIssues(report), [report]);
  const shown = useMemo(() => filterIssues(all, f, (c) => t.term(`issue.${c}`)), [all, f, t]);
  const counts = severityCounts(all);
  const files = useMemo(() => [...new Set(all.map((i) => i.file))].sort(), [all]);
  return (
    <section class="issues card" aria-labelledby="issues-title">
      <header class="issues-head">
        <h2 id="issues-title">{t.t('Issues')} <span class="muted">{t.num(shown.length)} / {t.num(all.length)}</span></h2>
        <div class="issue-filters">
          <div class="seg" role="group" aria-label={t.t('Severity')}>
            {ALL_SEVERITIES.map((sev) => (
              <button key={sev} type="button" class={f.severities.includes(sev) ? 'on' : ''} aria-pressed={f.severities.includes(sev)} onClick={() => s.integrity.toggleSeverity(sev)}>
                <SeverityIcon severity={sev} /> {t.term(`severity.${sev}`)} <span class="count">{t.num(counts[sev])}</span>
              </button>
            ))}
          </div>
          <label class="inline">
            <span class="sr-only">{t.t('File')}</span>
            <select value={f.file} onChange={(e) => s.integrity.setIssueFile((e.currentTarget as HTMLSelectElement).value)} aria-label={t.t('Only issues of this file')}>
              <option value="">{t.t('All files')}</option>
              {files.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </label>
          <input type="search" class="input" placeholder={t.t('Filter issues…')} aria-label={t.t('Filter issues…')} value={f.text} onInput={(e) => s.integrity.setIssueText((e.currentTarget as HTMLInputElement).value)} />
        </div>
      </header>
      {shown.length ? (
        <VirtualList
          class="issue-list"
          count={shown.length}
          rowHeight={58}
          role="list"
          label={t.t('Issues')}
          render={(i, style) => {
            const it = shown[i];
            const target = issueTarget(report, it);
            return (
              <div key={i} class={`issue issue-${it.severity}`} style={style} role="listitem">
                <SeverityIcon severity={it.severity} />
                <div class="issue-main">
                  <div class="issue-line">
                    <strong>{t.term(`issue.${it.code}`)}</strong>
                    <code class="muted small">{it.code}</code>
                    <span class="mono small issue-file" title={it.file}>{it.file}</span>
                    {it.offset !== null ? (
                      target ? (
                        <button type="button" class="btn-link mono small" onClick={() => void s.integrity.openHex(target.file, target.unit, target.index, target.byte)} aria-label={t.t('Show offset 0x{off} in the hex view', { off: it.offset.toString(16) })}>
                          @0x{it.offset.toString(16)}
                        </button>
                      ) : (
                        <span class="mono small">@0x{it.offset.toString(16)}</span>
                      )
                    ) : null}
                  </div>
                  <p class="issue-msg" title={it.message}>{it.message}</p>
                </div>
              </div>
            );
          }}
        />
      ) : (
        <p class="muted pad">{all.length ? t.t('No issue matches the filters.') : t.t('No issues were found.')}</p>
      )}
    </section>
  );
}
