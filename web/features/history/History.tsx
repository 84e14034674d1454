// Case history: recent cases (names, hashes, verdicts) kept in this browser; evidence bytes only if opted in.
import { useStore, useT, caseTitle } from '../../store/store';
import { Empty, VerdictBadge } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { issueCounts } from '../../ui/counts';

export function History() {
  const s = useStore();
  const t = useT();
  const list = s.history.entries.value;
  return (
    <section class="view" aria-labelledby="hi-title">
      <header class="view-head">
        <div>
          <h1 id="hi-title">{t.t('Case history')}</h1>
          <p class="muted">{t.t('Kept only in this browser. Names, sizes, hashes and verdicts; evidence bytes only if you allowed it.')}</p>
        </div>
        <div class="view-actions">
          <label class="check">
            <input type="checkbox" checked={s.prefs.keepEvidence.value} onChange={(e) => s.prefs.setKeepEvidence((e.currentTarget as HTMLInputElement).checked)} />
            {t.t('Keep evidence bytes for new cases')}
          </label>
          <button type="button" class="btn btn-danger" data-testid="clear-history" disabled={!list.length} onClick={() => { if (confirm(t.t('Clear the whole case history, including any kept evidence?'))) void s.history.clear(); }}>
            <Icon name="trash" /> {t.t('Clear history')}
          </button>
        </div>
      </header>
      {list.length ? (
        <ul class="plain history" data-testid="history-list">
          {list.map((e) => (
            <li key={e.id} class="card hist">
              <div class="hist-head">
                <strong>{caseTitle(e.name, e.demo, t)}</strong>
                <VerdictBadge verdict={e.verdict} />
                <span class="muted small">{t.date(e.openedAt)}</span>
                <span class="spacer" />
                {e.demo || e.evidenceKept ? (
                  <button type="button" class="btn btn-small" onClick={() => void s.reopen(e)}>{t.t('Reopen')}</button>
                ) : (
                  <span class="muted small">{t.t('Drop the same files again to reopen')}</span>
                )}
                <button type="button" class="btn-icon" aria-label={t.t('Remove {name} from the history', { name: caseTitle(e.name, e.demo, t) })} onClick={() => void s.history.remove(e.id)}>
                  <Icon name="close" size={14} />
                </button>
              </div>
              <p class="small muted">
                {t.tp(e.files.length, '{n} file', '{n} files')} · {issueCounts(t, e.counts.errors, e.counts.warnings, e.counts.infos)}
                {e.families.map((f) => ` · ${f.name} → ${f.reached ?? '—'}`).join('')}
                {e.evidenceKept ? ` · ${t.t('evidence kept')}` : ''}
              </p>
              <details>
                <summary class="small">{t.t('Files and hashes')}</summary>
                <table class="grid small">
                  <tbody>
                    {e.files.map((f) => (
                      <tr key={f.path}>
                        <td class="mono path">{f.path}</td>
                        <td>{t.term(`kind.${f.kind}`)}</td>
                        <td class="num">{t.bytes(f.size)}</td>
                        <td class="mono">{f.sha256 ?? t.t('not computed')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </li>
          ))}
        </ul>
      ) : (
        <Empty icon="history" title={t.t('No cases yet.')} />
      )}
    </section>
  );
}
