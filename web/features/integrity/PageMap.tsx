// The page map picture: one cell per page/frame/record on a canvas, coloured by status or type. Hover names the
// cell; click or Enter opens it in the hex view; arrow keys move a cursor (read out through a live region).
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PageMapData, CellStatusName, CellTypeName } from '../../../workers/hosts/case-api';
import { CELL_STATUS, CELL_TYPE } from '../../../workers/hosts/case-api';
import { useStore, useT } from '../../store/store';
import { layoutFor, paint, cellAt, cellPos, type Layout } from './pagemap-render';
import { lookup, PALETTES, PRIORITY_STATUS, PRIORITY_TYPE, rgba32 } from './palette';

const STATUS_BY_CODE = Object.fromEntries(Object.entries(CELL_STATUS).map(([k, v]) => [v, k])) as Record<number, CellStatusName>;
const TYPE_BY_CODE = Object.fromEntries(Object.entries(CELL_TYPE).map(([k, v]) => [v, k])) as Record<number, CellTypeName>;

export function useTheme(): 'dark' | 'light' {
  const s = useStore();
  const pref = s.prefs.theme.value;
  const [sys, setSys] = useState<'dark' | 'light'>(() => (typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'));
  useEffect(() => {
    if (typeof matchMedia === 'undefined') return;
    const m = matchMedia('(prefers-color-scheme: light)');
    const on = () => setSys(m.matches ? 'light' : 'dark');
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return pref === 'system' ? sys : pref;
}

export function cellLabel(m: PageMapData, i: number, t: ReturnType<typeof useT>): string {
  const unit = t.term(`unit.${m.unit}`);
  const parts = [`${unit} ${t.num(i + (m.firstIndex ?? 1))}`];
  if (m.unit === 'frame' || m.unit === 'record') parts.push(t.t('holds page {n}', { n: m.pgno[i] }));
  parts.push(t.term(`type.${TYPE_BY_CODE[m.type[i]] ?? 'unknown'}`));
  parts.push(t.term(`status.${STATUS_BY_CODE[m.status[i]] ?? 'ok'}`));
  if (m.owner && m.owner[i] !== 0xffff && m.owners[m.owner[i]]) parts.push(m.owners[m.owner[i]]);
  return parts.join(' · ');
}

export function PageMap({ map }: { map: PageMapData }) {
  const s = useStore();
  const t = useT();
  const theme = useTheme();
  const by = s.prefs.mapColour.value;
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(600);
  const [zoom, setZoom] = useState<number | 'auto'>('auto');
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const cursor = s.integrity.cursor.value;
  const dpr = typeof devicePixelRatio === 'number' ? Math.max(1, Math.min(3, devicePixelRatio)) : 1;

  useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(120, el.clientWidth)));
    ro.observe(el);
    setWidth(Math.max(120, el.clientWidth));
    return () => ro.disconnect();
  }, []);

  // Layout in device pixels; CSS size = device / dpr.
  const layout: Layout = useMemo(
    () => layoutFor(map.count, Math.floor(width * dpr), Math.floor(360 * dpr), zoom === 'auto' ? 'auto' : Math.round(zoom * dpr)),
    [map.count, width, zoom, dpr],
  );

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    c.width = layout.width;
    c.height = layout.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(layout.width, layout.height);
    const px = new Uint32Array(img.data.buffer);
    paint(layout, by === 'status' ? map.status : map.type, lookup(theme, by), rgba32(PALETTES[theme].background), px, by === 'status' ? PRIORITY_STATUS : PRIORITY_TYPE);
    ctx.putImageData(img, 0, 0);
    if (cursor !== null && cursor < map.count) {
      const p = cellPos(layout, cursor);
      const sz = Math.max(layout.cell, 3);
      ctx.lineWidth = Math.max(1, Math.round(dpr));
      ctx.strokeStyle = theme === 'dark' ? '#ffffff' : '#000000';
      ctx.strokeRect(p.x - 1.5, p.y - 1.5, sz + 3, sz + 3);
    }
  }, [layout, map, by, theme, cursor]);

  const legend = by === 'status' ? Object.entries(map.statusCounts) : Object.entries(map.typeCounts);
  const pal = PALETTES[theme];
  const open = (i: number) => {
    s.integrity.setCursor(i);
    void s.integrity.openHex(map.file, map.unit, i + (map.firstIndex ?? 1));
  };
  const fromEvent = (e: MouseEvent) => {
    const r = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const x = ((e.clientX - r.left) * layout.width) / r.width;
    const y = ((e.clientY - r.top) * layout.height) / r.height;
    return { i: cellAt(layout, x, y), x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onKey = (e: KeyboardEvent) => {
    const cur = cursor ?? -1;
    const cols = layout.cols * layout.per;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, PageDown: cols * 10, PageUp: -cols * 10 };
    if (e.key in moves) {
      e.preventDefault();
      s.integrity.setCursor(cur < 0 ? 0 : cur + moves[e.key]);
    } else if (e.key === 'Home') {
      e.preventDefault();
      s.integrity.setCursor(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      s.integrity.setCursor(map.count - 1);
    } else if ((e.key === 'Enter' || e.key === ' ') && cursor !== null) {
      e.preventDefault();
      open(cursor);
    }
  };
  const summary = t.t('{n} cells', { n: map.count }) + ': ' + legend.map(([k, n]) => `${t.term(`${by}.${k}`)} ${t.num(n as number)}`).join(', ');
  return (
    <div class="pagemap">
      <div class="pagemap-bar">
        <div class="seg" role="group" aria-label={t.t('Colour by')}>
          <button type="button" class={by === 'status' ? 'on' : ''} aria-pressed={by === 'status'} onClick={() => s.prefs.setMapColour('status')}>{t.t('Status')}</button>
          <button type="button" class={by === 'type' ? 'on' : ''} aria-pressed={by === 'type'} onClick={() => s.prefs.setMapColour('type')}>{t.t('Type')}</button>
        </div>
        <label class="inline">
          {t.t('Cell size')}
          <select value={String(zoom)} onChange={(e) => { const v = (e.currentTarget as HTMLSelectElement).value; setZoom(v === 'auto' ? 'auto' : Number(v)); }}>
            <option value="auto">{t.t('Fit')}</option>
            {[2, 4, 8, 12, 16].map((z) => <option key={z} value={String(z)}>{z} px</option>)}
          </select>
        </label>
        <span class="muted small">{map.unit === 'page' ? t.tp(map.count, '{n} page', '{n} pages') : map.unit === 'frame' ? t.tp(map.count, '{n} frame', '{n} frames') : map.unit === 'segment' ? t.tp(map.count, '{n} sector', '{n} sectors') : t.tp(map.count, '{n} record', '{n} records')}{layout.per > 1 ? ` · ${t.t('{n} per pixel', { n: layout.per })}` : ''}</span>
      </div>
      <div class="pagemap-canvas" ref={wrap}>
        <canvas
          ref={canvas}
          style={{ width: `${layout.width / dpr}px`, height: `${layout.height / dpr}px` }}
          tabIndex={0}
          role="img"
          aria-label={`${t.t('Page map of {file}', { file: map.path })}. ${summary}. ${t.t('Use the arrow keys to move, Enter to open the hex view.')}`}
          onMouseMove={(e) => {
            const h = fromEvent(e);
            setHover(h.i >= 0 ? h : null);
          }}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            const h = fromEvent(e);
            if (h.i >= 0) open(h.i);
          }}
          onKeyDown={onKey}
        />
        {hover ? (
          <div class="tooltip" style={{ left: `${Math.min(hover.x + 14, width - 240)}px`, top: `${hover.y + 14}px` }} role="presentation">
            {cellLabel(map, hover.i, t)}
          </div>
        ) : null}
      </div>
      <p class="sr-only" aria-live="polite">{cursor !== null ? cellLabel(map, cursor, t) : ''}</p>
      <ul class="legend" aria-label={t.t('Legend')}>
        {legend.map(([k, n]) => (
          <li key={k}>
            <span class="swatch" style={{ background: by === 'status' ? pal.status[k as CellStatusName] : pal.type[k as CellTypeName] }} />
            {t.term(`${by}.${k}`)} <span class="muted">{t.num(n as number)}</span>
          </li>
        ))}
      </ul>
      {cursor !== null ? <p class="cursor-line mono small">{cellLabel(map, cursor, t)}</p> : null}
    </div>
  );
}
