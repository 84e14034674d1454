// ESE detail panels for the Integrity view: a database's header (the /mh facts as eseutil formats them), its page
// checksums (counts and the failing pages, each opening in the hex view) and "Open as SQLite"; a log's header and
// segments; a checkpoint's two copies; a flush map. The page and sector pictures are the view's own page map.
import { useStore, useT } from '../../store/store';
import { registerKindPanel, type KindPanelProps } from '../registry';
import { Icon } from '../../ui/icons';
import { mhText } from '../../../workers/engine/formats/ese/eseutil';
import { formatLgpos, formatLogTime, formatSignature } from '../../../workers/engine/formats/ese/structs';
import { eseOf, mhFacts, hex8, genText, type EseDbFacts, type EseLogFacts, type EseCheckpointFacts, type EseFlushMapFacts } from './model';
import './case-panels';
import { RecoverDeleted } from './EseExport';

function Facts({ rows, testid }: { rows: Array<[string, unknown]>; testid?: string }) {
  return (
    <dl class="facts" data-testid={testid}>
      {rows.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => (
        <div key={k} class="fact">
          <dt>{k}</dt>
          <dd class="mono">{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** At most this many page buttons per list; the rest is counted. */
const LISTED = 200;

function PageList({ title, items, index, testid }: { title: string; items: Array<{ pgno: number; note?: string }>; index: number; testid: string }) {
  const s = useStore();
  const t = useT();
  if (!items.length) return null;
  return (
    <div class="ese-pages">
      <h4>{title}</h4>
      <ul class="plain chips" data-testid={testid}>
        {items.slice(0, LISTED).map((p) => (
          <li key={p.pgno}>
            <button type="button" class="chip chip-bad mono" onClick={() => void s.integrity.openHex(index, 'page', p.pgno)} aria-label={t.t('Open page {n} in the hex view', { n: p.pgno })}>
              {p.pgno}{p.note ? ` ${p.note}` : ''}
            </button>
          </li>
        ))}
      </ul>
      {items.length > LISTED ? <p class="muted small">{t.t('{n} more not listed', { n: items.length - LISTED })}</p> : null}
    </div>
  );
}

function DbPanel({ file, index }: KindPanelProps) {
  const s = useStore();
  const t = useT();
  const e = eseOf<EseDbFacts>(file);
  if (!e) return null;
  const ex = s.ese;
  const running = ex.phase.value === 'running';
  const usable = e.headerStatus !== 'corrupt';
  const m = usable ? mhFacts(e.header) : null;
  const c = e.headerChecksum;
  const copyState = (x: { expected: number; actual: number; bytes: number }) => (x.bytes && x.expected === x.actual ? t.t('verifies') : t.t('fails'));
  const p = e.pages;
  const bad = p ? p.badPages.filter((pg) => !p.correctablePages.some((x) => x.pgno === pg) && !p.wrongPages.some((x) => x.pgno === pg)) : [];
  return (
    <div class="ese-panel">
      <div class="row-gap">
        <button type="button" class="btn btn-primary" data-testid="ese-open-sqlite" disabled={running} onClick={() => { s.ui.show('rebuild'); void s.openEseAsSqlite(index); }}>
          <Icon name="table" /> {t.t('Open as SQLite')}
        </button>
        <RecoverDeleted testId="ese-recover-deleted-panel" />
        <button type="button" class="btn btn-small" onClick={() => void s.integrity.openHex(index, 'page', -1)}>{t.t('Header in hex')}</button>
        <button type="button" class="btn btn-small" onClick={() => void s.integrity.openHex(index, 'page', 0)}>{t.t('Shadow header in hex')}</button>
      </div>
      {e.temporary ? (
        <p class="note" data-testid="ese-temporary">
          <Icon name="info" size={16} /> {t.t('A temporary database: ESE creates it anew at every start and never reads these pages back. Failing checksums are counted as eseutil counts them, but they are not damage to restore.')}
        </p>
      ) : null}
      <h4>{t.t('Database header (eseutil /mh)')}</h4>
      {m ? (
        <Facts
          testid="ese-mh-facts"
          rows={[
            [t.t('State'), m.state],
            [t.t('Page size'), m.cbDbPage],
            [t.t('Format version'), m.formatVersion],
            [t.t('Created with version'), m.createdVersion],
            [t.t('Logs required'), m.logRequired],
            [t.t('Logs committed'), m.logCommitted],
            [t.t('Last Consistent'), m.lastConsistent],
            [t.t('Last Attach'), m.lastAttach],
            [t.t('Last Detach'), m.lastDetach],
            [t.t('Database signature'), m.dbSignature],
            [t.t('Log signature'), m.logSignature],
            [t.t('dbtime'), m.dbtime],
            [t.t('Shadowed'), m.shadowed],
            [t.t('Dbid'), m.dbid],
            [t.t('Repair count'), m.repairCount],
            [t.t('Windows version'), m.osVersion],
          ]}
        />
      ) : (
        <p class="muted">{t.t('Neither header copy verifies: the database cannot be attached (-1206).')}</p>
      )}
      <Facts
        rows={[
          [t.t('Header checksum'), `${copyState(c.primary)} · ${hex8(c.primary.expected)} / ${hex8(c.primary.actual)}`],
          [t.t('Shadow header checksum'), `${copyState(c.shadow)} · ${hex8(c.shadow.expected)} / ${hex8(c.shadow.actual)}`],
          [t.t('Header copies identical'), c.identical ? t.t('yes') : t.t('no')],
          [t.t('Header copy used'), c.electedCopy === 0 ? t.t('primary') : t.t('shadow')],
        ]}
      />
      {usable ? (
        <details class="mh">
          <summary>{t.t('Every /mh field as eseutil prints it')}</summary>
          <pre class="eseutil mono small" tabIndex={0}>{mhText(file.path, e).lines.join('\n')}</pre>
        </details>
      ) : null}
      <h4>{t.t('Page checksums (eseutil /k)')}</h4>
      {p ? (
        <>
          <Facts
            testid="ese-page-counts"
            rows={[
              [t.t('Pages seen'), t.num(p.seen)],
              [t.t('Bad checksums'), t.num(p.bad - p.correctable)],
              [t.t('Correctable checksums'), t.num(p.correctable)],
              [t.t('Uninitialized pages'), t.num(p.uninitialized)],
              [t.t('Wrong page numbers'), t.num(p.wrongPageNumber)],
              [t.t('Highest dbtime'), `0x${BigInt(p.highestDbtime).toString(16)} (${t.t('page {n}', { n: Math.max(0, p.highestDbtimePgno) })})`],
            ]}
          />
          <PageList title={t.t('Pages whose checksum fails')} items={bad.map((pgno) => ({ pgno }))} index={index} testid="ese-bad-pages" />
          <PageList title={t.t('Pages a single bit error makes fail (correctable)')} items={p.correctablePages.map((x) => ({ pgno: x.pgno, note: `(${t.t('bit {n}', { n: x.bit })})` }))} index={index} testid="ese-correctable-pages" />
          <PageList title={t.t('Pages holding another page (wrong page number)')} items={p.wrongPages.map((x) => ({ pgno: x.pgno, note: `→ ${x.claimedPgno}` }))} index={index} testid="ese-wrong-pages" />
          {p.bad === 0 ? <p class="ok-line"><Icon name="ok" size={16} /> {t.t('Every page checksum verifies.')}</p> : null}
        </>
      ) : (
        <p class="muted">{t.t('Pages not checked')}{e.pagesNote ? `: ${e.pagesNote}` : ''}</p>
      )}
    </div>
  );
}

function LogPanel({ file, index }: KindPanelProps) {
  const s = useStore();
  const t = useT();
  const e = eseOf<EseLogFacts>(file);
  if (!e) return null;
  const h = e.header;
  const seg = e.segments;
  return (
    <div class="ese-panel">
      <div class="row-gap">
        <button type="button" class="btn btn-small" disabled={file.size < 4096} onClick={() => void s.integrity.openHex(index, 'segment', 0)}>{t.t('Header in hex')}</button>
      </div>
      <Facts
        testid="ese-log-facts"
        rows={[
          [t.t('Role'), t.term(`eseRole.${e.role}`)],
          [t.t('Base name'), e.baseName],
          [t.t('Generation'), e.generation !== null ? genText(e.generation) : t.t('header unreadable')],
          [t.t('Header checksum'), `${e.headerOk ? t.t('verifies') : t.t('fails')} · ${hex8(e.headerChecksum.expected)} / ${hex8(e.headerChecksum.actual)}`],
          [t.t('Log signature'), e.logSignature],
          [t.t('Created'), h ? formatLogTime(h.tmCreate) : null],
          [t.t('Previous generation created'), h ? formatLogTime(h.tmPrevGen) : null],
          [t.t('Format'), h ? `${h.major}.${h.minor}.${h.updateMajor}.${h.updateMinor}` : null],
          [t.t('Sectors'), h ? `${h.csecLGFile} × ${h.cbSec} B (${t.t('header: {n}', { n: h.csecHeader })})` : null],
          [t.t('Checkpoint at creation'), h ? formatLgpos(h.lgposCheckpoint) : null],
          [t.t('Circular logging'), h ? (h.circularLoggingCurrent ? t.t('on') : t.t('off')) : null],
          [t.t('Previous generation accumulated checksum'), h && !e.legacy ? `0x${h.checksumPrevLogAllSegments}` : null],
          [t.t('Accumulated segment checksum'), e.accumulatedChecksum ? `0x${e.accumulatedChecksum}` : null],
          [t.t('Last Lgpos'), e.lastLgpos ? formatLgpos(e.lastLgpos) : null],
          [t.t('Segments'), seg ? t.t('{seen} checked: {good} ok, {bad} bad, {shadow} shadow, {empty} empty', { seen: seg.seen, good: e.segmentDetail?.good ?? 0, bad: seg.bad, shadow: seg.shadow, empty: seg.empty }) : null],
          [t.t('LRCHECKSUM records (legacy format)'), e.lrck ? t.t('{good} verified, {bad} bad; shadow sector: {shadow}', { good: e.lrck.good, bad: e.lrck.bad, shadow: e.lrck.shadow === 'valid' ? t.t('valid') : e.lrck.shadow === 'missing' ? t.t('not present') : t.t('not checked') }) : null],
          [t.t('Damaged at'), e.damage ? `${t.t('sector {n}', { n: e.damage.isec })} (${e.lrck?.problem ?? e.damage.reason})` : null],
          [t.t('Torn write'), e.patchable ? `${t.t('sector {n}', { n: e.patchable.isec })}${e.lrck?.torn ? ` (${e.lrck.torn === 'shadow-patch' ? t.t('soft recovery patches it from the shadow sector') : t.t('soft recovery ends the log before it')})` : ''}` : null],
          [t.t('After the log data'), e.lrck ? t.tp(e.lrck.fill, "{n} sector of ESE's fill pattern", "{n} sectors of ESE's fill pattern") : null],
        ]}
      />
      {e.allZero ? <p class="muted">{t.t('Every byte is zero.')}</p> : null}
      {e.allFill ? <p class="muted">{t.t("Every byte is ESE's log fill pattern: space the engine pre-allocated and never wrote.")}</p> : null}
      {e.attachments.length ? (
        <>
          <h4>{t.t('Attached databases')}</h4>
          <ul class="plain small">
            {e.attachments.map((a) => (
              <li key={a.offset}><span class="mono">{a.dbid} {a.names[0] ?? ''}</span> <span class="muted">· {t.t('Last Consistent')} {formatLgpos(a.lgposConsistent)} · {formatSignature(a.signDb)}</span></li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function CheckpointPanel({ file, index }: KindPanelProps) {
  const s = useStore();
  const t = useT();
  const e = eseOf<EseCheckpointFacts>(file);
  if (!e) return null;
  const h = e.header;
  const copies: Array<[string, typeof e.copies.primary, number]> = [[t.t('Primary copy'), e.copies.primary, 1], [t.t('Shadow copy'), e.copies.shadow, 2]];
  return (
    <div class="ese-panel">
      <Facts
        testid="ese-chk-facts"
        rows={[
          [t.t('Checkpoint'), e.checkpoint ? formatLgpos(e.checkpoint) : t.t('unreadable')],
          [t.t('Log signature'), e.logSignature],
          [t.t('Database consistency'), h ? formatLgpos(h.lgposDbConsistency) : null],
          [t.t('Full backup'), h ? `${formatLgpos(h.lgposFullBackup)}  ${formatLogTime(h.logtimeFullBackup)}` : null],
          [t.t('Incremental backup'), h ? `${formatLgpos(h.lgposIncBackup)}  ${formatLogTime(h.logtimeIncBackup)}` : null],
        ]}
      />
      <h4>{t.t('Checkpoint copies')}</h4>
      <div class="table-wrap">
        <table class="grid" data-testid="ese-chk-copies">
          <thead>
            <tr><th>{t.t('Copy')}</th><th>{t.t('Checksum')}</th><th class="num">{t.t('Stored')}</th><th class="num">{t.t('Computed')}</th><th>{t.t('Used')}</th><th><span class="sr-only">{t.t('Hex view')}</span></th></tr>
          </thead>
          <tbody>
            {copies.map(([name, c, i]) => (
              <tr key={i}>
                <td>{name}</td>
                <td>{!c.present ? <span class="pill pill-bad">{t.t('missing')}</span> : c.ok ? <span class="pill pill-ok">{t.t('verifies')}</span> : <span class="pill pill-bad">{t.t('fails')}</span>}</td>
                <td class="num mono">{c.present ? hex8(c.stored) : '—'}</td>
                <td class="num mono">{c.present ? hex8(c.computed) : '—'}</td>
                <td>{e.status !== 'corrupt' && e.copies.electedCopy === i - 1 ? t.t('yes') : ''}</td>
                <td>
                  <button type="button" class="btn btn-small" disabled={!c.present} onClick={() => void s.integrity.openHex(index, 'header', i)} aria-label={t.t('{copy} in hex', { copy: name })}>
                    {t.t('Hex')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small muted">{e.copies.identical ? t.t('The two copies are identical.') : t.t('The two copies are not identical.')}</p>
      {h?.attachments.length ? (
        <>
          <h4>{t.t('Attached databases')}</h4>
          <ul class="plain small">
            {h.attachments.map((a) => <li key={a.offset} class="mono">{a.dbid} {a.names[0] ?? ''}</li>)}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function FlushMapPanel({ file, index }: KindPanelProps) {
  const s = useStore();
  const t = useT();
  const e = eseOf<EseFlushMapFacts>(file);
  if (!e) return null;
  const h = e.header;
  const d = e.dataPages;
  return (
    <div class="ese-panel">
      <div class="row-gap">
        <button type="button" class="btn btn-small" disabled={!h} onClick={() => void s.integrity.openHex(index, 'header', 1)}>{t.t('Header in hex')}</button>
      </div>
      <Facts
        rows={[
          [t.t('Header checksum'), e.headerOk ? t.t('verifies') : t.t('fails')],
          [t.t('Clean'), e.clean === null ? null : e.clean ? t.t('yes') : t.t('no')],
          [t.t('Data pages'), t.t('{good} of {seen} verify', { good: d.good, seen: d.seen })],
          [t.t('Failing data pages'), d.badPages.length ? d.badPages.slice(0, 50).join(', ') : null],
          [t.t('Lowest log generation required'), h ? String(h.genMinRequired) : null],
          [t.t('Created'), h ? formatLogTime(h.logtimeCreate) : null],
          [t.t('Flush map header flush signature'), h ? formatSignature(h.signFlushMapHdrFlush) : null],
        ]}
      />
      <p class="small muted">{t.t('A flush map the engine cannot use is rebuilt by it; no data is lost.')}</p>
    </div>
  );
}

registerKindPanel({ id: 'ese-db', kinds: ['ese-database'], title: (t) => t.t('ESE database'), component: DbPanel });
registerKindPanel({ id: 'ese-log', kinds: ['ese-log'], title: (t) => t.t('ESE transaction log'), component: LogPanel });
registerKindPanel({ id: 'ese-chk', kinds: ['ese-checkpoint'], title: (t) => t.t('ESE checkpoint'), component: CheckpointPanel });
registerKindPanel({ id: 'ese-fm', kinds: ['ese-flush-map'], title: (t) => t.t('ESE flush map'), component: FlushMapPanel });
