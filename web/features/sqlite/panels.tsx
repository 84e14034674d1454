// SQLite detail panels for the Integrity view: database/snapshot header facts, WAL facts, rollback-journal facts.
import { useT } from '../../store/store';
import { registerKindPanel, type KindPanelProps } from '../registry';

type Dict = Record<string, unknown>;

function Facts({ rows }: { rows: Array<[string, unknown]> }) {
  return (
    <dl class="facts">
      {rows.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => (
        <div key={k} class="fact">
          <dt>{k}</dt>
          <dd class="mono">{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function DbPanel({ file }: KindPanelProps) {
  const t = useT();
  const db = file.database as { header: Dict | null; pages: { count: number; kinds: Record<string, number>; cksumvfs: Dict | null } | null; schema: Array<{ type: string; name: string; rootpage: number }> } | undefined;
  if (!db?.header) return <p class="muted">{t.t('No readable database header.')}</p>;
  const h = db.header;
  const snap = file.snapshot as { sequence: number; label: string } | undefined;
  return (
    <div>
      <Facts
        rows={[
          [t.term('f.pageSize'), h.pageSize],
          [t.term('f.pageCount'), h.pageCount],
          [t.t('Journal mode'), h.journalMode],
          [t.term('f.textEncoding'), h.textEncoding],
          [t.term('f.changeCounter'), h.changeCounter],
          [t.term('f.sqliteVersion'), h.sqliteVersion],
          [t.term('f.reservedBytes'), h.reservedBytes],
          [t.term('f.freelistCount'), h.freelistCount],
          [t.t('Auto-vacuum'), h.autoVacuum ? t.t('yes') : t.t('no')],
          [t.t('Snapshot'), snap ? t.t('taken {label}; holds generations before {seq}', { label: snap.label, seq: snap.sequence }) : null],
          [t.t('cksumvfs pages checked'), db.pages?.cksumvfs ? `${db.pages.cksumvfs.checked} (${t.t('{n} bad', { n: Number(db.pages.cksumvfs.bad) })})` : null],
        ]}
      />
      {db.schema.length ? (
        <details class="schema">
          <summary>{t.tp(db.schema.length, '{n} schema object', '{n} schema objects')}</summary>
          <ul class="plain mono small">
            {db.schema.map((o) => <li key={o.name}>{o.type} {o.name} <span class="muted">({t.t('root page {n}', { n: o.rootpage })})</span></li>)}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function WalPanel({ file }: KindPanelProps) {
  const t = useT();
  const w = file.wal as Dict | undefined;
  if (!w) return null;
  const hex = (n: unknown) => `0x${Number(n).toString(16).padStart(8, '0')}`;
  const stale = (w.staleGenerations as Array<{ salt1: number; inferredCheckpointSeq: number | null; frames: number; commits: number }>) ?? [];
  return (
    <div>
      <Facts
        rows={[
          [t.t('Generation (checkpoint sequence)'), w.checkpointSeq],
          [t.term('f.salt1'), hex(w.salt1)],
          [t.term('f.salt2'), hex(w.salt2)],
          [t.term('f.pageSize'), w.pageSize],
          [t.t('Frames'), w.frames],
          [t.t('Valid frames'), w.validFrames],
          [t.t('Commits'), w.commits],
          [t.t('Last commit frame'), w.lastCommitFrame ?? '—'],
          [t.t('Uncommitted frames'), w.uncommittedFrames],
          [t.t('First invalid frame'), w.firstInvalidFrame ? `${w.firstInvalidFrame} (${w.firstInvalidReason})` : '—'],
          [t.t('Frames after the break'), w.afterBreakFrames],
          [t.t('Stale frames'), w.staleFrames],
          [t.t('Trailing bytes (torn tail)'), w.trailingBytes],
          [t.t('Checksum byte order'), w.bigEndianChecksums ? t.t('big-endian') : t.t('little-endian')],
        ]}
      />
      {stale.length ? (
        <ul class="plain small">
          {stale.map((g, i) => (
            <li key={i}>{t.t('Stale frames of generation {g} (salt-1 {salt}): {f} frames, {c} commits', { g: g.inferredCheckpointSeq ?? '?', salt: hex(g.salt1), f: g.frames, c: g.commits })}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function JournalPanel({ file }: KindPanelProps) {
  const t = useT();
  const j = file.journal as Dict | undefined;
  if (!j) return null;
  const pb = j.playback as { dbSize: number; pages: number; stop: { offset: number; reason: string } | null };
  return (
    <Facts
      rows={[
        [t.term('f.pageSize'), j.pageSize],
        [t.term('f.sectorSize'), j.sectorSize],
        [t.t('Records'), `${j.verifiedRecords} / ${j.records} ${t.t('verified')}`],
        [t.t('Hot (SQLite would roll it back)'), j.hot ? t.t('yes') : `${t.t('no')} — ${j.notHotReason ?? ''}`],
        [t.t('Pages rolled back'), pb.pages],
        [t.t('Size after rollback'), pb.dbSize],
        [t.t('Playback stops'), pb.stop ? `0x${pb.stop.offset.toString(16)}: ${pb.stop.reason}` : '—'],
      ]}
    />
  );
}

registerKindPanel({ id: 'sqlite-db', kinds: ['sqlite-database', 'sqlite-snapshot'], title: (t) => t.t('SQLite header'), component: DbPanel });
registerKindPanel({ id: 'sqlite-wal', kinds: ['sqlite-wal'], title: (t) => t.t('Write-ahead log'), component: WalPanel });
registerKindPanel({ id: 'sqlite-journal', kinds: ['sqlite-rollback-journal'], title: (t) => t.t('Rollback journal'), component: JournalPanel });
