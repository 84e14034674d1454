// The app shell: top bar (case, verdict, language, theme), navigation, the current view, and notices.
import { useEffect } from 'preact/hooks';
import { useStore, useT, caseTitle } from './store/store';
import { TABS, type Tab } from './store/ui';
import { Icon } from './ui/icons';
import { VerdictBadge, ProgressBar } from './ui/widgets';
import { LANGS } from './i18n/i18n';
import { Start } from './features/start/Start';
import { Evidence } from './features/evidence/Evidence';
import { Integrity } from './features/integrity/Integrity';
import { Timeline } from './features/timeline/Timeline';
import { Rebuild } from './features/rebuild/Rebuild';
import { Browse } from './features/browse/Browse';
import { Export } from './features/export/Export';
import { History } from './features/history/History';
import { useTheme } from './features/integrity/PageMap';
import './features/sqlite/panels';
import './features/sqlite/DeletedPanel';
import './features/ese/panels';

const VIEWS: Record<Tab, () => preact.JSX.Element | null> = {
  start: Start, evidence: Evidence, integrity: Integrity, timeline: Timeline, rebuild: Rebuild, browse: Browse, export: Export, history: History,
};

export function App() {
  const s = useStore();
  const t = useT();
  const theme = useTheme();
  const tab = s.ui.tab.value;
  const phase = s.case.phase.value;
  useEffect(() => {
    document.documentElement.lang = t.lang;
    document.documentElement.dataset.theme = theme;
    document.title = s.case.name.value ? `${caseTitle(s.case.name.value, s.case.demo.value, t)} — Palimpsest` : 'Palimpsest';
  }, [t.lang, theme, s.case.name.value]);
  const label: Record<Tab, string> = {
    start: t.t('Start'), evidence: t.t('Evidence'), integrity: t.t('Integrity'), timeline: t.t('Timeline'), rebuild: t.t('Rebuild'),
    browse: t.t('Browse'), export: t.t('Export'), history: t.t('History'),
  };
  const needsCase = (x: Tab) => x !== 'start' && x !== 'history';
  const V = VIEWS[tab];
  const verdict = s.case.verdict.value;
  return (
    <div class="app">
      <a href="#main" class="skip">{t.t('Skip to content')}</a>
      <header class="topbar">
        <div class="brand">
          <Icon name="logo" size={22} />
          <span class="brand-name">Palimpsest</span>
        </div>
        <div class="case-title">
          {phase !== 'empty' ? (
            <>
              <span class="case-name" title={s.case.name.value}>{caseTitle(s.case.name.value, s.case.demo.value, t)}</span>
              {phase === 'loading' ? <span class="muted small">{t.t('verifying…')}</span> : null}
              {verdict ? <VerdictBadge verdict={verdict} testid="verdict" /> : null}
              {phase === 'error' ? <span class="pill pill-bad">{t.t('failed')}</span> : null}
              <button type="button" class="btn-icon" onClick={() => s.closeCase()} aria-label={t.t('Close the case')} title={t.t('Close the case')}>
                <Icon name="close" size={14} />
              </button>
            </>
          ) : (
            <span class="muted">{t.t('No case is open')}</span>
          )}
        </div>
        <div class="top-actions">
          <span class="offline" title={t.t('This page makes no network connections.')}>
            <Icon name="lock" size={14} /> {t.t('Offline')}
          </span>
          <label class="inline">
            <span class="sr-only">{t.t('Language')}</span>
            <select data-testid="language" aria-label={t.t('Language')} value={t.lang} onChange={(e) => s.prefs.setLang((e.currentTarget as HTMLSelectElement).value as (typeof LANGS)[number])}>
              <option value="en">English</option>
              <option value="pt-BR">Português (Brasil)</option>
            </select>
          </label>
          <button
            type="button"
            class="btn-icon"
            aria-label={theme === 'dark' ? t.t('Use the light theme') : t.t('Use the dark theme')}
            title={theme === 'dark' ? t.t('Use the light theme') : t.t('Use the dark theme')}
            onClick={() => s.prefs.setTheme(theme === 'dark' ? 'light' : 'dark')}
          >
            <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
          </button>
        </div>
      </header>
      <nav class="sidenav" aria-label={t.t('Views')}>
        <ul>
          {TABS.map((x) => (
            <li key={x}>
              <button
                type="button"
                class={`nav-btn${tab === x ? ' on' : ''}`}
                aria-current={tab === x ? 'page' : undefined}
                data-testid={`nav-${x}`}
                disabled={needsCase(x) && phase === 'empty'}
                onClick={() => s.ui.show(x)}
              >
                <Icon name={x} />
                <span>{label[x]}</span>
                {x === 'integrity' && s.case.view.value ? <Badge n={s.case.view.value.report.counts.errors} /> : null}
              </button>
            </li>
          ))}
        </ul>
        {phase === 'loading' ? (
          <div class="nav-progress">
            <ProgressBar progress={s.case.progress.value} onCancel={() => s.case.cancel()} />
          </div>
        ) : s.case.hashing.value.status === 'running' ? (
          <div class="nav-progress">
            <ProgressBar progress={s.case.hashing.value.progress} label={t.term('phase.hash')} onCancel={() => s.case.stopHashing()} />
          </div>
        ) : null}
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        <V />
      </main>
      <div class="notices" role="status" aria-live="polite">
        {s.ui.notices.value.map((n) => (
          <div key={n.id} class={`notice notice-${n.kind}`}>
            <Icon name={n.kind === 'error' ? 'error' : 'info'} size={16} />
            <span>{n.text}</span>
            <button type="button" class="btn-icon" aria-label={t.t('Dismiss')} onClick={() => s.ui.dismiss(n.id)}>
              <Icon name="close" size={12} />
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}

function Badge({ n }: { n: number }) {
  const t = useT();
  if (!n) return null;
  return <span class="nav-badge" aria-label={t.tp(n, '{n} error', '{n} errors')}>{n > 99 ? '99+' : n}</span>;
}
