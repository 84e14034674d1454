// "Deleted records": rows SQLite deleted but has not yet overwritten, carved on demand by the case worker
// (formats/sqlite/carve.ts, rules K1..K8 in its FORMAT.md), with where each was found and downloads as JSON and CSV.
// A panel of every SQLite database or snapshot in Integrity (a click on "found at" opens that page in the hex view at
// the record), and DeletedSearch for the rebuilt database in Rebuild.
import { useStore, useT } from '../../store/store';
import { ErrorBox, ProgressBar } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { saveBlob } from '../../ui/download';
import { registerKindPanel, type KindPanelProps } from '../registry';
import type { CarveReport, CarvedRecord } from '../../../workers/engine/formats/sqlite/carve';
import { deletedCsv, deletedJson, groupRecords, recordColumns } from '../../../workers/engine/formats/sqlite/carve-report';
import type { SqlValue } from '../../../workers/engine/formats/sqlite/btree';
import type { I18n } from '../../i18n/i18n';
import type { DeletedKey } from '../../store/deleted';

/** Rows drawn per table; the downloads hold them all. */
const SHOWN = 200;

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function Value({ v, lost, uncertain, t }: { v: SqlValue; lost: boolean; uncertain: boolean; t: I18n }) {
  if (lost) return <span class="muted" title={t.t('Overwritten: the rowid was in the first bytes of the cell')}>?</span>;
  if (uncertain) return <span class="muted" title={t.t('Stored in no bytes: NULL, 0 or 1 cannot be told apart')}>NULL | 0 | 1</span>;
  if (v === null) return <span class="muted">NULL</span>;
  if (v instanceof Uint8Array) {
    const hex = Array.from(v.subarray(0, 16), (x) => x.toString(16).padStart(2, '0')).join('');
    return <span class="mono" title={t.tp(v.length, '{n} byte', '{n} bytes')}>x'{hex}{v.length > 16 ? '…' : ''}'</span>;
  }
  const s = String(v);
  return s.length > 120 ? <span title={s}>{s.slice(0, 117)}…</span> : <span>{s}</span>;
}

/**
 * Opens the record's page (or frame) of case file `file` in Integrity's hex view at the record's first byte, and
 * brings the hex view into sight (from another view too: Browse's recovered messages).
 */
export async function showInHex(s: ReturnType<typeof useStore>, file: number, x: { frame?: number; page: number; offset: number }): Promise<void> {
  s.ui.show('integrity');
  if (s.integrity.selected.value !== file) await s.integrity.selectFile(file);
  // A frame's page image starts after its 24-byte frame header.
  if (x.frame) await s.integrity.openHex(file, 'frame', x.frame, 24 + x.offset);
  else await s.integrity.openHex(file, 'page', x.page, x.offset);
  requestAnimationFrame(() => document.querySelector('section.hex')?.scrollIntoView({ block: 'start' }));
}

function TableRecords({ report, name, recs, file, fileName }: { report: CarveReport; name: string; recs: CarvedRecord[]; file?: number; fileName: string }) {
  const t = useT();
  const s = useStore();
  const cols = recordColumns(report, recs[0]);
  const sourceName = (x: CarvedRecord) =>
    x.source === 'frame' ? t.t('cell') : x.source === 'freeblock' ? t.t('freeblock') : x.source === 'unallocated' ? t.t('unallocated space') : t.t('freelist page');
  return (
    <details class="deleted-table" open>
      <summary>
        <span class="mono">{name}</span> <span class="muted">{t.tp(recs.length, '{n} record', '{n} records')}</span>
      </summary>
      <div class="table-wrap deleted-wrap">
        <table class="grid small" data-testid="deleted-table">
          <thead>
            <tr>
              <th scope="col">{t.t('Found at')}</th>
              {cols.map((c) => <th key={c} scope="col" class="mono">{c}</th>)}
            </tr>
          </thead>
          <tbody>
            {recs.slice(0, SHOWN).map((x) => (
              <tr key={`${x.page}:${x.offset}`}>
                <td class="deleted-where">
                  {file !== undefined ? (
                    <button type="button" class="btn-link mono" title={x.frame ? t.t('Show frame {f} in hex at byte {o}', { f: x.frame, o: x.offset }) : t.t('Show page {p} in hex at byte {o}', { p: x.page, o: x.offset })} onClick={() => void showInHex(s, file, x)}>
                      {x.frame ? `f${x.frame} ` : ''}p{x.page} @{x.offset}
                    </button>
                  ) : (
                    <span class="mono">p{x.page} @{x.offset}</span>
                  )}{' '}
                  <span class="muted">{sourceName(x)}</span>
                  {x.rowid !== null ? <span class="muted"> · rowid {x.rowid}</span> : null}
                  {x.alsoFits.length ? <div class="muted">{t.t('also fits {tables}', { tables: x.alsoFits.join(', ') })}</div> : null}
                  {x.inferred.length ? <div class="muted">{t.t('type inferred: {cols}', { cols: x.inferred.map((i) => cols[i] ?? `c${i + 1}`).join(', ') })}</div> : null}
                </td>
                {x.values.map((v, i) => (
                  <td key={i}>
                    <Value v={v} lost={x.lost.includes(i)} uncertain={x.uncertain.includes(i)} t={t} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {recs.length > SHOWN ? <p class="muted small">{t.t('{n} more in the downloads', { n: recs.length - SHOWN })}</p> : null}
      <button type="button" class="btn btn-small" onClick={() => saveBlob(new Blob([deletedCsv(report, recs)], { type: 'text/csv' }), `${baseName(fileName)}.${name.replace(/[^\w.-]+/g, '_')}.deleted.csv`)}>
        <Icon name="export" /> CSV
      </button>
    </details>
  );
}

/**
 * The search and its results for one database: `stateKey` names it in the store, `start` runs it, `file` (a case
 * file) makes each "found at" open the hex view.
 */
export function DeletedSearch({ stateKey, start, file, fileName, intro }: { stateKey: DeletedKey; start: () => void; file?: number; fileName: string; intro: string }) {
  const t = useT();
  const s = useStore();
  const st = s.deleted.byFile.value.get(stateKey);
  if (!st || st.phase === 'error') {
    return (
      <div class="deleted" data-testid="deleted-panel">
        <p class="muted">{intro}</p>
        {st?.error ? <ErrorBox error={st.error} /> : null}
        <button type="button" class="btn" data-testid="carve" onClick={start}>
          <Icon name="trash" /> {t.t('Search for deleted records')}
        </button>
      </div>
    );
  }
  if (st.phase === 'running') {
    return (
      <div class="deleted" data-testid="deleted-panel">
        <ProgressBar progress={st.progress} label={t.t('Searching {file} for deleted records…', { file: baseName(fileName) })} onCancel={() => s.deleted.cancel(stateKey)} />
      </div>
    );
  }
  const r = st.result!;
  const data = r.records.filter((x) => x.table !== 'sqlite_schema');
  const byTable = groupRecords(data, (x) => x.table ?? t.t('no known table ({n} columns)', { n: x.values.length }));
  const dropped = r.tables.filter((x) => x.dropped);
  return (
    <div class="deleted" data-testid="deleted-panel">
      <p data-testid="deleted-summary">
        {data.length
          ? `${r.frames ? t.tp(data.length, '{n} row the latest state does not hold', '{n} rows the latest state does not hold') : t.tp(data.length, '{n} deleted record', '{n} deleted records')}, ${t.tp(byTable.size, '{n} table', '{n} tables')}`
          : r.frames ? t.t('Every row in these frames is in the latest state.') : t.t('No deleted records found.')}{' '}
        <span class="muted">
          {r.frames ? t.tp(r.pagesSearched, '{n} frame searched', '{n} frames searched') : t.t('{p} of {total} pages searched', { p: r.pagesSearched, total: r.pageCount })}
          {r.liveCopies ? ` · ${t.tp(r.liveCopies, '{n} old copy of a live row left out', '{n} old copies of live rows left out')}` : ''}
        </span>
      </p>
      {dropped.length ? <p class="muted">{t.t('Dropped tables, from deleted schema rows: {tables}', { tables: dropped.map((x) => x.name).join(', ') })}</p> : null}
      {[...byTable].map(([name, recs]) => <TableRecords key={name} report={r} name={name} recs={recs} file={file} fileName={fileName} />)}
      <div class="row-gap">
        <button type="button" class="btn btn-small" data-testid="deleted-json" onClick={() => saveBlob(new Blob([JSON.stringify(deletedJson([r]), null, 2)], { type: 'application/json' }), `${baseName(fileName)}.deleted.json`)}>
          <Icon name="export" /> JSON
        </button>
        <button type="button" class="btn btn-small" onClick={start}>{t.t('Search again')}</button>
      </div>
    </div>
  );
}

function DeletedPanel({ file, index, report }: KindPanelProps) {
  const t = useT();
  const s = useStore();
  const wal = file.family !== null && report.files.some((f) => f.kind === 'sqlite-wal' && f.family === file.family);
  return (
    <>
      {wal ? (
        <p class="muted small" data-testid="deleted-wal-hint">
          {t.t('This database has a WAL: the rows its transactions deleted are in the pages the WAL holds. Rebuild it, then search the rebuilt database (Rebuild → Deleted records in the rebuilt database).')}
        </p>
      ) : null}
    <DeletedSearch
      stateKey={index}
      file={index}
      fileName={file.path}
      start={() => void s.deleted.search(index)}
      intro={t.t('Rows SQLite deleted but has not overwritten yet stay in freeblocks, unallocated space and freed pages. The search reads the file only.')}
    />
    </>
  );
}

function WalRowsPanel({ file, index }: KindPanelProps) {
  const t = useT();
  const s = useStore();
  return (
    <DeletedSearch
      stateKey={index}
      file={index}
      fileName={file.path}
      start={() => void s.deleted.search(index)}
      intro={t.t('Each frame holds a page as a commit left it. The search lists the rows in those page images, and in their free space, that the latest state of the database no longer holds: deleted rows and older versions of changed ones.')}
    />
  );
}

registerKindPanel({ id: 'sqlite-deleted', kinds: ['sqlite-database', 'sqlite-snapshot'], title: (t) => t.t('Deleted records'), component: DeletedPanel });
registerKindPanel({ id: 'sqlite-wal-rows', kinds: ['sqlite-wal'], title: (t) => t.t('Rows in older page versions'), component: WalRowsPanel });
