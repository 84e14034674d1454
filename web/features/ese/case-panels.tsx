// ESE panels that span files: the log sets (chain, gaps, files kept out), the restore plan of each database as a
// checklist the admin ticks (KB 296788: the engine's steps, its verdict, what is missing and which error recovery
// would end in), and the whole run as eseutil would print it (the CLI's `verify --format eseutil` text).
import { useMemo, useState } from 'preact/hooks';
import { useStore, useT } from '../../store/store';
import { registerCasePanel, type CasePanelProps } from '../registry';
import { Icon } from '../../ui/icons';
import { VerdictBadge } from '../../ui/widgets';
import { saveText } from '../../ui/download';
import { eseutilText } from '../../../workers/engine/formats/ese/eseutil';
import { stepKey } from '../../store/ese';
import { logSetsOf, plansOf, hasEse, chainCells, missingNames, fileOf, HX, type EsePlan } from './model';

function LogSets({ view }: CasePanelProps) {
  const t = useT();
  const sets = logSetsOf(view.report);
  if (!sets.length) return <p class="muted">{t.t('No transaction logs in this case.')}</p>;
  return (
    <div class="ese-sets">
      {sets.map((s) => {
        const cells = chainCells(s);
        return (
          <section key={`${s.folder}/${s.base}`} class="ese-set" aria-label={t.t('Log set {base}', { base: s.base })}>
            <div class="family-line">
              <Icon name="timeline" />
              <strong class="mono">{s.base}</strong>
              {s.folder && s.folder !== '.' ? <span class="muted small mono">{s.folder}</span> : null}
              <span class={`pill ${s.ok ? 'pill-ok' : 'pill-bad'}`} data-testid="ese-set-state">{s.ok ? t.t('chain complete') : t.t('chain broken')}</span>
              <span class="muted small">
                {s.low !== null ? `0x${HX(s.low)}–0x${HX(s.high!)}` : t.t('no generations')} · {t.tp(s.members.length, '{n} log', '{n} logs')}
                {s.current ? ` · ${t.t('current log {file}', { file: fileOf(s.current.path) })}` : ` · ${t.t('no current log')}`}
              </span>
            </div>
            {cells.length ? (
              <ol class="chain" aria-label={t.t('Generations of {base}', { base: s.base })}>
                {cells.map((c) => (
                  <li key={c.generation} class={`gen gen-${c.state}${c.current ? ' gen-current' : ''}`} title={c.path ?? t.t('missing')}>
                    <span class="mono">{HX(c.generation)}</span>
                    <span class="sr-only"> {c.state === 'ok' ? t.t('present') : c.state === 'damaged' ? t.t('damaged') : t.t('missing')}</span>
                  </li>
                ))}
              </ol>
            ) : null}
            {s.missing.length ? (
              <p class="small" data-testid="ese-missing">
                <Icon name="warn" size={15} /> {t.t('Missing: {names}', { names: missingNames(s).join(', ') })}
              </p>
            ) : null}
            {s.links.filter((l) => !l.ok).map((l) => (
              <p key={`${l.from}-${l.to}`} class="small">
                <Icon name="error" size={15} /> {t.t('0x{a} → 0x{b} do not link', { a: HX(l.from), b: HX(l.to) })}: <span class="muted">{l.problems.join('; ')}</span>
              </p>
            ))}
            {s.problems.length ? <ul class="small muted">{s.problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
            {s.excluded.length ? (
              <details class="small">
                <summary>{t.tp(s.excluded.length, '{n} file kept out of the chain', '{n} files kept out of the chain')}</summary>
                <ul class="plain">{s.excluded.map((x) => <li key={x.path}><span class="mono">{fileOf(x.path)}</span> <span class="muted">— {x.reason}</span></li>)}</ul>
              </details>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

const CASE_VERDICT: Record<string, string> = {
  'point-in-time-ready': 'restorable', 'roll-forward-ready': 'restorable', 'consistent-no-logs': 'restorable', 'not-ready': 'restorable-with-loss',
};

function Check({ ok, label, detail }: { ok: boolean | null; label: string; detail?: string | null }) {
  const t = useT();
  return (
    <li class={`check-line ${ok === null ? 'na' : ok ? 'yes' : 'no'}`}>
      <Icon name={ok === null ? 'info' : ok ? 'ok' : 'error'} size={16} />
      <span>{label}</span>
      <span class="sr-only">: {ok === null ? t.t('not applicable') : ok ? t.t('yes') : t.t('no')}</span>
      {detail ? <span class="muted small"> — {detail}</span> : null}
    </li>
  );
}

function Plan({ p }: { p: EsePlan }) {
  const s = useStore();
  const t = useT();
  const ticks = s.ese.ticks.value;
  const done = p.steps.filter((st, i) => ticks[stepKey(p.database, i, st.text)]).length;
  const anchor = (a: EsePlan['lowAnchor']) => (a ? `0x${HX(a.generation)} (${a.log ? fileOf(a.log) : t.t('log not present')})` : '—');
  return (
    <section class="ese-plan" aria-label={t.t('Restore plan for {db}', { db: fileOf(p.database) })} data-testid="ese-plan">
      <div class="family-line">
        <Icon name="browse" />
        <strong class="mono">{fileOf(p.database)}</strong>
        <VerdictBadge verdict={p.caseVerdict ?? CASE_VERDICT[p.verdict]} />
        <span class="pill plan-verdict" data-testid="ese-plan-verdict">{t.term(`eseVerdict.${p.verdict}`)}</span>
        <span class="muted small">{p.state}</span>
      </div>
      {p.expectedError ? (
        <p class="plan-error" data-testid="ese-expected-error">
          <Icon name="error" size={16} /> {t.t('Recovery as things stand would end in {code} ({name}).', { code: String(p.expectedError.code), name: p.expectedError.name })}
        </p>
      ) : null}
      <dl class="facts">
        <div class="fact"><dt>{t.t('Log set')}</dt><dd class="mono">{p.logSet ? (p.logSet.folder && p.logSet.folder !== '.' ? `${p.logSet.base} · ${p.logSet.folder}` : p.logSet.base) : '—'}</dd></div>
        <div class="fact"><dt>{t.t('Low anchor (first log needed)')}</dt><dd class="mono">{anchor(p.lowAnchor)}</dd></div>
        <div class="fact"><dt>{t.t('High anchor (last log needed)')}</dt><dd class="mono">{anchor(p.highAnchor)}</dd></div>
        {p.group.length > 1 ? <div class="fact"><dt>{t.t('Databases sharing the logs')}</dt><dd class="mono">{p.group.map(fileOf).join(', ')}</dd></div> : null}
      </dl>
      <ul class="plain checks">
        <Check ok={p.logSignatureMatches} label={t.t('The log signature matches the database')} />
        <Check ok={p.chainComplete} label={t.t('The log chain from the low anchor is complete')} detail={p.missing.length ? t.tp(p.missing.length, '{n} generation missing', '{n} generations missing') : null} />
        <Check ok={p.currentLogIsHighAnchor} label={t.t('The current log is the high anchor')} detail={p.currentLog ? fileOf(p.currentLog.path) : t.t('no current log')} />
        <Check ok={p.checkpoint ? p.checkpoint.validForPointInTime : null} label={t.t('The checkpoint is valid for a point-in-time restore')} detail={p.checkpoint ? p.checkpoint.reason ?? fileOf(p.checkpoint.path) : t.t('no checkpoint file')} />
      </ul>
      {p.missing.length ? (
        <p class="small" data-testid="ese-plan-missing"><Icon name="warn" size={15} /> {t.t('Missing log generations: {g}', { g: p.missing.map((g) => `0x${HX(g)}`).join(', ') })}</p>
      ) : null}
      {p.problems.length ? (
        <details class="small" open={p.verdict === 'not-ready'}>
          <summary>{t.tp(p.problems.length, '{n} problem (engine detail)', '{n} problems (engine detail)')}</summary>
          <ul>{p.problems.map((x, i) => <li key={i}>{x}</li>)}</ul>
        </details>
      ) : null}
      <h4>
        {t.t('Steps')} <span class="muted small">{t.t('{done} of {n} done', { done, n: p.steps.length })}</span>
      </h4>
      <ol class="plain steps" data-testid="ese-steps">
        {p.steps.map((st, i) => {
          const key = stepKey(p.database, i, st.text);
          const id = `step-${encodeURIComponent(p.database)}-${i}`;
          return (
            <li key={key} class={ticks[key] ? 'done' : ''}>
              <label class="check" for={id}>
                <input id={id} type="checkbox" checked={!!ticks[key]} onChange={() => s.ese.toggle(key)} />
                <span>
                  <span class={`step-action step-${st.action}`}>{t.term(`eseStep.${st.action}`)}</span> <span class="step-text">{st.text}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function RestorePlans({ view }: CasePanelProps) {
  const t = useT();
  const plans = plansOf(view.report);
  if (!plans.length) return <p class="muted">{t.t('No database to plan a restore for (temporary databases and streaming files are not restored on their own).')}</p>;
  return (
    <div class="ese-plans">
      <p class="small muted">{t.t('The checks the Exchange offline restore article (KB 296788) makes by hand with eseutil /mh, /ml and /mk. Tick each step as you do it; the evidence is never changed.')}</p>
      {plans.map((p) => <Plan key={p.database} p={p} />)}
    </div>
  );
}

function EseutilOutput({ view }: CasePanelProps) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const text = useMemo(() => eseutilText(view.report), [view]);
  return (
    <div class="eseutil-view">
      <div class="row-gap">
        <button
          type="button"
          class="btn btn-small"
          data-testid="eseutil-copy"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            }, () => undefined);
          }}
        >
          <Icon name={copied ? 'ok' : 'copy'} size={14} /> {copied ? t.t('Copied') : t.t('Copy')}
        </button>
        <button type="button" class="btn btn-small" onClick={() => saveText(text, 'eseutil.txt')}>
          <Icon name="export" size={14} /> {t.t('Download as text')}
        </button>
        <span class="muted small">{t.t('The same text as palimpsest verify --format eseutil (eseutil /mh, /k, /ml, /mk).')}</span>
      </div>
      <pre class="eseutil mono" tabIndex={0} data-testid="eseutil-text" aria-label={t.t('eseutil output')}>{text}</pre>
    </div>
  );
}

const eseCase = (v: CasePanelProps['view']) => hasEse(v.report);

registerCasePanel({ id: 'ese-plan', title: (t) => t.t('ESE restore plan (KB 296788)'), when: (v) => plansOf(v.report).length > 0, component: RestorePlans });
registerCasePanel({ id: 'ese-logsets', title: (t) => t.t('ESE log sets'), when: (v) => logSetsOf(v.report).length > 0, component: LogSets });
registerCasePanel({ id: 'ese-eseutil', title: (t) => t.t('eseutil output'), when: eseCase, open: false, component: EseutilOutput });
