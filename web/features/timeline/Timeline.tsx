// Timeline: snapshots, WAL generations and commits on one axis, gaps and damage marked. Picking a commit (G:C)
// shows what a rebuild at that point applies and what it would lose.
import { useMemo } from 'preact/hooks';
import { useStore, useT } from '../../store/store';
import { Empty, ErrorBox, VerdictBadge } from '../../ui/widgets';
import { Icon } from '../../ui/icons';
import { layoutTimeline, commitAtX, fitText, LANE_Y, STALE_Y, type Block } from './layout';
import { decisionText } from '../export/report';
import { planText, short } from '../integrity/Integrity';
import type { TimelineEntry } from '../../../workers/engine/report/report';

export function Timeline() {
  const s = useStore();
  const t = useT();
  const view = s.case.view.value;
  if (!view) return <Empty icon="timeline" title={t.t('No case is open')}>{t.t('Open files, a folder or the demo case on the Start page.')}</Empty>;
  if (!view.families.length) return <Empty icon="timeline" title={t.t('No SQLite database in this case')}>{t.t('The timeline shows SQLite snapshots, WAL generations and commits.')}</Empty>;
  const famName = s.rebuild.family.value ?? view.families[0].name;
  const fam = view.timeline.families.find((f) => f.name === famName) ?? view.timeline.families[0];
  const fv = view.families.find((f) => f.name === fam.name)!;
  return (
    <section class="view" aria-labelledby="tl-title">
      <header class="view-head">
        <div>
          <h1 id="tl-title">{t.t('Timeline')}</h1>
          <p class="muted">{t.t('Pick a commit to rebuild the database as it was right after it.')}</p>
        </div>
        {view.families.length > 1 ? (
          <label class="inline">
            {t.t('Database')}
            <select value={fam.name} onChange={(e) => void s.rebuild.selectFamily((e.currentTarget as HTMLSelectElement).value)}>
              {view.families.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
            </select>
          </label>
        ) : null}
      </header>
      <div class="card">
        <div class="tl-head">
          <strong class="mono">{fam.name}</strong>
          <VerdictBadge verdict={fv.verdict} />
          <span class="muted">{fam.reached ? t.t('latest state: commit {id}', { id: fam.reached }) : t.t('no commit can be applied')}</span>
        </div>
        <TimelineChart entries={fam.entries} />
        <TimelineLegend />
      </div>
      <TargetPicker />
      <Preview />
    </section>
  );
}

function TimelineChart({ entries }: { entries: TimelineEntry[] }) {
  const s = useStore();
  const t = useT();
  // Where each WAL's valid data ends (a torn or damaged frame), from the verify report.
  const ends = useMemo(() => {
    const m = new Map<string, { frame: number; reason: string }>();
    for (const f of s.case.view.value?.report.files ?? []) {
      const w = f.wal as { firstInvalidFrame?: number | null; firstInvalidReason?: string | null } | undefined;
      if (w?.firstInvalidFrame && w.firstInvalidReason !== 'salt-mismatch') m.set(f.path, { frame: w.firstInvalidFrame, reason: w.firstInvalidReason ?? '' });
    }
    return m;
  }, [s.case.view.value]);
  const lay = useMemo(() => layoutTimeline(entries), [entries]);
  const target = s.rebuild.target.value;
  const preview = s.rebuild.preview.value;
  // Commits the previewed rebuild applies (the latest plan, or the one for the chosen point).
  const inPlan = useMemo(() => {
    const set = new Set<string>();
    for (const st of preview?.plan.steps ?? []) for (let c = 1; c <= st.upToCommit; c++) set.add(`${st.generation}:${c}`);
    return set;
  }, [preview]);
  const tid = target ? `${target.generation}:${target.commit}` : null;
  const pick = (id: string) => void s.rebuild.setTarget(id);
  const after = (g: number, c: number) => target && (g > target.generation || (g === target.generation && c > target.commit));
  return (
    <div class="tl-scroll" role="group" aria-label={t.t('Timeline of snapshots, generations and commits')}>
      <svg class="tl" width={lay.width} height={lay.height} viewBox={`0 0 ${lay.width} ${lay.height}`}>
        <defs>
          <pattern id="hatch" width="6" height="6" patternTransform="rotate(45)" patternUnits="userSpaceOnUse">
            <rect width="6" height="6" class="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" stroke-width="3" />
          </pattern>
        </defs>
        <line x1={8} x2={lay.width - 8} y1={LANE_Y} y2={LANE_Y} class="tl-axis" />
        {lay.blocks.map((b, i) => <BlockView key={i} b={b} tid={tid} pick={pick} after={after} inPlan={preview ? inPlan : null} end={b.type === 'generation' ? ends.get(b.file) ?? null : null} />)}
        {lay.blocks.some((b) => b.type === 'stale') ? <text x={12} y={STALE_Y - 22} class="tl-lane-label">{t.t('Stale frames (evidence only, never applied)')}</text> : null}
      </svg>
    </div>
  );
}

function BlockView({ b, tid, pick, after, inPlan, end }: { b: Block; tid: string | null; pick: (id: string) => void; after: (g: number, c: number) => boolean | null; inPlan: Set<string> | null; end: { frame: number; reason: string } | null }) {
  const t = useT();
  if (b.type === 'snapshot') {
    const cx = b.x + b.w / 2;
    return (
      <g class="tl-snap">
        <title>{t.t('Snapshot {file} ({label}): holds generations before {seq}', { file: short(b.file), label: b.label, seq: b.sequence })}</title>
        <path d={`M${cx} ${LANE_Y - 13} L${cx + 11} ${LANE_Y} L${cx} ${LANE_Y + 13} L${cx - 11} ${LANE_Y} Z`} />
        <text x={cx} y={LANE_Y - 24} text-anchor="middle" class="tl-label">{t.t('snapshot')}</text>
        <text x={cx} y={LANE_Y + 32} text-anchor="middle" class="tl-sub">{b.label}</text>
      </g>
    );
  }
  if (b.type === 'gap') {
    return (
      <g class="tl-gap">
        <title>{t.t('Missing generation(s) {g}', { g: b.sequences.join(', ') })}</title>
        <rect x={b.x} y={LANE_Y - 16} width={b.w} height={32} rx={3} fill="url(#hatch)" />
        <text x={b.x + b.w / 2} y={LANE_Y - 24} text-anchor="middle" class="tl-label tl-bad">{t.t('missing {g}', { g: b.sequences.length > 2 ? `${b.sequences[0]}…${b.sequences[b.sequences.length - 1]}` : b.sequences.join(', ') })}</text>
      </g>
    );
  }
  if (b.type === 'stale') {
    return (
      <g class="tl-stale">
        <title>{t.t('{f} stale frames in {file} (generation {g}?), {c} commits: evidence, not applied', { f: b.frames, file: short(b.file), g: b.inferred ?? '?', c: b.commits })}</title>
        <rect x={b.x} y={b.y - 8} width={b.w} height={14} rx={3} />
        <text x={b.x + 2} y={b.y + 20} class="tl-sub">{fitText(t.t('{n} stale frames', { n: b.frames }), b.w)}</text>
      </g>
    );
  }
  const hasDropped = b.commits.some((c) => c.status === 'dropped');
  return (
    <g class={`tl-gen${b.linked === false ? ' tl-unlinked' : ''}`}>
      <title>{t.t('Generation {g} in {file}: {n} commits', { g: b.sequence, file: short(b.file), n: b.commits.length })}</title>
      <rect class="tl-gen-box" x={b.x} y={LANE_Y - 16} width={b.w} height={32} rx={4} />
      <text x={b.x + 4} y={LANE_Y - 24} class="tl-label">{t.t('generation {g}', { g: b.sequence })}{hasDropped ? ' ⚠' : ''}</text>
      <text x={b.x + 4} y={LANE_Y + 32} class="tl-sub">{fitText(short(b.file), b.w - 6)}</text>
      {end ? (
        <g class="tl-torn">
          <title>{t.t('Valid data ends at frame {f} ({why}); SQLite ignores the rest of this WAL', { f: end.frame, why: end.reason })}</title>
          <path d={`M${b.x + b.w - 7} ${LANE_Y - 16} l5 6 l-5 6 l5 6 l-5 6 l5 6`} />
        </g>
      ) : null}
      {b.dense ? (
        <rect
          class="tl-dense"
          x={b.x + 12}
          y={LANE_Y - 6}
          width={b.w - 24}
          height={12}
          tabIndex={0}
          role="button"
          aria-label={t.t('Commits {a} to {b}: click to pick one', { a: b.commits[0]?.id ?? '', b: b.commits[b.commits.length - 1]?.id ?? '' })}
          onClick={(e) => {
            const svg = (e.currentTarget as SVGRectElement).ownerSVGElement!;
            const r = svg.getBoundingClientRect();
            const c = commitAtX(b, e.clientX - r.left);
            if (c) pick(c.id);
          }}
        />
      ) : (
        b.commits.map((c) => {
          const lost = after(c.generation, c.commit);
          const st = c.status === 'dropped' ? 'dropped' : inPlan ? (inPlan.has(c.id) ? 'applied' : 'not-applied') : c.status;
          const cls = `tl-commit tl-${st}${tid === c.id ? ' tl-target' : ''}${lost && st !== 'dropped' ? ' tl-lost' : ''}`;
          const label = t.t('Commit {id}: {status}, writes {n} pages', { id: c.id, status: statusText(st, t), n: c.pages });
          return (
            <g
              key={c.id}
              class={cls}
              tabIndex={c.status === 'dropped' ? -1 : 0}
              role="button"
              aria-label={label}
              aria-pressed={tid === c.id}
              onClick={() => c.status !== 'dropped' && pick(c.id)}
              onKeyDown={(e) => {
                if ((e.key === 'Enter' || e.key === ' ') && c.status !== 'dropped') {
                  e.preventDefault();
                  pick(c.id);
                }
              }}
            >
              <title>{label}</title>
              {c.status === 'dropped' ? (
                <path d={`M${c.x - 5} ${LANE_Y - 5} L${c.x + 5} ${LANE_Y + 5} M${c.x + 5} ${LANE_Y - 5} L${c.x - 5} ${LANE_Y + 5}`} />
              ) : (
                <circle cx={c.x} cy={LANE_Y} r={tid === c.id ? 7 : 5} />
              )}
            </g>
          );
        })
      )}
    </g>
  );
}

function statusText(st: string, t: ReturnType<typeof useT>): string {
  return st === 'applied' ? t.t('applied by this rebuild') : st === 'dropped' ? t.t('after a damaged frame, cannot be applied') : t.t('not applied by this rebuild');
}

function TimelineLegend() {
  const t = useT();
  return (
    <ul class="legend tl-legend">
      <li><svg width="14" height="14"><circle cx="7" cy="7" r="5" class="tl-lg-applied" /></svg>{t.t('commit applied by this rebuild')}</li>
      <li><svg width="14" height="14"><circle cx="7" cy="7" r="5" class="tl-lg-not" /></svg>{t.t('commit not applied (in the base, or unreachable)')}</li>
      <li><svg width="14" height="14"><circle cx="7" cy="7" r="5" class="tl-lg-lost" /></svg>{t.t('commit after the chosen point (would be lost)')}</li>
      <li><svg width="14" height="14"><path d="M2 2L12 12M12 2L2 12" class="tl-lg-dropped" /></svg>{t.t('commit after damage')}</li>
      <li><svg width="14" height="14"><path d="M7 1L13 7L7 13L1 7Z" class="tl-lg-snap" /></svg>{t.t('snapshot')}</li>
      <li><svg width="18" height="12"><rect width="18" height="12" fill="url(#hatch)" /></svg>{t.t('missing generation')}</li>
      <li><svg width="10" height="16"><path d="M3 0l5 4l-5 4l5 4l-5 4" class="tl-lg-torn" /></svg>{t.t('torn or damaged frame: the end of valid data')}</li>
    </ul>
  );
}

function TargetPicker() {
  const s = useStore();
  const t = useT();
  const view = s.case.view.value!;
  const fam = view.families.find((f) => f.name === s.rebuild.family.value) ?? view.families[0];
  const target = s.rebuild.target.value;
  const tid = target ? `${target.generation}:${target.commit}` : '';
  return (
    <div class="card target-picker">
      <label class="inline">
        {t.t('Rebuild at')}
        <select value={tid} onChange={(e) => { const v = (e.currentTarget as HTMLSelectElement).value; void s.rebuild.setTarget(v || null); }} aria-label={t.t('Rebuild at commit')}>
          <option value="">{t.t('the latest state ({id})', { id: fam.reached ?? '—' })}</option>
          {fam.commits.filter((c) => !c.dropped).map((c) => <option key={c.id} value={c.id}>{c.id}</option>)}
        </select>
      </label>
      <button type="button" class="btn btn-primary" onClick={() => { s.ui.show('rebuild'); void s.rebuildNow(); }} disabled={s.rebuild.phase.value === 'running' || !s.rebuild.preview.value}>
        <Icon name="rebuild" /> {target ? t.t('Rebuild at {id}', { id: tid }) : t.t('Rebuild the latest state')}
      </button>
    </div>
  );
}

export function Preview() {
  const s = useStore();
  const t = useT();
  const p = s.rebuild.preview.value;
  const err = s.rebuild.previewError.value;
  if (err) return <ErrorBox error={err} />;
  if (!p) return null;
  const applied = p.decisions.filter((d) => d.applied);
  const skipped = p.decisions.filter((d) => !d.applied);
  return (
    <div class="card preview" aria-live="polite">
      <h2>{p.target ? t.t('Rebuild at commit {id}', { id: p.target }) : t.t('Rebuild of the latest state')}</h2>
      <p class="small">{planText(p.plan, t)}</p>
      <div class="cols">
        <div>
          <h3><Icon name="ok" size={16} /> {t.t('Applied')}</h3>
          <ul class="plain decisions">{applied.map((d, i) => <li key={i} class="dec-ok">{decisionText(d, t)}</li>)}</ul>
        </div>
        <div>
          <h3><Icon name="warn" size={16} /> {t.t('Left out, and why')}</h3>
          {skipped.length ? <ul class="plain decisions">{skipped.map((d, i) => <li key={i} class="dec-skip">{decisionText(d, t)}</li>)}</ul> : <p class="muted">{t.t('Nothing was skipped.')}</p>}
        </div>
      </div>
      <p class={p.lostCommits ? 'loss' : 'muted'}>
        {p.lostCommits ? t.tp(p.lostCommits, 'This rebuild would not contain {n} commit that exists in the evidence.', 'This rebuild would not contain {n} commits that exist in the evidence.') : t.t('Every commit in the evidence is in this rebuild.')}
      </p>
      {p.lost.length ? (
        <details class="lost">
          <summary>{t.t('Losses (engine detail)')}</summary>
          <ul class="small">{p.lost.map((l, i) => <li key={i}>{l}</li>)}</ul>
        </details>
      ) : null}
    </div>
  );
}
