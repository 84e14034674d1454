// Evidence: every file with kind, size, modified time and SHA-256; the hash list can be exported.
import { useStore, useT } from '../../store/store';
import { Hash, ProgressBar, Empty, ErrorBox } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { saveText } from '../../ui/download';
import { hashCsv, hashList } from '../export/report';

export function Evidence() {
  const s = useStore();
  const t = useT();
  const kase = s.case;
  const view = kase.view.value;
  const files = kase.files.value;
  if (kase.phase.value === 'empty') return <Empty icon="evidence" title={t.t('No case is open')}>{t.t('Open files, a folder or the demo case on the Start page.')}</Empty>;
  const rows = view
    ? view.report.files.map((f) => ({ path: f.path, kind: f.kind, size: f.size, modified: f.modified, sha256: f.sha256, ok: f.ok, issues: f.issues.length }))
    : files.map((p) => ({ path: p.path, kind: null, size: p.file.size, modified: p.file.lastModified ? new Date(p.file.lastModified).toISOString() : null, sha256: null, ok: null, issues: 0 }));
  const total = rows.reduce((a, r) => a + r.size, 0);
  const hashed = rows.filter((r) => r.sha256).length;
  const hs = kase.hashing.value;
  const running = hs.status === 'running';
  const status =
    running ? t.t('hashing… {n} of {m} hashed', { n: hashed, m: rows.length })
      : hs.status === 'stopped' ? t.t('hashing stopped: {n} of {m} hashed', { n: hashed, m: rows.length })
        : hs.status === 'failed' ? t.t('hashing failed: {n} of {m} hashed', { n: hashed, m: rows.length })
          : hashed || hs.status === 'done' ? t.t('{n} of {m} hashed (SHA-256)', { n: hashed, m: rows.length })
            : kase.phase.value === 'ready' ? t.t('hashing was turned off') : '';
  const canHash = kase.phase.value === 'ready' && !running && hashed < rows.length;
  return (
    <section aria-labelledby="ev-title" class="view">
      <header class="view-head">
        <div>
          <h1 id="ev-title">{t.t('Evidence')}</h1>
          <p class="muted">
            {t.tp(rows.length, '{n} file', '{n} files')} · {t.bytes(total)}
            {status ? <> · <span data-testid="hash-status" data-state={hs.status}>{status}</span></> : null}
          </p>
        </div>
        <div class="view-actions">
          {canHash ? (
            <button type="button" class="btn" data-testid="hash-now" onClick={() => void s.hashNow()}>
              <Icon name="evidence" /> {t.t('Compute SHA-256')}
            </button>
          ) : null}
          <button type="button" class="btn" disabled={!view || !hashed} onClick={() => view && saveText(hashList(view), `${safe(kase.name.value)}.sha256`)}>
            <Icon name="export" /> {t.t('Export hash list (sha256sum)')}
          </button>
          <button type="button" class="btn" disabled={!view} onClick={() => view && saveText(hashCsv(view), `${safe(kase.name.value)}-hashes.csv`, 'text/csv;charset=utf-8')}>
            <Icon name="export" /> CSV
          </button>
        </div>
      </header>
      {kase.phase.value === 'loading' ? <ProgressBar progress={kase.progress.value} onCancel={() => kase.cancel()} /> : null}
      {running ? <ProgressBar progress={hs.progress} label={t.term('phase.hash')} onCancel={() => kase.stopHashing()} /> : null}
      {kase.error.value ? <ErrorBox error={kase.error.value} /> : null}
      {hs.error ? <ErrorBox error={hs.error} title={t.t('The SHA-256 of the evidence could not be computed')} /> : null}
      <div class="table-wrap">
        <table class="grid">
          <caption class="sr-only">{t.t('Evidence files')}</caption>
          <thead>
            <tr>
              <th scope="col">{t.t('File')}</th>
              <th scope="col">{t.t('Kind')}</th>
              <th scope="col" class="num">{t.t('Size')}</th>
              <th scope="col">{t.t('Modified')}</th>
              <th scope="col">SHA-256</th>
              <th scope="col">{t.t('Check')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.path}>
                <td class="mono path" title={r.path}>{r.path}</td>
                <td>{r.kind ? t.term(`kind.${r.kind}`) : <span class="muted">…</span>}</td>
                <td class="num">{t.bytes(r.size)}</td>
                <td>{t.date(r.modified)}</td>
                <td>{r.sha256 ? <Hash value={r.sha256} full /> : running ? <span class="muted">{t.t('hashing…')}</span> : <Hash value={null} />}</td>
                <td>
                  {r.ok === null ? <span class="muted">…</span> : r.ok ? <span class="pill pill-ok">{t.t('ok')}</span> : <span class="pill pill-bad">{t.tp(r.issues, '{n} issue', '{n} issues')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function safe(name: string): string {
  return (name || 'case').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);
}
